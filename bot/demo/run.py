"""`puspaga demo`: the whole pipeline end to end on this machine, no accounts, no network.

Made-up clients write on email, Instagram and the hotline (scripted at the channel-adapter
boundary), the messages go through the real ingest into a real SQLite file, staff act through
the real use cases, the outbox is drained, and the unified inbox is printed.
"""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.markup import escape

from bot.app import App
from bot.bootstrap import build
from bot.cli.inbox import inbox_table
from bot.config.erasure import erased_ledger, forget
from bot.config.settings import Settings, from_mapping
from bot.config.workflows import survey_question
from bot.demo.email_act import run_email_act
from bot.demo.instagram_act import run_instagram_act
from bot.demo.local_api.scripted import DemoFailed
from bot.demo.meta_act import run_meta_act
from bot.demo.province_act import run_province_act
from bot.demo.script import script
from bot.demo.setup_act import run_setup_act
from bot.demo.summary_act import run_summary_act
from bot.demo.telegram_act import run_telegram_act
from bot.files import letter as referral_letter
from bot.service import backup
from bot.service import loops as service
from channels.simulated import RecordingSender, ScriptedSource
from triage.domain.errors import AccessDenied, TransitionNotAllowed
from triage.domain.model import Actor, Channel, InboundMessage, Outcome, Role
from triage.domain.outbox import Target
from triage.texts.catalog import Lang, text
from triage.usecases import casework, inbox, records, referral
from triage.usecases.identity import link_contacts
from triage.usecases.ingest import ingest
from triage.usecases.replies import reply_to_client

# Tuesday 24 November 2026, 09.00 WITA: inside the default service hours.
DEMO_START = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)
ADMIN = Actor(1001, Role.ADMIN, "Wayan (admin)")
COUNSELOR = Actor(2001, Role.COUNSELOR, "Made (psikolog)")
COUNSELOR_2 = Actor(2002, Role.COUNSELOR, "Nyoman (konselor)")
HEAD = Actor(3001, Role.HEAD, "Ketut (ketua)")


@dataclass
class SteppingClock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def advance(self, minutes: float) -> datetime:
        self.now += timedelta(minutes=minutes)
        return self.now


def demo_settings(data_dir: Path, lang: Lang) -> Settings:
    return from_mapping(
        {
            "language": lang,
            "data_dir": str(data_dir),
            "office": {
                "name": "PUSPAGA Kabupaten Contoh",
                "timezone": "Asia/Makassar",
                "phone": "+62 361 000000",
            },
            "staff": [
                {"telegram_id": a.staff_id, "name": a.name, "role": a.role.value}
                for a in (ADMIN, COUNSELOR, COUNSELOR_2, HEAD)
            ],
        }
    )


