"""The demo's second act: the real bot (python-telegram-bot, unchanged) against the local Bot API
server, with the real service loop and outbox. A client writes on the hotline, the admin answers
in the conversation's topic and hands off, a counselor claims, talks and closes; then the
timeline of the SOP steps prints with each step's time against its target.

Also the fixture of staff training: `training_state()` is an office with made-up people.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from bot.app import App
from bot.bootstrap import build
from bot.config.settings import Settings, from_mapping
from bot.demo.intake_act import from_paper, walk_in
from bot.demo.local_api import ApiState, LocalBotApi
from bot.demo.local_api.scripted import DemoFailed, Stage, crisis_words
from bot.demo.office_act import NEIGHBOUR, legal_hold, outside_remit, papers, staff_leaves
from bot.demo.programme_act import programme_act
from bot.demo.review_act import WORRIED, possible_danger, safe_contact, withdraws
from bot.service import loops as service
from triage.domain.forms.spec import DEFAULT_FORM
from triage.domain.model import STEP_NAMES
from triage.texts.catalog import Lang, text

GROUP = -1001234567890
CLIENT = 4242
CLIENT_2 = 4343  # writes and is left waiting: the SLA reminder and escalation
COMPLAINANT = 4444  # a complaint (the complaint standard)
SCHOOL = 4545  # a request for psychoeducation (the Kaltim standard)
ADMIN = 1001
MADE = 2001
NYOMAN = 2002
HEAD = 3001

STAFF = (
    (ADMIN, "Wayan", "admin"),
    (MADE, "Made", "konselor"),
    (NYOMAN, "Nyoman", "konselor"),
    (HEAD, "Ketut", "ketua"),
)


def _stranger_joins(stage: Stage, lang: Lang, say: Callable[..., None]) -> None:
    """Someone not in [[staff]] is added to the admin group: the head hears of it in private."""
    stage.state.add_user(8888, "Tamu", last_name="Tak Dikenal")
    stage.state.user_joins(GROUP, 8888, by=ADMIN)
    stage.post(HEAD, "BUKAN staf" if lang == "id" else "NOT registered staff")
    say(escape(text("demo.tg.member_joined", lang)))


def training_state() -> ApiState:
    """An office on the local server: one client, the staff, the admins' forum group."""
    state = ApiState()
    state.add_user(CLIENT, "Rina", last_name="Wulandari")
    state.add_user(CLIENT_2, "Budi", last_name="Santoso")
    state.add_user(COMPLAINANT, "Ani", last_name="Lestari")
    state.add_user(SCHOOL, "Guru BK", last_name="SMP 3")
    state.add_user(WORRIED, "Sekar", last_name="Ayu")
    state.add_user(NEIGHBOUR, "Dodi")
    for user_id, name, _ in STAFF:
        state.add_user(user_id, name)
    state.add_group(GROUP, "Admin PUSPAGA", members={ADMIN: "member", HEAD: "member"})
    return state


def training_settings(
    api: LocalBotApi,
    data_dir: Path,
    lang: Lang = "id",
    *,
    telegram: dict[str, Any] | None = None,
    database_url: str = "",
    office: dict[str, Any] | None = None,
    **outbox: Any,
):
    # The training office answers the same at any hour (no out-of-hours reply) unless told.
    office = {"after_hours_reply": False, **(office or {})}
    return from_mapping(
        {
            "language": lang,
            "data_dir": str(data_dir),
            "database": {"url": database_url},
            "office": {"name": "PUSPAGA Kabupaten Contoh", "phone": "+62 361 000000", **office},
            "outbox": {"interval_seconds": 0.1, "retry_base_seconds": 0.5, **outbox},
            "referral": {
                "places": {
                    "uptd_ppa": "UPTD PPA Kabupaten Contoh",
                    "puskesmas": "Puskesmas Kecamatan Contoh",
                }
            },
            "telegram": {
                "token": api.state.token,
                "base_url": api.base_url,
                "admin_chat_id": GROUP,
                **(telegram or {}),
            },
            "staff": [
                {"telegram_id": tid, "name": name, "role": role} for tid, name, role in STAFF
            ],
        },
        environ={},
    )


