"""Each channel's durable cursor: where its next poll starts. With several workers, a cursor
under a lease is written only by the lease's holder (storage/leases.py)."""

from __future__ import annotations

from sqlalchemy import bindparam, insert, select, update

from storage.leases import Fences
from storage.repositories._base import Repo, cursor_t

_KEY = (cursor_t.c.office_id == bindparam("_office"), cursor_t.c.key == bindparam("_key"))
CURSOR_GET = select(cursor_t.c.value).where(*_KEY)
CURSOR_UPDATE = update(cursor_t).where(*_KEY)
CURSOR_INSERT = insert(cursor_t)


class SqlCursors(Repo):
    fences: Fences | None = None

    def get(self, key: str) -> str | None:
        return self.conn.execute(
            CURSOR_GET, {"_office": self.office_id, "_key": key}
        ).scalar_one_or_none()

    def set(self, key: str, value: str) -> None:
        if self.fences is not None:
            self.fences.check(self.conn, key)
        where = {"_office": self.office_id, "_key": key}
        if self.conn.execute(CURSOR_UPDATE, {**where, "value": value}).rowcount == 0:
            self.conn.execute(
                CURSOR_INSERT, {"office_id": self.office_id, "key": key, "value": value}
            )
