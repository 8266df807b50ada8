"""`puspaga run` as its own process (as systemd runs it) against the local Bot API server, for
the kill -9 and several-worker tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, text

from bot.demo.local_api import LocalBotApi
from tests.support.office import GROUP, STAFF


def config(tmp_path: Path, api: LocalBotApi, database: str = "", name: str = "PUSPAGA Uji",
           group: int = GROUP) -> Path:  # fmt: skip
    """Fast outbox retries; `database`: a PostgreSQL section's lines (empty: SQLite)."""
    staff = "".join(
        f'[[staff]]\ntelegram_id = {tid}\nname = "{name}"\nrole = "{role}"\n'
        for tid, name, role in STAFF
    )
    path = tmp_path / "config.toml"
    path.write_text(
        'data_dir = "data"\nlog_level = "WARNING"\n'
        + (f"[database]\n{database}\n" if database else "")
        + f'[office]\nname = "{name}"\nafter_hours_reply = false\n'
        # the clients' words are what these tests count (masking has tests of its own)
        "[consent]\nmask_before = false\n"
        "[outbox]\ninterval_seconds = 0.1\nretry_base_seconds = 0.3\nlease_seconds = 2\n"
        f'[telegram]\ntoken = "{api.state.token}"\nbase_url = "{api.base_url}"\n'
        f"admin_chat_id = {group}\n" + staff
    )
    return path


def service(path: Path, log: Path | None = None) -> subprocess.Popen:
    """The service; its log to `log` when given (a pipe nobody reads while it runs fills up and
    blocks a chatty service), else to a pipe read at the end (`communicate`)."""
    script = Path(sys.executable).parent / "puspaga"
    return subprocess.Popen(
        [str(script), "run", "--config", str(path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE if log is None else log.open("w"),
        text=True,
        env={**os.environ, "PYTHONFAULTHANDLER": "1"},  # SIGABRT: every thread's stack to the log
    )


def stopped(process: subprocess.Popen, log: Path, timeout: float = 30) -> int:
    """The exit code once it has stopped; one that does not stop in time is aborted, and the
    failure shows where each of its threads was (faulthandler, in its log)."""
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGABRT)
        process.wait(timeout=10)
        raise AssertionError(f"no stop within {timeout} s:\n{log.read_text()[-6000:]}") from None


def query(url: str, sql: str) -> list:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(text(sql)))
    except Exception:  # noqa: BLE001 - the schema may not exist yet
        return []
    finally:
        engine.dispose()
