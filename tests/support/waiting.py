"""Waiting on a condition with a timeout (for state outside our process: a subprocess, a
database another process writes). Short polls, never a long sleep."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import text


def wait_for(condition: Callable[[], object], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def wait_for_a_lock_wait(engine: Any, timeout: float = 20.0) -> None:
    """Until some PostgreSQL backend waits for a lock another transaction holds."""
    with engine.connect() as conn:
        wait_for(
            lambda: conn.execute(text("SELECT count(*) FROM pg_locks WHERE NOT granted")).scalar(),
            timeout,
            "a transaction to wait for another's lock",
        )
