"""/program: the semester's guidance and information programme (triage.domain.programme), where
the psychoeducation sessions belong. Anywhere (the group or a private chat), by the coordinator
(an admin) and the head:
  /program [SEMESTER]                 where the programme stands: each step, who, when, by when
  /program pemetaan [SEMESTER] [cat.] the mapping of needs is done (step 2): the form with the
                                      figures of the semester before, to the one who asks
  /program ajukan [SEMESTER]          the work programme, one activity per line below the command
                                      ("theme; audience; month"), to the heads (step 3)
  /program catatan TEKS               (head) a comment back to the coordinator (step 4)
  /program setuju [catatan]           (head) approved: the letter of assignment (steps 4-5)
  /program laporan [SEMESTER]         the semester's programme report to the heads (steps 7-8)
  /program terima NAMA                the documentation section received it: the receipt (step 9)
SEMESTER is written 2027-1 (January-June) or 2027-2 (July-December).
"""

from __future__ import annotations

from datetime import date, datetime

from bot.app import App
from bot.files import programme_papers as papers
from bot.files import sealed
from bot.telegram.commands.registry import ADMINS, HEADS, Command, Request, off_loop
from bot.telegram.render import esc
from triage.domain import notices, programme
from triage.domain.errors import AccessDenied, TransitionNotAllowed
from triage.domain.model import Role
from triage.domain.programme import Programme, Semester
from triage.effects import notify
from triage.texts.catalog import text
from triage.usecases import psychoeducation as cases

ACTIONS = {
    "pemetaan": programme.MAPPED,
    "ajukan": programme.SUBMITTED,
    "catatan": programme.FEEDBACK,
    "setuju": programme.APPROVED,
    "laporan": programme.REPORTED,
    "terima": programme.RECEIVED,
}
WRITTEN = (programme.MAPPED, programme.FEEDBACK, programme.APPROVED)  # a note of many lines
# planning in a semester's last two months is for the next one
PLANS_NEXT = frozenset({5, 6, 11, 12})


def program(request: Request) -> str:
    app, lang = request.desk.app, request.lang
    if app.workflows is None:
        return text("staff.casefile_none", lang)
    first, _, rest = request.arg.strip().partition("\n")
    words = first.split()
    action = ACTIONS.get(words[0].casefold()) if words else None
    place = 1 if action else 0  # where a semester may be named
    named = programme.parse_semester(words[place]) if len(words) > place else None
    skip = place + (named is not None)
    note = " ".join(words[skip:])
    if action in WRITTEN and rest.strip():  # the comment goes on below the command
        note = "\n".join(part for part in (note, rest.strip()) if part)
    if words and action is None and named is None:
        return text("cmd.program.help", lang)
    semester = named or _default(request, action)
    try:
        if action is None:
            return card(request, cases.programme_of(semester, actor=request.actor,
                                                    uow_factory=app.uows))  # fmt: skip
        return _take(request, semester, action, note, rest)
    except AccessDenied:
        head_only = action in cases.HEAD_STEPS and request.actor.role is Role.ADMIN
        return text("prog.denied_head" if head_only else "prog.denied", lang)
    except TransitionNotAllowed as exc:
        return text(f"prog.refused.{exc.state}", lang, semester=str(semester))


def _today(app: App) -> date:
    return app.clock().astimezone(app.workflows.calendar.zone).date()  # type: ignore[union-attr]


def _default(request: Request, action: str | None) -> Semester:
    """Planning: the next semester in this one's last two months or once this one's programme
    is approved, else this one; the head's answer: the semester whose submission waits;
    reporting: the semester before if approved and not yet reported, else this one if so, else
    the one before; the receipt: the one handed over and not yet received."""
    app = request.desk.app
    today = _today(app)
    now = programme.semester_of(today)
    if request.actor.role is Role.COUNSELOR:
        return now  # refused with the reason, whatever the semester

    read: dict[Semester, Programme] = {}

    def of(s: Semester) -> Programme:  # each semester read from the database once
        if s not in read:
            read[s] = cases.programme_of(s, actor=request.actor, uow_factory=app.uows)
        return read[s]

    if action == programme.RECEIVED:
        waiting = [s for s in (now, now.previous()) if of(s).last(programme.HANDED)
                   and not of(s).received]  # fmt: skip
        return waiting[0] if waiting else now.previous()
    if action == programme.REPORTED:
        unreported = [s for s in (now.previous(), now) if of(s).approved
                      and of(s).last(programme.REPORTED) is None]  # fmt: skip
        return unreported[0] if unreported else now.previous()
    if action in (programme.FEEDBACK, programme.APPROVED):
        pending = [s for s in (now.next(), now) if of(s).last(programme.SUBMITTED)
                   and not of(s).approved]  # fmt: skip
        return pending[0] if pending else now
    return now.next() if today.month in PLANS_NEXT or of(now).approved else now


