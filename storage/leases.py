"""Leases: which worker runs a poller that must be single (the Telegram updates, each mailbox,
each Instagram account, the calendar jobs) when several `puspaga run` share one PostgreSQL.

A lease is a row: its holder until `expires_at`, by the database's clock (the workers' clocks
may disagree), and a fencing token raised at every change of holder. The holder renews it well
before it runs out; when the holder dies, or is frozen, or its host drops off the network, the
row runs out and another worker takes it with the next token. A worker that was frozen and wakes
still believing it holds the lease cannot do harm: every write of a leased cursor checks the
token in the same transaction (`Fences`), under a share lock that a takeover must wait for, so
its stale write fails (`LeaseLost`) instead of moving a cursor the new holder owns.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, Engine, text

# SQLite serves one process (bot/service/single.py): its time is the process's own.
_NOW = {"postgresql": "clock_timestamp()", "sqlite": ":now"}
_UNTIL = {"postgresql": "clock_timestamp() + make_interval(secs => :ttl)", "sqlite": ":until"}
_TAKE = """
INSERT INTO lease (name, holder, token, expires_at) VALUES (:name, :holder, 1, {until})
ON CONFLICT (name) DO UPDATE SET holder = :holder, token = lease.token + 1,
    expires_at = excluded.expires_at
WHERE lease.expires_at < {now}
RETURNING token
"""
_RENEW = """
UPDATE lease SET expires_at = {until}
WHERE name = :name AND holder = :holder AND token = :token
"""
_RELEASE = """
UPDATE lease SET expires_at = :long_ago
WHERE name = :name AND holder = :holder AND token = :token
"""
_FENCE = {
    "postgresql": "SELECT holder, token FROM lease WHERE name = :name FOR SHARE",
    "sqlite": "SELECT holder, token FROM lease WHERE name = :name",
}
LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)


class LeaseLost(Exception):
    """A write for a lease this worker no longer holds: another worker took it over."""


class SqlLeases:
    """Take, renew and give back leases, each in a transaction of its own."""

    def __init__(self, engine: Engine, clock: Callable[[], datetime] = lambda: datetime.now(UTC)):
        self.engine = engine
        self.clock = clock
        self.dialect = engine.dialect.name

    def _sql(self, template: str) -> str:
        return template.format(now=_NOW[self.dialect], until=_UNTIL[self.dialect])

    def _params(self, ttl: float, **params: object) -> dict[str, object]:
        now = self.clock()
        return {"ttl": ttl, "now": now, "until": now + timedelta(seconds=ttl), **params}

    def take(self, name: str, holder: str, ttl: float) -> int | None:
        """The new fencing token if the lease was free (never held, or run out), else None."""
        with self.engine.begin() as conn:
            self._wait_briefly(conn, ttl)
            params = self._params(ttl, name=name, holder=holder)
            return conn.execute(text(self._sql(_TAKE)), params).scalar_one_or_none()

    def renew(self, name: str, holder: str, token: int, ttl: float) -> bool:
        """False if another worker holds it now (this one was too long away)."""
        with self.engine.begin() as conn:
            self._wait_briefly(conn, ttl)
            params = self._params(ttl, name=name, holder=holder, token=token)
            return conn.execute(text(self._sql(_RENEW)), params).rowcount == 1

    def _wait_briefly(self, conn: Connection, ttl: float) -> None:
        """A fenced write of a frozen worker keeps the row share-locked until the server ends
        its transaction (storage.db: idle_in_transaction): the keeper gives up after a tenth of
        the lease, an error, and tries again at its next tick, so its other leases are renewed
        meanwhile."""
        if self.dialect == "postgresql":
            conn.execute(text(f"SET LOCAL lock_timeout = {max(100, int(ttl * 100))}"))

    def release(self, name: str, holder: str, token: int) -> None:
        """At a clean stop: another worker may take it at once."""
        with self.engine.begin() as conn:
            params = {"name": name, "holder": holder, "token": token, "long_ago": LONG_AGO}
            conn.execute(text(_RELEASE), params)

    def holders(self) -> dict[str, tuple[str, int, datetime]]:
        """Every lease: its holder, token and expiry (for `puspaga health` and tests)."""
        with self.engine.connect() as conn:
            rows = conn.execute(text("SELECT name, holder, token, expires_at FROM lease"))
            return {r.name: (r.holder, r.token, _aware(r.expires_at)) for r in rows}


def _aware(value: datetime | str) -> datetime:
    if isinstance(value, str):  # SQLite through text(): no type to convert it
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


class Fences:
    """The leases this worker holds, by name, for the writes they guard: a cursor whose key is
    `guarded` is written only with its lease's current token (checked in the writing
    transaction). Shared by the lease keeper (which sets and drops) and every unit of work."""

    def __init__(self, holder: str) -> None:
        self.holder = holder
        self.guarded: set[str] = set()
        self._tokens: dict[str, int] = {}
        self._lock = threading.Lock()

    def hold(self, name: str, token: int) -> None:
        with self._lock:
            self._tokens[name] = token

    def drop(self, name: str) -> None:
        with self._lock:
            self._tokens.pop(name, None)

    def token(self, name: str) -> int | None:
        with self._lock:
            return self._tokens.get(name)

    def check(self, conn: Connection, name: str) -> None:
        """Raises LeaseLost unless this worker's token is the lease's current one; on
        PostgreSQL the row stays share-locked until the transaction ends, so a takeover waits
        for this write, or this write sees the takeover."""
        if name not in self.guarded:
            return
        mine = self.token(name)
        row = conn.execute(text(_FENCE[conn.dialect.name]), {"name": name}).first()
        if mine is None or row is None or (row.holder, row.token) != (self.holder, mine):
            raise LeaseLost(name)
