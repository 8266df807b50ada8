"""The day-by-day changes staff make to the duty roster with /jadwal."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import bindparam, delete, insert, select

from storage.repositories._base import Repo
from storage.repositories.deadlines import duty_t
from triage.domain.schedule.roster import DutyChange

DUTY_BETWEEN = (
    select(duty_t)
    .where(duty_t.c.day >= bindparam("_first"), duty_t.c.day <= bindparam("_last"))
    .order_by(duty_t.c.day, duty_t.c.changed_at)
)
DUTY_DELETE = delete(duty_t).where(
    duty_t.c.day == bindparam("_day"), duty_t.c.staff_id == bindparam("_staff")
)
DUTY_INSERT = insert(duty_t)


class SqlRosterChanges(Repo):
    def between(self, first: date, last: date) -> list[DutyChange]:
        rows = self.conn.execute(DUTY_BETWEEN, {"_first": first, "_last": last})
        return [DutyChange(r.day, r.staff_id, r.on_duty) for r in rows]

    def set(self, change: DutyChange, by: int, at: datetime) -> None:
        self.conn.execute(DUTY_DELETE, {"_day": change.day, "_staff": change.staff_id})
        self.conn.execute(
            DUTY_INSERT,
            {
                "day": change.day,
                "staff_id": change.staff_id,
                "on_duty": change.on_duty,
                "changed_by": by,
                "changed_at": at,
            },
        )
