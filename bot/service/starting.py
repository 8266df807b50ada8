"""Starting while the database is not there yet (PostgreSQL still starting after a power cut,
its server rebooting): the service waits for it, with a growing pause, instead of exiting and
making systemd give up after a few quick restarts. A wait that lasts `[alarm] after_minutes`
is mailed to the head like any outage, and its end once the service runs
(bot/service/alarm.py)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from bot.app import App
from bot.config.settings import Settings
from bot.service import alarm, systemd
from storage.db import is_database_outage
from triage.domain.outage import OutageBook
from triage.ports import Sender

log = logging.getLogger(__name__)
MAX_PAUSE = 60.0


def build_when_ready(
    settings: Settings,
    stop: threading.Event,
    *,
    build: Callable[[Settings], App],
    mailer: Callable[[], Sender | None],
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    first_pause: float = 1.0,
) -> App | None:
    """The built service, once the database answers; None when stopped while waiting. Any
    other failure (a bug, a wrong setting) is raised at once, as before."""
    book = OutageBook(timedelta(minutes=settings.alarm.after_minutes))
    pause = first_pause
    while not stop.is_set():
        try:
            app = build(settings)
        except Exception as exc:
            if not is_database_outage(exc):
                raise
            book.saw("database", False, clock())
            for due in book.due(clock()):
                if alarm.tell(settings, mailer(), due, clock()):
                    book.sent(due)
            log.error(
                "basis data belum bisa dipakai (%s); dicoba lagi dalam %.0f detik",
                type(exc).__name__, pause,
            )  # fmt: skip
            # Type=notify: still starting, not hung (systemd's start timeout is extended)
            systemd.notify(f"EXTEND_TIMEOUT_USEC={int((pause + 60) * 1_000_000)}")
            stop.wait(pause)
            pause = min(pause * 2, MAX_PAUSE)
            continue
        with app.outage_lock:  # the running service tells the end of the wait
            app.outages.down.update(book.down)
            app.outages.told.update(book.told)
        return app
    return None
