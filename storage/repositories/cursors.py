"""Each channel's durable cursor: where its next poll starts."""

from __future__ import annotations

from sqlalchemy import bindparam, insert, select, update

from storage.repositories._base import Repo, cursor_t

CURSOR_GET = select(cursor_t.c.value).where(cursor_t.c.key == bindparam("_key"))
CURSOR_UPDATE = update(cursor_t).where(cursor_t.c.key == bindparam("_key"))
CURSOR_INSERT = insert(cursor_t)


class SqlCursors(Repo):
    def get(self, key: str) -> str | None:
        return self.conn.execute(CURSOR_GET, {"_key": key}).scalar_one_or_none()

    def set(self, key: str, value: str) -> None:
        if self.conn.execute(CURSOR_UPDATE, {"_key": key, "value": value}).rowcount == 0:
            self.conn.execute(CURSOR_INSERT, {"key": key, "value": value})