def run_demo(
    data_dir: Path,
    *,
    lang: Lang = "id",
    console: Console | None = None,
    telegram: bool = True,
    email: bool = True,
) -> App:
    console = console or Console(width=None if sys.stdout.isatty() else 160)
    if data_dir.exists():
        shutil.rmtree(data_dir)
    settings = demo_settings(data_dir, lang)
    clock = SteppingClock(DEMO_START)
    scripted = script(DEMO_START)
    senders = {t: RecordingSender(t) for t in (Target.EMAIL, Target.INSTAGRAM, Target.HOTLINE)}
    app = build(
        settings,
        clock=clock,
        sources=[ScriptedSource(f"sim:{ch.value}", msgs) for ch, msgs in scripted.items()],
        senders=senders,
    )
    zone = ZoneInfo(settings.office.timezone)
    say = console.print

    say(f"[bold]{escape(text('demo.title', lang))}[/bold]")
    say(escape(text("demo.data", lang, path=data_dir / "puspaga.sqlite3")))

    clock.advance(8.5)
    counts = service.poll_all(app)
    say(escape(text("demo.polled", lang, count=sum(counts.values()))))
    again = service.poll_all(app)
    say(escape(text("demo.repolled", lang, count=sum(again.values()))))
    replayed = [
        ingest(m, uow_factory=app.uows, now=clock()) for msgs in scripted.values() for m in msgs
    ]
    stored = sum(r.stored for r in replayed)
    say(escape(text("demo.replayed", lang, stored=stored, dupes=len(replayed) - stored)))

    early = _play_staff(app, clock, zone, lang, say)

    report = service.dispatch(app)
    sent, failed = report.sent + early.sent, report.failed + early.failed
    say(escape(text("demo.dispatched", lang, sent=sent, failed=failed)))
    for sender in senders.values():
        for item in sender.delivered:
            say(
                escape(
                    text(
                        "demo.delivered",
                        lang,
                        channel=text(f"channel.{item.target.value}", lang),
                        recipient=item.recipient,
                        text=item.text.splitlines()[0],
                    )
                )
            )

    console.print(inbox_table(inbox.snapshot(app.uows), zone=zone, lang=lang))
    _backup_and_restore(app, data_dir, lang, say)
    run_province_act(data_dir / "provinsi", lang, say, clock())
    if email:
        run_email_act(data_dir / "email", lang, console, clock())
        run_instagram_act(data_dir / "instagram", lang, console, clock())
    run_meta_act(data_dir / "meta", lang, console, clock())
    if telegram:
        run_setup_act(data_dir / "setup", lang, console)
        run_telegram_act(data_dir / "telegram", lang, console)
        run_summary_act(data_dir / "ringkas", lang, console)
    return app


def _backup_and_restore(app: App, data_dir: Path, lang: Lang, say) -> None:  # noqa: ANN001
    """The night's backup, then restored onto an empty server with the key kept apart: the
    same rows come back, and the client erased during the day stays erased."""
    made, counts = backup.make(app)
    say(escape(text("demo.backup", lang, path=made, messages=counts["message"])))
    elsewhere = data_dir / "server-baru"
    shutil.rmtree(elsewhere, ignore_errors=True)
    elsewhere.mkdir(mode=0o700)
    for kept_apart in (app.settings.key_path, erased_ledger(app.settings)):
        shutil.copy2(kept_apart, elsewhere / kept_apart.name)
    fresh = build(demo_settings(elsewhere, lang))
    done = backup.restore(fresh, made)
    fresh.engine.dispose()
    if any(done.counts[t] != counts[t] for t in ("message", "psych_record", "client")):
        raise DemoFailed("the restored backup does not hold what was backed up")
    say(escape(text("demo.restored", lang, messages=done.counts["message"],
                    records=done.counts["psych_record"], audit=done.counts["audit_log"],
                    again=len(done.erased_again))))  # fmt: skip


