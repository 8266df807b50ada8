"""The unit of work: one database transaction over every repository."""

from __future__ import annotations

import random
import time
from typing import Any, Self

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError

from storage.leases import Fences
from storage.repositories.casefiles import SqlCaseFiles
from storage.repositories.clients import SqlClients, SqlContacts
from storage.repositories.conversations import SqlConversations
from storage.repositories.cursors import SqlCursors
from storage.repositories.deadlines import SqlDeadlines
from storage.repositories.erasure import SqlErasure
from storage.repositories.followups import SqlAppointments, SqlReferrals, SqlSurveys
from storage.repositories.forms import SqlForms
from storage.repositories.messages import SqlMessages
from storage.repositories.outbox import SqlOutbox
from storage.repositories.programme import SqlProgramme
from storage.repositories.records import SqlAudit, SqlGrants, SqlRecords
from storage.repositories.reports import SqlReports
from storage.repositories.roster import SqlRosterChanges
from storage.repositories.steps import SqlStepLog
from triage.domain.errors import Conflict
from triage.domain.model import DEFAULT_OFFICE

# What a retry resolves: a unique key another writer took first, a row it deleted (foreign key),
# a serialization failure or a deadlock. Other integrity errors are bugs and surface as they are.
RETRYABLE_SQLSTATES = {"23505", "23503", "40001", "40P01"}
RETRYABLE_SQLITE = {
    "SQLITE_CONSTRAINT_UNIQUE",
    "SQLITE_CONSTRAINT_PRIMARYKEY",
    "SQLITE_CONSTRAINT_FOREIGNKEY",
}


# The repositories, made on first use: a unit of work of the ingest path uses two of them.
REPOSITORIES = {
    "clients": SqlClients,
    "contacts": SqlContacts,
    "conversations": SqlConversations,
    "messages": SqlMessages,
    "steps": SqlStepLog,
    "outbox": SqlOutbox,
    "cursors": SqlCursors,
    "forms": SqlForms,
    "deadlines": SqlDeadlines,
    "roster": SqlRosterChanges,
    "casefiles": SqlCaseFiles,
    "programme": SqlProgramme,
    "records": SqlRecords,
    "audit": SqlAudit,
    "reports": SqlReports,
    "grants": SqlGrants,
    "referrals": SqlReferrals,
    "surveys": SqlSurveys,
    "appointments": SqlAppointments,
    "erasure": SqlErasure,
}


class SqlUnitOfWork:
    clients: SqlClients
    contacts: SqlContacts
    conversations: SqlConversations
    messages: SqlMessages
    steps: SqlStepLog
    outbox: SqlOutbox
    cursors: SqlCursors
    forms: SqlForms
    deadlines: SqlDeadlines
    roster: SqlRosterChanges
    casefiles: SqlCaseFiles
    programme: SqlProgramme
    records: SqlRecords
    audit: SqlAudit
    reports: SqlReports
    grants: SqlGrants
    referrals: SqlReferrals
    surveys: SqlSurveys
    appointments: SqlAppointments
    erasure: SqlErasure

    def __init__(
        self, engine: Engine, office_id: str = DEFAULT_OFFICE, fences: Fences | None = None
    ) -> None:
        self.engine = engine
        self.office_id = office_id
        self.fences = fences  # several workers: a leased cursor is written with its token
        self._conn: Connection | None = None

    def __getattr__(self, name: str) -> Any:
        """A repository, on the unit of work's connection (only while it is open)."""
        repo_class = REPOSITORIES.get(name)
        if repo_class is None or self.__dict__.get("_conn") is None:
            raise AttributeError(name)
        repo = repo_class(self._conn, self.office_id)
        if name == "cursors":
            repo.fences = self.fences
        setattr(self, name, repo)
        return repo

    def __enter__(self) -> Self:
        conn = self.engine.connect()
        conn.begin()
        self._conn = conn
        return self

    def __exit__(self, exc_type: object, exc: BaseException | None, tb: object) -> None:
        conn, self._conn = self._conn, None
        for used in REPOSITORIES.keys() & self.__dict__.keys():  # bound to the closed connection
            del self.__dict__[used]
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
    if getattr(driver_error, "sqlite_errorname", None) in RETRYABLE_SQLITE:
        return True
    code = getattr(driver_error, "sqlstate", None) or getattr(driver_error, "pgcode", None)
    return code in RETRYABLE_SQLSTATES


class SqlUnitOfWorkFactory:
    """What the core's use cases receive: a fresh unit of work per call."""

    def __init__(
        self, engine: Engine, office_id: str = DEFAULT_OFFICE, fences: Fences | None = None
    ) -> None:
        self.engine = engine
        self.office_id = office_id
        self.fences = fences

    def __call__(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine, self.office_id, self.fences)

    def pause(self, attempt: int) -> None:
        """Jittered, growing wait before a retry, so a long transaction can finish first."""
        time.sleep(random.uniform(0, min(0.2, 0.005 * 2**attempt)))
