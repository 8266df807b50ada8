"""Use cases: schedule a session with a client (/janji), record whether they came (/hadir,
/tidak_hadir), list the week's sessions (/sesi), and the reminders the sweeper fires
(triage.domain.appointments: when they go; usecases/timers.py: exactly once)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from triage.domain import access, notices
from triage.domain.appointments import (
    ATTENDED,
    CANCELLED,
    NO_SHOW,
    SCHEDULED,
    Appointment,
    Wanted,
    reminder_times,
)
from triage.domain.errors import NotFound
from triage.domain.model import Actor, Conversation, Role
from triage.domain.notices import Kind
from triage.domain.schedule.calendar import ServiceCalendar
from triage.domain.schedule.sla import REMINDER, Deadline
from triage.effects import notify
from triage.effects.steplog import log_steps
from triage.effects.workflow_files import tell_client
from triage.ports import UnitOfWork, UnitOfWorkFactory
from triage.usecases._retry import on_conflict

SAME_DAY = timedelta(hours=12)  # /hadir after a session: one that began up to this long ago


@dataclass(frozen=True)
class AppointmentSetup:
    calendar: ServiceCalendar
    # what the client is told, in the office's language: (the appointment, "set" or "reminder")
    client_text: Callable[[Appointment, str], str]


def schedule(
    conv_id: int,
    wanted: Wanted,
    *,
    actor: Actor,
    setup: AppointmentSetup,
    uow_factory: UnitOfWorkFactory,
    now: datetime,
) -> Appointment:
    """The session, its two reminders (deadline rows), the client told where they can be
    written to, the topic and the counselor told. The same time asked again is the same
    session (a redelivered command schedules nothing twice)."""

    def work() -> Appointment:
        with uow_factory() as uow:
            conv = _case(uow, conv_id)
            access.require(access.may_schedule(actor, conv), actor, "schedule")
            for known in uow.appointments.for_conversation(conv_id):
                if known.at == wanted.when and known.status == SCHEDULED:
                    return known
            counselor = conv.counselor_id or (
                actor.staff_id if actor.role is Role.COUNSELOR else None
            )
            made = uow.appointments.add(
                Appointment(
                    None,
                    conv_id,
                    wanted.when,
                    wanted.place,
                    counselor,
                    SCHEDULED,
                    actor.staff_id,
                    now,
                )  # fmt: skip
            )
            known = {d.key for _, d in uow.deadlines.for_conversation(conv_id)}
            wanted_rows = [
                Deadline(conv_id, conv.round, step, REMINDER, wanted.when, due)
                for step, due in reminder_times(wanted.when, setup.calendar, now)
            ]  # a slot used before (a session marked or cancelled): its rows are there
            uow.deadlines.add([d for d in wanted_rows if d.key not in known])
            log_steps(uow, conv, ["appointment_set"], now, actor.staff_id, wanted.when.isoformat())
            key = f"appointment:{made.id}"
            said = setup.client_text
            tell_client(uow, conv, f"{key}:client", said(made, "set"), now,
                        discreet=said(made, "discreet_set"), before=made.at)  # fmt: skip
            _tell_staff(uow, conv, made, "appointment_set", key, now)
            uow.commit()
            return made

    return on_conflict(work, uow_factory.pause)


def record_attendance(
    conv_id: int, came: bool, *, actor: Actor, uow_factory: UnitOfWorkFactory, now: datetime
) -> Appointment:
    """/hadir or /tidak_hadir: the case's session that began last (up to SAME_DAY ago, or
    any still to come today) is marked; a no-show is in the step log for the reports."""

    def work() -> Appointment:
        with uow_factory() as uow:
            conv = _case(uow, conv_id)
            access.require(access.may_schedule(actor, conv), actor, "attendance")
            due = [  # the session held last: begun, at most SAME_DAY ago
                a
                for a in uow.appointments.for_conversation(conv_id)
                if a.status == SCHEDULED and now - SAME_DAY <= a.at <= now
            ]
            if not due:
                raise NotFound(f"a session of conversation {conv_id} to mark")
            session = due[-1]
            status = ATTENDED if came else NO_SHOW
            uow.appointments.set_status(session.id, status)  # type: ignore[arg-type]
            log_steps(uow, conv, [f"appointment_{status}"], now, actor.staff_id,
                      session.at.isoformat())  # fmt: skip
            uow.commit()
            return replace(session, status=status)

    return on_conflict(work, uow_factory.pause)


def week(start: datetime, *, actor: Actor, uow_factory: UnitOfWorkFactory) -> list[Appointment]:
    """The sessions of the seven days from `start`: the head sees every one, a counselor
    their own, an admin every one (they call the clients who come in person). Each names the
    case's counselor now (a case handed on, by /tugaskan or /nonaktif, takes its sessions)."""
    with uow_factory() as uow:
        found = uow.appointments.between(start, start + timedelta(days=7))
        cases = {a.conversation_id: uow.conversations.get(a.conversation_id) for a in found}
    now_with = [replace(a, counselor_id=_counselor_of(a, cases[a.conversation_id])) for a in found]
    if actor.role is not Role.COUNSELOR:
        return now_with
    return [a for a in now_with if a.counselor_id == actor.staff_id]