def _take(request: Request, semester: Semester, action: str, note: str, rest: str) -> str:
    app, lang = request.desk.app, request.lang
    detail: dict = {"note": note[:2000]} if note else {}
    if action == programme.SUBMITTED:
        activities = programme.read_activities(rest)
        if not activities:
            return text("prog.submit_usage", lang, semester=str(semester))
        detail["activities"] = [[a.theme, a.audience, a.month] for a in activities]
    if action == programme.FEEDBACK and not note:
        return text("prog.comment_usage", lang)
    if action == programme.RECEIVED:
        if not note:
            return text("prog.receipt_usage", lang)
        detail = {"receiver": note[:120]}
    then = {programme.APPROVED: (programme.ASSIGNED,), programme.REPORTED: (programme.HANDED,)}
    key = f"{request.key}:{action}"
    prog = cases.take_step(semester, action, detail, actor=request.actor, uow_factory=app.uows,
                           now=app.clock(), today=_today(app), key=key,
                           then=then.get(action, ()))  # fmt: skip
    return _papers(request, prog, action, key)


def _papers(request: Request, prog: Programme, action: str, key: str) -> str:
    """The step's document to whom it goes; the coordinator told of the head's comment."""
    app, lang, me = request.desk.app, request.lang, request.actor.staff_id
    settings, now, label = app.settings, app.clock(), str(prog.semester)
    names = {s.telegram_id: s.name for s in settings.staff}
    heads = list(request.desk.staff.heads)
    submitted = prog.last(programme.SUBMITTED)
    coordinator = [submitted.staff_id] if submitted else []
    zone = app.workflows.calendar.zone  # type: ignore[union-attr]

    def send(name: str, content: bytes, caption: str, to: list[int]) -> None:
        sealed.send(app, content, folder=f"program-{label}", name=name, caption=caption,
                    to=[me, *to], key=f"{key}:{name}", now=now)  # fmt: skip

    if action in (programme.MAPPED, programme.SUBMITTED, programme.APPROVED):
        needs = cases.needs_of(prog.semester, uow_factory=app.uows, zone=zone)
        form = papers.work_programme(prog, needs, settings, names, now)
        send(f"program-kerja-{label}.docx", form, text("prog.form_caption", lang, semester=label),
             heads if action == programme.SUBMITTED else coordinator)  # fmt: skip
    if action == programme.APPROVED:
        send(f"surat-tugas-{label}.docx", papers.assignment(prog, settings, names),
             text("prog.assignment_caption", lang, semester=label), coordinator)  # fmt: skip
    if action == programme.FEEDBACK:
        comment = esc(prog.comments[-1].detail["note"])
        body = text("prog.comment_told", lang, semester=label, name=esc(names.get(me, "")),
                    note=comment)  # fmt: skip
        with app.uows() as uow:
            for staff_id in coordinator:
                notify.queue(uow, key=f"{key}:told:{staff_id}", recipient=notices.staff(staff_id),
                             kind=notices.Kind.INFO, now=now, text=body)  # fmt: skip
            uow.commit()
        app.wake.set()
    if action == programme.REPORTED:
        done = cases.outcome_of(prog.semester, uow_factory=app.uows)
        report = papers.programme_report(prog, done, settings, names,
                                         app.workflows.calendar, now)  # type: ignore[union-attr]  # fmt: skip
        send(f"laporan-program-{label}.docx", report,
             text("prog.report_caption", lang, semester=label), heads)  # fmt: skip
    if action == programme.RECEIVED:
        send(f"tanda-terima-{label}.docx", papers.receipt(prog, settings, names),
             text("prog.receipt_caption", lang, semester=label), heads)  # fmt: skip
    return text(f"prog.done.{action}", lang, semester=label) + "\n\n" + card(request, prog)


def card(request: Request, prog: Programme) -> str:
    """Each step: done (who, when), waited on (by when) or not yet; the activities planned."""
    app, lang = request.desk.app, request.lang
    names = {s.telegram_id: s.name for s in app.settings.staff}
    calendar = app.workflows.calendar  # type: ignore[union-attr]
    due = {d.step: d.due_at for d in programme.due(prog, calendar)}

    def at(moment: datetime) -> str:
        return moment.astimezone(calendar.zone).strftime("%d-%m-%Y %H.%M")

    lines = [text("prog.card", lang, semester=str(prog.semester),
                  label=esc(papers.semester_label(prog.semester, lang)))]  # fmt: skip
    for step in (programme.MAPPED, programme.SUBMITTED, programme.APPROVED, programme.ASSIGNED,
                 programme.REPORTED, programme.HANDED, programme.RECEIVED):  # fmt: skip
        what = esc(text(f"prog.step.{step}", lang))
        done = prog.last(step)
        if step in (programme.APPROVED, programme.ASSIGNED) and not prog.approved:
            done = None  # submitted again since: the approval and its letter are asked anew
        if step == programme.RECEIVED and not prog.received:
            done = None  # handed over again since
        number = programme.NUMBER[step]
        if done is not None:
            who = esc(names.get(done.staff_id, str(done.staff_id)))
            lines.append(f"✅ {number}. {what} — {who}, {at(done.at)}")
        elif step in due:
            lines.append(f"⏳ {number}. {what} — {text('prog.due', lang, due=at(due[step]))}")
        else:
            lines.append(f"⬜ {number}. {what}")
    if prog.activities:
        lines.append(text("prog.activities", lang, count=len(prog.activities)))
        lines += [f"• {esc(a.theme)}" + (f" · {esc(a.month)}" if a.month else "")
                  for a in prog.activities[:10]]  # fmt: skip
    for c in prog.comments[-3:]:
        lines.append(f"💬 {esc(names.get(c.staff_id, ''))}: {esc(c.detail.get('note', ''))}")
    return "\n".join(lines)


COMMANDS = [Command("program", off_loop(program), ADMINS | HEADS, refused_to_clients=True)]
