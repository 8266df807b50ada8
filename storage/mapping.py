"""Rows to domain objects and back. The core never sees a row."""

from __future__ import annotations

from typing import Any

from triage.domain.model import (
    STEP_NAMES,
    Attachment,
    Channel,
    Client,
    Contact,
    Conversation,
    Direction,
    Outcome,
    State,
    StepRecord,
    Steps,
    StoredMessage,
)
from triage.domain.outbox import OutboxItem, OutboxStatus, Target


def client(r: Any) -> Client:
    return Client(
        id=r.id,
        display_name=r.display_name,
        created_at=r.created_at,
        office_id=r.office_id,
        consent=r.consent,
        consent_at=r.consent_at,
        safe_contact=r.safe_contact,
    )


def contact(r: Any) -> Contact:
    return Contact(
        id=r.id,
        client_id=r.client_id,
        channel=Channel(r.channel),
        external_id=r.external_id,
        display_name=r.display_name,
    )


def conversation(r: Any) -> Conversation:
    return Conversation(
        id=r.id,
        client_id=r.client_id,
        state=State(r.state),
        opened_at=r.opened_at,
        last_message_at=r.last_message_at,
        reply_contact_id=r.reply_contact_id,
        steps=Steps(**{name: getattr(r, f"{name}_at") for name in STEP_NAMES}),
        outcome=Outcome(r.outcome) if r.outcome else None,
        counselor_id=r.counselor_id,
        round=r.round,
        urgent=r.urgent,
        category=r.category,
        office_id=r.office_id,
        risk=r.risk,
        risk_set_at=r.risk_set_at,
        category_by_staff=r.category_by_staff,
    )


def conversation_values(c: Conversation) -> dict[str, Any]:
    values: dict[str, Any] = {
        "client_id": c.client_id,
        "state": c.state.value,
        "outcome": c.outcome.value if c.outcome else None,
        "opened_at": c.opened_at,
        "last_message_at": c.last_message_at,
        "reply_contact_id": c.reply_contact_id,
        "counselor_id": c.counselor_id,
        "round": c.round,
        "urgent": c.urgent,
        "category": c.category,
        "office_id": c.office_id,
        "risk": c.risk,
        "risk_set_at": c.risk_set_at,
        "category_by_staff": c.category_by_staff,
    }
    values.update({f"{name}_at": at for name, at in c.steps.as_dict().items()})
    return values


def message(r: Any) -> StoredMessage:
    return StoredMessage(
        id=r.id,
        conversation_id=r.conversation_id,
        direction=Direction(r.direction),
        channel=Channel(r.channel),
        external_id=r.external_id,
        text=r.text,
        created_at=r.created_at,
        contact_id=r.contact_id,
        staff_id=r.staff_id,
        subject=r.subject,
        attachments=tuple(Attachment(**a) for a in (r.attachments or [])),
        auto_generated=r.auto_generated,
        outbox_id=r.outbox_id,
        confidential=r.confidential,
        internal=r.internal,
        relayed=r.relayed,
        counselor_id=r.counselor_id,
        risk=r.risk,
        masked=r.masked,
    )


def message_values(m: StoredMessage) -> dict[str, Any]:
    return {
        "conversation_id": m.conversation_id,
        "direction": m.direction.value,
        "channel": m.channel.value,
        "external_id": m.external_id,
        "text": m.text,
        "created_at": m.created_at,
        "contact_id": m.contact_id,
        "staff_id": m.staff_id,
        "subject": m.subject,
        "attachments": [a.__dict__ for a in m.attachments] or None,
        "auto_generated": m.auto_generated,
        "outbox_id": m.outbox_id,
        "confidential": m.confidential,
        "internal": m.internal,
        "relayed": m.relayed,
        "counselor_id": m.counselor_id,
        "risk": m.risk,
        "masked": m.masked,
    }


def step(r: Any) -> StepRecord:
    return StepRecord(
        conversation_id=r.conversation_id,
        step=r.step,
        at=r.at,
        round=r.round,
        staff_id=r.staff_id,
        detail=r.detail,
    )


def step_values(s: StepRecord) -> dict[str, Any]:
    return {
        "conversation_id": s.conversation_id,
        "step": s.step,
        "at": s.at,
        "round": s.round,
        "staff_id": s.staff_id,
        "detail": s.detail,
    }


def outbox(r: Any) -> OutboxItem:
    return OutboxItem(
        id=r.id,
        idempotency_key=r.idempotency_key,
        target=Target(r.target),
        recipient=r.recipient,
        text=r.text,
        created_at=r.created_at,
        next_attempt_at=r.next_attempt_at,
        conversation_id=r.conversation_id,
        priority=r.priority,
        options=dict(r.options or {}),
        status=OutboxStatus(r.status),
        attempts=r.attempts,
        claims=r.claims,
        interrupted=r.interrupted,
        lease_until=r.lease_until,
        remote_id=r.remote_id,
        last_error=r.last_error,
        sent_at=r.sent_at,
        not_before=r.not_before,
    )


def outbox_values(o: OutboxItem) -> dict[str, Any]:
    return {
        "idempotency_key": o.idempotency_key,
        "target": o.target.value,
        "recipient": o.recipient,
        "text": o.text,
        "conversation_id": o.conversation_id,
        "priority": o.priority,
        "options": o.options or None,
        "status": o.status.value,
        "attempts": o.attempts,
        "claims": o.claims,
        "interrupted": o.interrupted,
        "created_at": o.created_at,
        "next_attempt_at": o.next_attempt_at,
        "lease_until": o.lease_until,
        "remote_id": o.remote_id,
        "last_error": o.last_error,
        "sent_at": o.sent_at,
        "not_before": o.not_before,
    }


def contact_from(values: dict[str, Any]) -> Contact:
    return Contact(
        id=values["id"],
        client_id=values["client_id"],
        channel=Channel(values["channel"]),
        external_id=values["external_id"],
        display_name=values["display_name"],
    )