def run_telegram_act(data_dir: Path, lang: Lang, console: Console) -> None:
    say = console.print
    with LocalBotApi(training_state()) as api:
        settings = training_settings(api, data_dir, lang)
        app = build(settings, clock=OffsetClock())
        stop = threading.Event()
        loop = threading.Thread(target=service.run_forever, args=(app, stop), daemon=True)
        loop.start()
        try:
            assert app.telegram is not None
            if not app.telegram.ready.wait(20):
                raise DemoFailed("the bot did not start polling")

            explained: list[bool] = []

            def waiting(seconds: int) -> None:  # the group's budget: 20 posts a minute
                key = "demo.tg.queue" if explained else "demo.tg.queue_why"
                explained.append(True)  # why it waits: said once
                say(f"    [dim]{escape(text(key, lang, seconds=seconds))}[/dim]")

            stage = Stage(api, app, progress=waiting)
            _play(stage, settings, lang, say)
            _timeline(app, settings, lang, console)
            _complaint_and_psychoeducation(stage, lang, say)  # conversations #2, #3
            _roster_and_timers(stage, settings, lang, say)  # #4; moves the clock
            possible_danger(stage, lang, say)  # #5
            _undelivered(stage, lang, say)  # #5 again
            safe_contact(stage, lang, say)  # #5: /kontak; moves the clock an hour
            withdraws(stage, lang, say)  # #5 closed: consent taken back
            legal_hold(stage, lang, say)  # #5 held for UPTD PPA: not erased
            staff_leaves(stage, lang, say)  # Nyoman deactivated: #4 to Made
            walk_in(stage, lang, say)  # #6, registered by the admin
            from_paper(stage, lang, say, data_dir)  # #7, #8 from the Excel register book
            outside_remit(stage, lang, say)  # #9, a complaint not the office's
            programme_act(stage, lang, say)  # #3's session held; moves the clock to its day
            _stranger_joins(stage, lang, say)
        finally:
            stop.set()
            app.wake.set()
            loop.join(timeout=20)
            app.engine.dispose()


