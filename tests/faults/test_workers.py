"""Three `puspaga run` on one PostgreSQL while hotline clients write, and the worker that
fetches Telegram's updates is killed (kill -9) or frozen (SIGSTOP, as a host that stops
answering): another takes over within its lease, every message is stored once and shown in the
admin group once, and a frozen worker that wakes doubles nothing (bot/service/leases.py)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.demo.local_api import LocalBotApi
from tests.support.office import GROUP
from tests.support.pg_cluster import fresh_pg_database
from tests.support.service_process import config, query, service, stopped
from tests.support.telegram_office import office_state
from tests.support.waiting import wait_for

pytestmark = pytest.mark.pg
CLIENTS, EACH, WORKERS = 3, 12, 3
FIRST = 71_000


def holders(url: str) -> dict[str, int]:
    """Each lease's holding process (the holder is host:pid:random) while it has not run out."""
    rows = query(url, "SELECT name, holder FROM lease WHERE expires_at > clock_timestamp()")
    return {name: int(holder.split(":")[1]) for name, holder in rows}


def updates_holder(url: str) -> int | None:
    return next((pid for name, pid in holders(url).items() if name.startswith("telegram:")), None)


def run_burst(tmp_path: Path, url: str, lease: float, trouble: Callable[[int], None],
              after: Callable[[int], None]) -> float:  # fmt: skip
    """Half the messages, `trouble` for the updates' holder, the other half; checks and
    returns the takeover time (the trouble to another worker holding the lease)."""
    state = office_state()
    for n in range(CLIENTS):
        state.add_user(FIRST + n, f"Klien{n}")
    expected = [f"[k{c}-m{m}] cerita" for m in range(EACH) for c in range(CLIENTS)]

    def stored() -> int:
        rows = query(url, "SELECT count(*) FROM message WHERE direction = 'in'")
        return rows[0][0] if rows else 0

    with LocalBotApi(state) as api:
        path = config(tmp_path, api, database=f'url = "{url}"\nlease_seconds = {lease}')
        logs = [tmp_path / f"worker{n}.log" for n in range(WORKERS)]
        workers = [service(path, log) for log in logs]
        try:
            wait_for(lambda: updates_holder(url) is not None, 60, "a worker fetching updates")
            leader = updates_holder(url)
            assert leader in {w.pid for w in workers}
            for n, body in enumerate(expected):
                state.user_writes(FIRST + n % CLIENTS, text=body)
                if n == len(expected) // 2:
                    wait_for(lambda: stored() >= 6, 30, "some messages stored")
                    troubled = time.monotonic()
                    trouble(leader)
                    wait_for(lambda: updates_holder(url) not in (None, leader), 4 * lease + 10,
                             "another worker fetching updates")  # fmt: skip
                    takeover = time.monotonic() - troubled
            wait_for(lambda: stored() == len(expected), 60, "every message stored")

            def all_posted() -> bool:
                shown = "\n".join(m.get("text", "") for m in state.sent(GROUP))
                return all(body in shown for body in expected)

            wait_for(all_posted, 90, "every message shown in the admin group")
            after(leader)
            unsent = "SELECT count(*) FROM outbox WHERE status != 'sent'"
            wait_for(lambda: (query(url, unsent) or [(1,)])[0][0] == 0, 60, "the outbox empty")
            alive = {w.pid for w in workers if w.poll() is None}
            assert set(holders(url).values()) <= alive  # every lease with a living worker
            assert {"calendar"} <= holders(url).keys()
            puspaga = str(Path(sys.executable).parent / "puspaga")
            check = [puspaga, "check", "--config", str(path)]
            shown = subprocess.run(check, capture_output=True, text=True, timeout=60)
            assert f"OK    pekerja: calendar oleh {socket.gethostname()}:" in shown.stdout
        finally:
            for worker in workers:
                if worker.poll() is None:
                    worker.send_signal(signal.SIGCONT)  # a frozen one handles nothing else
                    worker.send_signal(signal.SIGTERM)
            codes = [stopped(worker, log) for worker, log in zip(workers, logs, strict=True)]
            errors = "".join(log.read_text() for log in logs)
    assert codes.count(-signal.SIGKILL) <= 1
    assert all(code == 0 for code in codes if code != -signal.SIGKILL), errors

    bodies = [r[0] for r in query(url, "SELECT text FROM message WHERE direction = 'in'")]
    assert sorted(bodies) == sorted(expected)  # stored exactly once each
    posts = [m["text"] for m in state.sent(GROUP) if "cerita" in m.get("text", "")]
    unique = list(dict.fromkeys(posts))
    # the only double a kill or a freeze allows: one post sent and not yet recorded (the one
    # send a worker has in flight, docs/OUTBOX.md)
    assert len(posts) - len(unique) <= 1
    assert {body: sum(p.count(body) for p in unique) for body in expected} == dict.fromkeys(
        expected, 1
    )
    return takeover


def most(lease: float) -> float:
    """The lease runs out (or, if the holder froze inside a fenced write, the server ends that
    transaction, storage.db: 5 s at least), then a keeper's tick (a third of the lease); and
    a second for this test's polls. 30 s is the target with the default lease of 15 s."""
    return max(lease, 5.0) + lease / 3 + 1.0


def _kill(pid: int) -> None:
    os.kill(pid, signal.SIGKILL)


def _freeze(pid: int) -> None:
    os.kill(pid, signal.SIGSTOP)


def _nothing(pid: int) -> None:
    pass


def _thaw(url: str) -> Callable[[int], None]:
    def thaw(pid: int) -> None:
        """The frozen worker wakes believing it holds the lease: its own view ran out while it
        was stopped (monotonic time runs on) and its renewal fails; it fetches no more."""
        os.kill(pid, signal.SIGCONT)
        time.sleep(0.5)
        assert updates_holder(url) != pid

    return thaw


@pytest.mark.slow
@pytest.mark.parametrize("lease", [2.0, pytest.param(15.0, marks=pytest.mark.long)])
def test_the_updates_worker_killed_during_a_burst(tmp_path, pg_server_url, lease):
    url = fresh_pg_database(pg_server_url)
    takeover = run_burst(tmp_path, url, lease, _kill, _nothing)
    assert takeover <= most(lease)
    print(f"takeover after kill -9 with lease_seconds={lease}: {takeover:.1f} s")


@pytest.mark.slow
@pytest.mark.parametrize("lease", [2.0, pytest.param(15.0, marks=pytest.mark.long)])
def test_the_updates_worker_frozen_during_a_burst_wakes_and_doubles_nothing(
    tmp_path, pg_server_url, lease
):
    url = fresh_pg_database(pg_server_url)
    takeover = run_burst(tmp_path, url, lease, _freeze, _thaw(url))
    assert takeover <= most(lease)
    print(f"takeover after SIGSTOP with lease_seconds={lease}: {takeover:.1f} s")
