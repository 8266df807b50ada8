"""Sessions agreed with a client: /janji (schedule one for the case: date, time, place), /hadir
and /tidak_hadir (whether the client came), /sesi (the week's sessions). The reminders are the
sweeper's (usecases/timers.py); closing as Ulang needs the next session scheduled."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.config.roster import appointment_setup
from bot.telegram.commands.cases import on_case
from bot.telegram.commands.registry import EVERYONE, Command, Request
from bot.telegram.desk import Desk
from bot.telegram.render import esc
from triage.domain.appointments import Appointment, AppointmentProblem, parse
from triage.domain.errors import NotFound
from triage.domain.model import Actor
from triage.texts.catalog import text
from triage.usecases import appointments


async def janji(request: Request) -> None:
    desk, lang = request.desk, request.lang

    async def work(conv: int, arg: str) -> bool:
        app = desk.app
        zone = ZoneInfo(app.settings.office.timezone)
        now = app.clock()
        try:
            wanted = parse(arg, now.astimezone(zone).date(), now, zone)
        except AppointmentProblem as problem:
            usage = text("staff.session_usage", lang)
            await request.say("usage", f"{text(f'staff.session_{problem.code}', lang)}\n{usage}")
            return False
        made = await desk.run(_schedule, desk, request.actor, conv, wanted)
        await request.say("set", text("staff.session_set", lang, conv=conv, **_shown(made, zone)))
        return True

    await on_case(request, work)


def _schedule(desk: Desk, actor: Actor, conv: int, wanted) -> Appointment:  # noqa: ANN001
    app = desk.app
    now = app.clock()
    setup = appointment_setup(app.settings, now.date())
    return appointments.schedule(conv, wanted, actor=actor, setup=setup, uow_factory=app.uows,
                                 now=now)  # fmt: skip


async def hadir(request: Request) -> None:
    await _attendance(request, came=True)


async def tidak_hadir(request: Request) -> None:
    await _attendance(request, came=False)


async def _attendance(request: Request, *, came: bool) -> None:
    def mark(app, conv: int) -> Appointment:  # noqa: ANN001 - bot.app.App
        return appointments.record_attendance(
            conv, came, actor=request.actor, uow_factory=app.uows, now=app.clock()
        )

    done = "staff.session_attended" if came else "staff.session_no_show"
    await _on_session(request, mark, done, "staff.session_none_held")


async def batal_sesi(request: Request) -> None:
    """The case's next session is off; the client is told by staff, who know why."""

    def cancel(app, conv: int) -> Appointment:  # noqa: ANN001 - bot.app.App
        return appointments.cancel(conv, actor=request.actor, uow_factory=app.uows, now=app.clock())

    await _on_session(request, cancel, "staff.session_cancelled", "staff.session_none_ahead")


async def _on_session(
    request: Request, act: Callable[..., Appointment], done: str, none: str
) -> None:
    """Do `act` to one of the case's sessions and say `done` with it, or `none` when the case
    has no such session."""
    desk, lang = request.desk, request.lang

    async def work(conv: int, _: str) -> bool:
        app = desk.app
        try:
            session = await desk.run(act, app, conv)
        except NotFound:
            await request.say("none", text(none, lang, conv=conv))
            return False
        zone = ZoneInfo(app.settings.office.timezone)
        await request.say("done", text(done, lang, conv=conv, **_shown(session, zone)))
        return True

    await on_case(request, work)


async def sesi(request: Request) -> None:
    """The seven days from today: time, case, place, counselor, whether the client came."""
    desk, lang = request.desk, request.lang
    app = desk.app
    zone = ZoneInfo(app.settings.office.timezone)
    today = app.clock().astimezone(zone).date()
    start = datetime.combine(today, datetime.min.time(), zone)
    found = await desk.run(
        lambda: appointments.week(start, actor=request.actor, uow_factory=app.uows)
    )
    rows = [
        text(
            "staff.session_row",
            lang,
            conv=a.conversation_id,
            **_shown(a, zone),
            counselor=esc(desk.staff.name(a.counselor_id) if a.counselor_id else "—"),
            status=esc(text(f"session_status.{a.status}", lang)),
        )  # fmt: skip
        for a in found
    ]
    last = (start + timedelta(days=6)).strftime("%d-%m-%Y")
    head = text("staff.week_sessions", lang, first=start.strftime("%d-%m-%Y"), last=last)
    body = "\n".join(rows) if rows else text("staff.week_sessions_none", lang)
    await request.say("week", f"{head}\n{body}")


def _shown(session: Appointment, zone: ZoneInfo) -> dict[str, str]:
    local = session.at.astimezone(zone)
    return {"date": local.strftime("%d-%m-%Y"), "time": local.strftime("%H.%M"),
            "place": esc(session.place)}  # fmt: skip


COMMANDS = [
    Command("janji", janji, EVERYONE, refused_to_clients=True),
    Command("hadir", hadir, EVERYONE, refused_to_clients=True),
    Command("tidak_hadir", tidak_hadir, EVERYONE, refused_to_clients=True),
    Command("batal_sesi", batal_sesi, EVERYONE, refused_to_clients=True),
    Command("sesi", sesi, EVERYONE, refused_to_clients=True),
]
