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

    @contextmanager
    def client(self) -> Iterator[Client]:
        with self._lock:
            if self._client is None:
                self._client = self._login()
            yield self._client

    def forget(self) -> None:
        """The session was refused: log in again next time (the stored one is kept until a new
        one replaces it)."""
        with self._lock:
            self._client = None

    def _login(self) -> Client:
        client = self.new_client()
        client.challenge_code_handler = self._challenge_code
        code = self.vault.take_code()
        sealed = None if code else self.vault.load_session()  # a code means: log in afresh
        if sealed:
            try:
                client.set_settings(json.loads(self.sealer.open(sealed)))
            except Exception:  # noqa: BLE001 - a session we cannot open: log in afresh
                log.warning("the stored Instagram session could not be read; logging in again")
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
        self.on_code_needed("ig.trouble.challenge")
        deadline = time.monotonic() + self.code_wait_seconds
        while True:
            code = self.vault.take_code()
            if code:
                return code
            if time.monotonic() >= deadline:
                raise NeedsCode("challenge")
            time.sleep(2)
