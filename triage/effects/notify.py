"""Staff notices queued as outbox items in the caller's transaction (exactly once, in order per
chat). The types and rules of a notice are in triage/domain/notices.py."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from triage.domain import consent, notices
from triage.domain.intake import OFFLINE
from triage.domain.model import Client, Conversation
from triage.domain.notices import (
    DIGEST_OVER,
    GENERAL,
    MAX_CONTENT,
    Digest,
    DigestEntry,
    Entry,
    Kind,
    batches,
    dump,
    dump_digest,
    load,
    load_digest,
    priority,
    size,
)
from triage.domain.outbox import OutboxItem, Target
from triage.ports import UnitOfWork


def queue(
    uow: UnitOfWork,
    *,
    key: str,
    recipient: str,
    kind: Kind,
    now: datetime,
    conv: Conversation | None = None,
    text: str = "",
    rank: int | None = None,
    **fields: str,
) -> OutboxItem:
    """Queue one notice (the idempotency key makes a repeated action queue nothing twice). A
    staff member the head deactivated (/nonaktif) is told nothing: the item is not queued.
    `rank`: its place in the queue, if not the conversation's (urgent first)."""
    options = {"kind": kind.value, **fields}
    if conv is not None:
        assert conv.id is not None
        options.setdefault("conv", str(conv.id))
        if conv.urgent:
            options.setdefault("urgent", "1")
        elif conv.risk == "perlu_dicek":
            options.setdefault("review", "1")
    item = OutboxItem(
        id=None,
        idempotency_key=key,
        target=Target.TELEGRAM,
        recipient=recipient,
        text=text,
        created_at=now,
        next_attempt_at=now,
        conversation_id=conv.id if conv else None,
        priority=rank if rank is not None else priority(conv) if conv else 0,
        options=options,
    )
    if notices.staff_id_of(recipient) in uow.roster.inactive():
        return item  # not kept: nobody will send it
    return uow.outbox.add(item)


def queue_content(
    uow: UnitOfWork,
    *,
    key: str,
    recipient: str,
    kind: Kind,
    entries: Sequence[Entry],
    now: datetime,
    conv: Conversation,
    **fields: str,
) -> int:
    """Queue client content, coalescing with the recipient's newest post if it is still waiting
    to be sent and has room; a long story becomes several posts. Returns posts queued."""
    pending = list(entries)
    last = uow.outbox.last_active(Target.TELEGRAM, recipient)
    if (
        last is not None
        and last.options.get("kind") in (Kind.CARD, Kind.CLIENT)
        and last.options.get("conv") == str(conv.id)
        # placeholders and words never share a post (triage.domain.consent)
        and last.options.get("masked") == fields.get("masked")
    ):
        merged = load(last.text)
        total, take = size(merged), 0
        for entry in pending:  # only a prefix joins, so the order of messages is kept
            if total + size([entry]) > MAX_CONTENT:
                break
            total, take = total + size([entry]), take + 1
        if take and uow.outbox.extend_pending(last, dump(merged + pending[:take])):
            pending = pending[take:]
    queued = 0
    for n, batch in enumerate(batches(pending)):
        queue(
            uow,
            key=f"{key}:{n}",
            recipient=recipient,
            kind=kind if n == 0 else Kind.CLIENT,
            now=now,
            conv=conv,
            text=dump(batch),
            **fields,
        )
        queued += 1
    return queued


def client_fields(uow: UnitOfWork, conv: Conversation) -> dict[str, str]:
    """What staff see of who wrote: the client's name, channel and the conversation number.
    Before the client's consent, not the name (`masked`: triage.domain.consent)."""
    client: Client | None = uow.clients.get(conv.client_id)
    contact = uow.contacts.get(conv.reply_contact_id)
    fields = {
        "name": client.display_name if client else "?",
        "channel": contact.channel.value if contact else "",
        "round": str(conv.round),
        "category": conv.category or "",  # shown alone where words are not (a summary)
    }
    online = contact is not None and contact.channel not in OFFLINE
    if client is not None and consent.hidden(client.consent, online=online, urgent=conv.urgent):
        if conv.id is None or uow.casefiles.get(conv.id) is None:  # a complaint is shown
            fields.update(name="", masked="1")
    return fields


@dataclass(frozen=True)
class Reminder:
    """An SLA reminder or escalation for one recipient (triage.usecases.timers)."""

    key: str
    recipient: str
    conv: Conversation
    fields: Mapping[str, str]


def queue_reminders(uow: UnitOfWork, reminders: Sequence[Reminder], now: datetime) -> None:
    """A few at a time each go to their place (the case's topic, a head's or a counselor's
    chat); more than DIGEST_OVER for the admin group (one place: its 20 posts a minute are
    shared by all topics) or for a head, or any while that place's last digest waits unsent,
    make one digest there, so a backlog of reminders costs one post a place, not one a case.
    An urgent or possible-danger case's reminder goes on its own, first; a counselor's
    reminders of their own cases too (a private chat has its own budget, and a reply to the
    reminder answers the case)."""

    def alone(r: Reminder) -> None:
        queue(uow, key=r.key, recipient=r.recipient, kind=Kind.REMINDER, now=now, conv=r.conv,
              **r.fields)  # fmt: skip

    places: dict[str, list[Reminder]] = {}
    for r in reminders:
        if priority(r.conv) > 0 or (
            r.recipient.startswith("staff:") and r.fields.get("level") != "1"
        ):
            alone(r)
            continue
        place = GENERAL if r.recipient.startswith("group:") else r.recipient
        places.setdefault(place, []).append(r)
    for place, mine in places.items():
        last = uow.outbox.last_active(Target.TELEGRAM, place)
        waiting = last if last is not None and last.options.get("kind") == Kind.DIGEST else None
        if waiting is None and len(mine) <= DIGEST_OVER:
            for r in mine:
                alone(r)
            continue
        entries = [_entry(r) for r in mine]
        if waiting is not None:
            joined = load_digest(waiting.text).plus(entries)
            if uow.outbox.extend_pending(waiting, dump_digest(joined)):
                continue
        queue(uow, key=f"digest:{mine[0].key}", recipient=place, kind=Kind.DIGEST, now=now,
              text=dump_digest(Digest().plus(entries)))  # fmt: skip


def _entry(r: Reminder) -> DigestEntry:
    """Level 1 in the group's digest only when a head was told (an office without heads)."""
    assert r.conv.id is not None
    f = r.fields
    told = r.recipient.startswith("staff:") or f.get("told") == "head"
    level = 1 if f.get("level") == "1" and told else 0
    return DigestEntry(r.conv.id, f.get("step", ""), level, int(f.get("minutes", "0")),
                       int(f.get("target", "0")))  # fmt: skip
