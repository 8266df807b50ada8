"""One logged-in instagrapi client, shared by the poller and the sender (one at a time: the
client is not thread-safe). The session (cookies, device) is kept sealed in the database and
reused, so the office does not log in afresh, which Instagram treats as suspicious.

A two-factor or challenge code is never read from a terminal: the admin group is told, an admin
types `/kode 123456`, and the next attempt uses it."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Protocol

from instagrapi import Client
from instagrapi.exceptions import ChallengeRequired, LoginRequired, TwoFactorRequired

log = logging.getLogger(__name__)


class Vault(Protocol):
    """Where the sealed session and an admin's code live (the shell: the database)."""

    def load_session(self) -> str | None: ...
    def save_session(self, sealed: str) -> None: ...
    def take_code(self) -> str | None: ...


class Sealer(Protocol):
    def seal(self, data: bytes) -> str: ...
    def open(self, sealed: str) -> bytes: ...


class Busy(Exception):
    """The client is in use or not logged in: a send waits; it never logs in itself (only the
    polling thread does, so a challenge's wait never holds up the outbox)."""


class NeedsCode(Exception):
    """Instagram asks for a code (two-factor or a challenge): an admin must give it."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


@dataclass
class InstagramSession:
    username: str
    password: str
    vault: Vault
    sealer: Sealer
    new_client: Callable[[], Client] = Client
    on_code_needed: Callable[[str], None] = lambda kind: None  # tells the admin group
    code_wait_seconds: float = 600  # a challenge's code is awaited this long (poll thread)
    _client: Client | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    asked_code: bool = False  # the admins were asked during this login

    @contextmanager
    def client(self) -> Iterator[Client]:
        """The logged-in client, logging in if needed (the polling thread)."""
        with self._lock:
            if self._client is None:
                self.asked_code = False
                self._client = self._login()
            yield self._client

    @contextmanager
    def ready_client(self, wait: float = 1.0) -> Iterator[Client]:
        """The client if it is logged in and free within `wait` seconds, else Busy."""
        if not self._lock.acquire(timeout=wait):
            raise Busy("in use")
        try:
            if self._client is None:
                raise Busy("not logged in")
            yield self._client
        finally:
            self._lock.release()

    def forget(self) -> None:
        """The session was refused: log in again next time (the stored one is kept until a new
        one replaces it)."""
        with self._lock:
            self._client = None

    def _login(self) -> Client:
        client = self.new_client()
        client.challenge_code_handler = self._challenge_code
        client.change_password_handler = self._no_password_change  # never input() on stdin
        code = self.vault.take_code()
        sealed = None if code else self.vault.load_session()  # a code means: log in afresh
        if sealed:
            try:
                client.set_settings(json.loads(self.sealer.open(sealed)))
            except Exception:  # noqa: BLE001 - a session we cannot open: log in afresh
                log.warning("sesi Instagram tersimpan tidak terbaca; login ulang")
        try:
            if code:
                client.login(self.username, self.password, verification_code=code)
            else:
                client.login(self.username, self.password)
        except TwoFactorRequired:
            raise NeedsCode("two_factor") from None
        except ChallengeRequired:
            raise NeedsCode("challenge") from None
        except LoginRequired:
            raise
        self.vault.save_session(self.sealer.seal(json.dumps(client.get_settings()).encode()))
        return client

    def _challenge_code(self, username: str, choice: object) -> str:
        """instagrapi's challenge flow asks for the code Instagram just sent (SMS or email):
        the admins are told and their `/kode` is awaited here, on the polling thread."""
        if not self.asked_code:
            self.asked_code = True
            self.on_code_needed("ig.trouble.challenge")
        deadline = time.monotonic() + self.code_wait_seconds
        while True:
            code = self.vault.take_code()
            if code:
                return code
            if time.monotonic() >= deadline:
                raise NeedsCode("challenge")
            time.sleep(2)

    def _no_password_change(self, username: str) -> str:
        raise NeedsCode("password")
