"""Offers and alerts inside a transaction: whom a hand-off is offered to (the duty roster with
the counselors' loads, the day's changes and a returning client's last counselor), the offer
posts themselves, and who is alerted of an urgent case."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from triage.domain import notices
from triage.domain.model import Conversation
from triage.domain.notices import Kind
from triage.domain.schedule.roster import DutyChange, Offer, Roster, alert_to, route
from triage.effects import notify
from triage.effects.steplog import log_steps
from triage.ports import UnitOfWork


def offer(
    uow: UnitOfWork, conv: Conversation, counselors: Sequence[int], now: datetime, key: str
) -> None:
    """The case offered to each of `counselors` with an "Ambil kasus" button; `key` names the
    action (one offer per staff member and action, however often it is repeated). Each offer
    is logged: who was offered a case is who may claim it (triage.domain.access.may_claim)."""
    assert conv.id is not None
    fields = notify.client_fields(uow, conv)
    away = uow.roster.inactive()  # deactivated (/nonaktif): offered nothing
    for staff_id in [c for c in counselors if c not in away]:
        log_steps(uow, conv, ["offered"], now, detail=str(staff_id))
        notify.queue(
            uow,
            key=f"{key}:{staff_id}",
            recipient=notices.staff(staff_id),
            kind=Kind.OFFER,
            now=now,
            conv=conv,
            **fields,
        )


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
        active(uow, roster),
        now,
        category=conv.category,
        loads=uow.conversations.counselor_loads(),
        last_counselor=last_counselor(uow, conv),
        changes=changes_on(uow, roster, now),
    )


def alerted(uow: UnitOfWork, roster: Roster, heads: Sequence[int], now: datetime) -> list[int]:
    away = uow.roster.inactive()
    on = alert_to(active(uow, roster), heads, now, changes_on(uow, roster, now))
    return [s for s in on if s not in away]


def active(uow: UnitOfWork, roster: Roster) -> Roster:
    """The roster without the counselors the head deactivated (/nonaktif): never on duty, and
    not among "every counselor" when nobody is on duty."""
    away = uow.roster.inactive()
    if not away:
        return roster
    return replace(roster, counselors=tuple(c for c in roster.counselors if c not in away))
