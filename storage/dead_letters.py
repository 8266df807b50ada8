"""What could not be stored or handled, kept whole to read and retry: the only module that
writes the dead-letter table."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Connection, Engine, delete, insert, select

from storage.tables import DeadLetterRow

_TABLE = DeadLetterRow.__table__


@dataclass(frozen=True)
class DeadLetter:
    id: int
    source: str  # "telegram", or a channel's cursor key ("email:…", "instagram:…")
    external_id: str
    payload: str
    error: str
    created_at: datetime
    sender: str | None


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
    ) -> int:
        """Keep one item that failed, in its own transaction (the failed one was rolled back);
        `sender` ("<channel>:<address>") lets erasing its client remove it. The same item set
        aside again (a crash before its channel's cursor moved) is kept once: its id."""
        with self.engine.begin() as conn:
            known = conn.execute(
                select(_TABLE.c.id).where(
                    _TABLE.c.source == source, _TABLE.c.external_id == external_id
                )
            ).scalar()
            if known is not None:
                return int(known)
            return int(
                conn.execute(
                    insert(_TABLE)
                    .values(
                        source=source,
                        external_id=external_id,
                        payload=payload,
                        error=error[:200],
                        created_at=at,
                        sender=sender,
                    )
                    .returning(_TABLE.c.id)
                ).scalar_one()
            )

    def all(self) -> list[DeadLetter]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(_TABLE).order_by(_TABLE.c.id)).all()
        return [_letter(r) for r in rows]

    def get(self, letter_id: int) -> DeadLetter | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(_TABLE).where(_TABLE.c.id == letter_id)).first()
        return _letter(row) if row else None

    def drop(self, letter_id: int) -> bool:
        """Gone once handled (a retry stored it)."""
        with self.engine.begin() as conn:
            return conn.execute(delete(_TABLE).where(_TABLE.c.id == letter_id)).rowcount == 1

    def drop_older_than(self, cutoff: datetime) -> tuple[int, list[str]]:
        """The retention purge: dead letters kept before `cutoff` go; returns how many, and
        the stored files they named (a set-aside mail's raw source), for the caller to remove."""
        with self.engine.begin() as conn:
            return _drop(conn, _TABLE.c.created_at < cutoff)


def _letter(row) -> DeadLetter:  # noqa: ANN001 - a Row of the table
    m = row._mapping
    return DeadLetter(m["id"], m["source"], m["external_id"], m["payload"], m["error"],
                      m["created_at"], m["sender"])  # fmt: skip


def files_of(payload: str) -> list[str]:
    """The stored files a set-aside message names (its raw mail, its attachments)."""
    try:
        data = json.loads(payload)
    except ValueError:
        return []
    found = data.get("attachments") if isinstance(data, dict) else None
    return [a["stored_path"] for a in found or () if isinstance(a, dict) and a.get("stored_path")]


def forget_senders(conn: Connection, senders: Sequence[str]) -> list[str]:
    """Erasure, inside its transaction: what these senders sent that could not be stored goes;
    returns the files those messages named, for the caller to remove."""
    if not senders:
        return []
    return _drop(conn, _TABLE.c.sender.in_(list(senders)))[1]


def _drop(conn: Connection, which: ColumnElement[bool]) -> tuple[int, list[str]]:
    """The dead letters `which` selects go: how many, and the files they named."""
    payloads = conn.execute(select(_TABLE.c.payload).where(which)).scalars().all()
    count = conn.execute(delete(_TABLE).where(which)).rowcount
    return count, [path for payload in payloads for path in files_of(payload)]
