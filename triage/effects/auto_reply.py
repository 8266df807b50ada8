"""Our automatic replies to a client (the crisis reply, answers to information questions, the
identity form's questions): queued in the outbox like any reply and kept in the transcript
marked automatic, so the email channel sends them with Auto-Submitted: auto-replied. A client
staff registered offline (triage.domain.intake) has no address: nothing is queued for them. What
we send first follows the client's safe-contact preferences (triage.domain.privacy.safe_contact):
their channel, their hours, the discreet wording, or nothing and staff told."""

from __future__ import annotations

from datetime import datetime

from triage.domain import notices
from triage.domain.model import Channel, Conversation, Direction, StoredMessage
from triage.domain.notices import Kind
from triage.domain.outbox import CHANNEL_TARGET, OutboxItem
from triage.domain.privacy import safe_contact
from triage.effects import notify, safe_send
from triage.ports import UnitOfWork


def send_auto(
    uow: UnitOfWork,
    conv: Conversation,
    channel: Channel,
    recipient: str,
    key: str,
    body: str,
    now: datetime,
    *,
    priority: int,
    buttons: str | None = None,
    discreet: str | None = None,
    before: datetime | None = None,
) -> None:
    """One of our automatic replies: queued, and in the transcript marked automatic (so the
    email channel sends it with Auto-Submitted: auto-replied). `discreet`: its wording for a
    client who asked for discretion; `before`: it is worthless from then (a session's start)."""
    assert conv.id is not None
    if channel not in CHANNEL_TARGET:  # met in person, by phone, by letter: staff talk to them
        return
    prefs = safe_send.prefs_of(uow, conv.client_id)
    # read only when it counts: the client's hours, or the mail thread to answer in
    last = uow.messages.latest_inbound(conv.id) if prefs.any or channel is Channel.EMAIL else None
    plan = safe_contact.plan(
        prefs, body, now, last_inbound=safe_contact.last_written(last), discreet=discreet,
        before=before, urgent=priority >= notices.URGENT_PRIORITY,  # the crisis reply: always
    )  # fmt: skip
    if plan.channel is not None and plan.channel != channel.value and not plan.held:
        moved = safe_send.contact_on(uow, conv.client_id, plan.channel)
        if moved is None:
            plan = safe_contact.Plan(body, now, held="no_channel")
        else:
            channel, recipient = moved.channel, moved.external_id
    if plan.held:
        _tell_staff_held(uow, conv, key, plan.held, body, now)
        return
    body = plan.body
    options = {"auto_reply": "1"}
    if buttons:  # the hotline's answer buttons (the consent question's)
        options["buttons"] = buttons
    if plan.quiet:  # the email channel sends it on its own: no thread, no office name
        options["discreet"] = "1"
    elif channel is Channel.EMAIL and last is not None and last.channel is Channel.EMAIL:
        # in the client's thread, as a person's reply would be
        options["in_reply_to"] = last.external_id
        if last.subject:
            options["subject"] = last.subject
    item = uow.outbox.add(
        OutboxItem(
            id=None,
            idempotency_key=key,
            target=CHANNEL_TARGET[channel],
            recipient=recipient,
            text=body,
            created_at=now,
            next_attempt_at=plan.at,
            not_before=plan.at if plan.at > now else None,  # the client's safe hours
            conversation_id=conv.id,
            priority=priority,
            options=options,
        )
    )
    uow.messages.add(
        StoredMessage(
            id=None,
            conversation_id=conv.id,
            direction=Direction.OUT,
            channel=channel,
            external_id=key,
            text=body,
            created_at=now,
            auto_generated=True,
            outbox_id=item.id,
        )
    )


def _tell_staff_held(
    uow: UnitOfWork, conv: Conversation, key: str, why: str, body: str, now: datetime
) -> None:
    """Not sent for the client's safety: the topic is told what, and why (staff decide)."""
    assert conv.id is not None
    notify.queue(uow, key=f"{key}:held", recipient=notices.group(conv.id), kind=Kind.STATUS,
                 now=now, conv=conv, text=body, event=f"contact_{why}",
                 **notify.client_fields(uow, conv))  # fmt: skip
