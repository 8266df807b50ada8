"""Two relays at once on PostgreSQL: every client message reaches staff once, in order.
(Found by review: coalescing could overwrite a post another relay had just extended, and two
relays could post one conversation's messages out of order.)"""

from __future__ import annotations

import threading

import pytest

from storage.repositories.messages import SqlMessages
from storage.unit_of_work import SqlUnitOfWorkFactory
from tests.builders import T0, inbound
from triage.domain import notices
from triage.usecases.ingest import ingest
from triage.usecases.relay import relay_new_messages


def shown(uows, conv):
    with uows() as uow:
        items = uow.outbox.for_conversation(conv)
    return [
        e.text for o in items if o.recipient == notices.group(conv) for e in notices.load(o.text)
    ]


@pytest.mark.pg
@pytest.mark.parametrize("limit", [1, 500])
def test_a_second_relay_never_overwrites_or_reorders_the_first(pg_engine, monkeypatch, limit):
    uows = SqlUnitOfWorkFactory(pg_engine)
    conv = ingest(inbound(1, text="m0"), uow_factory=uows, now=T0).conversation_id
    relay_new_messages(uow_factory=uows, now=T0)  # the card, still pending: it will coalesce
    ingest(inbound(2, text="m1"), uow_factory=uows, now=T0)
    ingest(inbound(3, text="m2"), uow_factory=uows, now=T0)

    first_inside, second_done = threading.Event(), threading.Event()
    real = SqlMessages.mark_relayed

    def held_open(self, ids):  # the first relay stops inside its transaction
        real(self, ids)
        if threading.current_thread().name == "first":
            first_inside.set()
            assert second_done.wait(10)

    monkeypatch.setattr(SqlMessages, "mark_relayed", held_open)
    results = {}

    def run(name):
        results[name] = relay_new_messages(uow_factory=uows, now=T0, limit=limit)

    first = threading.Thread(target=run, args=("first",), name="first")
    first.start()
    assert first_inside.wait(10)
    second = threading.Thread(target=run, args=("second",), name="second")
    second.start()
    second.join(10)
    second_done.set()
    first.join(10)
    relay_new_messages(uow_factory=uows, now=T0)  # whatever is left, a pass later
    assert shown(uows, conv) == ["m0", "m1", "m2"]
    assert results["second"] == 0  # it stood back from the conversation the first one held
