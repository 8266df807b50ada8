"""Use case: what we know of a conversation's client (name, contacts, state), for staff who
may see it: the admins (intake), the head, the assigned counselor."""

from __future__ import annotations

from dataclasses import dataclass

from triage import access
from triage.errors import NotFound
from triage.model import Actor, Channel, State
from triage.ports import UnitOfWorkFactory


@dataclass(frozen=True)
class Identity:
    conv_id: int
    name: str
    contacts: tuple[tuple[Channel, str], ...]
    state: State


def identity(conv_id: int, *, actor: Actor, uow_factory: UnitOfWorkFactory) -> Identity:
    with uow_factory() as uow:
        conv = uow.conversations.get(conv_id)
        if conv is None:
            raise NotFound(f"conversation {conv_id}")
        access.require(access.may_view_identity(actor, conv), actor, "identity")
        client = uow.clients.get(conv.client_id)
        contacts = tuple(
            (c.channel, c.external_id) for c in uow.contacts.for_client(conv.client_id)
        )
    return Identity(conv_id, client.display_name if client else "?", contacts, conv.state)
