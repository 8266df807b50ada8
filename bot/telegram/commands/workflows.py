"""Complaints and psychoeducation requests: their files' commands.

In a conversation's topic (or replying to the bot's post about it):
  /pengaduan [lines]         the complaint's card; with "Label: value" lines, its facts
  /disposisi BIDANG catatan  the head sends it to a division
  /luar_wewenang alasan      the head: not the office's to handle; the complainant told why
  /klarifikasi teks          what clarification, investigation or mediation found
  /tanggapan teks            the response to the complainant (feedback is asked with it)
  /selesai laporan           the handling report: sent to the complainant, as .docx to the
                             heads; the complaint and the conversation close
  /lembar_disposisi          the disposition sheet (.docx) to the heads and the one who asks
  /laporan_pengaduan [NAMA]  the handling report (.docx) as it stands, to the one who asks
                             (and to the staff member named: the reported party, the division)
  /psikoedukasi [lines]      the request's card, or its facts; without a case: the sessions
  /terima [tanggal]          accept (the date given, else the one asked or proposed)
  /tolak [alasan]            decline
  /terlaksana JUMLAH [cat.]  the accepted session took place, with how many came; its
                             activity report (.docx) to the one who asks and the heads
Each answers "" when the admin topic hears the step as a status anyway (the group's budget is
20 posts a minute); the papers' commands and /terlaksana say where their document went.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from bot.files import complaint_papers, programme_papers, sealed
from bot.telegram.commands.registry import ADMINS, EVERYONE, HEADS, Command, Request, off_loop
from bot.telegram.duty import day_label, parse_day, staff_named
from bot.telegram.parsing import unread
from bot.telegram.render import esc
from triage.domain import complaint, psychoeducation
from triage.domain.errors import TransitionNotAllowed
from triage.domain.forms.by_mail import label
from triage.domain.workflow import COMPLAINT, PSYCHOEDUCATION, CaseFile, WorkflowSetup, facts_text
from triage.texts.catalog import text
from triage.usecases import complaint as complaint_cases
from triage.usecases import psychoeducation as psychoeducation_cases
from triage.usecases import workflow as workflow_cases

PAPERS = ADMINS | HEADS  # the admin sends the head the sheet; the head asks for the report
FORMS = {COMPLAINT: complaint.COMPLAINT_FORM, PSYCHOEDUCATION: psychoeducation.REQUEST_FORM}
Step = Callable[[Request, int, WorkflowSetup, dict[str, Any]], str]


def on_file(step: Step, *, needs_text: bool = False) -> Callable[[Request], str]:
    """The step on the request's case, with the office's workflow setup and the core's common
    arguments; what is missing is said instead."""

    def run(request: Request) -> str:
        app, lang = request.desk.app, request.lang
        setup = app.workflows
        if setup is None:
            return text("staff.casefile_none", lang)
        if request.conv is None:
            return text("staff.no_case", lang)
        if needs_text and not request.arg:
            return text("staff.text_usage", lang, command=request.name)
        common = {"actor": request.actor, "uow_factory": app.uows, "now": app.clock()}
        return step(request, request.conv, setup, common)

    return run


def _file_card(request: Request, conv: int, setup: WorkflowSetup, common: dict, kind: str) -> str:
    lang = request.lang
    flow = complaint_cases if kind == COMPLAINT else psychoeducation_cases
    current = _file(request, conv)
    if current is not None and current.kind != kind:
        title = text(f"casefile.title.{current.kind}", lang)
        return text("staff.casefile_other", lang, conv=conv, title=title)
    if current is not None and not request.arg:
        return card(request, conv, current)  # read once: one audit row for one look
    if current is None:
        flow.start(conv, setup=setup, **common)
    said = []
    if request.arg:
        _, names = flow.record(conv, request.arg, setup=setup, **common)
        fields = ", ".join(esc(label(n)) for n in names) or "—"
        said.append(text("staff.casefile_saved", lang, fields=fields))
        said += unread(request.arg, FORMS[kind], lang, common["now"].date())
    said.append(card(request, conv))
    return "\n\n".join(said)


def pengaduan(request: Request, conv: int, setup: WorkflowSetup, common: dict) -> str:
    return _file_card(request, conv, setup, common, COMPLAINT)


def psikoedukasi(request: Request) -> str:
    """In a case: the request's card or its facts; without one, the accepted sessions."""
    if request.conv is None and request.desk.app.workflows is not None:
        return sessions(request)
    request_card = on_file(lambda r, c, s, k: _file_card(r, c, s, k, PSYCHOEDUCATION))
    return request_card(request)


