"""The SLA deadlines, rows so that they survive restarts and several sweepers share them
(claimed with SKIP LOCKED on PostgreSQL), and the counselors' loads the routing reads."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from sqlalchemy import bindparam, exists, func, insert, select, update

from storage import mapping
from storage.repositories._base import Repo, by_id, conv_t, is_open, message_t, moving, step_t
from storage.tables import DeadlineRow, DutyChangeRow
from triage.domain.model import Conversation
from triage.domain.schedule.sla import Deadline

deadline_t = DeadlineRow.__table__
duty_t = DutyChangeRow.__table__
_latest_release = (
    select(func.max(step_t.c.at))
    .where(
        step_t.c.conversation_id == conv_t.c.id,
        step_t.c.round == conv_t.c.round,
        step_t.c.step == "released",
    )
    .scalar_subquery()
)
# a person wrote: conversations with only automatic mail (RFC 3834) start no timer
_human_wrote = exists().where(
    message_t.c.conversation_id == conv_t.c.id,
    message_t.c.direction == "in",
    ~message_t.c.auto_generated,
)
# a page at a time, by id: 100,000 open conversations are never in memory at once
DEADLINE_WAITING = (
    select(conv_t, _latest_release.label("released_at"))
    .where(is_open(conv_t), _human_wrote, conv_t.c.id > bindparam("_after"))
    .order_by(conv_t.c.id)
    .limit(bindparam("_limit"))
)
DEADLINE_KEYS_FOR = select(deadline_t.c.key).where(
    deadline_t.c.conversation_id.in_(bindparam("_ids", expanding=True))
)
DEADLINE_INSERT = insert(deadline_t)
DEADLINE_PICK = (
    select(deadline_t)
    .where(deadline_t.c.status == "pending", deadline_t.c.due_at <= bindparam("_now"))
    .order_by(deadline_t.c.due_at, deadline_t.c.id)
    .limit(bindparam("_limit"))
)
DEADLINE_PICK_LOCKED = DEADLINE_PICK.with_for_update(skip_locked=True)
# the earliest pending row, read from the (status, due_at) index
NEXT_DUE = select(func.min(deadline_t.c.due_at)).where(deadline_t.c.status == "pending")
DEADLINE_FINISH = (
    update(deadline_t)
    .where(by_id(deadline_t))
    .values(status=bindparam("_status"), done_at=bindparam("_at"))
)
DEADLINE_WAITING_DUE = select(deadline_t.c.id, deadline_t.c.due_at).where(
    deadline_t.c.status == "pending", deadline_t.c.due_at > bindparam("_now")
)
DEADLINE_SHIFT = update(deadline_t).where(by_id(deadline_t)).values(due_at=bindparam("_due"))
DEADLINE_OF_CONV = (
    select(deadline_t)
    .where(deadline_t.c.conversation_id == bindparam("_conv"))
    .order_by(deadline_t.c.due_at, deadline_t.c.id)
)
DEADLINE_MOVE = moving(deadline_t)
RELEASED_AT = select(func.max(step_t.c.at)).where(
    step_t.c.conversation_id == bindparam("_conv"),
    step_t.c.round == bindparam("_round"),
    step_t.c.step == "released",
)
LOADS = (
    select(conv_t.c.counselor_id, func.count())
    .where(conv_t.c.state == "with_counselor", conv_t.c.counselor_id.is_not(None))
    .group_by(conv_t.c.counselor_id)
)


def _deadline(r) -> Deadline:  # type: ignore[no-untyped-def]
    return Deadline(r.conversation_id, r.round, r.step, r.level, r.since, r.due_at)


class SqlDeadlines(Repo):
    def waiting_conversations(
        self, after: int = 0, limit: int = 1000
    ) -> list[tuple[Conversation, datetime | None]]:
        rows = self.conn.execute(DEADLINE_WAITING, {"_after": after, "_limit": limit})
        return [(mapping.conversation(r), r.released_at) for r in rows]

    def keys_for(self, conv_ids: Collection[int]) -> set[str]:
        if not conv_ids:
            return set()
        return set(self.conn.execute(DEADLINE_KEYS_FOR, {"_ids": list(conv_ids)}).scalars())

    def add(self, deadlines: list[Deadline]) -> None:
        if deadlines:
            self.conn.execute(
                DEADLINE_INSERT,
                [
                    {
                        "key": d.key,
                        "conversation_id": d.conversation_id,
                        "round": d.round,
                        "step": d.step,
                        "level": d.level,
                        "since": d.since,
                        "due_at": d.due_at,
                        "status": "pending",
                    }
                    for d in deadlines
                ],
            )

    def claim_due(self, now: datetime, limit: int) -> list[tuple[int, Deadline]]:
        pick = DEADLINE_PICK_LOCKED if self.locks else DEADLINE_PICK
        rows = self.conn.execute(pick, {"_now": now, "_limit": limit})
        return [(r.id, _deadline(r)) for r in rows]

    def next_due(self) -> datetime | None:
        return self.conn.execute(NEXT_DUE).scalar()

    def released_at(self, conv_id: int, round_: int) -> datetime | None:
        return self.conn.execute(RELEASED_AT, {"_conv": conv_id, "_round": round_}).scalar()

    def finish(self, deadline_id: int, status: str, at: datetime) -> None:
        self.conn.execute(DEADLINE_FINISH, {"_id": deadline_id, "_status": status, "_at": at})

    def for_conversation(self, conv_id: int) -> list[tuple[str, Deadline]]:
        rows = self.conn.execute(DEADLINE_OF_CONV, {"_conv": conv_id})
        return [(r.status, _deadline(r)) for r in rows]

    def shift_waiting(self, now: datetime, step: timedelta) -> int:
        rows = list(self.conn.execute(DEADLINE_WAITING_DUE, {"_now": now}))
        for r in rows:
            self.conn.execute(DEADLINE_SHIFT, {"_id": r.id, "_due": max(now, r.due_at - step)})
        return len(rows)
