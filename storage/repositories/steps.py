"""The SOP step log: one row per step a conversation's round completed."""

from __future__ import annotations

from sqlalchemy import bindparam, insert, select

from storage import mapping
from storage.fast import FastStatement
from storage.repositories._base import Repo, moving, step_t
from triage.domain.model import StepRecord

STEP_INSERT = FastStatement(insert(step_t), keys=[c.name for c in step_t.c if c.name != "id"])
STEP_FOR_CONV = (
    select(step_t).where(step_t.c.conversation_id == bindparam("_conv")).order_by(step_t.c.id)
)
STEP_MOVE = moving(step_t)


class SqlStepLog(Repo):
    def append(self, record: StepRecord) -> None:
        STEP_INSERT.execute(self.conn, mapping.step_values(record)).close()

    def for_conversation(self, conv_id: int) -> list[StepRecord]:
        return [mapping.step(r) for r in self.conn.execute(STEP_FOR_CONV, {"_conv": conv_id})]

    def move(self, from_conv: int, to_conv: int) -> None:
        self.conn.execute(STEP_MOVE, {"_from": from_conv, "_to": to_conv})
