"""A message that could not be delivered is told to the people who can act on it: in its
conversation's topic (or the admin group's general thread), to the counselor whose reply it
was, to the heads when the case is urgent or the admin group itself fails; with the reason and
a button to try again (`resend` in triage.usecases.dispatch)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from triage.domain import notices
from triage.domain.model import State
from triage.domain.notices import Kind
from triage.domain.outbox import SEALED_TEXT, OutboxItem, Target, failure_reason
from triage.effects import notify
from triage.ports import UnitOfWork

PREVIEW = 120  # characters of the failed text shown, so staff know which message it was


def announce(uow: UnitOfWork, item: OutboxItem, now: datetime, heads: Sequence[int]) -> int:
    """Queue the notices for `item`, just failed; returns how many. A notice that fails is not
    announced again (its reason is in `puspaga inbox`), nor is an erased item. What a counselor
    wrote goes back to the counselor with its words; the admin group hears of it without them."""
    if item.options.get("kind") == Kind.UNDELIVERED or item.recipient == "erased":
        return 0
    conv = uow.conversations.get(item.conversation_id) if item.conversation_id else None
    words = ""
    if not item.options.get(SEALED_TEXT) and item.target is not Target.TELEGRAM:
        words = " ".join(item.text.split())[:PREVIEW]
    fields = {
        "item": str(item.id),
        "target": item.target.value,
        "reason": failure_reason(item.last_error),
        "error": (item.last_error or "")[:200],
    }
    if item.target is Target.TELEGRAM and item.recipient.startswith("group:"):
        # The admin group may be what fails (the bot removed, its rights taken): the heads
        # hear it in private, once an hour however many posts fail.
        hour = now.strftime("%Y%m%d%H")
        told = [(notices.staff(h), f"undelivered:group:{hour}:{h}", "") for h in heads]
    else:
        with_counselor = conv is not None and conv.state is State.WITH_COUNSELOR
        counselor = conv.counselor_id if conv is not None and with_counselor else None
        place = notices.group(conv.id) if conv is not None and conv.id else notices.GENERAL
        base = f"undelivered:{item.id}:{item.claims}"
        told = [(place, f"{base}:{place}", "" if counselor else words)]
        if counselor is not None:
            told.append((notices.staff(counselor), f"{base}:counselor", words))
        if conv is not None and conv.urgent:
            told += [(notices.staff(h), f"{base}:head:{h}", words) for h in heads]
    for recipient, key, preview in told:
        notify.queue(uow, key=key, recipient=recipient, kind=Kind.UNDELIVERED, now=now,
                     conv=conv, preview=preview, **fields)  # fmt: skip
    return len(told)
