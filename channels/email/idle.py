"""Waiting for new mail with IMAP IDLE (RFC 2177), so a client's mail is in the inbox within
seconds, not at the next poll. The watcher only says "look now": the catch-up poll from the
durable cursor is what gives exactly-once, so a lost IDLE connection can lose nothing.

IDLE is left and re-issued every `renew_seconds` (well under the 29 minutes servers allow) with a
NOOP in between, which also proves the connection alive; each IDLE begins with a look, so no
mail falls between two IDLEs; a dead socket (idle_check answers
nothing, at once, again and again) or any error drops the connection and reconnects after an
exponential backoff with jitter."""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from channels.email.account import MailAccount
from channels.email.imap import connect

log = logging.getLogger(__name__)
NEWS = {b"EXISTS", b"RECENT"}


class ConnectionLost(Exception):
    pass


@dataclass
class IdleWatcher:
    account: MailAccount
    look_now: Callable[[], None]  # polls the folder from its cursor (and ingests)
    renew_seconds: float = 300.0
    max_backoff: float = 300.0
    stop: threading.Event = field(default_factory=threading.Event)
    supported: bool | None = None  # None until known; False: the server has no IDLE
    connected: threading.Event = field(default_factory=threading.Event)
    was_connected: bool = False  # this session got as far as IDLE
    on_state: Callable[[bool], None] = lambda ok: None  # connected / lost: the outage alarm
    allowed: Callable[[], bool] = lambda: True  # False: another worker watches this mailbox

    @property
    def name(self) -> str:
        return self.account.key

    def run(self) -> None:
        backoff = 1.0
        while not self.stop.is_set():
            if not self.allowed():
                self.stop.wait(1.0)
                continue
            self.was_connected = False
            try:
                self._session()
                backoff = 1.0
                if self.supported is False:
                    return  # the service's regular polling is all there is
            except Exception as exc:  # noqa: BLE001 - every failure means: reconnect later
                if self.was_connected:  # it had worked: a fresh drop starts the backoff over
                    backoff = 1.0
                self.connected.clear()
                self.on_state(False)
                log.warning(
                    "%s: sambungan IDLE putus (%s); menyambung lagi dalam %.0f detik",
                    self.account.key,
                    type(exc).__name__,
                    backoff,
                )
                self.stop.wait(backoff * (0.5 + random.random()))
                backoff = min(backoff * 2, self.max_backoff)

    def _session(self) -> None:
        client = connect(self.account)
        try:
            if b"IDLE" not in client.capabilities():
                self.supported = False
                log.info("%s: server tidak mendukung IDLE; surel ditarik berkala", self.account.key)
                return
            self.supported = True
            client.select_folder(self.account.folder, readonly=True)
            self.connected.set()
            self.on_state(True)
            self.was_connected = True
            while not self.stop.is_set() and self.allowed():
                self._idle_once(client)  # returns on news or at the renewal: the next IDLE looks
                client.noop()
        finally:
            self.connected.clear()
            try:
                client.logout()
            except Exception:  # noqa: BLE001
                client.shutdown()

    def _idle_once(self, client) -> bool:  # noqa: ANN001 - imapclient has no stubs
        client.idle()
        # Look once IDLE is on: what arrived before (while away, or between a renewal's NOOP
        # and this IDLE, whose EXISTS the server may send before IDLE's "+" where nobody reads
        # it) is found by the look; what arrives from now on is announced to idle_check.
        self._safe_look()
        deadline = time.monotonic() + self.renew_seconds
        news, empty_at_once = False, 0
        while (
            not self.stop.is_set() and self.allowed() and time.monotonic() < deadline and not news
        ):
            started = time.monotonic()
            responses = client.idle_check(timeout=1)
            for response in responses:
                if len(response) > 1 and response[1] in NEWS:
                    news = True
                if response and response[0] == b"BYE":
                    raise ConnectionLost("server said BYE")
            # At end of file the socket is always readable and yields nothing.
            quick_and_empty = not responses and time.monotonic() - started < 0.5
            empty_at_once = empty_at_once + 1 if quick_and_empty else 0
            if empty_at_once >= 3:
                raise ConnectionLost("end of file")
        client.idle_done()  # only on a live connection: on a dead one it can hang
        return news

    def _safe_look(self) -> None:
        try:
            self.look_now()
        except Exception as exc:  # noqa: BLE001 - a failing poll is logged; IDLE goes on
            log.error("%s: menarik surel gagal (%s)", self.account.key, type(exc).__name__)
