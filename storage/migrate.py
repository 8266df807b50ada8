"""Apply the alembic migrations shipped in storage/migrations (`puspaga migrate`, and on run)."""

from __future__ import annotations

import threading
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

MIGRATIONS = Path(__file__).parent / "migrations"
MIGRATING = 0x70757370  # PostgreSQL advisory lock: several workers starting at once migrate once
_ONE_AT_A_TIME = threading.Lock()  # alembic's context is module-global: offices start on threads


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(engine: Engine) -> None:
    with _ONE_AT_A_TIME:
        _upgrade(engine)


def _upgrade(engine: Engine) -> None:
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":  # held until the commit: the others then see head
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATING})
            schema = own_schema(conn)
            if schema:  # an office's own schema (storage.db): made on its first start
                conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
        conn.commit()


def own_schema(conn: Connection) -> str | None:
    """The schema an office's engine was given (search_path), None for the default."""
    path = conn.execute(text("SHOW search_path")).scalar_one()
    first = path.split(",")[0].strip().strip('"')
    return None if first in ("$user", "public") else first


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
