"""The day-by-day changes staff make to the duty roster with /jadwal."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import bindparam, delete, insert, select

from storage.repositories._base import Repo
from storage.repositories.deadlines import duty_t
from storage.tables import StaffStatusRow
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
status_t = StaffStatusRow.__table__
INACTIVE = select(status_t.c.staff_id).where(status_t.c.active.is_(False))


class SqlRosterChanges(Repo):
    _inactive: frozenset[int] | None = None

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

    def inactive(self) -> frozenset[int]:
        if self._inactive is None:  # asked once per unit of work: a notice list reads it often
            self._inactive = frozenset(self.conn.execute(INACTIVE).scalars())
        return self._inactive

    def set_active(self, staff_id: int, active: bool, by: int, at: datetime) -> None:
        self.conn.execute(delete(status_t).where(status_t.c.staff_id == staff_id))
        row = {"staff_id": staff_id, "active": active, "changed_by": by, "changed_at": at}
        self.conn.execute(insert(status_t).values(**row, office_id=self.office_id))
        self._inactive = None
