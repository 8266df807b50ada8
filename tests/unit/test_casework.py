import pytest

from tests.builders import ADMIN, COUNSELOR, COUNSELOR_2, HEAD, T0, inbound, next_session
from tests.fakes import FakeUnitOfWorkFactory
from triage.domain.errors import AccessDenied, TransitionNotAllowed
from triage.domain.model import Actor, Direction, Outcome, Role, State
from triage.domain.outbox import Target
from triage.usecases import casework
from triage.usecases.ingest import ingest
from triage.usecases.replies import reply_to_client


@pytest.fixture
def case():
    uows = FakeUnitOfWorkFactory()
    conv_id = ingest(inbound(1), uow_factory=uows, now=T0).conversation_id
    return uows, conv_id


def test_an_admin_reply_is_queued_in_the_outbox_and_the_transcript(case):
    uows, conv_id = case
    result = reply_to_client(
        conv_id,
        "Terima kasih, Ibu.",
        actor=ADMIN,
        idempotency_key="tg:1",
        uow_factory=uows,
        now=T0,
    )
    item = uows.db.outbox[result.outbox_id]
    assert (item.target, item.recipient, item.text) == (
        Target.HOTLINE,
        "client-1",
        "Terima kasih, Ibu.",
    )
    assert item.options == {"in_reply_to": inbound(1).external_id}
    msg = uows.db.messages[result.message_id]
    assert msg.direction is Direction.OUT and msg.outbox_id == item.id
    conv = uows.db.conversations[conv_id]
    assert conv.state is State.WITH_ADMIN and conv.steps.first_admin_response == T0


def test_a_redelivered_reply_queues_nothing_twice(case):
    uows, conv_id = case
    kwargs = dict(actor=ADMIN, idempotency_key="tg:9", uow_factory=uows, now=T0)
    first = reply_to_client(conv_id, "Halo", **kwargs)
    again = reply_to_client(conv_id, "Halo", **kwargs)
    assert again.duplicate and again.outbox_id == first.outbox_id
    assert again.message_id == first.message_id
    assert len(uows.db.outbox) == 1


def test_two_counselors_tap_claim_and_the_first_wins(case):
    uows, conv_id = case
    casework.hand_off(conv_id, actor=ADMIN, uow_factory=uows, now=T0)
    won = casework.claim(conv_id, actor=COUNSELOR, uow_factory=uows, now=T0)
    assert won.counselor_id == COUNSELOR.staff_id
    with pytest.raises(TransitionNotAllowed):
        casework.claim(conv_id, actor=COUNSELOR_2, uow_factory=uows, now=T0)
    assert uows.db.conversations[conv_id].counselor_id == COUNSELOR.staff_id


def test_after_the_claim_only_the_assigned_counselor_and_the_head_may_reply(case):
    uows, conv_id = case
    casework.hand_off(conv_id, actor=ADMIN, uow_factory=uows, now=T0)
    casework.claim(conv_id, actor=COUNSELOR, uow_factory=uows, now=T0)
    for outsider in (ADMIN, COUNSELOR_2):
        with pytest.raises(AccessDenied):
            reply_to_client(
                conv_id,
                "x",
                actor=outsider,
                idempotency_key=f"k{outsider.staff_id}",
                uow_factory=uows,
                now=T0,
            )
    reply_to_client(
        conv_id,
        "Saya Made, psikolog.",
        actor=COUNSELOR,
        idempotency_key="c1",
        uow_factory=uows,
        now=T0,
    )
    reply_to_client(
        conv_id, "Ketua di sini.", actor=HEAD, idempotency_key="h1", uow_factory=uows, now=T0
    )
    assert uows.db.conversations[conv_id].steps.first_counselor_response == T0
    to_client = [o for o in uows.db.outbox.values() if o.target is not Target.TELEGRAM]
    assert len(to_client) == 2


def test_roles_are_checked_in_the_core(case):
    uows, conv_id = case
    with pytest.raises(AccessDenied):
        casework.hand_off(conv_id, actor=COUNSELOR, uow_factory=uows, now=T0)
    casework.hand_off(conv_id, actor=ADMIN, uow_factory=uows, now=T0)
    with pytest.raises(AccessDenied):
        casework.claim(conv_id, actor=ADMIN, uow_factory=uows, now=T0)
    casework.claim(conv_id, actor=COUNSELOR, uow_factory=uows, now=T0)
    with pytest.raises(AccessDenied):
        casework.close(conv_id, Outcome.TUNTAS, actor=COUNSELOR_2, uow_factory=uows, now=T0)
    with pytest.raises(AccessDenied):
        casework.release(conv_id, actor=ADMIN, uow_factory=uows, now=T0)
    closed = casework.close(conv_id, Outcome.TUNTAS, actor=COUNSELOR, uow_factory=uows, now=T0)
    assert closed.state is State.CLOSED


