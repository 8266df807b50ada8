"""The guidance programme's log (triage.domain.programme.ProgrammeStep), only ever added."""

from __future__ import annotations

from sqlalchemy import bindparam, insert, select

from storage.repositories._base import Repo
from storage.tables import ProgrammeStepRow
from triage.domain.programme import ProgrammeStep

programme_t = ProgrammeStepRow.__table__
BY_KEY = select(programme_t).where(programme_t.c.key == bindparam("_key"))
OF_SEMESTER = (
    select(programme_t)
    .where(programme_t.c.semester == bindparam("_semester"))
    .order_by(programme_t.c.at, programme_t.c.id)
)


def _step(r) -> ProgrammeStep:  # type: ignore[no-untyped-def]
    return ProgrammeStep(r.semester, r.step, r.at, r.staff_id, dict(r.detail or {}))


class SqlProgramme(Repo):
    def of(self, semester: str) -> list[ProgrammeStep]:
        return [_step(r) for r in self.conn.execute(OF_SEMESTER, {"_semester": semester})]

    def by_key(self, key: str) -> ProgrammeStep | None:
        row = self.conn.execute(BY_KEY, {"_key": key}).first()
        return _step(row) if row is not None else None

    def add(self, step: ProgrammeStep, key: str) -> bool:
        if self.by_key(key) is not None:
            return False
        self.conn.execute(insert(programme_t).values(
            key=key, semester=step.semester, step=step.step, at=step.at,
            staff_id=step.staff_id, detail=dict(step.detail), office_id=self.office_id,
        ))  # fmt: skip
        return True
