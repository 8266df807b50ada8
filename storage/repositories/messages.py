"""The transcript: messages in and out, exactly once by their channel's id, and the relay's
queue of inbound messages not yet passed on to staff."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from storage import mapping
from storage.fast import FastStatement
from storage.repositories._base import Repo, message_t, moving, outbox_t
from triage.domain.model import Channel, StoredMessage

MESSAGE_FIND = select(message_t).where(
    message_t.c.channel == bindparam("_channel"), message_t.c.external_id == bindparam("_ext")
)
MESSAGE_INSERT = insert(message_t).returning(message_t.c.id)
_MESSAGE_KEYS = [c.name for c in message_t.c if c.name != "id"]
MESSAGE_INSERT_NEW = {
    name: FastStatement(
        dialect_insert(message_t)
        .on_conflict_do_nothing(index_elements=["channel", "external_id"])
        .returning(message_t.c.id),
        keys=_MESSAGE_KEYS,
    )
    for name, dialect_insert in (("sqlite", sqlite_insert), ("postgresql", pg_insert))
}
MESSAGE_OF_CONV = select(message_t).where(message_t.c.conversation_id == bindparam("_conv"))
MESSAGE_FOR_CONV = MESSAGE_OF_CONV.order_by(message_t.c.created_at, message_t.c.id)
MESSAGE_LATEST_IN = (
    MESSAGE_OF_CONV.where(message_t.c.direction == "in")
    .order_by(message_t.c.created_at.desc(), message_t.c.id.desc())
    .limit(1)
)
MESSAGE_MOVE = moving(message_t)
THREAD_BY_MESSAGE = select(message_t.c.conversation_id).where(
    message_t.c.channel == bindparam("_channel"),
    message_t.c.external_id.in_(bindparam("_ids", expanding=True)),
)
THREAD_BY_OUTBOX = select(outbox_t.c.conversation_id).where(
    outbox_t.c.remote_id.in_(bindparam("_ids", expanding=True)),
    outbox_t.c.conversation_id.is_not(None),
)
MESSAGE_UNRELAYED = (
    select(message_t)
    .where(~message_t.c.relayed, message_t.c.direction == "in")
    .order_by(message_t.c.id)
    .limit(bindparam("_limit"))
)
MESSAGE_UNRELAYED_IN = (
    select(message_t)
    .where(
        ~message_t.c.relayed,
        message_t.c.direction == "in",
        message_t.c.conversation_id == bindparam("_conv"),
    )
    .order_by(message_t.c.id)
)
MESSAGE_COUNT_IN_SINCE = (
    select(func.count())
    .select_from(message_t)
    .where(
        message_t.c.conversation_id == bindparam("_conv"),
        message_t.c.direction == "in",
        message_t.c.created_at >= bindparam("_since"),
    )
)
MESSAGE_DELIVER_HELD = (
    update(message_t)
    .where(message_t.c.id.in_(bindparam("_ids", expanding=True)))
    .values(relayed=True, counselor_id=bindparam("_owner"))
)
MESSAGE_MARK_RELAYED = (
    update(message_t)
    .where(message_t.c.id.in_(bindparam("_ids", expanding=True)))
    .values(relayed=True)
)

MESSAGE_MARK_ASSESSED = (
    update(message_t)
    .where(message_t.c.id.in_(bindparam("_ids", expanding=True)))
    .values(risk=bindparam("_risk"))
)
MESSAGE_SET_MASKED = (
    update(message_t)
    .where(message_t.c.id.in_(bindparam("_ids", expanding=True)))
    .values(masked=bindparam("_masked"))
)


class SqlMessages(Repo):
    def find(self, channel: Channel, external_id: str) -> StoredMessage | None:
        params = {"_channel": channel.value, "_ext": external_id}
        row = self.conn.execute(MESSAGE_FIND, params).first()
        return mapping.message(row) if row else None

    def add(self, message: StoredMessage) -> StoredMessage:
        params = mapping.message_values(message)
        return replace(message, id=self.conn.execute(MESSAGE_INSERT, params).scalar_one())

    def add_new(self, message: StoredMessage) -> int | None:
        stmt = MESSAGE_INSERT_NEW[self.conn.dialect.name]
        row = stmt.first(self.conn, mapping.message_values(message))
        return None if row is None else row[0]

    def for_conversation(self, conv_id: int) -> list[StoredMessage]:
        return [mapping.message(r) for r in self.conn.execute(MESSAGE_FOR_CONV, {"_conv": conv_id})]

    def thread_conversation(self, channel: Channel, ids: list[str]) -> int | None:
        ids = [i for i in ids if i][:50]
        if not ids:
            return None
        params = {"_channel": channel.value, "_ids": ids}
        for stmt in (THREAD_BY_MESSAGE, THREAD_BY_OUTBOX):
            found = self.conn.execute(stmt.limit(1), params).scalar()
            if found is not None:
                return int(found)
        return None

    def latest_inbound(self, conv_id: int) -> StoredMessage | None:
        row = self.conn.execute(MESSAGE_LATEST_IN, {"_conv": conv_id}).first()
        return mapping.message(row) if row else None

    def move(self, from_conv: int, to_conv: int) -> None:
        self.conn.execute(MESSAGE_MOVE, {"_from": from_conv, "_to": to_conv})

    def unrelayed(self, limit: int) -> list[StoredMessage]:
        rows = self.conn.execute(MESSAGE_UNRELAYED, {"_limit": limit})
        return [mapping.message(r) for r in rows]

    def unrelayed_in(self, conv_id: int) -> list[StoredMessage]:
        rows = self.conn.execute(MESSAGE_UNRELAYED_IN, {"_conv": conv_id})
        return [mapping.message(r) for r in rows]

    def inbound_since(self, conv_id: int, since: datetime) -> int:
        found = self.conn.execute(MESSAGE_COUNT_IN_SINCE, {"_conv": conv_id, "_since": since})
        return int(found.scalar_one())

    def mark_relayed(self, ids: list[int]) -> None:
        if ids:
            self.conn.execute(MESSAGE_MARK_RELAYED, {"_ids": ids})

    def mark_assessed(self, levels: Mapping[int, str]) -> None:
        by_level: dict[str, list[int]] = {}
        for mid, level in levels.items():
            by_level.setdefault(level, []).append(mid)
        for level, ids in by_level.items():
            self.conn.execute(MESSAGE_MARK_ASSESSED, {"_ids": ids, "_risk": level})

    def deliver_held(self, ids: list[int], counselor_id: int) -> None:
        if ids:
            self.conn.execute(MESSAGE_DELIVER_HELD, {"_ids": ids, "_owner": counselor_id})

    def set_masked(self, ids: list[int], masked: bool) -> None:
        if ids:
            self.conn.execute(MESSAGE_SET_MASKED, {"_ids": ids, "_masked": masked})
