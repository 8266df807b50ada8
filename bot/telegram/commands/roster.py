"""/jadwal: the duty roster for the week ahead; with a day and "+Name" / "-Name", a change of
that day first (the head and the admins; checked in the core). The words are read in
bot/telegram/duty.py. /nonaktif NAMA [PENGGANTI] and /aktif NAMA: the head deactivates a staff
member who left or is away (their open cases back to the queue, or to the replacement) and
activates them again."""

from __future__ import annotations

from bot.telegram import duty, staff_ops
from bot.telegram.commands.registry import EVERYONE, HEADS, Command, Request, off_loop
from bot.telegram.render import esc
from triage.domain.errors import AccessDenied
from triage.domain.model import Role
from triage.domain.schedule.roster import DutyChange
from triage.texts.catalog import text
from triage.usecases.roster import change_duty, set_active, week


def jadwal(request: Request) -> str:
    app, lang = request.desk.app, request.lang
    roster = app.roster
    if roster is None or not roster.counselors:
        return text("staff.roster_none", lang)
    today = app.clock().astimezone(roster.calendar.zone).date()
    names = {c: roster.names.get(c, str(c)) for c in roster.counselors}
    said = []
    try:
        change = duty.parse(request.arg, today, names)
    except duty.DutyInputError as exc:
        values = {k: esc(v) for k, v in exc.values.items()}
        return text(exc.key, lang, **values)
    if change is not None:
        try:
            for staff_id, on in change.changes:
                day = DutyChange(change.day, staff_id, on)
                change_duty(day, actor=request.actor, uow_factory=app.uows, now=app.clock())
        except AccessDenied:
            return text("staff.roster_denied", lang)
        said.append(duty.changed_text(change, names, lang))
    days = week(app.uows, roster, today)
    closed = {d for d, _ in days if not roster.calendar.is_working_day(d)}
    said.append(duty.week_text(days, names, closed, lang))
    return "\n\n".join(said)


def nonaktif(request: Request) -> str:
    return _set_active(request, active=False)


def aktif(request: Request) -> str:
    return _set_active(request, active=True)


def _set_active(request: Request, *, active: bool) -> str:
    desk, lang, app = request.desk, request.lang, request.desk.app
    everyone = {a.staff_id: a.name for a in desk.staff.members.values()}
    words = request.arg.split()
    who = duty.staff_named(words[0], everyone) if words else None
    usage = "staff.activate_usage" if active else "staff.deactivate_usage"
    target = desk.staff.members.get(who) if who is not None else None
    if target is None or who == request.actor.staff_id or target.role is Role.HEAD:
        # a head is changed in the configuration: two heads could otherwise lock each other out
        listed = [a.name for a in desk.staff.members.values() if a.role is not Role.HEAD]
        return text(usage, lang, names=esc(", ".join(sorted(listed)) or "—"))
    to = None
    if not active and len(words) > 1:
        others = {c: everyone[c] for c in desk.staff.counselors if c != who}
        to = desk.staff.get(duty.staff_named(words[1], others))
        if to is None or to.role is not Role.COUNSELOR:
            return text(usage, lang, names=esc(", ".join(sorted(others.values())) or "—"))
    others = [c for c in desk.staff.counselors if c != who]
    held = set_active(who, active, actor=request.actor, uow_factory=app.uows, now=app.clock(),
                      counselors=others)  # fmt: skip
    desk.staff.refresh(wait=True)  # this thread is off the event loop
    for conv in held:  # each its own transaction; /nonaktif again picks up what a crash left
        staff_ops.transition(desk, "release", request.actor, conv, f"{request.key}:release:{conv}")
        if to is not None:
            key = f"{request.key}:assign:{conv}"
            staff_ops.transition(desk, "assign", request.actor, conv, key, None, to)
    name = esc(everyone[who])
    if active:
        return text("staff.activated", lang, name=name)
    cases = ", ".join(f"#{c}" for c in held) or "—"
    where = esc(to.name) if to is not None else text("staff.deactivated_queue", lang)
    return text("staff.deactivated", lang, name=name, cases=cases, to=where)


COMMANDS = [
    Command("jadwal", off_loop(jadwal, "roster"), EVERYONE),
    Command("nonaktif", off_loop(nonaktif), HEADS, refused_to_clients=True),
    Command("aktif", off_loop(aktif), HEADS, refused_to_clients=True),
]
