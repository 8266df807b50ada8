"""Leases for the pollers that must be single among several workers (storage/leases.py,
bot/service/leases.py), on a real PostgreSQL: its clock decides, and a takeover waits for a
fenced write under way."""

from __future__ import annotations

import threading
import time

import pytest

from bot.service.leases import LeaseKeeper
from storage.leases import Fences, LeaseLost, SqlLeases
from storage.migrate import upgrade
from storage.unit_of_work import SqlUnitOfWorkFactory
from tests.support.waiting import wait_for

pytestmark = pytest.mark.pg
NAME = "email:imap:inbox"


@pytest.fixture
def leases(pg_engine) -> SqlLeases:
    upgrade(pg_engine)
    return SqlLeases(pg_engine)


def test_one_holder_until_it_runs_out_then_the_next_with_a_higher_token(leases):
    assert leases.take(NAME, "a", ttl=0.5) == 1
    assert leases.take(NAME, "b", ttl=0.5) is None  # held
    assert leases.renew(NAME, "a", 1, ttl=0.5)
    wait_for(lambda: leases.take(NAME, "b", ttl=30) is not None, 5, "b takes it once run out")
    assert leases.holders()[NAME][:2] == ("b", 2)
    assert not leases.renew(NAME, "a", 1, ttl=30)  # a woke up too late
    assert leases.take(NAME, "a", ttl=30) is None


def test_a_clean_release_lets_another_take_it_at_once(leases):
    token = leases.take(NAME, "a", ttl=60)
    assert token == 1
    leases.release(NAME, "a", token)
    assert leases.take(NAME, "b", ttl=60) == 2


def fenced(engine, holder: str) -> tuple[Fences, SqlUnitOfWorkFactory]:
    fences = Fences(holder)
    fences.guarded.add(NAME)
    return fences, SqlUnitOfWorkFactory(engine, fences=fences)


def test_a_stale_holder_cannot_move_the_cursor_the_new_one_owns(leases, pg_engine):
    old, old_uows = fenced(pg_engine, "a")
    new, new_uows = fenced(pg_engine, "b")
    old.hold(NAME, leases.take(NAME, "a", ttl=0.3))
    with old_uows() as uow:
        uow.cursors.set(NAME, "10")
        uow.commit()
    wait_for(lambda: (t := leases.take(NAME, "b", ttl=60)) and new.hold(NAME, t) is None, 5, "b")
    with new_uows() as uow:
        uow.cursors.set(NAME, "11")
        uow.commit()
    with pytest.raises(LeaseLost), old_uows() as uow:  # a still believes it holds it
        uow.cursors.set(NAME, "12")
        uow.commit()
    with new_uows() as uow:
        assert uow.cursors.get(NAME) == "11"
        uow.cursors.set("board:slot", "7")  # not under a lease: anyone writes it
        uow.commit()
    unheld, unheld_uows = fenced(pg_engine, "c")
    with pytest.raises(LeaseLost), unheld_uows() as uow:
        uow.cursors.set(NAME, "13")


def test_a_takeover_waits_for_the_fenced_write_under_way(leases, pg_engine):
    """The old holder's check share-locks the lease row: the takeover's update waits for its
    commit, so the write happens under the old token or fails under the new, never both."""
    old, old_uows = fenced(pg_engine, "a")
    old.hold(NAME, leases.take(NAME, "a", ttl=0.2))
    time.sleep(0.3)  # run out in the database; a has not noticed
    taken: list[int | None] = []
    with old_uows() as uow:
        uow.cursors.set(NAME, "20")  # fenced: the row is share-locked now
        thief = threading.Thread(target=lambda: taken.append(leases.take(NAME, "b", ttl=60)))
        thief.start()
        thief.join(timeout=0.5)
        assert thief.is_alive() and not taken  # waiting for this transaction
        uow.commit()
    thief.join(timeout=5)
    assert taken == [2]
    with old_uows() as uow:
        assert uow.cursors.get(NAME) == "20"
        with pytest.raises(LeaseLost):
            uow.cursors.set(NAME, "21")


def test_the_keeper_of_a_frozen_worker_lets_go_and_the_other_takes_over(pg_engine):
    upgrade(pg_engine)
    events: list[str] = []
    first = LeaseKeeper(SqlLeases(pg_engine), Fences("first"), ttl=0.6)
    second = LeaseKeeper(SqlLeases(pg_engine), Fences("second"), ttl=0.6)
    first.want(NAME, on_gain=lambda: events.append("first+"),
               on_loss=lambda: events.append("first-"))  # fmt: skip
    second.want(NAME, on_gain=lambda: events.append("second+"))
    first.tick()
    second.tick()
    assert first.tenure(NAME) == 1 and second.tenure(NAME) is None
    # first is frozen (no ticks): its own view runs out before the database's
    wait_for(lambda: first.tenure(NAME) is None, 2, "the frozen worker's own view ran out")
    assert second.tenure(NAME) is None
    wait_for(lambda: second.tick() is None and second.tenure(NAME) == 2, 5, "second takes it")
    first.tick()  # wakes: its renewal fails, it lets go
    assert first.tenure(NAME) is None
    assert events == ["first+", "second+", "first-"]
    assert first.fences.token(NAME) is None and second.fences.token(NAME) == 2
    second.release_all()
    first.tick()
    assert first.tenure(NAME) == 3
