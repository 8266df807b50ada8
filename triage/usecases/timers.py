"""Use case: the SLA sweeper. Deadlines are rows: each pass stores those the
open conversations now need (triage.domain.schedule.sla) and fires the ones that fell due, exactly
once, also
with several workers (a due row is claimed under a lock other sweepers skip; the notices and
the row's new status commit together).

A reminder goes where the step is waited on (the admin topic, or the counselor's chat; an
unclaimed case is offered to every counselor); the escalation goes to the heads. After the wall
clock stepped back, `replan` moves what waits back by the step.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import partial

from triage.domain import notices
from triage.domain.appointments import STEPS as SESSION_REMINDERS
from triage.domain.appointments import Appointment
from triage.domain.model import Conversation
from triage.domain.notices import Kind
from triage.domain.psychoeducation import REPORT_DAYS, REPORT_STEP, report_still_due
from triage.domain.schedule.calendar import ServiceCalendar
from triage.domain.schedule.clock import written_ahead
from triage.domain.schedule.sla import ESCALATION, REMINDER, Deadline, Targets, deadlines, still_due
from triage.domain.workflow import KINDS
from triage.effects import notify
from triage.effects.offers import offer
from triage.effects.steplog import log_steps
from triage.ports import UnitOfWork, UnitOfWorkFactory
from triage.usecases import appointments
from triage.usecases._retry import on_conflict


@dataclass(frozen=True)
class TimerSetup:
    targets: Targets
    calendar: ServiceCalendar
    counselors: Sequence[int] = ()  # every counselor: an unclaimed case is offered to all
    heads: Sequence[int] = ()
    # a session's reminder to the client, in the office's language (usecases/appointments.py)
    appointment_text: Callable[[Appointment, str], str] | None = None


@dataclass(frozen=True)
class SweepReport:
    planned: int = 0
    fired: int = 0
    moot: int = 0


PAGE = 1000  # open conversations planned per transaction: memory stays flat with 100,000


def plan(*, uow_factory: UnitOfWorkFactory, setup: TimerSetup,
         going: Callable[[], bool] = lambda: True) -> int:  # fmt: skip
    """Store the deadlines every open conversation's current wait needs (idempotent: a key
    already stored is left alone), a page of conversations at a time, until `going` says the
    service stops. Conversations with only automatic mail get none."""

    def page(after: int) -> tuple[int, int | None]:
        with uow_factory() as uow:
            waiting = uow.deadlines.waiting_conversations(after, PAGE)
            known = uow.deadlines.keys_for([c.id for c, _ in waiting if c.id is not None])
            wanted = [
                d
                for conv, released_at in waiting
                for d in deadlines(conv, setup.targets, setup.calendar, released_at)
                if d.key not in known
            ]
            uow.deadlines.add(wanted)
            uow.commit()
            last = waiting[-1][0].id if len(waiting) == PAGE else None
            return len(wanted), last

    planned, after = 0, 0
    while going():
        added, last = on_conflict(partial(page, after), uow_factory.pause)
        planned += added
        if last is None:
            break
        after = last
    return planned


def fire_due(
    *, uow_factory: UnitOfWorkFactory, now: datetime, setup: TimerSetup, limit: int = 200
) -> tuple[int, int]:
    """Fire up to `limit` due deadlines; returns (fired, moot)."""

    def work() -> tuple[int, int]:
        fired = moot = 0
        with uow_factory() as uow:
            told: list[notify.Reminder] = []  # queued together: a backlog makes digests
            for deadline_id, deadline in uow.deadlines.claim_due(now, limit):
                # a conversation another transaction holds is left for the next pass
                conv = uow.conversations.try_lock(deadline.conversation_id)
                if conv is None and uow.conversations.get(deadline.conversation_id) is not None:
                    continue
                if deadline.step in SESSION_REMINDERS:  # a session's: its own rule of due
                    done = conv is not None and appointments.remind(
                        uow, conv, deadline, setup.appointment_text, now
                    )
                    uow.deadlines.finish(deadline_id, "fired" if done else "moot", now)
                    fired, moot = fired + done, moot + (not done)
                    continue
                if deadline.step == REPORT_STEP:
                    cf = uow.casefiles.get(deadline.conversation_id)
                    due = report_still_due(cf, deadline.since, setup.calendar)
                elif deadline.step in KINDS:
                    cf = uow.casefiles.get(deadline.conversation_id)
                    due = cf is not None and cf.is_open and cf.opened_at == deadline.since
                else:
                    released = uow.deadlines.released_at(deadline.conversation_id, deadline.round)
                    due = still_due(conv, deadline, released)
                if due:
                    assert conv is not None
                    told += _notify(uow, conv, deadline, deadline_id, setup, now)
                    uow.deadlines.finish(deadline_id, "fired", now)
                    fired += 1
                else:
                    uow.deadlines.finish(deadline_id, "moot", now)
                    moot += 1
            notify.queue_reminders(uow, told, now)
            uow.commit()
        return fired, moot

    return on_conflict(work, uow_factory.pause)


MAX_BATCHES = 25  # a pass fires at most this many batches (5,000 rows); the next goes on


def sweep(*, uow_factory: UnitOfWorkFactory, now: datetime, setup: TimerSetup,
          going: Callable[[], bool] = lambda: True) -> SweepReport:  # fmt: skip
    """One pass of the scheduler job: plan, then fire what is due (at most MAX_BATCHES)."""
    planned = plan(uow_factory=uow_factory, setup=setup, going=going)
    fired = fire_all_due(uow_factory=uow_factory, now=now, setup=setup, going=going)
    return replace(fired, planned=planned)


def fire_all_due(*, uow_factory: UnitOfWorkFactory, now: datetime, setup: TimerSetup,
                 going: Callable[[], bool] = lambda: True, limit: int = 200,
                 ) -> SweepReport:  # fmt: skip
    """Fire what fell due, planning nothing: also the pass the sweeper makes when a deadline
    falls due between its interval's passes. Bounded: at most MAX_BATCHES batches, and none
    once `going` says the service stops (a backlog is worked through over several passes, each
    a commit per batch, so a stop never waits for it)."""
    fired = moot = 0
    for _ in range(MAX_BATCHES):
        if not going():
            break
        f, m = fire_due(uow_factory=uow_factory, now=now, setup=setup, limit=limit)
        fired, moot = fired + f, moot + m
        if f + m == 0:
            break
    return SweepReport(0, fired, moot)


def next_due(*, uow_factory: UnitOfWorkFactory) -> datetime | None:
    """When the sweeper next has something to fire."""
    with uow_factory() as uow:
        return uow.deadlines.next_due()


def _notify(
    uow: UnitOfWork,
    conv: Conversation,
    deadline: Deadline,
    deadline_id: int,
    setup: TimerSetup,
    now: datetime,
) -> list[notify.Reminder]:
    """The step logged and the offers made; the reminders returned, for the pass to queue
    together (a case file's reminders are queued here: few, and each with its own deadline)."""
    assert conv.id is not None
    if deadline.step in (*KINDS, REPORT_STEP):
        _casefile_due(uow, conv, deadline, deadline_id, setup, now)
        return []
    waited = setup.calendar.minutes_between(deadline.since, now)
    fields = {
        **notify.client_fields(uow, conv),
        "step": deadline.step,
        "level": str(deadline.level),
        "minutes": str(int(round(waited))),
        "target": str(int(setup.targets.for_step(deadline.step))),
    }
    key = f"timer:{deadline_id}"
    step = deadline.step
    if deadline.level == REMINDER:
        log_steps(uow, conv, ["reminded"], now, detail=step)
        if step == "first_counselor_response" and conv.counselor_id is not None:
            where = notices.staff(conv.counselor_id)
        else:
            where = notices.group(conv.id)
        if step == "claimed":
            offer(uow, conv, setup.counselors, now, f"{key}:offer")
        return [notify.Reminder(key, where, conv, fields)]
    assert deadline.level == ESCALATION
    log_steps(uow, conv, ["escalated"], now, detail=step)
    told = [notify.Reminder(f"{key}:{h}", notices.staff(h), conv, fields) for h in setup.heads]
    if step == "claimed":
        offer(uow, conv, setup.heads, now, f"{key}:offer")
    # the admin topic sees that the head was told (status only, never counseling content)
    group_fields = {**fields, "told": "head" if setup.heads else ""}
    return [*told, notify.Reminder(f"{key}:group", notices.group(conv.id), conv, group_fields)]


def _casefile_due(
    uow: UnitOfWork,
    conv: Conversation,
    deadline: Deadline,
    deadline_id: int,
    setup: TimerSetup,
    now: datetime,
) -> None:
    """A complaint a working day before its deadline, a psychoeducation request not yet
    answered after 48 h, or a session's report a working day before its 5: the topic and the
    heads; at the deadline, the heads again."""
    assert conv.id is not None
    step = "reminded" if deadline.level == REMINDER else "escalated"
    log_steps(uow, conv, [step], now, detail=deadline.step)
    cf = uow.casefiles.get(conv.id)
    fields = {
        **notify.client_fields(uow, conv),
        "step": deadline.step,
        "level": str(deadline.level),
        "due": cf.due_at.isoformat() if cf else "",
    }
    if deadline.step == REPORT_STEP:  # the report's own 5 working days
        fields["due"] = setup.calendar.add_working_days(deadline.since, REPORT_DAYS).isoformat()
    key = f"timer:{deadline_id}"
    to = [notices.staff(h) for h in setup.heads]
    if deadline.level == REMINDER:
        to.insert(0, notices.group(conv.id))
    for where in to or [notices.group(conv.id)]:
        notify.queue(
            uow, key=f"{key}:{where}", recipient=where, kind=Kind.REMINDER, now=now, conv=conv,
            **fields,
        )  # fmt: skip


# The wall clock stepped back (triage.domain.schedule.clock): what waits is moved back by the
# step, so it is due when it would have been: outbox retries and leases, SLA reminders. Nothing
# is moved earlier than now, and nothing not yet due is made due.


@dataclass(frozen=True)
class Replanned:
    step: timedelta
    outbox: int
    deadlines: int


REPLANNED = "clock:replanned"  # the newest outbox stamp a replan has accounted for


def replan(step: timedelta, *, uow_factory: UnitOfWorkFactory, now: datetime) -> Replanned:
    with uow_factory() as uow:
        outbox = uow.outbox.shift_waiting(now, step)
        deadlines = uow.deadlines.shift_waiting(now, step)
        latest = uow.outbox.latest_written()
        if latest is not None:  # a restart soon after must not shift the same step again
            uow.cursors.set(REPLANNED, latest.isoformat())
        uow.commit()
    return Replanned(step, outbox, deadlines)


def replan_after_restart(*, uow_factory: UnitOfWorkFactory, now: datetime) -> Replanned | None:
    """At start: an outbox row written later than now says by how much the clock went back,
    unless a replan has accounted for it already."""
    with uow_factory() as uow:
        latest = uow.outbox.latest_written()
        done = uow.cursors.get(REPLANNED)
    if latest is not None and done is not None and datetime.fromisoformat(done) >= latest:
        return None
    step = written_ahead(latest, now)
    return replan(step, uow_factory=uow_factory, now=now) if step is not None else None
