"""The demo's guidance programme (the Tangerang standard's steps 2-9): the school's session (#3)
comes, the admin records it held and its activity report goes to the head; then the semester's
programme from the mapping of needs to the documentation section's receipt. The clock moves to
the session's day, so this act comes after the others that read the time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time

from rich.markup import escape

from bot.demo.local_api.scripted import Stage
from bot.demo.office_act import papers
from triage.domain.programme import semester_of
from triage.texts.catalog import Lang, text

GROUP = -1001234567890
ADMIN, HEAD = 1001, 3001
SCHOOL_CASE = 3


def programme_act(stage: Stage, lang: Lang, say: Callable[..., None]) -> None:
    app, state = stage.app, stage.state
    group = "Bot → grup admin:" if lang == "id" else "Bot → admin group:"

    def shown(who: str, message: dict, lines: int = 1) -> None:
        for said in [ln for ln in message.get("text", "").splitlines() if ln.strip()][:lines]:
            say(f"    [dim]{escape(who)}[/dim] {escape(said)}")

    def admin(command: str) -> None:
        say(f"    [dim]Admin →[/dim] {escape(command.replace(chr(10), ' · '))}")
        state.user_writes(ADMIN, GROUP, command)

    with app.uows() as uow:
        school = uow.casefiles.get(SCHOOL_CASE)
    assert school is not None and app.workflows is not None
    day = date.fromisoformat(school.data["session"])
    session = datetime.combine(day, time(10), app.workflows.calendar.zone)
    app.clock.move_to(session)  # type: ignore[attr-defined]
    say(escape(text("demo.prog.held", lang, day=day.isoformat())))
    thread = app.telegram.maps.topic(SCHOOL_CASE).thread_id  # type: ignore[union-attr]
    state.user_writes(ADMIN, GROUP, "/terlaksana 37 orang tua kelas 7", thread_id=thread)
    shown(group, stage.post(GROUP, f"laporan-kegiatan-{SCHOOL_CASE}.docx", thread))
    say(f"    [dim]Bot → Ketut:[/dim] 📄 {escape(papers(stage, 'laporan-kegiatan-3.docx'))}")

    semester = str(semester_of(day))  # named: the demo runs on any date
    months = ("Maret", "April", "Mei") if day.month <= 6 else ("Oktober", "November", "Des")
    say(escape(text("demo.prog.plan", lang, semester=semester)))
    admin(f"/program pemetaan {semester} dengar pendapat UPTD PPA dan komite sekolah")
    shown(group, stage.post(GROUP, text("prog.done.mapped", lang, semester=semester)[:30]))
    plan = ("Pola asuh positif; orang tua murid SD", "Cegah perundungan; siswa SMP",
            "Literasi digital; orang tua")  # fmt: skip
    admin("\n".join([f"/program ajukan {semester}",
                     *(f"{a}; {m}" for a, m in zip(plan, months, strict=True))]))  # fmt: skip
    shown(group, stage.post(GROUP, text("prog.done.submitted", lang, semester=semester)[:30]))
    to_head = "    [dim]Bot → Ketut:[/dim] 📄 "
    say(to_head + escape(papers(stage, f"program-kerja-{semester}.docx")))
    state.user_writes(HEAD, text="/program setuju Lanjutkan; libatkan UPTD PPA.")
    say("    [dim]Ketut →[/dim] /program setuju Lanjutkan; libatkan UPTD PPA.")
    shown(
        "Bot → Ketut:", stage.post(HEAD, text("prog.done.approved", lang, semester=semester)[:30])
    )
    say(to_head + escape(papers(stage, f"surat-tugas-{semester}.docx")))
    say(escape(text("demo.prog.report", lang)))
    admin(f"/program laporan {semester}")
    stage.post(GROUP, text("prog.done.reported", lang, semester=semester)[:30])
    say(to_head + escape(papers(stage, f"laporan-program-{semester}.docx")))
    admin("/program terima Bu Sari (arsip)")
    received = text("prog.done.received", lang, semester=semester)  # not the card's step 9
    shown(group, stage.post(GROUP, received), 10)