def test_a_refused_action_changes_nothing(case):
    uows, conv_id = case
    before = dict(uows.db.conversations), list(uows.db.steps)
    stranger = Actor(staff_id=9, role=Role.COUNSELOR)
    with pytest.raises(AccessDenied):
        casework.hand_off(conv_id, actor=stranger, uow_factory=uows, now=T0)
    assert (dict(uows.db.conversations), list(uows.db.steps)) == before


def test_every_step_is_logged_with_who_did_it(case):
    uows, conv_id = case
    casework.hand_off(conv_id, actor=ADMIN, uow_factory=uows, now=T0)
    casework.claim(conv_id, actor=COUNSELOR, uow_factory=uows, now=T0)
    casework.close(conv_id, Outcome.RUJUKAN, actor=COUNSELOR, uow_factory=uows, now=T0)
    log = [(s.step, s.staff_id, s.detail) for s in uows.db.steps]
    assert log == [
        ("received", None, None),
        ("handed_off", ADMIN.staff_id, None),
        ("claim_open", ADMIN.staff_id, None),  # no duty roster: any counselor may take it
        ("claimed", COUNSELOR.staff_id, None),
        ("closed", COUNSELOR.staff_id, "rujukan"),
    ]


def test_counseling_content_stays_hidden_from_admins_after_release_and_reopen(case):
    from triage.domain.access import may_read_message
    from triage.usecases.casework import release

    uows, conv_id = case
    casework.hand_off(conv_id, actor=ADMIN, uow_factory=uows, now=T0)
    ingest(inbound(2, text="isi konseling yang rahasia"), uow_factory=uows, now=T0)
    casework.claim(conv_id, actor=COUNSELOR, uow_factory=uows, now=T0)
    reply_to_client(
        conv_id, "Saya Made.", actor=COUNSELOR, idempotency_key="c1", uow_factory=uows, now=T0
    )
    release(conv_id, actor=COUNSELOR, uow_factory=uows, now=T0)
    conv = uows.db.conversations[conv_id]
    messages = sorted(uows.db.messages.values(), key=lambda m: m.id)
    assert [m.confidential for m in messages] == [False, True, True]
    assert [may_read_message(ADMIN, conv, m) for m in messages] == [True, False, False]
    assert all(may_read_message(HEAD, conv, m) for m in messages)
    next_session(uows, conv_id)
    casework.close(conv_id, Outcome.ULANG, actor=HEAD, uow_factory=uows, now=T0)
    ingest(inbound(3), uow_factory=uows, now=T0)  # reopens: a new round for the admins
    conv = uows.db.conversations[conv_id]
    messages = sorted(uows.db.messages.values(), key=lambda m: m.id)
    assert conv.state is State.NEW
    assert [may_read_message(ADMIN, conv, m) for m in messages] == [True, False, False, True]


def test_the_same_request_again_changes_nothing_even_after_the_case_moved_on(case):
    uows, conv_id = case
    casework.close(conv_id, Outcome.TUNTAS, actor=ADMIN, uow_factory=uows, now=T0, key="tg:7")
    ingest(inbound(2, text="saya kembali"), uow_factory=uows, now=T0)  # reopens the case
    assert uows.db.conversations[conv_id].state is State.NEW
    # the close request delivered again (a restart replays it): the new round stays open
    casework.close(conv_id, Outcome.TUNTAS, actor=ADMIN, uow_factory=uows, now=T0, key="tg:7")
    assert uows.db.conversations[conv_id].state is State.NEW
    # a frozen clock no longer merges two different requests' notices
    both = [COUNSELOR.staff_id, COUNSELOR_2.staff_id]
    casework.hand_off(conv_id, actor=ADMIN, counselors=both, uow_factory=uows, now=T0, key="a")
    casework.claim(conv_id, actor=COUNSELOR, counselors=both, uow_factory=uows, now=T0, key="b")
    casework.release(conv_id, actor=COUNSELOR, counselors=both, uow_factory=uows, now=T0, key="c")
    offers = [o for o in uows.db.outbox.values() if o.options.get("kind") == "offer"]
    assert len(offers) == 3  # two at the hand-off, one again to the other counselor


def test_only_admins_the_head_and_the_assigned_counselor_see_who_the_client_is(case):
    from triage.usecases.identity import identity

    uows, conv_id = case
    assert identity(conv_id, actor=ADMIN, uow_factory=uows).name == "Ibu Sari"
    with pytest.raises(AccessDenied):
        identity(conv_id, actor=COUNSELOR_2, uow_factory=uows)
    casework.hand_off(conv_id, actor=ADMIN, uow_factory=uows, now=T0)
    casework.claim(conv_id, actor=COUNSELOR, uow_factory=uows, now=T0)
    assert identity(conv_id, actor=COUNSELOR, uow_factory=uows).contacts
    assert identity(conv_id, actor=HEAD, uow_factory=uows).state is State.WITH_COUNSELOR
    with pytest.raises(AccessDenied):
        identity(conv_id, actor=COUNSELOR_2, uow_factory=uows)
