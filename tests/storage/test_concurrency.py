"""Several workers at once against a real database: every message stored exactly once,
one open conversation per client, one winner per claim."""

import random
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from storage.tables import ConversationRow, MessageRow
from tests.builders import ADMIN, COUNSELOR, COUNSELOR_2, T0, inbound
from triage.domain.errors import TransitionNotAllowed
from triage.domain.model import Actor, Role
from triage.usecases import casework
from triage.usecases.ingest import ingest

WORKERS = 8


def _messages(count: int, clients: int):
    return [
        inbound(n, sender=f"client-{n % clients}", at=T0 + timedelta(milliseconds=n))
        for n in range(count)
    ]


def test_eight_workers_ingesting_overlapping_input_store_each_message_once(uows, engine):
    messages = _messages(1000, clients=40)
    rng = random.Random(7)

    def worker(seed: int) -> int:
        mine = messages[seed::WORKERS] + rng.sample(messages, 250)  # overlaps with the others
        random.Random(seed).shuffle(mine)
        return sum(ingest(m, uow_factory=uows, now=T0).stored for m in mine)

    with ThreadPoolExecutor(WORKERS) as pool:
        stored = sum(pool.map(worker, range(WORKERS)))

    assert stored == 1000
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(MessageRow)).scalar_one() == 1000
        distinct = conn.execute(
            select(func.count(func.distinct(MessageRow.external_id)))
        ).scalar_one()
        assert distinct == 1000
        conversations = conn.execute(select(func.count()).select_from(ConversationRow))
        assert conversations.scalar_one() == 40
        orphans = conn.execute(
            text(
                "SELECT count(*) FROM conversation c WHERE NOT EXISTS "
                "(SELECT 1 FROM message m WHERE m.conversation_id = c.id)"
            )
        ).scalar_one()
        assert orphans == 0


@pytest.mark.pg
def test_two_simultaneous_claims_on_postgresql_have_one_winner(pg_engine):
    from storage.unit_of_work import SqlUnitOfWorkFactory

    uows = SqlUnitOfWorkFactory(pg_engine)
    for round_ in range(20):
        conv_id = ingest(
            inbound(round_, sender=f"c{round_}"), uow_factory=uows, now=T0
        ).conversation_id
        casework.hand_off(conv_id, actor=ADMIN, uow_factory=uows, now=T0)
        barrier = threading.Barrier(3)
        contenders = [COUNSELOR, COUNSELOR_2, Actor(staff_id=2003, role=Role.COUNSELOR)]

        def tap(actor: Actor, conv_id: int = conv_id, barrier=barrier) -> int | None:
            barrier.wait()
            try:
                return casework.claim(conv_id, actor=actor, uow_factory=uows, now=T0).counselor_id
            except TransitionNotAllowed:
                return None

        with ThreadPoolExecutor(3) as pool:
            results = list(pool.map(tap, contenders))
        winners = [r for r in results if r is not None]
        assert len(winners) == 1
        with uows() as uow:
            assert uow.conversations.get(conv_id).counselor_id == winners[0]
            assert [s.step for s in uow.steps.for_conversation(conv_id)].count("claimed") == 1
