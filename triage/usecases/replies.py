"""Use case: staff answer a client. The reply becomes an outbox row (sent later, exactly once)
and a transcript entry, on the channel the client last wrote from, signed as the office."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from triage.domain import access, lifecycle
from triage.domain.errors import NotFound, NotNow
from triage.domain.model import (
    Actor,
    Attachment,
    Channel,
    Contact,
    Conversation,
    Direction,
    Role,
    State,
    StoredMessage,
)
from triage.domain.outbox import CHANNEL_TARGET, TARGET_CHANNEL, OutboxItem
from triage.domain.privacy import safe_contact
from triage.effects import safe_send
from triage.effects.steplog import load_locked, log_steps
from triage.ports import UnitOfWork, UnitOfWorkFactory
from triage.usecases._retry import on_conflict


@dataclass(frozen=True)
class ReplyResult:
    outbox_id: int
    message_id: int
    duplicate: bool = False
    later: datetime | None = None  # held to the client's safe hours (/kontak): sent then


def reply_to_client(
    conv_id: int,
    text: str,
    *,
    actor: Actor,
    idempotency_key: str,
    uow_factory: UnitOfWorkFactory,
    now: datetime,
    priority: int = 0,
) -> ReplyResult:
    """`idempotency_key` names the staff action (e.g. the Telegram update it came from), so a
    redelivered action queues nothing twice."""

    def work() -> ReplyResult:
        with uow_factory() as uow:
            existing = uow.outbox.find_key(idempotency_key)
            if existing is not None:
                assert existing.id is not None
                known = uow.messages.find(TARGET_CHANNEL[existing.target], idempotency_key)
                kept = (
                    existing.not_before
                    if existing.not_before and existing.not_before > now
                    else None
                )
                return ReplyResult(existing.id, known.id if known and known.id else 0, True, kept)
            result = _reply(uow, conv_id, text, actor, idempotency_key, now, priority)
            uow.commit()
            return result

    return on_conflict(work, uow_factory.pause)


def _reply(
    uow: UnitOfWork,
    conv_id: int,
    text: str,
    actor: Actor,
    key: str,
    now: datetime,
    priority: int,
) -> ReplyResult:
    conv = load_locked(uow, conv_id)
    contact = uow.contacts.get(conv.reply_contact_id)
    if contact is None:
        raise NotFound(f"contact {conv.reply_contact_id}")
    offline = contact.channel not in CHANNEL_TARGET  # a client met offline: a note, no outbox row
    if offline and (known := uow.messages.find(contact.channel, key)) is not None:
        assert known.id is not None  # redelivered: kept once, whatever the case's state is now
        return ReplyResult(0, known.id, True)
    access.require(access.may_reply(actor, conv), actor, "reply")
    event: lifecycle.Event = (
        lifecycle.CounselorReplied()
        if conv.state is State.WITH_COUNSELOR and actor.role is not Role.ADMIN
        else lifecycle.AdminReplied()
    )
    changed, logged = lifecycle.apply(conv, event, now)
    uow.conversations.save(changed)
    log_steps(uow, changed, logged, now, actor.staff_id)
    if offline:  # a client met offline: what staff write of the
        return _offline_note(uow, conv_id, contact.channel, text, actor, key, now, event)
    contact, at, options = _safely(uow, conv, contact, text, now)
    item = uow.outbox.add(
        OutboxItem(
            id=None,
            idempotency_key=key,
            target=CHANNEL_TARGET[contact.channel],
            recipient=contact.external_id,
            text=text,
            created_at=now,
            next_attempt_at=at,
            not_before=at if at > now else None,  # the client's safe hours
            conversation_id=conv_id,
            priority=priority,
            options=options,
        )
    )
    assert item.id is not None
    message = uow.messages.add(
        StoredMessage(
            id=None,
            conversation_id=conv_id,
            direction=Direction.OUT,
            channel=contact.channel,
            external_id=key,
            text=text,
            created_at=now,
            staff_id=actor.staff_id,
            outbox_id=item.id,
            confidential=isinstance(event, lifecycle.CounselorReplied),
        )
    )
    assert message.id is not None
    return ReplyResult(item.id, message.id, later=at if at > now else None)


def _safely(
    uow: UnitOfWork, conv: Conversation, contact: Contact, text: str, now: datetime
) -> tuple[Contact, datetime, dict[str, str]]:
    """The client's safe-contact preferences (triage.domain.privacy.safe_contact) for a reply
    written long after their last message: their channel, their hours, no thread or office
    name when discreet (staff's words are their own), refused when we may not write first."""
    assert conv.id is not None
    last = uow.messages.latest_inbound(conv.id)
    prefs = safe_send.prefs_of(uow, conv.client_id)
    plan = safe_contact.plan(
        prefs, text, now, last_inbound=safe_contact.last_written(last), discreet=text
    )
    if plan.held:
        raise NotNow(plan.held)
    quiet = {"discreet": "1"} if plan.quiet else {}  # the email channel: no thread, no office
    if plan.channel and plan.channel != contact.channel.value:
        moved = safe_send.contact_on(uow, conv.client_id, plan.channel)
        if moved is None:
            raise NotNow("no_channel")
        return moved, plan.at, quiet  # not in the other channel's thread
    if plan.quiet:
        return contact, plan.at, quiet
    return contact, plan.at, _thread_options(last) if last is not None else {}


def _offline_note(
    uow: UnitOfWork,
    conv_id: int,
    channel: Channel,
    text: str,
    actor: Actor,
    key: str,
    now: datetime,
    event: lifecycle.Event,
) -> ReplyResult:
    """… conversation with the client (in person, by phone) is kept as a note: nothing can be
    sent, and the step counts as their answer (`register` in usecases/ingest.py)."""
    private = isinstance(event, lifecycle.CounselorReplied)
    note = uow.messages.add(_note(conv_id, channel, text, actor, key, now, private))
    assert note.id is not None
    return ReplyResult(0, note.id)


def _note(
    conv_id: int,
    channel: Channel,
    text: str,
    actor: Actor,
    key: str,
    now: datetime,
    confidential: bool,
    attachments: tuple[Attachment, ...] = (),
) -> StoredMessage:
    """A staff note in the transcript: never sent; counseling content when `confidential`."""
    return StoredMessage(
        id=None,
        conversation_id=conv_id,
        direction=Direction.OUT,
        channel=channel,
        external_id=key,
        text=text,
        created_at=now,
        staff_id=actor.staff_id,
        internal=True,
        confidential=confidential,
        attachments=attachments,
    )


def _thread_options(last: StoredMessage) -> dict[str, str]:
    """What a channel needs to thread the reply: the client's last message id and subject."""
    options = {"in_reply_to": last.external_id}
    if last.subject:
        options["subject"] = last.subject
    return options


def add_note(
    conv_id: int,
    text: str,
    *,
    actor: Actor,
    idempotency_key: str,
    uow_factory: UnitOfWorkFactory,
    now: datetime,
    attachments: tuple[Attachment, ...] = (),
) -> int:
    """An internal note (a `//` line, /catatan, a file staff keep with the case): kept in the
    transcript, never sent to the client. Written during counseling it is the counselor's, like
    the rest of the case."""

    def work() -> int:
        with uow_factory() as uow:
            conv = load_locked(uow, conv_id)
            access.require(access.may_reply(actor, conv), actor, "note")
            contact = uow.contacts.get(conv.reply_contact_id)
            if contact is None:
                raise NotFound(f"contact {conv.reply_contact_id}")
            known = uow.messages.find(contact.channel, idempotency_key)
            if known is not None and known.id is not None:
                return known.id
            private = conv.state is State.WITH_COUNSELOR
            note = uow.messages.add(
                _note(
                    conv_id,
                    contact.channel,
                    text,
                    actor,
                    idempotency_key,
                    now,
                    private,
                    attachments,
                )  # fmt: skip
            )
            uow.commit()
            assert note.id is not None
            return note.id

    return on_conflict(work, uow_factory.pause)
