"""A client's message arriving while staff change the case (PostgreSQL, real row locks).

The staff action is held after writing the conversation, before its commit. The ingest's
one-statement touch must wait for it and then file the message by what the action left:
counseling content for the counselor who claimed, a new round after a close."""

from datetime import timedelta

import pytest

from storage.repositories.conversations import SqlConversations
from storage.unit_of_work import SqlUnitOfWorkFactory
from tests.builders import ADMIN, COUNSELOR, T0, inbound
from tests.support.held import HeldInside, run_in_thread
from tests.support.waiting import wait_for_a_lock_wait
from triage.domain.model import Outcome, State
from triage.usecases import casework
from triage.usecases.ingest import ingest

pytestmark = pytest.mark.pg


def held_after_save(monkeypatch, action):
    """A staff action, held once it has written the conversation (its row lock held)."""
    return HeldInside(monkeypatch, SqlConversations, "save", action)


def ingest_in_thread(uows, msg):
    return run_in_thread(lambda: ingest(msg, uow_factory=uows, now=msg.received_at))


@pytest.fixture
def uows(pg_engine):
    return SqlUnitOfWorkFactory(pg_engine)


def test_a_message_during_a_claim_is_counseling_content_for_the_claiming_counselor(
    uows, pg_engine, monkeypatch
):
    conv = ingest(inbound(1), uow_factory=uows, now=T0).conversation_id
    common = {"uow_factory": uows, "now": T0}
    casework.hand_off(conv, actor=ADMIN, counselors=[COUNSELOR.staff_id], **common)
    with held_after_save(monkeypatch, lambda: casework.claim(conv, actor=COUNSELOR, **common)):
        thread, box = ingest_in_thread(uows, inbound(2))
        wait_for_a_lock_wait(pg_engine)
    thread.join(30)
    result = box["result"]
    assert result.conversation_id == conv and not (result.reopened or result.new_conversation)
    with uows() as uow:
        (message,) = [m for m in uow.messages.for_conversation(conv) if m.id == result.message_id]
        # the state under the lock was the claim's: the message is the counselor's
        assert message.confidential and message.counselor_id == COUNSELOR.staff_id


def test_a_message_during_a_close_opens_a_new_round_of_the_case(uows, pg_engine, monkeypatch):
    conv = ingest(inbound(1), uow_factory=uows, now=T0).conversation_id
    close = lambda: casework.close(conv, Outcome.TUNTAS, actor=ADMIN, uow_factory=uows, now=T0)  # noqa: E731
    with held_after_save(monkeypatch, close):
        thread, box = ingest_in_thread(uows, inbound(2, at=T0 + timedelta(hours=1)))
        wait_for_a_lock_wait(pg_engine)
    thread.join(30)
    result = box["result"]
    assert result.conversation_id == conv and result.reopened
    with uows() as uow:
        reopened = uow.conversations.get(conv)
        assert reopened is not None
        assert (reopened.state, reopened.round) == (State.NEW, 2)
        (message,) = [m for m in uow.messages.for_conversation(conv) if m.id == result.message_id]
        assert not message.confidential and message.counselor_id is None
