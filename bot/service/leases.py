"""Several `puspaga run` on one PostgreSQL: the outbox, relay and timers are shared through row
locks, but a poller that must be single (the Telegram updates, each mailbox, each Instagram
account, the calendar jobs) runs only in the worker holding its lease (storage/leases.py).

The keeper takes the free leases and renews those it holds every third of `[database]
lease_seconds`. A holder that dies, freezes or loses the network stops renewing, and another
worker's keeper takes the lease once it has run out: within `lease_seconds` and a third. Its own
view is kept shorter than the database's (LOCAL_SHARE of it, counted from before the renewal was
asked for, on the monotonic clock that also runs while a process is frozen), so a worker that
wakes from a freeze stops polling before anyone else may have started; the fencing token catches
what is already under way."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from storage.leases import Fences, SqlLeases
from triage.domain.outbox import OutboxItem, Target
from triage.ports import NotYet, Sender, SendResult

log = logging.getLogger(__name__)
LOCAL_SHARE = 0.8
CALENDAR = "calendar"


def holder_name() -> str:
    """Which worker: the host and process (for an operator reading the lease table), and a
    random part (a restarted process may get the same pid)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclass
class Lease:
    on_gain: Callable[[], None]
    on_loss: Callable[[], None]
    token: int | None = None
    until: float = 0.0  # monotonic


@dataclass
class LeaseKeeper:
    store: SqlLeases
    fences: Fences
    ttl: float = 15.0
    leases: dict[str, Lease] = field(default_factory=dict)
    stop: threading.Event = field(default_factory=threading.Event)
    soon: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def want(self, name: str, on_gain: Callable[[], None] = lambda: None,
             on_loss: Callable[[], None] = lambda: None) -> None:  # fmt: skip
        """Run `name`'s poller when this worker holds it: `on_gain` and `on_loss` are called
        from the keeper's thread as it changes hands."""
        with self._lock:
            if name in self.leases:
                return
            self.leases[name] = Lease(on_gain, on_loss)
            self.fences.guarded.add(name)
        self.soon.set()

    def tenure(self, name: str) -> int | None:
        """The fencing token while this worker holds `name`, else None."""
        with self._lock:
            lease = self.leases.get(name)
            if lease is None or lease.token is None or time.monotonic() >= lease.until:
                return None
            return lease.token

    def tick(self) -> None:
        """Renew what is held, take what is free. A database that does not answer keeps what
        was held until it runs out here too (then the pollers pause)."""
        with self._lock:
            names = list(self.leases)
        for name in names:
            lease = self.leases[name]
            asked = time.monotonic()
            try:
                if lease.token is not None:
                    if self.store.renew(name, self.fences.holder, lease.token, self.ttl):
                        self._set(lease, lease.token, asked)
                        continue
                    self._lose(name, lease)
                token = self.store.take(name, self.fences.holder, self.ttl)
            except Exception as exc:  # noqa: BLE001 - the database away: try at the next tick
                log.warning("sewa %s tidak bisa diperbarui (%s)", name, type(exc).__name__)
                continue
            if token is not None:
                self._set(lease, token, asked)
                self.fences.hold(name, token)
                log.info("pekerja ini menjalankan %s (token %d)", name, token)
                _safely(lease.on_gain, name)

    def _set(self, lease: Lease, token: int, asked: float) -> None:
        with self._lock:
            lease.token, lease.until = token, asked + self.ttl * LOCAL_SHARE

    def _lose(self, name: str, lease: Lease) -> None:
        self._lose_quietly(name, lease)
        log.warning("%s diambil alih pekerja lain; di sini berhenti", name)
        _safely(lease.on_loss, name)

    def run(self) -> None:
        while not self.stop.is_set():
            self.tick()
            self.soon.wait(self.ttl / 3)
            self.soon.clear()

    def release_all(self) -> None:
        """At a clean stop, after the pollers: another worker takes over at its next tick."""
        for name, lease in list(self.leases.items()):
            if lease.token is None:
                continue
            try:
                self.store.release(name, self.fences.holder, lease.token)
            except Exception as exc:  # noqa: BLE001 - it runs out by itself
                log.warning("sewa %s tidak bisa dilepas (%s)", name, type(exc).__name__)
            self._lose_quietly(name, lease)

    def _lose_quietly(self, name: str, lease: Lease) -> None:
        """No longer held here (its poller stops: `tenure` is None), no token for the fence."""
        with self._lock:
            lease.token, lease.until = None, 0.0
        self.fences.drop(name)


@dataclass
class HolderOnly:
    """A sender that shares its login with a leased poller (Instagram: one session per
    account) sends only in the worker running that poller; elsewhere the item waits its turn
    without counting as an attempt, for the holder's dispatcher to take it."""

    sender: Sender
    holds: Callable[[], bool]

    def send(self, item: OutboxItem) -> SendResult:
        if not self.holds():
            raise NotYet(1.0)
        return self.sender.send(item)

    def already_sent(self, item: OutboxItem) -> SendResult | None:
        return self.sender.already_sent(item) if self.holds() else None


def sendable(senders: Mapping[Target, Sender]) -> set[Target]:
    """The targets this worker sends now: the others' items are left for the worker holding
    their lease (claiming them only to put them back would cost every worker a write)."""
    return {t for t, s in senders.items() if not isinstance(s, HolderOnly) or s.holds()}


def _safely(fn: Callable[[], None], name: str) -> None:
    try:
        fn()
    except Exception as exc:  # noqa: BLE001 - the keeper must go on renewing the others
        log.error("mengalihkan %s gagal (%s)", name, type(exc).__name__)
        log.debug("traceback", exc_info=True)


def start(keeper: LeaseKeeper) -> threading.Thread:
    keeper.tick()  # before the pollers start: the first worker up takes them at once
    thread = threading.Thread(target=keeper.run, name="leases", daemon=True)
    thread.start()
    return thread
