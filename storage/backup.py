"""The database's part of a backup: an online, consistent copy taken while the service runs
(SQLite's backup API; `pg_dump` for PostgreSQL, custom format), put back onto an empty database
(`pg_restore`), and the row count of every table to check a restore by."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import Engine, func, inspect, select, text
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

import storage.tables  # noqa: F401 - the tables, registered in SQLModel.metadata
from storage.db import is_sqlite
from storage.migrate import own_schema


class BackupToolError(RuntimeError):
    """pg_dump or pg_restore failed; the message is theirs (no data in it)."""


def row_counts(engine: Engine) -> dict[str, int]:
    """Rows of every table we own that exists (none yet: an empty database)."""
    present = set(inspect(engine).get_table_names())
    with engine.connect() as conn:
        return {
            name: conn.execute(select(func.count()).select_from(table)).scalar_one()
            for name, table in sorted(SQLModel.metadata.tables.items())
            if name in present
        }


def dump(engine: Engine, to: Path) -> str:
    """Write a consistent copy of the database to `to`; returns its kind ("sqlite" or
    "postgresql")."""
    if is_sqlite(engine):
        source = sqlite3.connect(_sqlite_path(engine))
        target = sqlite3.connect(to)
        try:
            with target:
                source.backup(target)  # online: pages copied under SQLite's own locking
        finally:
            target.close()
            source.close()
        return "sqlite"
    with engine.connect() as conn:
        schema = own_schema(conn)
    only = [f"--schema={schema}"] if schema else []  # an office's own, in a shared database
    _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", *only, f"--file={to}"],
         engine)  # fmt: skip
    return "postgresql"


def load(engine: Engine, kind: str, source: Path) -> None:
    """Put a copy made by `dump` in place of the database (the service must be stopped)."""
    if kind == "sqlite":
        if not is_sqlite(engine):
            raise BackupToolError("cadangan SQLite tidak dapat dipulihkan ke PostgreSQL")
        path = _sqlite_path(engine)
        engine.dispose()
        for stale in (Path(f"{path}-wal"), Path(f"{path}-shm")):
            stale.unlink(missing_ok=True)
        draft = path.with_name(f".{path.name}.restore")
        draft.write_bytes(source.read_bytes())
        os.chmod(draft, 0o600)
        os.replace(draft, path)
        return
    if is_sqlite(engine):
        raise BackupToolError("cadangan PostgreSQL tidak dapat dipulihkan ke SQLite")
    # into an empty schema, in one transaction: a dump of an older schema restored over a
    # migrated one fails half way (its constraints depend on each other)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        schema = own_schema(conn)
        if schema:  # an office's own: the dump makes it again, and touches no other office's
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        else:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    _run(["pg_restore", "--single-transaction", "--exit-on-error", "--no-owner",
          "--no-privileges", str(source)], engine, database_flag=True)  # fmt: skip


def _sqlite_path(engine: Engine) -> Path:
    database = engine.url.database
    if not database or database == ":memory:":
        raise BackupToolError("basis data SQLite di memori tidak dapat dicadangkan")
    return Path(database).resolve()


def _run(args: list[str], engine: Engine, *, database_flag: bool = False) -> None:
    url = make_url(engine.url.render_as_string(hide_password=False)).set(drivername="postgresql")
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)  # not on the command line, where ps shows it
    plain = url.set(password=None).render_as_string(hide_password=False)
    args = [*args, f"--dbname={plain}"] if database_flag else [*args, plain]
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines()
        first = next((line for line in lines if "error" in line.lower()), lines[0] if lines else "")
        raise BackupToolError(f"{args[0]} gagal: {first[:300]}")
