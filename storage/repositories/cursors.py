"""Each channel's durable cursor: where its next poll starts."""

from __future__ import annotations

from sqlalchemy import bindparam, insert, select, update

from storage.repositories._base import Repo, cursor_t

_KEY = (cursor_t.c.office_id == bindparam("_office"), cursor_t.c.key == bindparam("_key"))
CURSOR_GET = select(cursor_t.c.value).where(*_KEY)
CURSOR_UPDATE = update(cursor_t).where(*_KEY)
CURSOR_INSERT = insert(cursor_t)


class SqlCursors(Repo):
    def get(self, key: str) -> str | None:
        return self.conn.execute(
            CURSOR_GET, {"_office": self.office_id, "_key": key}
        ).scalar_one_or_none()

    def set(self, key: str, value: str) -> None:
        where = {"_office": self.office_id, "_key": key}
        if self.conn.execute(CURSOR_UPDATE, {**where, "value": value}).rowcount == 0:
            self.conn.execute(
                CURSOR_INSERT, {"office_id": self.office_id, "key": key, "value": value}
            )
