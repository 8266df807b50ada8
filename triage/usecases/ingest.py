"""Use case: a client's message arrives from any channel and lands in the unified inbox; or
staff register a client who came in person, phoned, wrote a letter or was referred
(triage.domain.intake: `register`): the client, a contact without an address and a conversation
are made as for a first message, what they came with is that message (the relay then reads it,
posts the card and opens the topic), and registering it is the admin's first answer.

Exactly once: the message's (channel, external id) is unique, the channel's cursor is saved in
the same transaction, and a lost race with another worker is retried (it then sees the winner).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from triage.domain import access, lifecycle, survey
from triage.domain.forms.dialogue import FormState
from triage.domain.intake import INTAKE, IncomingReferral, Intake
from triage.domain.model import (
    COUNSELING_STATES,
    Actor,
    Channel,
    Client,
    Contact,
    Conversation,
    Direction,
    InboundMessage,
    Outcome,
    State,
    Steps,
    StoredMessage,
    storable,
)
from triage.effects.steplog import load_locked, log_steps
from triage.ports import UnitOfWork, UnitOfWorkFactory
from triage.usecases._retry import on_conflict

DEFAULT_REOPEN_WINDOW = timedelta(days=7)


@dataclass(frozen=True)
class IngestResult:
    stored: bool  # False: we had this message already
    conversation_id: int
    message_id: int
    new_conversation: bool = False
    reopened: bool = False
    survey_answer: bool = False  # the scores of the closed case's survey: reopens nothing


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
    msg = storable(msg)

    def work() -> IngestResult:
        with uow_factory() as uow:
            result = store(uow, msg, now, reopen_window)
            if result is None:  # stored before: undo this attempt, keep only the cursor
                uow.rollback()
                known = uow.messages.find(msg.channel, msg.external_id)
                assert known is not None and known.id is not None
                result = IngestResult(False, known.conversation_id, known.id)
            if cursor is not None:
                uow.cursors.set(cursor.key, cursor.value)
            uow.commit()
            return result

    return on_conflict(work, uow_factory.pause)


def store(
    uow: UnitOfWork, msg: InboundMessage, now: datetime, reopen_window: timedelta
) -> IngestResult | None:
    """Store the message in an open unit of work, or return None if it was stored before (the
    caller rolls back); also what registers a client staff met offline (`register` below).
    The duplicate check is the insert itself: no extra round trip on the common path."""
    if msg.edit_of is not None:
        original = uow.messages.find(msg.channel, msg.edit_of)
        if original is not None:
            return _store_edit(uow, msg, original)
    new, reopened, answered, current = False, False, False, None
    touched = uow.conversations.touch_open(msg.channel, msg.sender_id, msg.received_at)
    if touched is not None:  # the common case: a known sender writing into an open case
        contact_id, current = touched
        conv_id = current.id
    else:
        found = uow.contacts.find_for_ingest(msg.channel, msg.sender_id)
        if found is None:  # a new client: nothing to reopen
            contact = _new_contact(uow, msg, now)
            conv_id, new = _start_conversation(uow, contact, msg), True
        else:
            contact, open_conv = found
            assert contact.id is not None
            if open_conv is not None:  # opened by another worker since touch_open looked
                current = uow.conversations.touch(open_conv.id, contact.id, msg.received_at)
                conv_id = open_conv.id
            else:
                conv_id, new, reopened, answered = _reopen_or_start(
                    uow, contact, msg, reopen_window
                )
        assert contact.id is not None
        contact_id = contact.id
    # counseling content is for the counselor only; the state is the one under the row lock
    confidential = current is not None and current.state in COUNSELING_STATES
    owner = (
        current.counselor_id
        if current is not None and current.state is State.WITH_COUNSELOR
        else None
    )
    message_id = uow.messages.add_new(
        StoredMessage(
            id=None,
            conversation_id=conv_id,
            direction=Direction.IN,
            channel=msg.channel,
            external_id=msg.external_id,
            text=msg.text,
            created_at=msg.received_at,
            contact_id=contact_id,
            subject=msg.subject,
            attachments=msg.attachments,
            auto_generated=msg.auto_generated,
            confidential=confidential,
            counselor_id=owner,
            relayed=answered,  # scores are the report's, not a message for staff to answer
        )
    )
    if message_id is None:
        return None
    return IngestResult(True, conv_id, message_id, new, reopened, answered)


def _store_edit(
    uow: UnitOfWork, msg: InboundMessage, original: StoredMessage
) -> IngestResult | None:
    """A client changed a message: the new text joins the original's conversation without
    reopening anything. It is counseling content if the original was, or if the case is in
    counseling now (read under the conversation's lock); then it belongs to the original's
    counselor, or to the one holding the case now."""
    conv = uow.conversations.get(original.conversation_id, lock=True)
    counseling_now = conv is not None and conv.state in COUNSELING_STATES
    owner = original.counselor_id
    if owner is None and conv is not None and conv.state is State.WITH_COUNSELOR:
        owner = conv.counselor_id
    message_id = uow.messages.add_new(
        replace(
            original,
            id=None,
            external_id=msg.external_id,
            text=msg.text,
            created_at=msg.received_at,
            attachments=msg.attachments,
            relayed=False,
            confidential=original.confidential or counseling_now,
            counselor_id=owner if (original.confidential or counseling_now) else None,
        )
    )
    if message_id is None:
        return None
    return IngestResult(True, original.conversation_id, message_id)


def _new_contact(
    uow: UnitOfWork, msg: InboundMessage, now: datetime, client_id: int | None = None
) -> Contact:
    name = msg.sender_name.strip() or msg.sender_id
    if client_id is None:
        client = uow.clients.add(
            Client(id=None, display_name=name, created_at=now, office_id=uow.office_id)
        )
        assert client.id is not None
        client_id = client.id
    return uow.contacts.add(
        Contact(
            id=None,
            client_id=client_id,
            channel=msg.channel,
            external_id=msg.sender_id,
            display_name=name,
        )
    )


def _reopen_or_start(
    uow: UnitOfWork, contact: Contact, msg: InboundMessage, reopen_window: timedelta
) -> tuple[int, bool, bool, bool]:
    """No open conversation: reopen the one the message answers (an email naming one of this
    client's conversations in In-Reply-To/References, however old), or the last one if it
    closed recently; else start one. A reply that is the scores of the closed case's survey
    stays in that case as its answer. Returns (conversation id, new, reopened, answered).

    Threading never crosses clients: a stranger naming a conversation's Message-ID (someone
    the client copied in, or a guess) starts their own conversation; an admin links the two
    if they are the same person."""
    assert contact.id is not None
    last = uow.conversations.latest_for_client(contact.client_id)
    answered = _answered_conversation(uow, msg, contact.client_id)
    if answered is not None:
        last = answered
    if last is not None and last.id is not None and _answers_survey(uow, last, msg):
        return last.id, False, False, True
    if (
        last is not None
        and last.steps.closed is not None
        and last.outcome is not Outcome.BERHENTI  # consent taken back: writing again is new
        and (answered is not None or msg.received_at - last.steps.closed <= reopen_window)
    ):
        reopened, logged = lifecycle.apply(last, lifecycle.Reopened(), msg.received_at)
        reopened = replace(
            reopened,
            reply_contact_id=contact.id,
            last_message_at=max(last.last_message_at, msg.received_at),
        )
        uow.conversations.save(reopened, expect=State.CLOSED)  # two reopeners: one wins
        log_steps(uow, reopened, logged, msg.received_at)
        assert reopened.id is not None
        return reopened.id, False, True, False
    return _start_conversation(uow, contact, msg), True, False, False


def _answers_survey(uow: UnitOfWork, last: Conversation, msg: InboundMessage) -> bool:
    """The reply is the closed case's survey answer (triage.domain.survey.only_answer): kept, and it
    reopens nothing. The text is read before the survey is looked up (no query for others)."""
    assert last.id is not None
    if msg.auto_generated or last.state is not State.CLOSED:
        return False
    answer = survey.only_answer(msg.text, bool(msg.attachments))
    asked = uow.surveys.get(last.id, last.round) if answer is not None else None
    if answer is None or asked is None or not survey.awaits_answer(asked, msg.received_at):
        return False
    scores, comment = answer
    uow.surveys.save(replace(asked, answered_at=msg.received_at, scores=scores, comment=comment))
    return True


def _answered_conversation(
    uow: UnitOfWork, msg: InboundMessage, client_id: int
) -> Conversation | None:
    refs = [r for r in (msg.in_reply_to, *reversed(msg.references)) if r]
    if not refs or msg.auto_generated:
        return None
    conv_id = uow.messages.thread_conversation(msg.channel, refs)
    conv = uow.conversations.get(conv_id) if conv_id is not None else None
    return conv if conv is not None and conv.client_id == client_id else None


def _start_conversation(uow: UnitOfWork, contact: Contact, msg: InboundMessage) -> int:
    assert contact.id is not None
    created = uow.conversations.add(
        Conversation(
            id=None,
            client_id=contact.client_id,
            state=State.NEW,
            opened_at=msg.received_at,
            last_message_at=msg.received_at,
            reply_contact_id=contact.id,
            steps=Steps(received=msg.received_at),
            office_id=uow.office_id,
        )
    )
    log_steps(uow, created, ["received"], msg.received_at)
    assert created.id is not None
    return created.id


NAME = "nama"  # the identity form's name field (triage.domain.forms.spec)


@dataclass(frozen=True)
class Registered:
    conversation_id: int
    duplicate: bool = False  # registered before, by the same staff action


def register(
    intake: Intake, *, actor: Actor, key: str, uow_factory: UnitOfWorkFactory, now: datetime
) -> Registered:
    """`key` names the staff action (the Telegram update): registering twice makes one case."""
    access.require(access.may_register_client(actor), actor, "register a client")
    msg = storable(
        InboundMessage(
            channel=intake.channel,
            external_id=f"{INTAKE}{key}",
            sender_id=f"{intake.channel.value}:{key}",  # no address: nothing is ever sent to it
            sender_name=intake.name,
            text=intake.summary,
            received_at=now,
        )
    )  # without NUL characters, as any message

    def work() -> Registered:
        with uow_factory() as uow:
            stored = store(uow, msg, now, DEFAULT_REOPEN_WINDOW)
            if stored is None:
                uow.rollback()
                known = uow.messages.find(msg.channel, msg.external_id)
                assert known is not None
                return Registered(known.conversation_id, duplicate=True)
            conv = load_locked(uow, stored.conversation_id)
            # the name staff wrote down is the form's: they fill the rest with /identitas
            uow.forms.save(FormState(conv.id, None, {NAME: intake.name[:60]}, "staff"))
            changed, logged = lifecycle.apply(conv, lifecycle.AdminReplied(), now)
            uow.conversations.save(changed)
            log_steps(uow, changed, logged, now, actor.staff_id, detail=intake.channel.value)
            if intake.channel is Channel.RUJUKAN:
                uow.referrals.add_incoming(
                    IncomingReferral(
                        stored.conversation_id,
                        intake.origin,
                        intake.letter_number,
                        intake.letter_date,
                        actor.staff_id,
                        now,
                    )
                )
            uow.commit()
            return Registered(stored.conversation_id)

    return on_conflict(work, uow_factory.pause)
