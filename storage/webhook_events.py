"""Meta's signed posts between the answer 200 and their channel's drain: the only module that
writes the webhook_event table (docs/META.md)."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from storage.tables import WebhookEventRow

_TABLE = WebhookEventRow.__table__


def digest(body: bytes) -> str:
    """What names a post: the same bytes posted again have the same digest."""
    return hashlib.sha256(body).hexdigest()


class WebhookEvents:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def keep(self, source: str, body: bytes, at: datetime) -> bool:
        """Commit one post for `source`'s drain; False when the same bytes are already kept
        (Meta's retry or duplicate). A database error propagates: the receiver answers 503 and
        Meta posts again."""
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    insert(_TABLE).values(
                        source=source,
                        digest=digest(body),
                        received_at=at,
                        body=body.decode("utf-8", errors="replace"),
                    )
                )
        except IntegrityError:
            return False
        return True

    def pending(self, source: str, limit: int) -> list[tuple[int, str]]:
        """Posts not yet drained, oldest first: (id, body)."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(_TABLE.c.id, _TABLE.c.body)
                .where(_TABLE.c.source == source, _TABLE.c.body.is_not(None))
                .order_by(_TABLE.c.id)
                .limit(limit)
            ).all()
        return [(int(r.id), str(r.body)) for r in rows]

    def finish(self, event_id: int) -> None:
        """Drained: the body (a client's words) goes; the digest stays to refuse a late retry."""
        with self.engine.begin() as conn:
            conn.execute(update(_TABLE).where(_TABLE.c.id == event_id).values(body=None))

    def purge(self, before: datetime) -> int:
        """Drained posts received before `before` (Meta retries for seven days at most)."""
        with self.engine.begin() as conn:
            result = conn.execute(
                delete(_TABLE).where(_TABLE.c.body.is_(None), _TABLE.c.received_at < before)
            )
        return int(result.rowcount or 0)
