"""Use case: a client's message arrives from any channel and lands in the unified inbox.

Exactly once: the message's (channel, external id) is unique, the channel's cursor is saved in
the same transaction, and a lost race with another worker is retried (it then sees the winner).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from triage import lifecycle
from triage.casework import log_steps
from triage.model import (
    Client,
    Contact,
    Conversation,
    Direction,
    InboundMessage,
    State,
    Steps,
    StoredMessage,
)
from triage.ports import UnitOfWork, UnitOfWorkFactory
from triage.retrying import on_conflict

DEFAULT_REOPEN_WINDOW = timedelta(days=7)


@dataclass(frozen=True)
class IngestResult:
    stored: bool  # False: we had this message already
    conversation_id: int
    message_id: int
    new_conversation: bool = False
    reopened: bool = False


@dataclass(frozen=True)
class Cursor:
    key: str
    value: str


def ingest(
    msg: InboundMessage,
    *,
    uow_factory: UnitOfWorkFactory,
    now: datetime,
    cursor: Cursor | None = None,
    reopen_window: timedelta = DEFAULT_REOPEN_WINDOW,
) -> IngestResult:
    """Store `msg` once, in its client's open conversation (a new one, or the last one reopened
    if it closed less than `reopen_window` ago), and advance the channel cursor with it."""

    def work() -> IngestResult:
        with uow_factory() as uow:
            result = _ingest(uow, msg, now, reopen_window)
            if cursor is not None:
                uow.cursors.set(cursor.key, cursor.value)
            uow.commit()
            return result

    return on_conflict(work)


def _ingest(
    uow: UnitOfWork, msg: InboundMessage, now: datetime, reopen_window: timedelta
) -> IngestResult:
    known = uow.messages.find(msg.channel, msg.external_id)
    if known is not None:
        assert known.id is not None
        return IngestResult(False, known.conversation_id, known.id)
    contact = _contact_for(uow, msg, now)
    uow.clients.lock(contact.client_id)
    conv, new, reopened = _conversation_for(uow, contact, msg, now, reopen_window)
    assert conv.id is not None
    stored = uow.messages.add(
        StoredMessage(
            id=None,
            conversation_id=conv.id,
            direction=Direction.IN,
            channel=msg.channel,
            external_id=msg.external_id,
            text=msg.text,
            created_at=msg.received_at,
            contact_id=contact.id,
            subject=msg.subject,
            attachments=msg.attachments,
            auto_generated=msg.auto_generated,
        )
    )
    assert stored.id is not None
    return IngestResult(True, conv.id, stored.id, new, reopened)


def _contact_for(uow: UnitOfWork, msg: InboundMessage, now: datetime) -> Contact:
    contact = uow.contacts.find(msg.channel, msg.sender_id)
    if contact is not None:
        return contact
    name = msg.sender_name.strip() or msg.sender_id
    client = uow.clients.add(Client(id=None, display_name=name, created_at=now))
    assert client.id is not None
    return uow.contacts.add(
        Contact(
            id=None,
            client_id=client.id,
            channel=msg.channel,
            external_id=msg.sender_id,
            display_name=name,
        )
    )


def _conversation_for(
    uow: UnitOfWork,
    contact: Contact,
    msg: InboundMessage,
    now: datetime,
    reopen_window: timedelta,
) -> tuple[Conversation, bool, bool]:
    assert contact.id is not None
    conv = uow.conversations.open_for_client(contact.client_id)
    if conv is not None:
        conv = _touch(conv, contact.id, msg)
        uow.conversations.save(conv)
        return conv, False, False
    last = uow.conversations.latest_for_client(contact.client_id)
    if (
        last is not None
        and last.steps.closed is not None
        and now - last.steps.closed <= reopen_window
    ):
        reopened, logged = lifecycle.apply(last, lifecycle.Reopened(), msg.received_at)
        reopened = _touch(reopened, contact.id, msg)
        uow.conversations.save(reopened)
        log_steps(uow, reopened, logged, msg.received_at)
        return reopened, False, True
    created = uow.conversations.add(
        Conversation(
            id=None,
            client_id=contact.client_id,
            state=State.NEW,
            opened_at=msg.received_at,
            last_message_at=msg.received_at,
            reply_contact_id=contact.id,
            steps=Steps(received=msg.received_at),
        )
    )
    log_steps(uow, created, ["received"], msg.received_at)
    return created, True, False


def _touch(conv: Conversation, contact_id: int, msg: InboundMessage) -> Conversation:
    """Replies go back on the channel the client wrote from last."""
    return replace(
        conv,
        reply_contact_id=contact_id,
        last_message_at=max(conv.last_message_at, msg.received_at),
    )