def _play_staff(app: App, clock: SteppingClock, zone: ZoneInfo, lang: Lang, say):  # noqa: ANN201
    """Staff at work; returns what the outbox sent before a client's data was erased."""
    views = {v.client_name: v.conversation.id for v in inbox.snapshot(app.uows)}
    office = app.settings.office.name

    def step(actor: Actor, what: str) -> None:
        when = clock().astimezone(zone).strftime("%H.%M")
        say(escape(text("demo.step", lang, time=when, who=actor.name, what=what)))

    def reply(name: str, body: str, actor: Actor = ADMIN) -> None:
        clock.advance(1)
        signed = f"{body}\n\n{text('reply.signature', lang, office=office)}"
        reply_to_client(
            views[name],
            signed,
            actor=actor,
            idempotency_key=f"demo:{name}:{clock()}",
            uow_factory=app.uows,
            now=clock(),
        )
        step(actor, text("demo.reply", lang, client=name))

    reply(
        "Sari Dewi",
        "Selamat pagi Ibu Sari, terima kasih sudah menghubungi kami. "
        "Kami siap membantu; konseling di PUSPAGA gratis dan rahasia.",
    )
    reply(
        "Budi Santoso",
        "Layanan kami Senin–Kamis 08.00–16.00 dan Jumat 08.00–11.30 WITA, tanpa biaya.",
    )
    reply("putri.ayu_", "Halo Kak, ada. Konseling pranikah gratis, bisa daring atau tatap muka.")
    reply(
        "Rina",
        "Ibu Rina, kami mendengar Ibu. Ibu tidak sendiri; psikolog kami akan segera "
        "menghubungi Ibu di sini.",
    )

    clock.advance(1)
    with app.uows() as uow:
        keep = uow.contacts.find(Channel.EMAIL, "sari.dewi@mail.example").id
        merge = uow.contacts.find(Channel.INSTAGRAM, "ig-user-777").id
    link_contacts(keep, merge, actor=ADMIN, uow_factory=app.uows, now=clock())
    step(ADMIN, text("demo.link", lang, client="Sari Dewi"))

    rina = views["Rina"]
    clock.advance(1)
    casework.hand_off(rina, actor=ADMIN, uow_factory=app.uows, now=clock())
    step(ADMIN, text("demo.handoff", lang, conv=rina))
    clock.advance(2)
    casework.claim(rina, actor=COUNSELOR, uow_factory=app.uows, now=clock())
    step(COUNSELOR, text("demo.claim", lang, conv=rina))
    try:
        casework.claim(rina, actor=COUNSELOR_2, uow_factory=app.uows, now=clock())
    except TransitionNotAllowed:
        step(COUNSELOR_2, text("demo.claim_lost", lang, conv=rina))
    try:
        reply_to_client(
            rina, "…", actor=ADMIN, idempotency_key="demo:denied", uow_factory=app.uows, now=clock()
        )
    except AccessDenied:
        step(ADMIN, text("demo.denied", lang, conv=rina))
    reply(
        "Rina",
        "Ibu Rina, saya Made, psikolog PUSPAGA. Apakah Ibu sekarang di tempat yang aman?",
        actor=COUNSELOR,
    )
    clock.advance(5)
    noted = "Keluhan: kekerasan oleh suami, takut pulang\nAsesmen: cemas berat"
    records.write(rina, noted, actor=COUNSELOR, sealer=app.sealer, uow_factory=app.uows,
                  now=clock())  # fmt: skip
    clock.advance(15)
    question = survey_question(app.settings)
    made = referral.refer(rina, "uptd_ppa", "Korban KDRT: perlu perlindungan dan pendampingan "
                          "hukum", actor=COUNSELOR, uow_factory=app.uows, now=clock(),
                          survey_question=question)  # fmt: skip
    referral_letter.queue_letter(app, COUNSELOR, rina, made.round, "demo")
    step(COUNSELOR, text("demo.referred", lang, conv=rina, file=referral_letter.filename(made)))

    budi = views["Budi Santoso"]
    clock.advance(2)
    casework.close(budi, Outcome.TUNTAS, actor=ADMIN, uow_factory=app.uows, now=clock(),
                   survey_question=question)  # fmt: skip
    step(ADMIN, text("demo.close", lang, conv=budi, outcome=text("outcome.tuntas", lang)))
    early = service.dispatch(app)  # Budi's answers and the survey go out before he replies
    clock.advance(3)
    budi_mail = "budi.santoso@mail.example"
    answer = InboundMessage(Channel.EMAIL, "<b2@mail.example>", budi_mail, "Budi Santoso",
                            "4 4 3 Terima kasih banyak!", clock())  # fmt: skip
    answered = ingest(answer, uow_factory=app.uows, now=clock())
    reopened = text("demo.yes" if answered.reopened else "demo.no", lang)
    step(Actor(0, Role.ADMIN, "Budi Santoso"), text("demo.survey", lang, reopened=reopened))
    clock.advance(1)
    with app.uows() as uow:
        budi_client = uow.conversations.get(budi).client_id
    forget(app, budi_client, HEAD)
    step(HEAD, text("demo.forgotten", lang, client="Budi Santoso", conv=budi))
    return early
