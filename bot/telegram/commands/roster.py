"""/jadwal: the duty roster for the week ahead; with a day and "+Name" / "-Name", a change of
that day first (the head and the admins; checked in the core). The words are read in
bot/telegram/duty.py."""

from __future__ import annotations

from bot.telegram import duty
from bot.telegram.commands.registry import EVERYONE, Command, Request, off_loop
from bot.telegram.render import esc
from triage.domain.errors import AccessDenied
from triage.domain.schedule.roster import DutyChange
from triage.texts.catalog import text
from triage.usecases.roster import change_duty, week


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


COMMANDS = [Command("jadwal", off_loop(jadwal, "roster"), EVERYONE)]
