"""Who may take a case (issue 17, item 8): the counselors it was offered to, every counselor
once it has waited past its claim target, the head always, and whom the head assigns; a refused
claim is audited and takes nothing."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from tests.builders import ADMIN, COUNSELOR, COUNSELOR_2, HEAD, inbound
from tests.fakes import FakeUnitOfWorkFactory
from triage.domain.errors import AccessDenied, TransitionNotAllowed
from triage.domain.model import Actor, Role, State
from triage.domain.notices import Kind
from triage.domain.schedule.calendar import ServiceCalendar
from triage.domain.schedule.roster import Roster, Shift
from triage.domain.schedule.sla import Targets
from triage.usecases import casework
from triage.usecases.ingest import ingest
from triage.usecases.timers import TimerSetup, sweep

WITA = ZoneInfo("Asia/Makassar")
CAL = ServiceCalendar(WITA, {d: ((time(8), time(16)),) for d in range(5)}, frozenset())
AT = datetime(2026, 12, 1, 9, 0, tzinfo=WITA)  # a Tuesday, open
SETUP = TimerSetup(Targets(), CAL, counselors=(COUNSELOR.staff_id, COUNSELOR_2.staff_id),
                   heads=(HEAD.staff_id,))  # fmt: skip


ROSTER = Roster(CAL, (COUNSELOR.staff_id, COUNSELOR_2.staff_id),
                shifts=(Shift(COUNSELOR.staff_id, frozenset(range(5))),))  # fmt: skip


def handed_off(at=AT, urgent=False):
    uows = FakeUnitOfWorkFactory()
    conv = ingest(inbound(1, at=at), uow_factory=uows, now=at).conversation_id
    if urgent:
        casework.mark_urgent(conv, actor=ADMIN, uow_factory=uows, now=at)
    casework.hand_off(conv, actor=ADMIN, roster=ROSTER, uow_factory=uows, now=at)
    return uows, conv


@pytest.fixture
def offered_to_one():
    """A case handed off in office hours: offered to COUNSELOR, the one on duty."""
    return handed_off()


def audit(uows: FakeUnitOfWorkFactory, conv: int) -> list[tuple[int, str]]:
    with uows() as uow:
        return [(e.staff_id, e.action) for e in uow.audit.entries(conv)]


def test_a_counselor_it_was_not_offered_to_cannot_take_it_and_the_attempt_is_audited(
    offered_to_one,
):
    uows, conv = offered_to_one
    with pytest.raises(AccessDenied):
        casework.claim(conv, actor=COUNSELOR_2, uow_factory=uows, now=AT)
    assert uows.db.conversations[conv].state is State.HANDED_OFF
    assert audit(uows, conv) == [(COUNSELOR_2.staff_id, "case.claim.denied")]
    # no case content went to the refused counselor (only its offer went to the one on duty)
    to_2 = f"staff:{COUNSELOR_2.staff_id}"
    assert not [i for i in uows.db.outbox.values() if i.recipient == to_2]
    won = casework.claim(conv, actor=COUNSELOR, uow_factory=uows, now=AT)
    assert won.counselor_id == COUNSELOR.staff_id


def test_the_head_may_take_any_waiting_case(offered_to_one):
    uows, conv = offered_to_one
    assert casework.claim(conv, actor=HEAD, uow_factory=uows, now=AT).counselor_id == HEAD.staff_id


def test_past_its_claim_target_every_counselor_may_take_it(offered_to_one):
    uows, conv = offered_to_one
    # the first admin response and the hand-off were at AT; the claim target is 5 minutes
    assert sweep(uow_factory=uows, now=AT.replace(minute=6), setup=SETUP).fired >= 1
    offers = {i.recipient for i in uows.db.outbox.values() if i.options.get("kind") == Kind.OFFER}
    assert f"staff:{COUNSELOR_2.staff_id}" in offers
    won = casework.claim(conv, actor=COUNSELOR_2, uow_factory=uows, now=AT.replace(minute=7))
    assert won.counselor_id == COUNSELOR_2.staff_id


def test_released_it_is_offered_again_and_whom_it_is_offered_to_may_take_it(offered_to_one):
    uows, conv = offered_to_one
    casework.claim(conv, actor=COUNSELOR, uow_factory=uows, now=AT)
    casework.release(conv, actor=COUNSELOR, counselors=[COUNSELOR.staff_id, COUNSELOR_2.staff_id],
                     uow_factory=uows, now=AT.replace(minute=1))  # fmt: skip
    won = casework.claim(conv, actor=COUNSELOR_2, uow_factory=uows, now=AT.replace(minute=2))
    assert won.counselor_id == COUNSELOR_2.staff_id


def test_the_head_assigns_a_counselor_it_was_not_offered_to(offered_to_one):
    uows, conv = offered_to_one
    done = casework.claim(conv, actor=COUNSELOR_2, assigned_by=HEAD, uow_factory=uows, now=AT,
                          counselors=[COUNSELOR.staff_id, COUNSELOR_2.staff_id])  # fmt: skip
    assert (done.state, done.counselor_id) == (State.WITH_COUNSELOR, COUNSELOR_2.staff_id)
    with uows() as uow:
        steps = [(s.step, s.staff_id, s.detail) for s in uow.steps.for_conversation(conv)]
    # the claim is the counselor's (a returning client goes back to them); who assigned it is logged
    assert ("claimed", COUNSELOR_2.staff_id, None) in steps
    assert ("assigned", HEAD.staff_id, str(COUNSELOR_2.staff_id)) in steps
    case = [i for i in uows.db.outbox.values() if i.options.get("kind") == Kind.CASE]
    assert [(i.recipient, i.options.get("assigned_by")) for i in case] == [
        (f"staff:{COUNSELOR_2.staff_id}", HEAD.name)
    ]
    items = list(uows.db.outbox.values())
    assert "assigned" in [i.options.get("event") for i in items if i.options["kind"] == Kind.STATUS]
    taken = [i.recipient for i in uows.db.outbox.values() if i.options.get("kind") == Kind.TAKEN]
    assert taken == [f"staff:{COUNSELOR.staff_id}"]


@pytest.mark.parametrize(
    "by, to",
    [(ADMIN, COUNSELOR_2), (COUNSELOR, COUNSELOR_2), (HEAD, Actor(1009, Role.ADMIN, "Adm"))],
)
def test_only_the_head_assigns_and_only_to_a_counselor(offered_to_one, by, to):
    uows, conv = offered_to_one
    with pytest.raises(AccessDenied):
        casework.claim(conv, actor=to, assigned_by=by, uow_factory=uows, now=AT)
    assert uows.db.conversations[conv].state is State.HANDED_OFF
    assert audit(uows, conv) == [(by.staff_id, "case.claim.denied")]


def test_handed_off_with_nobody_on_duty_or_urgent_any_counselor_may_take_it():
    """A Friday night: the claim timer counts service time and would wait for Monday."""
    uows, conv = handed_off(at=datetime(2026, 12, 4, 21, 0, tzinfo=WITA))
    assert casework.claim(conv, actor=COUNSELOR_2, uow_factory=uows, now=AT).counselor_id == 2002
    uows, conv = handed_off(urgent=True)
    assert casework.claim(conv, actor=COUNSELOR_2, uow_factory=uows, now=AT).counselor_id == 2002


def test_a_case_already_taken_says_so_before_whose_it_is_and_a_redelivery_audits_once(
    offered_to_one,
):
    uows, conv = offered_to_one
    for _ in range(3):  # the same refused update, delivered again after restarts
        with pytest.raises(AccessDenied):
            casework.claim(conv, actor=COUNSELOR_2, uow_factory=uows, now=AT, key="tg:7")
    assert audit(uows, conv) == [(COUNSELOR_2.staff_id, "case.claim.denied")]
    casework.claim(conv, actor=COUNSELOR, uow_factory=uows, now=AT)
    with pytest.raises(TransitionNotAllowed):  # taken: told so, not "not offered to you"
        casework.claim(conv, actor=COUNSELOR_2, uow_factory=uows, now=AT, key="tg:8")
    assert len(audit(uows, conv)) == 1


def test_a_case_offered_to_nobody_waits_for_anyone(offered_to_one):
    uows = FakeUnitOfWorkFactory()
    conv = ingest(inbound(2, at=AT), uow_factory=uows, now=AT).conversation_id
    casework.hand_off(conv, actor=ADMIN, uow_factory=uows, now=AT)  # no counselor configured
    assert casework.claim(conv, actor=COUNSELOR_2, uow_factory=uows, now=AT).counselor_id == 2002
