"""Linking two clients while other staff and channels act on them (PostgreSQL, real locks).

The linker is held after taking its locks; the other action must wait for it and then act on
what the link left, never have its work overwritten by the link's stale reads."""

from datetime import timedelta

import pytest

from storage.repositories.conversations import SqlConversations
from storage.unit_of_work import SqlUnitOfWorkFactory
from tests.builders import ADMIN, COUNSELOR, T0, inbound, next_session
from tests.support.held import HeldInside, run_in_thread
from tests.support.waiting import wait_for_a_lock_wait
from triage.domain.model import Channel, Outcome, State
from triage.usecases import casework
from triage.usecases.identity import link_contacts
from triage.usecases.ingest import ingest

pytestmark = pytest.mark.pg


def held_link(monkeypatch, uows, keep, merge):
    """link_contacts, held once it has locked both clients."""
    return HeldInside(
        monkeypatch,
        SqlConversations,
        "lock_for_client",
        lambda: link_contacts(
            keep, merge, actor=ADMIN, uow_factory=uows, now=T0 + timedelta(minutes=2)
        ),
        after_calls=2,
    )


def contact_ids(uows):
    with uows() as uow:
        return (
            uow.contacts.find(Channel.HOTLINE, "keep").id,
            uow.contacts.find(Channel.EMAIL, "merge@example.org").id,
        )


def ingest_from_merge_during(link, pg_engine, uows):
    """A later email from the merged contact, while the link holds its locks."""
    later = inbound(2, channel=Channel.EMAIL, sender="merge@example.org",
                    at=T0 + timedelta(minutes=3))  # fmt: skip
    with link:
        thread, box = run_in_thread(
            lambda: ingest(later, uow_factory=uows, now=T0 + timedelta(minutes=3))
        )
        wait_for_a_lock_wait(pg_engine)
    thread.join(30)
    return box["result"]


def test_a_reopen_during_a_link_is_not_undone(pg_engine, monkeypatch):
    uows = SqlUnitOfWorkFactory(pg_engine)
    ingest(inbound(1, sender="keep"), uow_factory=uows, now=T0)
    merged = ingest(
        inbound(1, channel=Channel.EMAIL, sender="merge@example.org"), uow_factory=uows, now=T0
    )
    next_session(uows, merged.conversation_id)
    casework.close(
        merged.conversation_id,
        Outcome.ULANG,
        actor=ADMIN,
        uow_factory=uows,
        now=T0 + timedelta(minutes=1),
    )
    keep, merge = contact_ids(uows)
    result = ingest_from_merge_during(held_link(monkeypatch, uows, keep, merge), pg_engine, uows)
    with uows() as uow:
        conv = uow.conversations.get(result.conversation_id)
        assert conv.state is not State.CLOSED  # the new message sits in an open conversation
        assert [c.client_id for c in uow.conversations.all()].count(conv.client_id) == 2
        assert len(uow.contacts.for_client(conv.client_id)) == 2


def test_a_claim_during_a_link_is_not_undone(pg_engine, monkeypatch):
    uows = SqlUnitOfWorkFactory(pg_engine)
    kept = ingest(inbound(1, sender="keep"), uow_factory=uows, now=T0)
    ingest(inbound(1, channel=Channel.EMAIL, sender="merge@example.org"), uow_factory=uows, now=T0)
    casework.hand_off(kept.conversation_id, actor=ADMIN, uow_factory=uows, now=T0)
    keep, merge = contact_ids(uows)
    with held_link(monkeypatch, uows, keep, merge):
        thread, box = run_in_thread(
            lambda: casework.claim(kept.conversation_id, actor=COUNSELOR, uow_factory=uows, now=T0)
        )
        wait_for_a_lock_wait(pg_engine)
    thread.join(30)
    assert box["result"].counselor_id == COUNSELOR.staff_id
    with uows() as uow:
        (conv,) = [c for c in uow.conversations.all() if c.is_open]
        assert conv.id == kept.conversation_id  # the counselor's case survives the merge
        assert (conv.state, conv.counselor_id) == (State.WITH_COUNSELOR, COUNSELOR.staff_id)
        assert len(uow.messages.for_conversation(conv.id)) == 2


def test_a_message_to_the_merged_clients_open_case_during_a_link_lands_in_the_survivor(
    pg_engine, monkeypatch
):
    """The message's one-statement touch waits for the link, finds the merged-away case gone
    and takes the longer way to the surviving case."""
    uows = SqlUnitOfWorkFactory(pg_engine)
    kept = ingest(inbound(1, sender="keep"), uow_factory=uows, now=T0)
    ingest(inbound(1, channel=Channel.EMAIL, sender="merge@example.org"), uow_factory=uows, now=T0)
    keep, merge = contact_ids(uows)
    result = ingest_from_merge_during(held_link(monkeypatch, uows, keep, merge), pg_engine, uows)
    assert result.stored and result.conversation_id == kept.conversation_id
    with uows() as uow:
        (conv,) = [c for c in uow.conversations.all() if c.is_open]
        assert conv.id == kept.conversation_id
        assert conv.reply_contact_id == merge  # replies follow the channel it came from
        assert len(uow.messages.for_conversation(conv.id)) == 3