def disposisi(request: Request, conv: int, setup: WorkflowSetup, common: dict) -> str:
    division, _, note = request.arg.partition(" ")
    if not division:
        return text("staff.dispose_usage", request.lang)
    words = request.arg.split()
    # "Bidang PPA mohon …": a division named in two words keeps both
    if len(words) > 1 and words[0].casefold() in ("bidang", "seksi", "uptd", "unit"):
        division, note = " ".join(words[:2]), " ".join(words[2:])
    complaint_cases.dispose(conv, division, note.strip(), **common)
    return ""


def luar_wewenang(request: Request, conv: int, setup: WorkflowSetup, common: dict) -> str:
    heads, key = tuple(request.desk.staff.heads), f"{request.key}:remit"
    complaint_cases.outside_remit(conv, request.arg, setup=setup, key=key, heads=heads, **common)
    return ""


def klarifikasi(request: Request, conv: int, setup: WorkflowSetup, common: dict) -> str:
    complaint_cases.clarify(conv, request.arg, **common)
    return text("staff.clarified", request.lang)


def tanggapan(request: Request, conv: int, setup: WorkflowSetup, common: dict) -> str:
    key = f"{request.key}:response"
    complaint_cases.respond(conv, request.arg, setup=setup, key=key, **common)
    return ""


def selesai(request: Request, conv: int, setup: WorkflowSetup, common: dict) -> str:
    heads = tuple(request.desk.staff.heads)
    complaint_cases.finish(conv, request.arg, setup=setup, heads=heads,
                           key=f"{request.key}:close", **common)  # fmt: skip
    complaint_papers.send(request.desk.app, request.actor, conv, sheet=False, heads=heads,
                          key=f"{request.key}:paper")  # fmt: skip
    return ""


def lembar_disposisi(request: Request, conv: int, setup: WorkflowSetup, common: dict) -> str:
    heads = tuple(request.desk.staff.heads)
    complaint_papers.send(request.desk.app, request.actor, conv, sheet=True, heads=heads,
                          key=f"{request.key}:sheet")  # fmt: skip
    return text("staff.paper_sent", request.lang, conv=conv,
                file=complaint_papers.filename(conv, True))  # fmt: skip


def laporan_pengaduan(request: Request, conv: int, setup: WorkflowSetup, common: dict) -> str:
    """The handling report to the asker; with a staff member's name, to them too (the reported
    party or the division's officer among the staff: the standard's step 16), logged."""
    staff = {s.telegram_id: s.name for s in request.desk.app.settings.staff}
    to = staff_named(request.arg.strip(), staff) if request.arg.strip() else None
    if request.arg.strip() and to is None:
        return text("staff.paper_who", request.lang, name=esc(request.arg.strip()))
    complaint_papers.send(request.desk.app, request.actor, conv, sheet=False,
                          key=f"{request.key}:paper", heads=[to] if to else [],
                          delivered_to=to)  # fmt: skip
    if to is not None:
        return text("staff.paper_delivered", request.lang, conv=conv, name=esc(staff[to]))
    return text("staff.paper_sent", request.lang, conv=conv,
                file=complaint_papers.filename(conv, False))  # fmt: skip


def terima(request: Request, conv: int, setup: WorkflowSetup, common: dict) -> str:
    app, arg = request.desk.app, request.arg
    today = app.clock().astimezone(setup.calendar.zone).date()
    chosen = parse_day(arg, today) if arg else None
    if arg and chosen is None:
        chosen = psychoeducation.parse_date(arg, today)
    try:
        key = f"{request.key}:accept"
        psychoeducation_cases.accept(conv, chosen, setup=setup, key=key, **common)
    except ValueError:
        found = _file(request, conv)
        opened = found.opened_at if found else app.clock()
        earliest = setup.when_day(psychoeducation.first_allowed(setup, opened))
        return text("staff.accept_usage", request.lang, earliest=esc(earliest))
    return ""


def tolak(request: Request, conv: int, setup: WorkflowSetup, common: dict) -> str:
    key = f"{request.key}:decline"
    psychoeducation_cases.decline(conv, request.arg, setup=setup, key=key, **common)
    return ""


def terlaksana(request: Request, conv: int, setup: WorkflowSetup, common: dict) -> str:
    count, _, note = request.arg.partition(" ")
    if not (count.isascii() and count.isdigit()) or len(count) > 5:
        return text("staff.held_usage", request.lang)
    today = common["now"].astimezone(setup.calendar.zone).date()
    try:
        cf = psychoeducation_cases.held(conv, int(count), note.strip(), today=today,
                                        key=f"{request.key}:held", **common)  # fmt: skip
    except TransitionNotAllowed:
        return text("staff.held_not_yet", request.lang)
    app = request.desk.app  # the activity's report (the Tangerang standard's step 6)
    names = {s.telegram_id: s.name for s in app.settings.staff}
    name = f"laporan-kegiatan-{conv}.docx"
    sealed.send(app, programme_papers.activity_report(cf, app.settings, names),
                folder=f"psikoedukasi-{conv}", name=name,
                caption=text("prog.activity_caption", request.lang, conv=conv),
                to=[request.actor.staff_id, *request.desk.staff.heads],
                key=f"{request.key}:activity", now=common["now"])  # fmt: skip
    return text("prog.activity_sent", request.lang, conv=conv, file=name)


