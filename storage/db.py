"""Engines: SQLite tuned for one office server, PostgreSQL for larger deployments."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

SqliteSync = Literal["full", "normal"]


def sqlite_url(data_dir: Path) -> str:
    return f"sqlite:///{(data_dir / 'puspaga.sqlite3').resolve()}"


def make_engine(url: str, *, sqlite_synchronous: SqliteSync = "full") -> Engine:
    """WAL, foreign keys and a busy timeout on SQLite; every SQLite transaction starts with
    BEGIN IMMEDIATE so writers queue up instead of failing on a lock upgrade."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        # No pre-ping: it costs a round trip per unit of work; stale connections are recycled
        # instead, and a dropped one fails the unit of work, which its caller retries.
        return create_engine(
            url, pool_recycle=1800, pool_size=10, max_overflow=10, hide_parameters=True
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
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # type: ignore[no-untyped-def]
        conn.connection.driver_connection.execute("BEGIN IMMEDIATE")

    return engine


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"
