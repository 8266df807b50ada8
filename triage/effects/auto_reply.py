"""Our automatic replies to a client (the crisis reply, answers to information questions, the
identity form's questions): queued in the outbox like any reply and kept in the transcript
marked automatic, so the email channel sends them with Auto-Submitted: auto-replied. A client
staff registered offline (triage.domain.intake) has no address: nothing is queued for them."""

from __future__ import annotations

from datetime import datetime

from triage.domain.model import Channel, Conversation, Direction, StoredMessage
from triage.domain.outbox import CHANNEL_TARGET, OutboxItem
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
) -> None:
    """One of our automatic replies: queued, and in the transcript marked automatic (so the
    email channel sends it with Auto-Submitted: auto-replied)."""
    assert conv.id is not None
    if channel not in CHANNEL_TARGET:  # met in person, by phone, by letter: staff talk to them
        return
    options = {"auto_reply": "1"}
    if buttons:  # the hotline's answer buttons (the consent question's)
        options["buttons"] = buttons
    if channel is Channel.EMAIL:  # in the client's thread, as a person's reply would be
        last = uow.messages.latest_inbound(conv.id)
        if last is not None:
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
            next_attempt_at=now,
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