def _play(stage: Stage, settings: Settings, lang: Lang, say: Callable[..., None]) -> None:
    state = stage.state

    def line(key: str, **values: object) -> None:
        say(escape(text(key, lang, **values)))

    def shown(who: str, message: dict) -> None:
        lines = [ln for ln in message.get("text", "").strip().splitlines() if ln.strip()]
        if len(lines) > 1 and lines[0].startswith("🚨") and len(lines[0]) < 20:
            lines = [f"🚨 {lines[1]}"]  # the urgent banner and the heading on one line
        say(f"    [dim]{escape(who)}[/dim] {escape(lines[0] if lines else '')}")

    to_client = "Bot → klien:" if lang == "id" else "Bot → client:"
    to_group = "Bot → grup admin:" if lang == "id" else "Bot → admin group:"
    line("demo.tg.title")
    line("demo.tg.server", url=stage.api.base_url.removesuffix("/bot"))
    state.user_writes(CLIENT, text="/start")
    greeting = stage.post(CLIENT, "")
    line("demo.tg.start")
    shown("Bot →", greeting)
    about_data = text("privacy.notice", lang).split(":")[0]  # what the client consents to
    notice = [ln for ln in greeting.get("text", "").splitlines() if ln.startswith(about_data)]
    shown("Bot →", {"text": notice[0] if notice else ""})
    state.user_presses(CLIENT, greeting, "consent:yes")
    shown("Bot →", stage.post(CLIENT, text("form.intro", lang)[:30]))
    shown("Bot →", stage.post(CLIENT, DEFAULT_FORM.field("nama").prompt[lang]))  # type: ignore[union-attr]
    state.user_writes(CLIENT, text="Rina")
    line("demo.tg.form")
    shown("Bot →", stage.post(CLIENT, DEFAULT_FORM.field("usia").prompt[lang]))  # type: ignore[union-attr]

    story = "Selamat siang. Saya bingung, anak saya 9 tahun sering dipukul ayahnya."
    state.user_writes(CLIENT, text=story)
    say(f"    [dim]{escape('Rina →')}[/dim] {escape(story)}")  # the message the reply answers
    stage.wait(lambda: stage.app.telegram.maps.topic(1), "a topic for conversation #1")
    topic = stage.app.telegram.maps.topic(1)
    thread = topic.thread_id
    shown(to_client, stage.post(CLIENT, crisis_words(lang)))
    line("demo.tg.crisis")
    shown("Bot → Made:", stage.post(MADE, "🚨"))
    line("demo.tg.topic", name=state.topics[(GROUP, thread)]["name"])
    card = stage.post(GROUP, "🆕", thread)  # the card opens the topic
    shown(to_group, card)

    state.user_writes(
        ADMIN,
        GROUP,
        "Selamat siang Ibu Rina, terima kasih sudah bercerita. Kami akan menghubungkan Ibu "
        "dengan psikolog kami.\n// kemungkinan KDRT, prioritaskan",
        thread_id=thread,
    )
    line("demo.tg.admin_reply")
    shown(to_client, stage.post(CLIENT, "Selamat siang Ibu Rina"))

    state.user_presses(ADMIN, card, "handoff:1:1")
    line("demo.tg.handoff")
    offer_made = stage.button(MADE, "claim:1:1")
    offer_nyoman = stage.button(NYOMAN, "claim:1:1")
    shown("Bot → Made:", offer_made)

    state.user_writes(CLIENT, text="Suami saya juga sering marah kepada saya.")
    line("demo.tg.held")

    state.user_presses(MADE, offer_made, "claim:1:1")
    case = stage.known(stage.post(MADE, "Suami saya"))
    line("demo.tg.claim")
    shown("Bot → Made:", case)
    state.user_presses(NYOMAN, offer_nyoman, "claim:1:1")
    stage.wait(
        lambda: any(
            "Made" in str(c.params.get("text", ""))
            for c in list(state.calls)
            if c.method == "answerCallbackQuery"
        ),
        "the second tap refused",
    )
    line("demo.tg.claim_lost")

    state.user_writes(
        MADE,
        text="Ibu Rina, saya Made, psikolog PUSPAGA. Apakah Ibu dan anak sekarang aman?",
        reply_to=case["message_id"],
    )
    shown(to_client, stage.post(CLIENT, "saya Made"))
    state.user_writes(CLIENT, text="Iya, kami di rumah ibu saya sekarang.")
    shown("Bot → Made:", stage.post(MADE, "rumah ibu saya"))
    line("demo.tg.counseling")
    state.user_writes(
        MADE,
        text="/rekam\nKeluhan: anak dipukul ayah, ibu takut\nAsesmen: risiko KDRT, anak cemas\n"
        "Intervensi: rencana keselamatan\nRencana: rujuk ke UPTD PPA",
    )
    line("demo.tg.record")
    shown("Bot → Made:", stage.post(MADE, "🔒"))
    state.user_writes(MADE, text="/rujuk uptd Risiko KDRT: ibu dan anak perlu perlindungan")
    stage.post(GROUP, text("outcome.rujukan", lang), thread)
    stage.wait(lambda: state.topics[(GROUP, thread)]["closed"], "the topic closed")
    letters = lambda: [m for m in state.sent(MADE) if "document" in m]  # noqa: E731
    stage.wait(letters, "the referral letter in Made's chat")
    line("demo.tg.closed", file=letters()[0]["document"]["file_name"])
    state.user_writes(MADE, text="/rujukan_diterima 1 diterima Bu Wayan, reg. 45/XII")
    shown("Bot → Made:", stage.post(MADE, text("staff.received", lang, conv=1, place="")[:10]))
    line("demo.tg.survey")

    group_text = " ".join(m.get("text", "") for m in state.sent(GROUP))
    private = ("Suami saya", "rumah ibu saya", "Apakah Ibu dan anak sekarang aman")
    if any(p in group_text for p in private):
        raise DemoFailed("counseling content reached the admin group")
    line("demo.tg.confidential", posts=len(state.sent(GROUP)))


