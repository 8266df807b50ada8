"""Psychological records (sealed before they reach storage), their append-only audit log,
and the cases the head opened to another staff member."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, delete, func, insert, select, update

from storage.repositories._base import Repo
from storage.tables import AuditRow, CaseGrantRow, PsychRecordRow
from triage.domain.records import AuditEntry, SealedRecord

record_t = PsychRecordRow.__table__
audit_t = AuditRow.__table__
RECORD_VERSIONS = (
    select(record_t)
    .where(record_t.c.conversation_id == bindparam("_conv"))
    .order_by(record_t.c.version)
)
RECORD_ALL = select(record_t).order_by(record_t.c.id)
RECORD_RESEAL = (
    update(record_t)
    .where(
        record_t.c.conversation_id == bindparam("_conv"),
        record_t.c.version == bindparam("_version"),
    )
    .values(sealed=bindparam("_sealed"))
)


def _sealed(r) -> SealedRecord:  # type: ignore[no-untyped-def]
    return SealedRecord(r.conversation_id, r.version, r.sealed, r.author_id, r.written_at)


class SqlRecords(Repo):
    def add(self, record: SealedRecord) -> None:
        self.conn.execute(
            insert(record_t).values(
                conversation_id=record.conversation_id,
                version=record.version,
                sealed=record.sealed,
                author_id=record.author_id,
                written_at=record.written_at,
            )
        )

    def versions(self, conv_id: int) -> list[SealedRecord]:
        return [_sealed(r) for r in self.conn.execute(RECORD_VERSIONS, {"_conv": conv_id})]

    def all_sealed(self) -> list[SealedRecord]:
        return [_sealed(r) for r in self.conn.execute(RECORD_ALL)]

    def reseal(self, record: SealedRecord) -> None:
        params = {
            "_conv": record.conversation_id,
            "_version": record.version,
            "_sealed": record.sealed,
        }
        self.conn.execute(RECORD_RESEAL, params)

    def move(self, from_conv: int, to_conv: int) -> None:
        last = self.conn.execute(
            select(func.coalesce(func.max(record_t.c.version), 0)).where(
                record_t.c.conversation_id == to_conv
            )
        ).scalar_one()
        self.conn.execute(
            update(record_t)
            .where(record_t.c.conversation_id == from_conv)
            .values(conversation_id=to_conv, version=record_t.c.version + last)
        )


class SqlAudit(Repo):
    def append(self, entry: AuditEntry) -> None:
        self.conn.execute(
            insert(audit_t).values(
                at=entry.at,
                staff_id=entry.staff_id,
                role=entry.role,
                action=entry.action,
                conversation_id=entry.conversation_id,
                detail=entry.detail,
            )
        )

    def entries(self, conv_id: int | None = None) -> list[AuditEntry]:
        query = select(audit_t).order_by(audit_t.c.id)
        if conv_id is not None:
            query = query.where(audit_t.c.conversation_id == conv_id)
        return [
            AuditEntry(r.at, r.staff_id, r.role, r.action, r.conversation_id, r.detail)
            for r in self.conn.execute(query)
        ]


grant_t = CaseGrantRow.__table__
GRANTS_OF = select(grant_t.c.staff_id).where(grant_t.c.conversation_id == bindparam("_conv"))


class SqlGrants(Repo):
    def add(self, conv_id: int, staff_id: int, by: int, at: datetime) -> None:
        self.conn.execute(
            insert(grant_t).values(
                conversation_id=conv_id, staff_id=staff_id, granted_by=by, granted_at=at
            )
        )

    def for_conversation(self, conv_id: int) -> list[int]:
        return list(self.conn.execute(GRANTS_OF, {"_conv": conv_id}).scalars())

    def move(self, from_conv: int, to_conv: int) -> None:
        held = select(grant_t.c.staff_id).where(grant_t.c.conversation_id == to_conv)
        self.conn.execute(
            update(grant_t)
            .where(grant_t.c.conversation_id == from_conv, grant_t.c.staff_id.not_in(held))
            .values(conversation_id=to_conv)
        )
        self.conn.execute(delete(grant_t).where(grant_t.c.conversation_id == from_conv))
