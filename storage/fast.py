"""Hot-path statements: compiled once per dialect by SQLAlchemy, run on the driver's cursor.

The ingest path runs two statements per message; SQLAlchemy's per-execute machinery cost
more than the database work, and bench/ingest.py holds that path to half the raw commit rate.
The SQL and the bind processors (our UtcDateTime, JsonText) still come from SQLAlchemy, so the
statements stay the same on SQLite and PostgreSQL. Driver errors surface unwrapped; the unit of
work translates them like SQLAlchemy's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.sql import ClauseElement


class FastStatement:
    def __init__(self, stmt: ClauseElement, keys: Sequence[str] | None = None) -> None:
        self.stmt = stmt
        self.keys = list(keys) if keys is not None else None
        self._compiled: dict[str, tuple[Any, list[str] | None, dict[str, Callable]]] = {}

    def _compile(self, conn: Connection) -> tuple[Any, list[str] | None, dict[str, Callable]]:
        dialect = conn.dialect
        found = self._compiled.get(dialect.name)
        if found is None:
            compiled = self.stmt.compile(dialect=dialect, column_keys=self.keys)
            processors = {
                key: proc
                for key, proc in compiled._bind_processors.items()  # noqa: SLF001
                if proc is not None
            }
            order = list(compiled.positiontup) if compiled.positional else None  # type: ignore[arg-type]
            found = (compiled, order, processors)
            self._compiled[dialect.name] = found
        return found

    def execute(self, conn: Connection, params: Mapping[str, Any]) -> Any:
        compiled, order, processors = self._compile(conn)
        values = compiled.construct_params(params)  # adds the statement's literal values
        for key, proc in processors.items():
            values[key] = proc(values[key])
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        args = [values[name] for name in order] if order is not None else values
        cursor.execute(compiled.string, args)
        return cursor

    def first(self, conn: Connection, params: Mapping[str, Any]) -> tuple | None:
        cursor = self.execute(conn, params)
        row = cursor.fetchone()
        cursor.close()
        return row
