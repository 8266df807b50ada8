"""Use case: pass new client messages on to staff (the admin topic, or the assigned counselor).

Kept apart from ingest so the ingest path stays one short transaction per message, and so a
burst is coalesced: one relay pass turns every new message of a conversation into one post.
A message is marked relayed in the same commit as its notices (exactly once, also with several
workers: each takes rows the others have not locked).

Routing (DESIGN.md §3, issue 3): before hand-off the admin topic sees the client's messages.
Counseling content (messages marked confidential at ingest) goes to the assigned counselor only;
while a case waits to be claimed it is held, and the counselor who claims receives it then.
"""

from __future__ import annotations

from datetime import datetime

from triage.model import Conversation, State, StoredMessage
from triage.notices import (
    GENERAL,
    Kind,
    client_fields,
    entries_of,
    group,
    queue_content,
    staff,
)
from triage.ports import UnitOfWork, UnitOfWorkFactory
from triage.retrying import on_conflict


def relay_new_messages(*, uow_factory: UnitOfWorkFactory, now: datetime, limit: int = 500) -> int:
    """One pass; returns how many messages it passed on (0: nothing new)."""

    def work() -> int:
        with uow_factory() as uow:
            messages = uow.messages.unrelayed(limit)
            if not messages:
                return 0
            by_conv: dict[int, list[StoredMessage]] = {}
            for m in messages:
                by_conv.setdefault(m.conversation_id, []).append(m)
            for conv_id, mine in by_conv.items():
                conv = uow.conversations.get(conv_id)
                if conv is not None:
                    _route(uow, conv, mine, now)
            uow.messages.mark_relayed([m.id for m in messages if m.id is not None])
            uow.commit()
            return len(messages)

    return on_conflict(work, uow_factory.pause)


def card_key(conv: Conversation) -> str:
    return f"card:{conv.id}:{conv.round}"


def _route(uow: UnitOfWork, conv: Conversation, messages: list[StoredMessage], now: datetime):
    first = messages[0].id
    visible = [m for m in messages if not m.confidential]
    counseling = [m for m in messages if m.confidential]
    fields = client_fields(uow, conv)
    if visible:
        has_card = uow.outbox.find_key(card_key(conv) + ":0") is not None
        queue_content(
            uow,
            key=f"relay:{first}" if has_card else card_key(conv),
            recipient=group(conv.id) if conv.id is not None else GENERAL,
            kind=Kind.CLIENT if has_card else Kind.CARD,
            entries=entries_of(visible),
            now=now,
            conv=conv,
            **fields,
        )
    if counseling and conv.state is State.WITH_COUNSELOR and conv.counselor_id is not None:
        queue_content(
            uow,
            key=f"relay:{first}:c",
            recipient=staff(conv.counselor_id),
            kind=Kind.CLIENT,
            entries=entries_of(counseling),
            now=now,
            conv=conv,
            **fields,
        )
    # else: held. A case waiting to be claimed goes to the claimer whole (casework.claim).
