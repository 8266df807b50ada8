from datetime import timedelta

from tests.builders import ADMIN, COUNSELOR, T0, inbound, next_session
from tests.fakes import FakeConversations, FakeUnitOfWorkFactory
from triage.domain.model import Channel, Outcome, State
from triage.usecases import casework
from triage.usecases.ingest import Cursor, ingest


def test_the_same_message_twice_is_stored_once():
    uows = FakeUnitOfWorkFactory()
    first = ingest(inbound(1), uow_factory=uows, now=T0)
    again = ingest(inbound(1), uow_factory=uows, now=T0)
    assert first.stored and first.new_conversation
    assert not again.stored and again.message_id == first.message_id
    assert len(uows.db.messages) == 1 and len(uows.db.conversations) == 1


def test_a_clients_messages_share_one_open_conversation_and_others_get_their_own():
    uows = FakeUnitOfWorkFactory()
    a1 = ingest(inbound(1, sender="a"), uow_factory=uows, now=T0)
    a2 = ingest(inbound(2, sender="a"), uow_factory=uows, now=T0)
    b1 = ingest(inbound(3, sender="b", name="Pak Budi"), uow_factory=uows, now=T0)
    assert a1.conversation_id == a2.conversation_id != b1.conversation_id
    conv = uows.db.conversations[a1.conversation_id]
    assert conv.state is State.NEW and conv.steps.received == inbound(1).received_at
    assert conv.last_message_at == inbound(2).received_at


def test_the_cursor_is_saved_with_the_message_in_one_commit():
    uows = FakeUnitOfWorkFactory()
    ingest(inbound(1), uow_factory=uows, now=T0, cursor=Cursor("hotline:offset", "41"))
    assert uows.db.cursors == {"hotline:offset": "41"}


def test_a_message_after_a_recent_close_reopens_and_a_late_one_opens_anew():
    uows = FakeUnitOfWorkFactory()
    first = ingest(inbound(1), uow_factory=uows, now=T0)
    casework.close(first.conversation_id, Outcome.TUNTAS, actor=ADMIN, uow_factory=uows, now=T0)
    soon = T0 + timedelta(days=1)
    again = ingest(inbound(2, at=soon), uow_factory=uows, now=soon)
    assert again.reopened and again.conversation_id == first.conversation_id
    reopened = uows.db.conversations[first.conversation_id]
    assert reopened.round == 2 and reopened.state is State.NEW
    next_session(uows, first.conversation_id)
    casework.close(first.conversation_id, Outcome.ULANG, actor=ADMIN, uow_factory=uows, now=soon)
    late = soon + timedelta(days=30)
    fresh = ingest(inbound(3, at=late), uow_factory=uows, now=late)
    assert fresh.new_conversation and fresh.conversation_id != first.conversation_id


def test_the_reply_channel_follows_the_channel_the_client_wrote_from_last():
    uows = FakeUnitOfWorkFactory()
    r = ingest(
        inbound(1, channel=Channel.EMAIL, sender="sari@example.org"), uow_factory=uows, now=T0
    )
    contact_id = uows.db.conversations[r.conversation_id].reply_contact_id
    assert uows.db.contacts[contact_id].channel is Channel.EMAIL


def test_an_empty_display_name_falls_back_to_the_sender_id():
    uows = FakeUnitOfWorkFactory()
    ingest(inbound(1, sender="ig-77", name="   "), uow_factory=uows, now=T0)
    (client,) = uows.db.clients.values()
    assert client.display_name == "ig-77"


def test_a_case_the_one_statement_path_missed_is_found_the_longer_way(monkeypatch):
    """Another worker opened the case between `touch_open` and the contact lookup: the message
    still joins it, as counseling content for the counselor holding it."""
    uows = FakeUnitOfWorkFactory()
    first = ingest(inbound(1), uow_factory=uows, now=T0)
    common = {"uow_factory": uows, "now": T0}
    casework.hand_off(first.conversation_id, actor=ADMIN, counselors=[COUNSELOR.staff_id], **common)
    casework.claim(first.conversation_id, actor=COUNSELOR, **common)
    monkeypatch.setattr(FakeConversations, "touch_open", lambda *args: None)
    second = ingest(inbound(2), uow_factory=uows, now=T0)
    assert second.conversation_id == first.conversation_id
    assert not (second.new_conversation or second.reopened)
    message = uows.db.messages[second.message_id]
    assert message.confidential and message.counselor_id == COUNSELOR.staff_id
    assert uows.db.conversations[first.conversation_id].last_message_at == inbound(2).received_at
