"""The client's consent recorded, and what staff could not read before it shown to them then
(the rules are in triage/domain/consent.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from triage.domain import consent as rules
from triage.domain.model import Client, Conversation
from triage.domain.notices import Kind, entries_of, group
from triage.effects.notify import client_fields, queue, queue_content
from triage.ports import UnitOfWork


def record(uow: UnitOfWork, conv: Conversation, answer: str, now: datetime) -> None:
    """The client's answer (or that the notice was sent: `rules.ASKED`). Asking again never
    undoes an answer; an answer (given or refused) shows staff what was held back."""
    client = uow.clients.get(conv.client_id)
    if client is None or client.consent == answer:
        return
    if answer == rules.ASKED and client.consent in rules.ANSWERED:
        return
    uow.clients.set_consent(conv.client_id, answer, now)
    if answer in rules.ANSWERED:
        reveal(uow, conv, now)


def forget_asking(uow: UnitOfWork, conv: Conversation, now: datetime) -> None:
    """The office turned the placeholders off (`[consent] mask_before = false`): a client
    marked as asked is shown, with what was held."""
    reveal_if_held(uow, conv, now, forget=True)


def carry_over(uow: UnitOfWork, gone: Client, keep: Client, conv: Conversation | None,
               now: datetime) -> None:  # fmt: skip
    """Two clients merged into one: the answer one of them gave holds for both; what was held
    back in the surviving conversation is shown."""
    assert keep.id is not None
    if gone.consent in rules.ANSWERED and keep.consent not in rules.ANSWERED:
        uow.clients.set_consent(keep.id, gone.consent, gone.consent_at or now)
    elif keep.consent not in rules.ANSWERED:
        return
    if conv is not None:
        reveal(uow, conv, now)


def reveal_if_held(uow: UnitOfWork, conv: Conversation, now: datetime, *,
                   forget: bool = False) -> None:  # fmt: skip
    """An urgent conversation of a client who has not answered: staff must read it all.
    `forget`: the client is no longer marked as asked either."""
    client = uow.clients.get(conv.client_id)
    if client is not None and client.consent in rules.PENDING:
        if forget:
            uow.clients.set_consent(conv.client_id, None, now)
        reveal(uow, conv, now)


def reveal(uow: UnitOfWork, conv: Conversation, now: datetime) -> None:
    """The messages staff saw as placeholders, now in words, in the conversation's topic."""
    assert conv.id is not None
    held = [m for m in uow.messages.for_conversation(conv.id) if m.masked]
    if not held:
        return
    uow.messages.set_masked([m.id for m in held if m.id is not None], False)
    fields = client_fields(uow, conv)
    if not fields.get("masked"):  # the topic's title names the client now
        queue(uow, key=f"topic:{conv.id}:rename:{held[0].id}", recipient=group(conv.id),
              kind=Kind.TOPIC, now=now, conv=conv, action="rename", **fields)  # fmt: skip
    queue_content(
        uow,
        key=f"reveal:{conv.id}:{held[0].id}",
        recipient=group(conv.id),
        kind=Kind.CLIENT,
        entries=entries_of([replace(m, masked=False) for m in held]),
        now=now,
        conv=conv,
        revealed="1",
        **fields,
    )