def _file(request: Request, conv: int) -> CaseFile | None:
    """The case file, if the one asking may read it (refused otherwise; audited)."""
    app = request.desk.app
    return workflow_cases.view(conv, actor=request.actor, uow_factory=app.uows, now=app.clock())


def card(request: Request, conv: int, cf: CaseFile | None = None) -> str:
    """The file's card; `cf` when the caller has just read it."""
    lang, setup = request.lang, request.desk.app.workflows
    cf = cf or _file(request, conv)
    if cf is None or setup is None:
        return text("staff.casefile_none", lang)
    facts = esc(facts_text(FORMS[cf.kind], cf.facts))
    extra = []
    for key in ("division", "date", "proposed", "session"):
        if cf.data.get(key):
            extra.append(f"{label(key)}: {esc(cf.data[key])}")
    if cf.kind == COMPLAINT:
        extra.append(_steps(request, conv))
    body = "\n".join([facts, *extra])
    return text(
        "staff.casefile",
        lang,
        title=text(f"casefile.title.{cf.kind}", lang),
        conv=conv,
        status=esc(text(f"casefile.status.{cf.status}", lang)),
        due=esc(setup.when(cf.due_at)),
        facts=body,
    )


def _steps(request: Request, conv: int) -> str:
    """The complaint standard's 16 steps: done (when, by whom), not applicable, or not yet."""
    app, lang = request.desk.app, request.lang
    names = {s.telegram_id: s.name for s in app.settings.staff}
    zone = app.workflows.calendar.zone  # type: ignore[union-attr]
    lines = [text("staff.complaint_steps", lang)]
    for step in complaint_cases.steps_of(conv, app.uows):
        what = esc(text(f"complaint.step.{step.number}", lang))
        if step.skipped:
            lines.append(f"▫️ {step.number}. {what} — {text('staff.step_skipped', lang)}")
        elif step.at is None:
            lines.append(f"⬜ {step.number}. {what}")
        else:
            who = names.get(step.staff_id or 0) or text("staff.step_automatic", lang)
            at = step.at.astimezone(zone).strftime("%d-%m %H.%M")
            lines.append(f"✅ {step.number}. {what} — {esc(who)}, {at}")
    return "\n".join(lines)


def sessions(request: Request) -> str:
    app, lang = request.desk.app, request.lang
    today: date = app.clock().astimezone(app.workflows.calendar.zone).date()  # type: ignore[union-attr]
    found = psychoeducation_cases.sessions(app.uows, today)
    if not found:
        return text("staff.sessions_none", lang)
    lines = "\n".join(
        f"• <b>{esc(day_label(day, lang))}</b> · #{cf.conversation_id} · "
        f"{esc(cf.facts.get('institusi', '?'))} · {esc(cf.facts.get('topik', ''))}"
        for day, cf in found
    )
    return text("staff.sessions", lang, lines=lines)


COMMANDS = [
    Command("pengaduan", off_loop(on_file(pengaduan)), ADMINS),
    Command("disposisi", off_loop(on_file(disposisi)), HEADS),
    Command(
        "luar_wewenang",
        off_loop(on_file(luar_wewenang, needs_text=True)),
        HEADS,
        refused_to_clients=True,
    ),  # fmt: skip
    Command("klarifikasi", off_loop(on_file(klarifikasi, needs_text=True)), ADMINS),
    Command("tanggapan", off_loop(on_file(tanggapan, needs_text=True)), ADMINS),
    Command("selesai", off_loop(on_file(selesai, needs_text=True)), ADMINS),
    Command(
        "lembar_disposisi", off_loop(on_file(lembar_disposisi)), PAPERS, refused_to_clients=True
    ),
    Command(
        "laporan_pengaduan", off_loop(on_file(laporan_pengaduan)), PAPERS, refused_to_clients=True
    ),
    Command("psikoedukasi", off_loop(psikoedukasi), EVERYONE),
    Command("terima", off_loop(on_file(terima)), ADMINS),
    Command("tolak", off_loop(on_file(tolak)), ADMINS),
    Command("terlaksana", off_loop(on_file(terlaksana, needs_text=True)), ADMINS),
]
