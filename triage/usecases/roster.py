"""Use cases: the head or an admin changes who is on duty on a day (/jadwal), and the week is
shown with those changes; the head deactivates a staff member who left or is away (/nonaktif)
and activates them again (/aktif), without a restart."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from triage.domain import access
from triage.domain.errors import AccessDenied
from triage.domain.model import Actor, Conversation, Role, State
from triage.domain.records import AuditEntry
from triage.domain.schedule.roster import DutyChange, Roster
from triage.effects.offers import active, offer
from triage.ports import UnitOfWork, UnitOfWorkFactory
from triage.usecases._retry import on_conflict


def change_duty(
    change: DutyChange, *, actor: Actor, uow_factory: UnitOfWorkFactory, now: datetime
) -> None:
    """/jadwal: someone on or off duty for a day; who changed it, and when, is kept."""

    def work() -> None:
        with uow_factory() as uow:
            access.require(access.may_change_roster(actor), actor, "change_roster")
            uow.roster.set(change, by=actor.staff_id, at=now)
            uow.commit()

    on_conflict(work, uow_factory.pause)


def week(uow_factory: UnitOfWorkFactory, roster: Roster, first: date, days: int = 7):
    """(day, counselors on duty that day) for `days` days from `first` (the deactivated never)."""
    with uow_factory() as uow:
        changes = uow.roster.between(first, first + timedelta(days=days - 1))
        roster = active(uow, roster)
    return [
        (day, roster.on_day(day, changes))
        for day in (first + timedelta(days=n) for n in range(days))
    ]


def set_active(
    staff_id: int,
    active: bool,
    *,
    actor: Actor,
    uow_factory: UnitOfWorkFactory,
    now: datetime,
    counselors: Sequence[int] = (),
) -> list[int]:
    """/nonaktif, /aktif (the head; audited). A deactivated member is offered, alerted and told
    nothing from now on (triage.effects.notify, offers); a waiting case offered to them is
    offered to the other `counselors` too. Returns the open cases they hold, for the shell to
    hand back to the queue or to another counselor, each its own transaction (a crash between
    them: /nonaktif again goes on)."""

    def work() -> list[int]:
        with uow_factory() as uow:
            action = "staff.activated" if active else "staff.deactivated"
            if actor.role is not Role.HEAD or staff_id == actor.staff_id:
                uow.audit.append(AuditEntry(now, actor.staff_id, actor.role.value,
                                            f"{action}.denied", None, str(staff_id)))  # fmt: skip
                uow.commit()
                raise AccessDenied(actor.staff_id, "deactivate")
            uow.roster.set_active(staff_id, active, actor.staff_id, now)
            uow.audit.append(AuditEntry(now, actor.staff_id, actor.role.value, action, None,
                                        str(staff_id)))  # fmt: skip
            everything = uow.conversations.all()
            theirs = (c for c in everything if c.counselor_id == staff_id)
            held = [c.id for c in theirs if c.id is not None and c.state is State.WITH_COUNSELOR]
            if not active:
                for conv in (c for c in everything if c.state is State.HANDED_OFF):
                    _offer_elsewhere(uow, conv, staff_id, counselors, now)
            uow.commit()
            return [] if active else held

    return on_conflict(work, uow_factory.pause)


def _offer_elsewhere(
    uow: UnitOfWork, conv: Conversation, away: int, counselors: Sequence[int], now: datetime
) -> None:
    """A waiting case offered to a member now deactivated: offered to the others not offered
    it yet (only whom it was offered to may claim it before its wait runs out)."""
    assert conv.id is not None
    offered = {
        s.detail
        for s in uow.steps.for_conversation(conv.id)
        if s.step == "offered" and s.round == conv.round
    }
    if str(away) in offered:
        others = [c for c in counselors if c != away and str(c) not in offered]
        offer(uow, conv, others, now, f"offer:{conv.id}:away:{away}:{now.isoformat()}")
