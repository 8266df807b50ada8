from datetime import timedelta

import pytest

from tests.builders import ADMIN, COUNSELOR, T0, inbound
from tests.fakes import FakeUnitOfWorkFactory
from triage.domain.errors import AccessDenied
from triage.domain.model import Channel
from triage.usecases.identity import link_contacts
from triage.usecases.ingest import ingest


def contact_id(uows, channel, external_id):
    with uows() as uow:
        return uow.contacts.find(channel, external_id).id


def test_linking_two_contacts_makes_one_client_and_one_open_conversation():
    uows = FakeUnitOfWorkFactory()
    mail = ingest(
        inbound(1, channel=Channel.EMAIL, sender="sari@example.org"), uow_factory=uows, now=T0
    )
    later = T0 + timedelta(minutes=3)
    ig = ingest(
        inbound(2, channel=Channel.INSTAGRAM, sender="ig-5", at=later), uow_factory=uows, now=later
    )
    keep = contact_id(uows, Channel.EMAIL, "sari@example.org")
    merge = contact_id(uows, Channel.INSTAGRAM, "ig-5")
    client_id = link_contacts(keep, merge, actor=ADMIN, uow_factory=uows, now=later)
    assert len(uows.db.clients) == 1 and len(uows.db.conversations) == 1
    (conv,) = uows.db.conversations.values()
    assert conv.id == mail.conversation_id and conv.client_id == client_id
    assert conv.steps.received == inbound(1).received_at
    assert conv.reply_contact_id == merge  # the client wrote last on Instagram
    assert {m.conversation_id for m in uows.db.messages.values()} == {conv.id}
    assert ig.conversation_id not in uows.db.conversations
    # a new message on either channel now lands in the same conversation
    third = ingest(inbound(3, channel=Channel.INSTAGRAM, sender="ig-5"), uow_factory=uows, now=T0)
    assert third.conversation_id == conv.id


def test_only_admins_and_the_head_link_contacts():
    uows = FakeUnitOfWorkFactory()
    ingest(inbound(1, sender="a"), uow_factory=uows, now=T0)
    ingest(inbound(2, sender="b"), uow_factory=uows, now=T0)
    with pytest.raises(AccessDenied):
        link_contacts(
            contact_id(uows, Channel.HOTLINE, "a"),
            contact_id(uows, Channel.HOTLINE, "b"),
            actor=COUNSELOR,
            uow_factory=uows,
            now=T0,
        )
    assert len(uows.db.clients) == 2