def _roster_and_timers(
    stage: Stage, settings: Settings, lang: Lang, say: Callable[..., None]
) -> None:
    """/jadwal, then a client left waiting: the reminder in the topic at the target and the
    escalation to the head after it, fired by the same sweep the scheduler runs."""
    state, app = stage.state, stage.app

    def line(key: str, **values: object) -> None:
        say(escape(text(key, lang, **values)))

    def shown(who: str, message: dict, lines: int = 1) -> None:
        for row in [r for r in message.get("text", "").splitlines() if r.strip()][:lines]:
            say(f"    [dim]{escape(who)}[/dim] {escape(row)}")

    line("demo.tg.help")
    state.user_writes(ADMIN, GROUP, "/bantuan")
    help_post = stage.post(GROUP, "/serahkan")
    commands = [r for r in help_post.get("text", "").splitlines() if r.startswith("• /")]
    shown("Bot → grup admin:" if lang == "id" else "Bot → admin group:", help_post)
    line("demo.tg.help_count", count=len(commands))
    # the next working day Monday to Thursday (Made and Nyoman's days) within the week /jadwal
    # shows, whatever day the demo runs: the same story on a weekend or before a holiday
    assert app.timers is not None
    today = app.clock().astimezone(ZoneInfo(settings.office.timezone)).date()
    week = [today + timedelta(days=n) for n in range(1, 7)]
    open_days = [d for d in week if d.weekday() < 4 and app.timers.calendar.is_working_day(d)]
    day = (open_days or week)[0]  # a week of holidays (Lebaran): its first day
    command = f"/jadwal {day.isoformat()} -Nyoman"
    line("demo.tg.roster", command=command)
    state.user_writes(ADMIN, GROUP, command)
    roster = stage.post(GROUP, "−Nyoman")
    rows = [r for r in roster.get("text", "").splitlines() if r.strip()]
    that_day = [r for r in rows if r.startswith("•") and f" {day.day} " in r][:1]
    group = "Bot → grup admin:" if lang == "id" else "Bot → admin group:"
    for row in [rows[0], *[r for r in rows if "📅" in r][:1], *that_day]:
        say(f"    [dim]{escape(group)}[/dim] {escape(row)}")

    state.user_writes(CLIENT_2, text="Selamat pagi, saya mau tanya soal anak remaja saya.")
    stage.wait(lambda: app.telegram.maps.topic(4), "a topic for conversation #4")
    thread = app.telegram.maps.topic(4).thread_id
    with app.uows() as uow:
        received = uow.conversations.get(4).steps.received
    assert app.timers is not None and received is not None
    calendar, targets = app.timers.calendar, app.timers.targets
    remind = calendar.add_minutes(received, targets.admin_response)
    line("demo.tg.waiting", minutes=targets.admin_response)
    move_clock(app, remind)
    service.sweep_timers(app)
    shown(
        "Bot → grup admin:" if lang == "id" else "Bot → admin group:",
        stage.post(GROUP, "⏰", thread),
    )
    move_clock(app, calendar.add_minutes(remind, targets.escalate_after))
    service.sweep_timers(app)
    line("demo.tg.escalation", minutes=targets.escalate_after)
    shown("Bot → Ketut:", stage.post(HEAD, "#4 · "))
    state.user_writes(HEAD, text="/tugaskan Nyoman 4")
    line("demo.tg.assigned")
    shown("Bot → Nyoman:", stage.post(NYOMAN, "#4 · "), 2)

    month = app.clock().strftime("%Y-%m")
    files = lambda: [m for m in state.sent(HEAD) if "document" in m]  # noqa: E731
    before = len(files())  # the complaint's papers came earlier
    state.user_writes(HEAD, text=f"/laporan {month}")
    line("demo.tg.report")
    stage.wait(lambda: len(files()) >= before + 7, "the report's files and the official forms")
    for message in files()[before:]:
        say(f"    [dim]Bot → Ketut:[/dim] 📎 {escape(message['document']['file_name'])}")


