"""The Instagram channel at run time: its session and codes kept in the database (sealed with
the office's key), and an admin's /kode for the next login (its polling runs on a thread of
its own: bot/service/poll_thread.py)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.app import App

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


def give_code(app: App, code: str, now: datetime) -> bool:
    """An admin's /kode: kept for the next login, which is tried at once."""
    if app.instagram_codes is None:
        return False
    vault, source, poller = app.instagram_codes
    vault.give_code(code)
    source.breaker.until = now  # try again now, not at the end of the pause
    poller.now.set()
    return True
