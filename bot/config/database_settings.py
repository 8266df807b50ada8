"""`[database]`: SQLite by default, PostgreSQL for bigger deployments, several workers and
several offices (bot/config/province.py)."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field, field_validator
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.config.channel_settings import Section
from bot.config.problems import wrong


class DatabaseConfig(Section):
    url: str = ""  # empty: a SQLite file in data_dir
    sqlite_synchronous: Literal["full", "normal"] = "full"
    # PostgreSQL, several workers: a dead worker's pollers move to another within this and a third
    lease_seconds: Annotated[float, Field(ge=2, le=120)] = 15
    # PostgreSQL: the office's schema in a database several offices share (bot/config/province.py)
    schema_name: str = ""

    @field_validator("schema_name")
    @classmethod
    def _schema(cls, value: str) -> str:
        # public is everyone's default; pg_ names are PostgreSQL's own
        fits = re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", value)
        if value and (not fits or value == "public" or value.startswith("pg_")):
            raise wrong("database_schema", value=value)
        return value

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        """SQLite or PostgreSQL through psycopg: anything else stops the start with its fix,
        not a traceback ("postgres://…" is how other tools write it)."""
        if not value:
            return value
        try:
            driver = make_url(value).drivername
        except ArgumentError:
            raise wrong("database_url") from None
        if driver not in ("sqlite", "postgresql+psycopg"):
            raise wrong("database_url")
        return value
