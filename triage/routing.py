"""Routing a hand-off and an alert through the duty roster, with what the database knows: the
counselors' current loads, the day's /jadwal changes, and a returning client's last counselor."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from triage import access
from triage.model import Actor, Conversation
from triage.ports import UnitOfWork, UnitOfWorkFactory
from triage.retrying import on_conflict
from triage.roster import DutyChange, Offer, Roster, alert_to, route


def changes_on(uow: UnitOfWork, roster: Roster, at: datetime) -> list[DutyChange]:
    day = at.astimezone(roster.calendar.zone).date()
    return uow.roster.between(day, day)


def last_counselor(uow: UnitOfWork, conv: Conversation) -> int | None:
    """Who last took a case of this client: an earlier round of this conversation, or an
    earlier conversation (a client linked across channels counts as one)."""
    claims = [
        s
        for c in uow.conversations.all_for_client(conv.client_id)
        if c.id is not None
        for s in uow.steps.for_conversation(c.id)
        if s.step == "claimed"
        and s.staff_id is not None
        and not (c.id == conv.id and s.round == conv.round)
    ]
    if not claims:
        return None
    return max(claims, key=lambda s: s.at).staff_id


def offer_for(uow: UnitOfWork, conv: Conversation, roster: Roster, now: datetime) -> Offer:
    return route(
        roster,
        now,
        category=conv.category,
        loads=uow.conversations.counselor_loads(),
        last_counselor=last_counselor(uow, conv),
        changes=changes_on(uow, roster, now),
    )


def alerted(uow: UnitOfWork, roster: Roster, heads: Sequence[int], now: datetime) -> list[int]:
    return alert_to(roster, heads, now, changes_on(uow, roster, now))


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
