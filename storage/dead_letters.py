"""What could not be stored or handled, kept whole to read and retry: the only module that
writes the dead-letter table."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, Engine, delete, insert

from storage.tables import DeadLetterRow

_TABLE = DeadLetterRow.__table__


class DeadLetters:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(
        self,
        *,
        source: str,
        external_id: str,
        payload: str,
        error: str,
        at: datetime,
        sender: str | None = None,
    ) -> None:
        """Keep one item that failed, in its own transaction (the failed one was rolled back);
        `sender` ("<channel>:<address>") lets erasing its client remove it."""
        with self.engine.begin() as conn:
            conn.execute(
                insert(_TABLE).values(
                    source=source,
                    external_id=external_id,
                    payload=payload,
                    error=error[:200],
                    created_at=at,
                    sender=sender,
                )
            )

    def drop_older_than(self, cutoff: datetime) -> int:
        """The retention purge: dead letters kept before `cutoff` go; returns how many."""
        with self.engine.begin() as conn:
            return conn.execute(delete(_TABLE).where(_TABLE.c.created_at < cutoff)).rowcount


def forget_senders(conn: Connection, senders: Sequence[str]) -> int:
    """Erasure, inside its transaction: what these senders sent that could not be stored."""
    if not senders:
        return 0
    return conn.execute(delete(_TABLE).where(_TABLE.c.sender.in_(list(senders)))).rowcount
