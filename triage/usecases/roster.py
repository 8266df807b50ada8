"""Use cases: the head or an admin changes who is on duty on a day (/jadwal), and the week is
shown with those changes."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from triage.domain import access
from triage.domain.model import Actor
from triage.domain.schedule.roster import DutyChange, Roster
from triage.ports import UnitOfWorkFactory
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
    """(day, counselors on duty that day) for `days` days from `first`."""
    with uow_factory() as uow:
        changes = uow.roster.between(first, first + timedelta(days=days - 1))
    return [
        (day, roster.on_day(day, changes))
        for day in (first + timedelta(days=n) for n in range(days))
    ]
