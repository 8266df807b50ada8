"""A message that could not be delivered is told to the people who can act on it: in its
conversation's topic (or the admin group's general thread), and to the heads when the case is
urgent, with the reason and a button to try again (triage.usecases.resend)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from triage.domain import notices
from triage.domain.notices import Kind
from triage.domain.outbox import SEALED_TEXT, OutboxItem, Target, failure_reason
from triage.effects import notify
from triage.ports import UnitOfWork

PREVIEW = 120  # characters of the failed text shown, so staff know which message it was


def announce(uow: UnitOfWork, item: OutboxItem, now: datetime, heads: Sequence[int]) -> int:
    """Queue the notices for `item`, just failed; returns how many. A notice that fails is not
    announced again (its reason is in `puspaga inbox`), nor is an erased item."""
    if item.options.get("kind") == Kind.UNDELIVERED or item.recipient == "erased":
        return 0
    conv = uow.conversations.get(item.conversation_id) if item.conversation_id else None
    preview = ""
    if not item.options.get(SEALED_TEXT) and item.target is not Target.TELEGRAM:
        preview = " ".join(item.text.split())[:PREVIEW]
    fields = {
        "item": str(item.id),
        "target": item.target.value,
        "reason": failure_reason(item.last_error),
        "error": (item.last_error or "")[:200],
        "preview": preview,
    }
    where = [notices.group(conv.id) if conv and conv.id else notices.GENERAL]
    if conv is not None and conv.urgent:
        where += [notices.staff(head) for head in heads]
    for recipient in where:
        notify.queue(
            uow,
            key=f"undelivered:{item.id}:{item.claims}:{recipient}",
            recipient=recipient,
            kind=Kind.UNDELIVERED,
            now=now,
            conv=conv,
            **fields,
        )
    return len(where)
