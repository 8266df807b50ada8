"""The durable outbox: every message we send is a row first; dispatchers claim the oldest
unfinished item per recipient (order kept per chat) under a lease."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy import and_, bindparam, case, exists, func, insert, or_, select, update
from sqlalchemy.orm import aliased

from storage import mapping
from storage.repositories._base import Repo, by_id, moving, outbox_t
from triage.domain.outbox import OutboxItem, Target

earlier = aliased(outbox_t)

OUTBOX_PICK = (
    select(outbox_t.c.id)
    .where(
        or_(
            and_(outbox_t.c.status == "pending", outbox_t.c.next_attempt_at <= bindparam("_now")),
            and_(outbox_t.c.status == "sending", outbox_t.c.lease_until <= bindparam("_now")),
        ),
        or_(outbox_t.c.not_before.is_(None), outbox_t.c.not_before <= bindparam("_now")),
        # the oldest unfinished item per recipient only: order is kept per chat (one kept for
        # the client's safe hours holds nothing back: the crisis reply must not wait on it)
        ~exists().where(
            earlier.c.target == outbox_t.c.target,
            earlier.c.recipient == outbox_t.c.recipient,
            earlier.c.id < outbox_t.c.id,
            earlier.c.status.in_(("pending", "sending")),
            or_(earlier.c.not_before.is_(None), earlier.c.not_before <= bindparam("_now")),
        ),
    )
    # Among recipients: urgent first, then the item passed over most often (each claim that a
    # shared budget deferred, or a stop handed back, counts), then the oldest: a flood in one
    # topic cannot keep another topic's card waiting behind all of it.
    .order_by(outbox_t.c.priority.desc(), outbox_t.c.claims.desc(), outbox_t.c.id)
    .limit(bindparam("_limit"))
)
OUTBOX_PICK_LOCKED = OUTBOX_PICK.with_for_update(skip_locked=True, of=outbox_t)
# several workers: only the targets this one can send now (bot/service/leases.py)
_TARGETS = outbox_t.c.target.in_(bindparam("_targets", expanding=True))
OUTBOX_PICK_FOR = OUTBOX_PICK.where(_TARGETS)
OUTBOX_PICK_LOCKED_FOR = OUTBOX_PICK_LOCKED.where(_TARGETS)
OUTBOX_CLAIM = (
    update(outbox_t)
    .where(outbox_t.c.id.in_(bindparam("_ids", expanding=True)))
    .values(
        status="sending",
        lease_until=bindparam("_lease"),
        claims=outbox_t.c.claims + 1,
        # a lease that ran out is an attempt that failed (counted, so crash loops end)
        interrupted=outbox_t.c.status == "sending",
        attempts=outbox_t.c.attempts + case((outbox_t.c.status == "sending", 1), else_=0),
    )
    .returning(*outbox_t.c)
)
OUTBOX_INSERT = insert(outbox_t).returning(outbox_t.c.id)
OUTBOX_GET = select(outbox_t).where(by_id(outbox_t))
OUTBOX_KEY = select(outbox_t).where(outbox_t.c.idempotency_key == bindparam("_key"))
OUTBOX_RECORD = update(outbox_t).where(by_id(outbox_t), outbox_t.c.claims == bindparam("_claims"))
OUTBOX_FAILED = select(outbox_t).where(outbox_t.c.status == "failed").order_by(outbox_t.c.id)
OUTBOX_RETRY = (
    update(outbox_t)
    .where(by_id(outbox_t), outbox_t.c.status == "failed", outbox_t.c.recipient != "erased")
    .values(
        status="pending",
        attempts=0,
        interrupted=False,
        last_error=None,
        created_at=bindparam("_now"),  # the give-up clock starts again
        next_attempt_at=bindparam("_now"),
    )
)
OUTBOX_UNSENT = select(outbox_t).where(outbox_t.c.status != "sent").order_by(outbox_t.c.id)
OUTBOX_RESEAL = (
    update(outbox_t)
    .where(by_id(outbox_t), outbox_t.c.status != "sent", outbox_t.c.claims == bindparam("_claims"))
    .values(text=bindparam("_text"))
)
# a clock stepped back (`replan` in triage.usecases.timers): read, moved in Python (date
# arithmetic differs between SQLite and PostgreSQL), written back row by row; a rare event
OUTBOX_WAITING = select(
    outbox_t.c.id, outbox_t.c.status, outbox_t.c.claims, outbox_t.c.next_attempt_at,
    outbox_t.c.lease_until,
).where(
    or_(
        and_(outbox_t.c.status == "pending", outbox_t.c.next_attempt_at > bindparam("_now")),
        and_(outbox_t.c.status == "sending", outbox_t.c.lease_until > bindparam("_now")),
    )
)  # fmt: skip
# conditional on what was read: a dispatcher that took the row meanwhile wins
_UNCHANGED = (
    by_id(outbox_t),
    outbox_t.c.status == bindparam("_status"),
    outbox_t.c.claims == bindparam("_claims"),
)
OUTBOX_MOVE_RETRY = update(outbox_t).where(*_UNCHANGED).values(next_attempt_at=bindparam("_at"))
OUTBOX_MOVE_LEASE = update(outbox_t).where(*_UNCHANGED).values(lease_until=bindparam("_at"))
OUTBOX_LATEST = select(func.max(outbox_t.c.created_at))
OUTBOX_FOR_CONV = (
    select(outbox_t).where(outbox_t.c.conversation_id == bindparam("_conv")).order_by(outbox_t.c.id)
)
OUTBOX_MOVE = moving(outbox_t)
OUTBOX_LAST_ACTIVE = (
    select(outbox_t)
    .where(
        outbox_t.c.target == bindparam("_target"),
        outbox_t.c.recipient == bindparam("_recipient"),
        outbox_t.c.status.in_(("pending", "sending")),
    )
    .order_by(outbox_t.c.id.desc())
    .limit(1)
)
OUTBOX_EXTEND = (
    update(outbox_t)
    .where(
        by_id(outbox_t),
        outbox_t.c.status == "pending",
        outbox_t.c.claims == bindparam("_claims"),
        ~outbox_t.c.interrupted,
        # as it was read: two writers joining one digest (its place is shared by many cases,
        # no conversation lock orders them) must not overwrite each other; the second, its
        # read stale, gets 0 rows (PostgreSQL re-checks this after the first commits)
        outbox_t.c.text == bindparam("_old"),
    )
    .values(text=bindparam("_text"))
)


class SqlOutbox(Repo):
    def add(self, item: OutboxItem) -> OutboxItem:
        existing = self.find_key(item.idempotency_key)
        if existing is not None:
            return existing
        new_id = self.conn.execute(OUTBOX_INSERT, mapping.outbox_values(item)).scalar_one()
        return replace(item, id=new_id)

    def get(self, item_id: int) -> OutboxItem | None:
        row = self.conn.execute(OUTBOX_GET, {"_id": item_id}).first()
        return mapping.outbox(row) if row else None

    def find_key(self, key: str) -> OutboxItem | None:
        row = self.conn.execute(OUTBOX_KEY, {"_key": key}).first()
        return mapping.outbox(row) if row else None

    def find_remote(self, target: Target, remote_id: str) -> OutboxItem | None:
        found = select(outbox_t).where(
            outbox_t.c.remote_id == remote_id, outbox_t.c.target == target.value
        )
        row = self.conn.execute(found).first()
        return mapping.outbox(row) if row else None

    def claim_due(
        self,
        now: datetime,
        limit: int,
        lease_until: datetime,
        targets: Collection[Target] | None = None,
    ) -> list[OutboxItem]:
        """On PostgreSQL `SKIP LOCKED` lets several dispatchers share the queue."""
        params: dict[str, object] = {"_now": now, "_limit": limit}
        if targets is None:
            pick = OUTBOX_PICK_LOCKED if self.locks else OUTBOX_PICK
        else:
            if not targets:
                return []
            pick = OUTBOX_PICK_LOCKED_FOR if self.locks else OUTBOX_PICK_FOR
            params["_targets"] = sorted(t.value for t in targets)
        ids = list(self.conn.execute(pick, params).scalars())
        if not ids:
            return []
        rows = self.conn.execute(OUTBOX_CLAIM, {"_ids": ids, "_lease": lease_until})
        items = [mapping.outbox(r) for r in rows]
        return sorted(items, key=lambda i: (-i.priority, -i.claims, i.id or 0))

    def record(self, item: OutboxItem) -> bool:
        params = {"_id": item.id, "_claims": item.claims, **mapping.outbox_values(item)}
        return self.conn.execute(OUTBOX_RECORD, params).rowcount == 1

    def failed(self) -> list[OutboxItem]:
        return [mapping.outbox(r) for r in self.conn.execute(OUTBOX_FAILED)]

    def for_conversation(self, conv_id: int) -> list[OutboxItem]:
        return [mapping.outbox(r) for r in self.conn.execute(OUTBOX_FOR_CONV, {"_conv": conv_id})]

    def move(self, from_conv: int, to_conv: int) -> None:
        self.conn.execute(OUTBOX_MOVE, {"_from": from_conv, "_to": to_conv})

    def last_active(self, target: Target, recipient: str) -> OutboxItem | None:
        """Not locked: the relay holds the conversation's lock, and `extend_pending` is
        conditional on the claim count and the text read, so a dispatcher that took the post
        meanwhile, or another writer that extended it, wins."""
        params = {"_target": target.value, "_recipient": recipient}
        row = self.conn.execute(OUTBOX_LAST_ACTIVE, params).first()
        return mapping.outbox(row) if row else None

    def extend_pending(self, item: OutboxItem, text: str) -> bool:
        params = {"_id": item.id, "_claims": item.claims, "_text": text, "_old": item.text}
        return self.conn.execute(OUTBOX_EXTEND, params).rowcount == 1

    def unsent(self) -> list[OutboxItem]:
        return [mapping.outbox(r) for r in self.conn.execute(OUTBOX_UNSENT)]

    def reseal(self, item: OutboxItem, text: str) -> bool:
        params = {"_id": item.id, "_claims": item.claims, "_text": text}
        return self.conn.execute(OUTBOX_RESEAL, params).rowcount == 1

    def retry(self, item_id: int, now: datetime) -> bool:
        return self.conn.execute(OUTBOX_RETRY, {"_id": item_id, "_now": now}).rowcount == 1

    def shift_waiting(self, now: datetime, step: timedelta) -> int:
        moved = 0
        for r in list(self.conn.execute(OUTBOX_WAITING, {"_now": now})):
            pending = r.status == "pending"
            at = max(now, (r.next_attempt_at if pending else r.lease_until) - step)
            params = {"_id": r.id, "_status": r.status, "_claims": r.claims, "_at": at}
            stmt = OUTBOX_MOVE_RETRY if pending else OUTBOX_MOVE_LEASE
            moved += self.conn.execute(stmt, params).rowcount
        return moved

    def latest_written(self) -> datetime | None:
        return self.conn.execute(OUTBOX_LATEST).scalar()
