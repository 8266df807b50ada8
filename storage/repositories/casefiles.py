"""Complaint and psychoeducation files, one per conversation (triage.domain.workflow.CaseFile)."""

from __future__ import annotations

from sqlalchemy import bindparam, insert, select, update

from storage.repositories._base import Repo
from storage.tables import CaseFileRow
from triage.domain.workflow import CaseFile

casefile_t = CaseFileRow.__table__
CASEFILE_GET = select(casefile_t).where(casefile_t.c.conversation_id == bindparam("_conv"))
CASEFILE_UPDATE = update(casefile_t).where(casefile_t.c.conversation_id == bindparam("_conv"))
CASEFILE_OF_KIND = (
    select(casefile_t).where(casefile_t.c.kind == bindparam("_kind")).order_by(casefile_t.c.due_at)
)


def _casefile(r) -> CaseFile:  # type: ignore[no-untyped-def]
    return CaseFile(
        conversation_id=r.conversation_id,
        kind=r.kind,
        status=r.status,
        facts=dict(r.facts or {}),
        opened_at=r.opened_at,
        due_at=r.due_at,
        data=dict(r.data or {}),
        closed_at=r.closed_at,
    )


class SqlCaseFiles(Repo):
    def get(self, conv_id: int) -> CaseFile | None:
        row = self.conn.execute(CASEFILE_GET, {"_conv": conv_id}).first()
        return _casefile(row) if row else None

    def save(self, cf: CaseFile) -> None:
        values = {
            "kind": cf.kind,
            "status": cf.status,
            "facts": dict(cf.facts),
            "data": dict(cf.data),
            "opened_at": cf.opened_at,
            "due_at": cf.due_at,
            "closed_at": cf.closed_at,
        }
        if self.conn.execute(CASEFILE_UPDATE, {"_conv": cf.conversation_id, **values}).rowcount:
            return
        self.conn.execute(insert(casefile_t).values(conversation_id=cf.conversation_id, **values))

    def of_kind(self, kind: str) -> list[CaseFile]:
        return [_casefile(r) for r in self.conn.execute(CASEFILE_OF_KIND, {"_kind": kind})]
