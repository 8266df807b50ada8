"""What could not be stored or handled, kept whole to read and retry: the only module that
writes the dead-letter table."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, delete, insert

from storage.tables import DeadLetterRow

_TABLE = DeadLetterRow.__table__


class DeadLetters:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(self, *, source: str, external_id: str, payload: str, error: str, at: datetime) -> None:
        """Keep one item that failed, in its own transaction (the failed one was rolled back)."""
        with self.engine.begin() as conn:
            conn.execute(
                insert(_TABLE).values(
                    source=source,
                    external_id=external_id,
                    payload=payload,
                    error=error[:200],
                    created_at=at,
                )
            )

    def drop_older_than(self, cutoff: datetime) -> int:
        """The retention purge: dead letters kept before `cutoff` go; returns how many."""
        with self.engine.begin() as conn:
            return conn.execute(delete(_TABLE).where(_TABLE.c.created_at < cutoff)).rowcount
