"""Just before a message to a client goes: the client's safe-contact preferences as they are
now (triage.domain.privacy.safe_contact). They may have changed since it was queued ("he found
my phone"), a retry or a staff resend may fall outside the client's hours, the client may have
written again since. The crisis reply always goes."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from triage.domain import notices
from triage.domain.model import Contact
from triage.domain.notices import URGENT_PRIORITY, Kind
from triage.domain.outbox import TARGET_CHANNEL, OutboxItem, OutboxStatus
from triage.domain.privacy import safe_contact
from triage.effects import notify
from triage.ports import UnitOfWork

WITHHELD = "safe_contact"  # the start of a withheld item's last_error


def prefs_of(uow: UnitOfWork, client_id: int) -> safe_contact.SafeContact:
    """The client's /kontak preferences (none recorded: no limits)."""
    client = uow.clients.get(client_id)
    return safe_contact.loads(client.safe_contact if client else None)


def contact_on(uow: UnitOfWork, client_id: int, channel: str) -> Contact | None:
    """The client's address on the channel their preferences name, if they have one."""
    return next((c for c in uow.contacts.for_client(client_id) if c.channel.value == channel), None)


def recheck(uow: UnitOfWork, item: OutboxItem, now: datetime) -> OutboxItem | None:
    """None: send it now. Else its new state, to record instead of sending: kept until the
    client's hours (pending, not counted as an attempt), or withheld for good (failed, and the
    topic told; no resend button: staff decide whether and how to reach the client)."""
    channel = TARGET_CHANNEL.get(item.target)
    if channel is None or item.conversation_id is None or item.priority >= URGENT_PRIORITY:
        return None
    conv = uow.conversations.get(item.conversation_id)
    if conv is None or not (prefs := prefs_of(uow, conv.client_id)).any:
        return None
    last = safe_contact.last_written(uow.messages.latest_inbound(item.conversation_id))
    # staff's words are their own; ours were queued in the discreet wording or not
    own = not item.options.get("auto_reply") or bool(item.options.get("discreet"))
    plan = safe_contact.plan(prefs, "", now, last_inbound=last, discreet="" if own else None)
    if plan.channel and plan.channel != channel.value and not plan.held:
        plan = replace(plan, held="no_channel")
    if plan.held:
        notify.queue(uow, key=f"withheld:{item.id}", recipient=notices.group(conv.id),
                     kind=Kind.STATUS, now=now, conv=conv, event="contact_withheld",
                     **notify.client_fields(uow, conv))  # fmt: skip
        return replace(item, status=OutboxStatus.FAILED, lease_until=None,
                       last_error=f"{WITHHELD}: {plan.held}")  # fmt: skip
    if plan.at > now:
        return replace(item, status=OutboxStatus.PENDING, lease_until=None,
                       next_attempt_at=plan.at, not_before=plan.at)  # fmt: skip
    return None
