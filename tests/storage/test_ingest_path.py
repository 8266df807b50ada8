"""The ingest's one-statement path (`touch_open`): the same walk on the fakes, SQLite and
PostgreSQL. It finds the open case of a known sender, writes the reply address and moves the
last-message time forward only, and says None whenever the longer way must decide."""

from datetime import timedelta

from tests.builders import ADMIN, COUNSELOR, T0, inbound
from triage.domain.model import Channel, Contact, Outcome, State
from triage.usecases import casework
from triage.usecases.ingest import ingest


def test_touch_open_finds_the_known_senders_open_case_and_its_state(any_uows):
    uows = any_uows
    conv = ingest(inbound(1, sender="sari"), uow_factory=uows, now=T0).conversation_id
    later, earlier = T0 + timedelta(hours=1), T0 - timedelta(hours=1)
    with uows() as uow:
        hotline = uow.contacts.find(Channel.HOTLINE, "sari")
        assert hotline is not None and hotline.id is not None
        mail = uow.contacts.add(
            Contact(None, hotline.client_id, Channel.EMAIL, "sari@example.org", "Sari")
        )
        touched = uow.conversations.touch_open(Channel.HOTLINE, "sari", later)
        assert touched is not None
        assert touched[0] == hotline.id
        assert (touched[1].id, touched[1].state, touched[1].counselor_id) == (conv, State.NEW, None)
        # the same client from another channel: replies follow that channel from now on
        by_mail = uow.conversations.touch_open(Channel.EMAIL, "sari@example.org", earlier)
        assert by_mail is not None and by_mail[0] == mail.id and by_mail[1].id == conv
        uow.commit()
    with uows() as uow:
        stored = uow.conversations.get(conv)
        assert stored is not None
        assert stored.reply_contact_id == mail.id
        assert stored.last_message_at == later  # the earlier message did not move it back
        assert uow.conversations.touch_open(Channel.HOTLINE, "stranger", later) is None
        assert uow.conversations.touch_open(Channel.EMAIL, "sari", later) is None  # other channel


def test_touch_open_reports_the_counselor_holding_the_case_and_nothing_once_closed(any_uows):
    uows = any_uows
    conv = ingest(inbound(1, sender="sari"), uow_factory=uows, now=T0).conversation_id
    common = {"uow_factory": uows, "now": T0}
    casework.hand_off(conv, actor=ADMIN, counselors=[COUNSELOR.staff_id], **common)
    casework.claim(conv, actor=COUNSELOR, **common)
    with uows() as uow:
        touched = uow.conversations.touch_open(Channel.HOTLINE, "sari", T0)
        assert touched is not None
        assert (touched[1].state, touched[1].counselor_id) == (
            State.WITH_COUNSELOR,
            COUNSELOR.staff_id,
        )
    casework.close(conv, Outcome.TUNTAS, actor=COUNSELOR, **common)
    with uows() as uow:
        assert uow.conversations.touch_open(Channel.HOTLINE, "sari", T0) is None
    # the longer way then reopens it, and the message is not counseling content any more
    back = T0 + timedelta(hours=2)
    again = ingest(inbound(2, sender="sari", at=back), uow_factory=uows, now=back)
    assert again.reopened and again.conversation_id == conv
    with uows() as uow:
        (message,) = [m for m in uow.messages.for_conversation(conv) if m.id == again.message_id]
        assert not message.confidential and message.counselor_id is None