def _undelivered(stage: Stage, lang: Lang, say: Callable[..., None]) -> None:
    """The client of #5 blocks the bot: the admin's reply fails for good, the topic is told why
    with a button; the client unblocks, the admin taps it, and the reply arrives."""
    state, reply = stage.state, "Mbak, kami di sini. Boleh kami telepon?"
    thread = stage.app.telegram.maps.topic(5).thread_id
    state.blocked.add(WORRIED)
    state.user_writes(ADMIN, GROUP, reply, thread_id=thread)
    marker = "Tidak terkirim" if lang == "id" else "Not delivered"
    notice = stage.post(GROUP, marker, thread)
    say(escape(text("demo.tg.undelivered", lang)))
    lines = notice.get("text", "").splitlines()
    at = next(n for n, ln in enumerate(lines) if marker in ln)
    say(f"    [dim]{escape(' '.join(lines[at : at + 2]))}[/dim]")  # what failed, and why
    state.blocked.discard(WORRIED)
    [[button]] = notice["reply_markup"]["inline_keyboard"]
    state.user_presses(ADMIN, notice, button["callback_data"])
    stage.post(WORRIED, reply)
    say(escape(text("demo.tg.resent", lang)))


def _complaint_and_psychoeducation(stage: Stage, lang: Lang, say: Callable[..., None]) -> None:
    """The complaint standard from the complaint to its closing report, and the Kaltim standard's
    request answered."""
    state, app = stage.state, stage.app
    to_group = "Bot → grup admin:" if lang == "id" else "Bot → admin group:"

    def line(key: str, **values: object) -> None:
        say(escape(text(key, lang, **values)))

    def shown(who: str, message: dict) -> None:
        first = next((r for r in message.get("text", "").splitlines() if r.strip()), "")
        say(f"    [dim]{escape(who)}[/dim] {escape(first)}")

    line("demo.wf.complaint")
    state.user_writes(COMPLAINANT, text="Saya mau mengadukan petugas loket yang membentak saya.")
    shown("Bot → Ani:", stage.post(COMPLAINANT, text("complaint.received", lang)[:20]))
    stage.wait(lambda: app.telegram.maps.topic(2), "a topic for conversation #2")
    thread = app.telegram.maps.topic(2).thread_id
    state.user_writes(
        ADMIN,
        GROUP,
        "/pengaduan\nNama: Ani Lestari\nAlamat: Jl. Contoh 1\nTerlapor: petugas loket\n"
        "Objek: layanan loket\nWaktu: Senin pagi\nTempat: kantor\nKronologi: saya bertanya "
        "jadwal, petugas membentak.",
        thread_id=thread,
    )
    line("demo.wf.facts")
    for_head = stage.known(stage.post(HEAD, "📣"))
    shown("Bot → Ketut:", for_head)
    state.user_writes(ADMIN, GROUP, "/lembar_disposisi", thread_id=thread)
    say(f"    [dim]Bot → Ketut:[/dim] 📄 {escape(papers(stage, 'lembar-disposisi-2.docx'))}")
    state.user_writes(
        HEAD, text="/disposisi Bidang PPA mohon klarifikasi", reply_to=for_head["message_id"]
    )
    shown(to_group, stage.post(GROUP, "📌", thread))
    state.user_writes(
        ADMIN, GROUP, "/tanggapan Petugas sudah ditegur dan meminta maaf.", thread_id=thread
    )
    shown("Bot → Ani:", stage.post(COMPLAINANT, "Petugas sudah ditegur"))
    state.user_writes(COMPLAINANT, text="Terima kasih, sudah cukup.")
    shown(to_group, stage.post(GROUP, "💬", thread))
    state.user_writes(ADMIN, GROUP, "/selesai Petugas ditegur dan meminta maaf.", thread_id=thread)
    shown(to_group, stage.post(GROUP, text("tg.status.complaint_closed", lang)[:20], thread))
    shown("Bot → Ani:", stage.post(COMPLAINANT, "Petugas ditegur dan meminta maaf."))
    say(f"    [dim]Bot → Ketut:[/dim] 📄 {escape(papers(stage, 'laporan-pengaduan-2.docx'))}")

    line("demo.wf.psychoed")
    state.user_writes(
        SCHOOL, text="Kami dari SMP 3 ingin mengundang narasumber penyuluhan parenting."
    )
    shown("Bot → SMP 3:", stage.post(SCHOOL, text("psychoed.received", lang)[:20]))
    state.user_writes(
        SCHOOL,
        text="Institusi: SMP 3 Contoh\nNarahubung: Bu Rina\nTopik: parenting remaja\n"
        "Peserta: 40 orang tua\nTanggal: besok",
    )
    stage.wait(lambda: app.telegram.maps.topic(3), "a topic for conversation #3")
    school_thread = app.telegram.maps.topic(3).thread_id
    shown(to_group, stage.post(GROUP, "🎓", school_thread))
    stage.post(GROUP, text("tg.status.psychoed_complete", lang)[:12], school_thread)
    state.user_writes(ADMIN, GROUP, "/terima", thread_id=school_thread)
    shown("Bot → SMP 3:", stage.post(SCHOOL, text("psychoed.accepted", lang)[:20]))


