"""Triage inside the relay: each new client message is classified as it is passed on to staff.

An urgent message (DESIGN.md §5) gets, at once and at any hour, the office's safe first reply on
the client's own channel (once per round of the conversation), the case is marked urgent (it
jumps every queue), and the counselors and the head are alerted. The admin sees which rules
decided, on the post itself. Automatic mail (auto-replies, bounces) is never classified or
answered.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from triage.casework import log_steps
from triage.classify import Decision
from triage.model import Conversation, Direction, StoredMessage
from triage.notices import URGENT_PRIORITY, Kind, client_fields, queue, staff
from triage.outbox import OutboxItem
from triage.ports import UnitOfWork


@dataclass(frozen=True)
class Triage:
    decide: Callable[[str], Decision]
    crisis_reply: str  # in the office's language, with the help numbers and the office's own
    alert_to: Sequence[int] = ()  # the counselors and the head (the duty roster narrows it)


@dataclass(frozen=True)
class Findings:
    conv: Conversation  # as updated (urgent, category)
    reasons: str  # what the admin sees on the post: the rules that decided


def assess(
    uow: UnitOfWork,
    conv: Conversation,
    messages: Sequence[StoredMessage],
    triage: Triage,
    now: datetime,
) -> Findings:
    decisions = [triage.decide(m.text) for m in messages if not m.auto_generated and m.text]
    if not decisions:
        return Findings(conv, "")
    urgent = [d for d in decisions if d.urgent]
    changed = conv
    if conv.category is None:
        named = [d.category for d in decisions if d.category != "lainnya"]
        changed = replace(changed, category=(named or [decisions[0].category])[0])
    if urgent and not conv.urgent:
        changed = replace(changed, urgent=True)
    if changed != conv:
        uow.conversations.save(changed)
    reasons = " · ".join(dict.fromkeys(r for d in (urgent or decisions[:1]) for r in d.rules))
    if urgent and not conv.urgent:
        _crisis(uow, changed, urgent[0], triage, now)
    return Findings(changed, reasons)


def _crisis(
    uow: UnitOfWork, conv: Conversation, decision: Decision, triage: Triage, now: datetime
) -> None:
    from triage.replies import CHANNEL_TARGET  # replies builds on casework too

    assert conv.id is not None
    log_steps(uow, conv, ["marked_urgent"], now, detail="; ".join(decision.rules)[:200])
    contact = uow.contacts.get(conv.reply_contact_id)
    key = f"crisis:{conv.id}:{conv.round}"
    if contact is not None and uow.outbox.find_key(key) is None:
        item = uow.outbox.add(
            OutboxItem(
                id=None,
                idempotency_key=key,
                target=CHANNEL_TARGET[contact.channel],
                recipient=contact.external_id,
                text=triage.crisis_reply,
                created_at=now,
                next_attempt_at=now,
                conversation_id=conv.id,
                priority=URGENT_PRIORITY,
                options={"auto_reply": "1"},
            )
        )
        uow.messages.add(
            StoredMessage(
                id=None,
                conversation_id=conv.id,
                direction=Direction.OUT,
                channel=contact.channel,
                external_id=key,
                text=triage.crisis_reply,
                created_at=now,
                auto_generated=True,
                outbox_id=item.id,
            )
        )
    reasons = "; ".join(decision.rules)
    fields = client_fields(uow, conv)
    for staff_id in triage.alert_to:
        queue(
            uow,
            key=f"alert:{conv.id}:{conv.round}:{staff_id}",
            recipient=staff(staff_id),
            kind=Kind.ALERT,
            now=now,
            conv=conv,
            rules=reasons[:300],
            **fields,
        )
