"""The guidance programme's log (triage.domain.programme.ProgrammeStep), only ever added."""

from __future__ import annotations

from sqlalchemy import bindparam, insert, select

from storage.repositories._base import Repo
from storage.tables import ProgrammeStepRow
from triage.domain.programme import ProgrammeStep

programme_t = ProgrammeStepRow.__table__
KEY_TAKEN = select(programme_t.c.id).where(programme_t.c.key == bindparam("_key"))
OF_SEMESTER = (
    select(programme_t)
    .where(programme_t.c.semester == bindparam("_semester"))
    .order_by(programme_t.c.at, programme_t.c.id)
)


class SqlProgramme(Repo):
    def of(self, semester: str) -> list[ProgrammeStep]:
        rows = self.conn.execute(OF_SEMESTER, {"_semester": semester})
        return [ProgrammeStep(r.semester, r.step, r.at, r.staff_id, dict(r.detail or {}))
                for r in rows]  # fmt: skip

    def add(self, step: ProgrammeStep, key: str) -> bool:
        if self.conn.execute(KEY_TAKEN, {"_key": key}).first() is not None:
            return False
        self.conn.execute(insert(programme_t).values(
            key=key, semester=step.semester, step=step.step, at=step.at,
            staff_id=step.staff_id, detail=dict(step.detail), office_id=self.office_id,
        ))  # fmt: skip
        return True
