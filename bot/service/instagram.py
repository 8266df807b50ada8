"""The Instagram channel at run time: its session and codes kept in the database (sealed with
the office's key), its trouble told to the admin group, its polling on a thread of its own (an
instagrapi call can take seconds; the relay and the outbox must not wait for it)."""

from __future__ import annotations

import logging
import random
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.app import App
from bot.service import loops
from channels.instagram.source import InstagramSource

log = logging.getLogger(__name__)
CODE_LIFETIME = timedelta(minutes=15)


@dataclass
class DatabaseVault:
    """The session and an admin's code, as rows of the channel state table."""

    app: App
    username: str

    def _key(self, what: str) -> str:
        return f"instagram:{self.username}:{what}"

    def load_session(self) -> str | None:
        with self.app.uows() as uow:
            return uow.cursors.get(self._key("session"))

    def save_session(self, sealed: str) -> None:
        with self.app.uows() as uow:
            uow.cursors.set(self._key("session"), sealed)
            uow.commit()

    def give_code(self, code: str) -> None:
        stamped = f"{code}|{self.app.clock().isoformat()}"
        with self.app.uows() as uow:
            uow.cursors.set(self._key("code"), stamped)
            uow.commit()

    def take_code(self) -> str | None:
        """The admin's code, once, if it is fresh: Instagram's codes expire within minutes,
        and a stale one would only throw the stored session away."""
        with self.app.uows() as uow:
            stamped = uow.cursors.get(self._key("code"))
            if not stamped:
                return None
            uow.cursors.set(self._key("code"), "")
            uow.commit()
        code, _, at = stamped.partition("|")
        try:
            fresh = self.app.clock() - datetime.fromisoformat(at) < CODE_LIFETIME
        except ValueError:
            fresh = False
        return code if fresh else None


@dataclass
class PollThread:
    """Polls one source every `seconds` plus a random part, until stopped."""

    app: App
    source: InstagramSource
    seconds: float
    stop: threading.Event = field(default_factory=threading.Event)
    now: threading.Event = field(default_factory=threading.Event)  # poll at once (a code came)

    @property
    def name(self) -> str:
        return self.source.cursor_key

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                loops.poll_now(self.app, self.source)
            except Exception as exc:  # noqa: BLE001 - e.g. the database: log, the thread goes on
                log.error("polling %s failed (%s)", self.name, type(exc).__name__)
            self.now.wait(self.seconds * (1 + random.random() / 2))
            self.now.clear()


def give_code(app: App, code: str, now: datetime) -> bool:
    """An admin's /kode: kept for the next login, which is tried at once."""
    if app.instagram_codes is None:
        return False
    vault, source, poller = app.instagram_codes
    vault.give_code(code)
    source.breaker.until = now  # try again now, not at the end of the pause
    poller.now.set()
    return True
