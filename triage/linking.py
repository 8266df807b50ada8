"""Use case: an admin says two contacts are the same person (e.g. the same mother writes by email
and on Instagram). Their client records become one, and two open conversations become one."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from triage import access
from triage.casework import log_steps
from triage.errors import NotFound
from triage.model import Actor, Steps
from triage.ports import UnitOfWork, UnitOfWorkFactory
from triage.retrying import on_conflict


def link_contacts(
    keep_contact_id: int,
    merge_contact_id: int,
    *,
    actor: Actor,
    uow_factory: UnitOfWorkFactory,
    now: datetime,
) -> int:
    """Move every contact of the second contact's client to the first one's client; returns the
    surviving client id. Linking a contact to its own client changes nothing."""
    access.require(access.may_link_contacts(actor), actor, "link contacts")

    def work() -> int:
        with uow_factory() as uow:
            keep = uow.contacts.get(keep_contact_id)
            merge = uow.contacts.get(merge_contact_id)
            if keep is None or merge is None:
                raise NotFound("contact")
            if keep.client_id == merge.client_id:
                return keep.client_id
            for client_id in sorted((keep.client_id, merge.client_id)):
                uow.clients.lock(client_id)  # always in id order: no deadlock between links
            _merge_open_conversations(uow, keep.client_id, merge.client_id, actor, now)
            for contact in uow.contacts.for_client(merge.client_id):
                assert contact.id is not None
                uow.contacts.move_to_client(contact.id, keep.client_id)
            for conv in uow.conversations.all_for_client(merge.client_id):
                uow.conversations.save(replace(conv, client_id=keep.client_id))
            uow.clients.delete(merge.client_id)
            uow.commit()
            return keep.client_id

    return on_conflict(work)


def _merge_open_conversations(
    uow: UnitOfWork, keep_client: int, merge_client: int, actor: Actor, now: datetime
) -> None:
    kept = uow.conversations.open_for_client(keep_client)
    merged = uow.conversations.open_for_client(merge_client)
    if kept is None or merged is None:
        return
    assert kept.id is not None and merged.id is not None
    uow.messages.move(merged.id, kept.id)
    uow.steps.move(merged.id, kept.id)
    uow.outbox.move(merged.id, kept.id)
    combined = replace(
        kept,
        opened_at=min(kept.opened_at, merged.opened_at),
        last_message_at=max(kept.last_message_at, merged.last_message_at),
        reply_contact_id=(
            kept.reply_contact_id
            if kept.last_message_at >= merged.last_message_at
            else merged.reply_contact_id
        ),
        steps=_earliest(kept.steps, merged.steps),
        urgent=kept.urgent or merged.urgent,
    )
    uow.conversations.delete(merged.id)
    uow.conversations.save(combined)
    log_steps(uow, combined, ["merged"], now, actor.staff_id, f"from conversation {merged.id}")


def _earliest(a: Steps, b: Steps) -> Steps:
    """The merged conversation keeps the earliest time of each step (the client waited since)."""
    values = {}
    for name, left in a.as_dict().items():
        right = getattr(b, name)
        present = [t for t in (left, right) if t is not None]
        values[name] = min(present) if present else None
    return Steps(**values)
