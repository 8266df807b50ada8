"""Engines: SQLite tuned for one office server, PostgreSQL for larger deployments."""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Literal

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError

SqliteSync = Literal["full", "normal"]


def sqlite_url(data_dir: Path) -> str:
    return f"sqlite:///{(data_dir / 'puspaga.sqlite3').resolve()}"


def make_engine(
    url: str,
    *,
    sqlite_synchronous: SqliteSync = "full",
    idle_in_transaction: float = 0,
    schema: str = "",
) -> Engine:
    """WAL, foreign keys and a busy timeout on SQLite; every SQLite transaction starts with
    BEGIN IMMEDIATE so writers queue up instead of failing on a lock upgrade. On PostgreSQL,
    `idle_in_transaction` seconds (0: none) is how long the server lets a transaction wait for
    its process: a worker frozen or cut off in the middle of one would otherwise hold its row
    locks, and every other worker behind them, until it wakes (bot/service/leases.py); `schema`
    (a checked name) is the office's own in a database several offices share: every statement
    of the engine sees that office's tables only (bot/config/province.py)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        limit = int(idle_in_transaction * 1000)
        settings = [f"-c idle_in_transaction_session_timeout={limit}"] if limit else []
        settings += [f"-c search_path={schema}"] if schema else []
        options = {"options": " ".join(settings)} if settings else {}
        # No pre-ping: it costs a round trip per unit of work; stale connections are recycled
        # instead, and a dropped one fails the unit of work, which its caller retries.
        return create_engine(
            url,
            pool_recycle=1800,
            pool_size=10,
            max_overflow=10,
            hide_parameters=True,
            connect_args=options,
        )
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        connect_args={"timeout": 30, "check_same_thread": False},
        pool_reset_on_return=None,  # the unit of work always ends with commit or rollback
        hide_parameters=True,  # statement parameters are message texts: never in errors or logs
    )
    sync = sqlite_synchronous.upper()

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (see _on_begin)
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute(f"PRAGMA synchronous={sync}")
        cur.execute("PRAGMA secure_delete=ON")  # erased content is overwritten, not left free
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # type: ignore[no-untyped-def]
        conn.connection.driver_connection.execute("BEGIN IMMEDIATE")

    return engine


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


ERASED_TABLES = ("message", "outbox", "client", "contact", "dead_letter", "psych_record",
                 "case_file", "form_state", "referral", "referral_in", "survey",
                 "appointment")  # fmt: skip


def scrub(engine: Engine) -> bool:
    """After an erasure's commit: leave as little erased as possible readable in the files. On
    SQLite (whose freed space `secure_delete` zeroes) the WAL, which still holds the pages as
    they were, is folded into the file and truncated: False when a reader kept it from being
    truncated (the caller tries again). On PostgreSQL a VACUUM of the tables erasure touches
    frees the dead row versions; their bytes stay until reused, like its WAL and backups
    (docs/panduan-operator.md says so)."""
    if is_sqlite(engine):
        with engine.connect() as conn:
            raw = conn.connection.driver_connection
            busy, _, _ = raw.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            return busy == 0
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql(f"VACUUM {', '.join(ERASED_TABLES)}")
    return True


def is_database_outage(exc: BaseException) -> bool:
    """The database is away or cannot write at all (locked, full, read-only, the connection
    dropped): nothing to do with the row being written, so worth trying again later, however
    long it takes, rather than setting the row aside."""
    if isinstance(exc, OperationalError):
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    # straight from the driver (storage/fast.py): each DB-API driver has its OperationalError
    driver = exc.orig if isinstance(exc, DBAPIError) else exc
    if any(kind.__name__ == "OperationalError" for kind in type(driver).__mro__):
        return True
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EIO, errno.EDQUOT)
