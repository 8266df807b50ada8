"""Read model of the unified inbox: each conversation with its client, channel, messages, step
times and SLA deadlines, ready for `puspaga inbox --json` and the demo's table; and a case's
story opened by one admin in their private chat (minimal disclosure)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from triage.domain import access, notices
from triage.domain.errors import AccessDenied, NotFound
from triage.domain.model import Actor, Contact, Conversation, State, StepRecord, StoredMessage
from triage.domain.notices import Kind
from triage.domain.outbox import OutboxItem
from triage.domain.records import AuditEntry
from triage.domain.schedule.sla import Deadline
from triage.effects.notify import client_fields, queue_content
from triage.ports import UnitOfWorkFactory


@dataclass(frozen=True)
class ConversationView:
    conversation: Conversation
    client_name: str
    contacts: list[Contact]
    messages: list[StoredMessage]
    steps: list[StepRecord]
    outbox: list[OutboxItem]
    deadlines: list[tuple[str, Deadline]] = field(default_factory=list)


def snapshot(uow_factory: UnitOfWorkFactory) -> list[ConversationView]:
    """Every conversation, newest activity first."""
    views = []
    with uow_factory() as uow:
        for conv in uow.conversations.all():
            assert conv.id is not None
            client = uow.clients.get(conv.client_id)
            views.append(
                ConversationView(
                    conversation=conv,
                    client_name=client.display_name if client else "?",
                    contacts=uow.contacts.for_client(conv.client_id),
                    messages=uow.messages.for_conversation(conv.id),
                    steps=uow.steps.for_conversation(conv.id),
                    outbox=uow.outbox.for_conversation(conv.id),
                    deadlines=uow.deadlines.for_conversation(conv.id),
                )
            )
    views.sort(key=lambda v: v.conversation.last_message_at, reverse=True)
    return views


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def as_json(view: ConversationView) -> dict[str, object]:
    """The `inbox --json` contract (README.md, Commands): stable keys, ISO 8601 times in UTC."""
    conv = view.conversation
    return {
        "id": conv.id,
        "client": {"id": conv.client_id, "name": view.client_name},
        "contacts": [
            {"id": c.id, "channel": c.channel.value, "external_id": c.external_id}
            for c in view.contacts
        ],
        "state": conv.state.value,
        "outcome": conv.outcome.value if conv.outcome else None,
        "round": conv.round,
        "urgent": conv.urgent,
        "category": conv.category,
        "counselor_id": conv.counselor_id,
        "opened_at": _iso(conv.opened_at),
        "last_message_at": _iso(conv.last_message_at),
        "steps": {name: _iso(at) for name, at in conv.steps.as_dict().items()},
        "deadlines": [
            {
                "step": d.step,
                "level": "reminder" if d.level == 0 else "escalation",
                "round": d.round,
                "since": _iso(d.since),
                "due_at": _iso(d.due_at),
                "status": status,
            }
            for status, d in view.deadlines
        ],
        "step_log": [
            {
                "step": s.step,
                "at": _iso(s.at),
                "round": s.round,
                "staff_id": s.staff_id,
                "detail": s.detail,
            }
            for s in view.steps
        ],
        "messages": [
            {
                "id": m.id,
                "direction": m.direction.value,
                "channel": m.channel.value,
                "external_id": m.external_id,
                "at": _iso(m.created_at),
                "subject": m.subject,
                "text": m.text,
                "attachments": [
                    {"filename": a.filename, "content_type": a.content_type, "size": a.size}
                    for a in m.attachments
                ],
                "auto_generated": m.auto_generated,
                "delivery": _delivery(view.outbox, m.outbox_id),
            }
            for m in view.messages
        ],
    }


def _delivery(outbox: list[OutboxItem], outbox_id: int | None) -> str | None:
    for item in outbox:
        if item.id == outbox_id:
            return item.status.value
    return None


def open_privately(
    conv_id: int, *, actor: Actor, uow_factory: UnitOfWorkFactory, now: datetime, key: str
) -> int:
    """The case's story as the group's summary leaves it out (`[consent] group_view =
    "ringkas"`), into the admin's private chat: a reply to it answers the client. What they may
    read only (counseling content stays the counselor's; before consent, placeholders); the
    opening is audited. Returns the posts queued."""
    with uow_factory() as uow:
        conv = uow.conversations.get(conv_id)
        if conv is None:
            raise NotFound(f"conversation {conv_id}")
        if not access.may_view_identity(actor, conv):
            uow.audit.append(AuditEntry(now, actor.staff_id, actor.role.value,
                                        "content.open.denied", conv_id))  # fmt: skip
            uow.commit()
            raise AccessDenied(actor.staff_id, "content.open")
        if uow.outbox.find_key(f"open:{conv_id}:{key}:0") is not None:
            return 0  # the same tap redelivered: opened and audited once
        story = [m for m in uow.messages.for_conversation(conv_id)
                 if not m.confidential and access.may_read_message(actor, conv, m)]  # fmt: skip
        uow.audit.append(AuditEntry(now, actor.staff_id, actor.role.value, "content.open",
                                    conv_id, str(len(story))))  # fmt: skip
        held = "1" if conv.state is State.WITH_COUNSELOR else ""  # read only, then
        posts = queue_content(uow, key=f"open:{conv_id}:{key}",
                              recipient=notices.staff(actor.staff_id), kind=Kind.CASE,
                              entries=notices.entries_of(story, author_of=notices.author_of),
                              now=now, conv=conv, opened="1", held_by_counselor=held,
                              **client_fields(uow, conv))  # fmt: skip
        uow.commit()
    return posts
