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
        if _conflict(exc, self.engine):
            # The driver's text may quote the clashing values (personal data): keep only the kind.
            raise Conflict(type(exc).__name__) from exc

    def commit(self) -> None:
        assert self._conn is not None, "commit outside the unit of work"
        self._conn.commit()

    def rollback(self) -> None:
        assert self._conn is not None, "rollback outside the unit of work"
        self._conn.rollback()


def _conflict(exc: BaseException | None, engine: Engine) -> bool:
    """A unique-key clash or a PostgreSQL serialization failure or deadlock, raised through
    SQLAlchemy or straight from the driver (storage.fast)."""
    if exc is None:
        return False
    driver_error = exc.orig if isinstance(exc, DBAPIError) else exc
    if isinstance(exc, IntegrityError) or isinstance(
        driver_error, engine.dialect.dbapi.IntegrityError
    ):
        return True
    return getattr(driver_error, "sqlstate", None) in RETRYABLE_SQLSTATES


class SqlUnitOfWorkFactory:
    """What the core's use cases receive: a fresh unit of work per call."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def __call__(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine)
