"""kill -9 in the middle of ingesting 10,000 messages, restart on the same input: exactly
10,000 messages and no half-written conversation (a real subprocess, a real database)."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.support.pg_cluster import fresh_pg_database
from tests.support.waiting import wait_for

FEEDER = Path(__file__).parents[2] / "bench" / "feed_ingest.py"
COUNT, CLIENTS = 10_000, 500


def count_messages(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM message")).scalar_one()
    except Exception:  # noqa: BLE001 - the schema may not exist yet
        return 0
    finally:
        engine.dispose()


def feed(url: str) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            str(FEEDER),
            "--url",
            url,
            "--count",
            str(COUNT),
            "--clients",
            str(CLIENTS),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def kill_and_restart(url: str) -> None:
    first = feed(url)
    wait_for(lambda: count_messages(url) >= 2500, 120, "2,500 messages before the kill")
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=30)
    assert first.returncode == -signal.SIGKILL
    stored_at_kill = count_messages(url)
    assert 0 < stored_at_kill < COUNT
    second = feed(url)
    out, err = second.communicate(timeout=240)
    assert second.returncode == 0, err
    assert f"newly stored {COUNT - stored_at_kill}" in out


def assert_consistent(url: str) -> None:
    engine = create_engine(url)
    with engine.connect() as conn:

        def one(sql: str) -> int:
            return conn.execute(text(sql)).scalar_one()

        assert one("SELECT count(*) FROM message") == COUNT
        assert one("SELECT count(DISTINCT external_id) FROM message") == COUNT
        assert one("SELECT count(*) FROM contact") == CLIENTS
        assert one("SELECT count(*) FROM client") == CLIENTS
        assert one("SELECT count(*) FROM conversation") == CLIENTS
        # every conversation has its messages, its 'received' step, and belongs to its contacts
        assert (
            one(
                "SELECT count(*) FROM conversation c WHERE NOT EXISTS "
                "(SELECT 1 FROM message m WHERE m.conversation_id = c.id)"
            )
            == 0
        )
        assert one("SELECT count(*) FROM step_log WHERE step = 'received'") == CLIENTS
        assert (
            one(
                "SELECT count(*) FROM message m JOIN contact k ON k.id = m.contact_id "
                "JOIN conversation c ON c.id = m.conversation_id "
                "WHERE c.client_id != k.client_id"
            )
            == 0
        )
        assert (
            one(
                "SELECT count(*) FROM conversation c JOIN contact k "
                "ON k.id = c.reply_contact_id WHERE k.client_id != c.client_id"
            )
            == 0
        )
    engine.dispose()


@pytest.mark.slow
def test_sigkill_mid_ingest_then_restart_on_sqlite(tmp_path):
    url = f"sqlite:///{tmp_path / 'kill.sqlite3'}"
    kill_and_restart(url)
    assert_consistent(url)


@pytest.mark.slow
@pytest.mark.pg
def test_sigkill_mid_ingest_then_restart_on_postgresql(pg_server_url):
    url = fresh_pg_database(pg_server_url)
    kill_and_restart(url)
    assert_consistent(url)
