"""One service on a SQLite database: a second `puspaga run` beside it is refused with the reason,
since two would poll the same Telegram bot and mailbox (several workers need PostgreSQL). The
lock is the kernel's (`flock` on data_dir/puspaga-run.lock): it goes with the process, also on
kill -9, so a stale file never blocks a start. `puspaga report`, `inbox` and `backup` do not take
it and work beside the service."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from bot.config.settings import Settings, database_url

LOCK_NAME = "puspaga-run.lock"


class AlreadyRunning(Exception):
    def __init__(self, pid: str, data_dir: Path) -> None:
        super().__init__(pid)
        self.pid = pid
        self.data_dir = data_dir


@contextmanager
def only_service(settings: Settings) -> Iterator[None]:
    """Held for the service's life on SQLite; nothing on PostgreSQL. AlreadyRunning names the
    process that holds it."""
    if not database_url(settings).startswith("sqlite"):
        yield
        return
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    path = settings.data_dir / LOCK_NAME
    handle: IO[str] = path.open("a+", encoding="ascii")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            raise AlreadyRunning(handle.read().strip() or "?", settings.data_dir) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        handle.close()  # the lock goes with it