class OffsetClock:
    """Real time, moved by an offset: the service's clock jumps and runs on from there (the
    outbox and the Telegram budget measure their waits as time passes)."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def move_to(self, at: datetime) -> None:
        self.offset = at - datetime.now(UTC)


def move_clock(app: App, at: datetime) -> None:
    assert isinstance(app.clock, OffsetClock), "build the app with clock=OffsetClock()"
    app.clock.move_to(at)


def _timeline(app: App, settings: Settings, lang: Lang, console: Console) -> None:
    zone = ZoneInfo(settings.office.timezone)
    with app.uows() as uow:
        conv = uow.conversations.get(1)
    assert conv is not None
    sla = settings.sla
    targets = {
        "first_admin_response": ("received", sla.admin_response_minutes),
        "handed_off": ("first_admin_response", sla.hand_off_minutes),
        "first_counselor_response": ("claimed", sla.counselor_response_minutes),
    }
    table = Table(title=text("demo.tg.timeline", lang))
    table.add_column(text("demo.tg.col.step", lang))
    table.add_column(text("demo.tg.col.time", lang))
    table.add_column(text("demo.tg.col.took", lang))
    table.add_column(text("demo.tg.col.target", lang))
    stamps: dict[str, datetime | None] = conv.steps.as_dict()
    for name in STEP_NAMES:
        at = stamps.get(name)
        if at is None:
            continue
        took, target = "", ""
        if name in targets:
            since, minutes = targets[name]
            start = stamps.get(since)
            if start is not None:
                took = f"{(at - start).total_seconds():.1f} s"
            if minutes is not None:
                target = text("demo.tg.minutes", lang, n=minutes)
        table.add_row(
            text(f"step.{name}", lang),
            at.astimezone(zone).strftime("%H.%M.%S"),
            took,
            target,
        )
    received, answered = stamps.get("received"), stamps.get("first_counselor_response")
    if received is not None and answered is not None:
        table.add_row(
            text("demo.tg.end_to_end", lang),
            "",
            f"{(answered - received).total_seconds():.1f} s",
            text("demo.tg.minutes", lang, n=sla.end_to_end_minutes),
        )
    console.print(table)
