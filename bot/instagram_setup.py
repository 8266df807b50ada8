"""Wiring the Instagram channel: its session and codes kept in the database (sealed with the
office's key), its trouble told to the admin group, its polling on a thread of its own (an
instagrapi call can take seconds; the relay and the outbox must not wait for it)."""

from __future__ import annotations

import logging
import random
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.secret_box import SecretBox
from channels.instagram.sender import InstagramSender
from channels.instagram.session import InstagramSession
from channels.instagram.source import InstagramSource
from triage.domain import notices
from triage.domain.outbox import Target
from triage.effects import notify
from triage.texts.catalog import text

if TYPE_CHECKING:
    from bot.wiring import App

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
                self.app.poll_now(self.source)
            except Exception as exc:  # noqa: BLE001 - e.g. the database: log, the thread goes on
                log.error("polling %s failed (%s)", self.name, type(exc).__name__)
            self.now.wait(self.seconds * (1 + random.random() / 2))
            self.now.clear()


def add_instagram(app: App) -> None:
    settings = app.settings
    config = settings.instagram
    assert config is not None
    vault = DatabaseVault(app, config.username)
    session = InstagramSession(
        config.username, config.password, vault, SecretBox.for_data_dir(settings.data_dir)
    )
    lang = settings.language

    def tell_admins(key: str) -> None:
        now = app.clock()
        with app.uows() as uow:
            notify.queue(
                uow,
                key=f"instagram:{key}:{now.isoformat()}",
                recipient=notices.GENERAL,
                kind=notices.Kind.INFO,
                now=now,
                text=text(key, lang),
            )
            uow.commit()
        app.wake.set()

    source = InstagramSource(
        session,
        settings.data_dir / "attachments" / "instagram",
        tell_admins=tell_admins,
        language=lang,
        backfill_days=config.backfill_days,
        approve_requests=config.approve_requests,
        mark_seen=config.mark_seen,
        max_file_bytes=int(config.max_attachment_mb * 1024 * 1024),
        clock=app.clock,
    )
    session.on_code_needed = tell_admins
    app.sources.append(source)
    app.threaded.add(source.cursor_key)
    app.senders[Target.INSTAGRAM] = InstagramSender(session)
    poller = PollThread(app, source, config.poll_seconds)
    app.watchers.append(poller)
    app.instagram_codes = (vault, source, poller)


def give_code(app: App, code: str, now: datetime) -> bool:
    """An admin's /kode: kept for the next login, which is tried at once."""
    if app.instagram_codes is None:
        return False
    vault, source, poller = app.instagram_codes
    vault.give_code(code)
    source.breaker.until = now  # try again now, not at the end of the pause
    poller.now.set()
    return True


def instagram_problem(settings) -> str | None:  # noqa: ANN001 - Settings, imported late
    """`puspaga check`: log in as the service would (reusing the stored session)."""
    from instagrapi.exceptions import BadPassword, ClientError, LoginRequired

    from bot.wiring import build
    from channels.instagram.session import NeedsCode

    app = build(settings)
    vault, source, _ = app.instagram_codes
    try:
        with source.session.client():
            return None
    except BadPassword:
        return "Instagram refused the password. Fix: [instagram] password"
    except NeedsCode as exc:
        return (
            f"Instagram asks for a {exc.kind.replace('_', '-')} code: start the service and "
            "type /kode <digits> in the admin group when asked"
        )
    except (LoginRequired, ClientError, OSError) as exc:
        return f"cannot log in to Instagram ({type(exc).__name__}). Fix: [instagram] username"
