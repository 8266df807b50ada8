"""A staff member the head deactivates (/nonaktif: triage.usecases.roster.set_active) is
offered, alerted and told nothing from then on, is off the roster (nobody on duty falls back
to the active counselors only), and the cases they held are returned for reassignment; only
the head may, never on themselves, and every change is audited."""

import pytest

from tests.builders import ADMIN, COUNSELOR, HEAD, T0, inbound
from tests.fakes import FakeSender, FakeUnitOfWorkFactory
from tests.unit.test_routing import (
    MADE,
    NYOMAN,
    PUTU,
    ROSTER,
    alerted_by_an_urgent_message,
    hand_off,
    offers,
)
from triage.domain.errors import AccessDenied
from triage.domain.model import Actor, Role
from triage.usecases import casework
from triage.usecases.ingest import ingest
from triage.usecases.roster import set_active, week

ACTORS = {NYOMAN: Actor(NYOMAN, Role.COUNSELOR, "Nyoman")}


def deactivate(uows, staff_id, actor=HEAD):
    return set_active(staff_id, False, actor=actor, uow_factory=uows, now=T0)


def test_a_deactivated_counselor_is_offered_nothing_and_their_cases_are_returned():
    uows = FakeUnitOfWorkFactory()
    held = ingest(inbound(1, sender="a"), uow_factory=uows, now=T0).conversation_id
    hand_off(uows, held)
    casework.claim(held, actor=COUNSELOR, uow_factory=uows, now=T0)  # Made holds it
    assert deactivate(uows, MADE) == [held]
    conv = ingest(inbound(1, sender="b"), uow_factory=uows, now=T0).conversation_id
    hand_off(uows, conv)
    assert offers(uows, conv) == ["staff:2002"]  # Nyoman, the one active on duty
    with uows() as uow:
        assert [e.action for e in uow.audit.entries()] == ["staff.deactivated"]
    assert set_active(MADE, True, actor=HEAD, uow_factory=uows, now=T0) == []


def test_nobody_active_on_duty_alerts_every_active_counselor_and_the_head():
    uows = FakeUnitOfWorkFactory()
    deactivate(uows, MADE)
    deactivate(uows, NYOMAN)  # the two on duty this Tuesday
    alerted = alerted_by_an_urgent_message(uows)
    assert alerted == ["staff:2003", "staff:3001"]  # Putu, off duty but active, and the head
    assert all(i.recipient not in ("staff:2001", "staff:2002") for i in uows.db.outbox.values())
    days = week(uows, ROSTER, T0.astimezone(ROSTER.calendar.zone).date())
    assert all(MADE not in on and NYOMAN not in on for _, on in days)


def test_only_the_head_deactivates_and_never_themselves():
    uows = FakeUnitOfWorkFactory()
    with pytest.raises(AccessDenied):
        deactivate(uows, MADE, actor=ADMIN)
    with pytest.raises(AccessDenied):
        deactivate(uows, HEAD.staff_id)
    with uows() as uow:
        assert uow.roster.inactive() == frozenset()
        assert [e.action for e in uow.audit.entries()] == ["staff.deactivated.denied"] * 2


def test_a_waiting_case_offered_to_them_is_offered_to_the_others_and_nothing_queued_goes():
    from triage.domain.outbox import OutboxStatus, RetryPolicy, Target
    from triage.usecases.dispatch import dispatch_due

    uows = FakeUnitOfWorkFactory()
    conv = ingest(inbound(1, sender="b"), uow_factory=uows, now=T0).conversation_id
    casework.hand_off(conv, actor=ADMIN, counselors=[MADE], uow_factory=uows, now=T0)
    assert offers(uows, conv) == ["staff:2001"]  # Made alone may take it
    set_active(MADE, False, actor=HEAD, uow_factory=uows, now=T0, counselors=[NYOMAN, PUTU])
    assert offers(uows, conv) == ["staff:2001", "staff:2002", "staff:2003"]
    casework.claim(conv, actor=ACTORS[NYOMAN], uow_factory=uows, now=T0)  # not stuck

    chats = FakeSender(Target.TELEGRAM)
    dispatch_due(uow_factory=uows, senders={Target.TELEGRAM: chats}, clock=lambda: T0,
                 policy=RetryPolicy(), jitter=lambda: 0.0, batch=100)  # fmt: skip
    sent = [i.recipient for i in chats.sent]
    assert "staff:2001" not in sent and "staff:2002" in sent
    to_made = [o for o in uows.db.outbox.values() if o.recipient == "staff:2001"]
    assert to_made and all(o.status is OutboxStatus.FAILED for o in to_made)