def _counselor_of(session: Appointment, conv: Conversation | None) -> int | None:
    """Whose session it is: the case's counselor now, else the one it was made with."""
    return (conv.counselor_id if conv is not None else None) or session.counselor_id


def cancel(
    conv_id: int, *, actor: Actor, uow_factory: UnitOfWorkFactory, now: datetime
) -> Appointment:
    """/batal_sesi: the case's next session is off (its reminders go moot); the topic and the
    counselor are told. The client is told by staff, who know why."""

    def work() -> Appointment:
        with uow_factory() as uow:
            conv = _case(uow, conv_id)
            access.require(access.may_schedule(actor, conv), actor, "cancel a session")
            session = next_session(uow, conv_id, now)
            if session is None:
                raise NotFound(f"a session of conversation {conv_id} to cancel")
            uow.appointments.set_status(session.id, CANCELLED)  # type: ignore[arg-type]
            log_steps(uow, conv, ["appointment_batal"], now, actor.staff_id, session.at.isoformat())
            _tell_staff(
                uow, conv, session, "appointment_cancelled", f"appointment:{session.id}", now
            )
            uow.commit()
            return replace(session, status=CANCELLED)

    return on_conflict(work, uow_factory.pause)


def cancel_ahead(uow: UnitOfWork, conv_id: int, now: datetime) -> None:
    """In a closing transaction (not Ulang): the case's sessions still ahead are off."""
    for session in uow.appointments.for_conversation(conv_id):
        if session.status == SCHEDULED and session.at > now:
            uow.appointments.set_status(session.id, CANCELLED)  # type: ignore[arg-type]


def next_session(uow: UnitOfWork, conv_id: int, now: datetime) -> Appointment | None:
    """The case's next scheduled session (closing as Ulang needs one)."""
    ahead = [
        a
        for a in uow.appointments.for_conversation(conv_id)
        if a.status == SCHEDULED and a.at > now
    ]
    return ahead[0] if ahead else None


def remind(
    uow: UnitOfWork,
    conv: Conversation,
    deadline: Deadline,
    client_text: Callable[[Appointment, str], str] | None,
    now: datetime,
) -> bool:
    """A reminder row fell due (usecases/timers.py): False when its session is gone (moved or
    marked). The client is reminded where they can be written to; a client met offline is
    reminded by staff (a task in the topic); the counselor hears of it in their chat."""
    assert conv.id is not None
    session = next(
        (
            a
            for a in uow.appointments.for_conversation(conv.id)
            if a.at == deadline.since and a.status == SCHEDULED
        ),
        None,
    )
    if session is None:
        return False
    key = f"appointment:{session.id}:{deadline.step}"
    if client_text is not None:
        said, quiet = client_text(session, "reminder"), client_text(session, "discreet_reminder")
        tell_client(uow, conv, f"{key}:client", said, now, discreet=quiet, before=session.at)
    _tell_staff(uow, conv, session, deadline.step, key, now)  # to the case's counselor now
    return True


def _tell_staff(
    uow: UnitOfWork, conv: Conversation, session: Appointment, event: str, key: str, now: datetime
) -> None:
    fields = {
        **notify.client_fields(uow, conv),
        "event": event,
        "at": session.at.isoformat(),
        "place": session.place,
    }
    notify.queue(uow, key=f"{key}:topic", recipient=notices.group(conv.id), kind=Kind.STATUS,  # type: ignore[arg-type]
                 now=now, conv=conv, **fields)  # fmt: skip
    counselor = _counselor_of(session, conv)  # released and taken since: today's counselor
    if counselor is not None:
        notify.queue(uow, key=f"{key}:counselor", recipient=notices.staff(counselor),
                     kind=Kind.STATUS, now=now, conv=conv, **fields)  # fmt: skip


def _case(uow: UnitOfWork, conv_id: int) -> Conversation:
    conv = uow.conversations.get(conv_id, lock=True)
    if conv is None:
        raise NotFound(f"conversation {conv_id}")
    return conv
