"""The unit of work: one database transaction over every repository."""

from __future__ import annotations

from typing import Self

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError

from storage.repositories import (
    SqlClients,
    SqlContacts,
    SqlConversations,
    SqlCursors,
    SqlMessages,
    SqlOutbox,
    SqlStepLog,
)
from triage.errors import Conflict

# PostgreSQL SQLSTATEs a retry resolves: serialization failure, deadlock.
RETRYABLE_SQLSTATES = {"40001", "40P01"}


class SqlUnitOfWork:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._conn: Connection | None = None

    def __enter__(self) -> Self:
        conn = self.engine.connect()
        conn.begin()
        self._conn = conn
        self.clients = SqlClients(conn)
        self.contacts = SqlContacts(conn)
        self.conversations = SqlConversations(conn)
        self.messages = SqlMessages(conn)
        self.steps = SqlStepLog(conn)
        self.outbox = SqlOutbox(conn)
        self.cursors = SqlCursors(conn)
        return self

    def __exit__(self, exc_type: object, exc: BaseException | None, tb: object) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            conn.rollback()  # no-op after commit
        finally:
            conn.close()
        if isinstance(exc, IntegrityError) or _retryable(exc):
            # The driver's text may quote the clashing values (personal data): keep only the kind.
            raise Conflict(type(exc).__name__) from exc

    def commit(self) -> None:
        assert self._conn is not None, "commit outside the unit of work"
        self._conn.commit()

    def rollback(self) -> None:
        assert self._conn is not None, "rollback outside the unit of work"
        self._conn.rollback()


def _retryable(exc: BaseException | None) -> bool:
    if not isinstance(exc, DBAPIError):
        return False
    return getattr(exc.orig, "sqlstate", None) in RETRYABLE_SQLSTATES


class SqlUnitOfWorkFactory:
    """What the core's use cases receive: a fresh unit of work per call."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def __call__(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine)
