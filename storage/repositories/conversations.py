"""Conversations: the ingest's one-statement touch of an open case, saves that detect a race
(`expect=`), locks, and moving a client's conversations when two clients are linked."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy import bindparam, case, delete, insert, select, update

from storage import mapping
from storage.fast import FastStatement
from storage.repositories._base import Repo, by_id, contact_t, conv_t, is_open, returned_id
from storage.repositories.casefiles import casefile_t
from storage.repositories.deadlines import LOADS, deadline_t
from storage.tables import ErasureRow
from storage.types import UtcDateTime
from triage.domain.errors import Conflict
from triage.domain.model import Channel, Conversation, OpenConversation, State

CONV_INSERT = FastStatement(
    insert(conv_t).returning(conv_t.c.id), keys=[c.name for c in conv_t.c if c.name != "id"]
)
CONV_GET = select(conv_t).where(by_id(conv_t))
CONV_GET_LOCKED = CONV_GET.with_for_update()
CONV_TRY_LOCK = CONV_GET.with_for_update(skip_locked=True)
CONV_SAVE = update(conv_t).where(by_id(conv_t))
CONV_SAVE_EXPECTING = CONV_SAVE.where(conv_t.c.state == bindparam("_expect"))
# The client wrote at `_at`: the last-message time only moves forward (messages can arrive
# out of order across channels).
_LATER_LAST_MESSAGE = case(
    (conv_t.c.last_message_at < bindparam("_at", type_=UtcDateTime()), bindparam("_at")),
    else_=conv_t.c.last_message_at,
)
CONV_TOUCH = FastStatement(
    update(conv_t)
    .where(by_id(conv_t), is_open(conv_t))
    .values(
        reply_contact_id=bindparam("_contact"),
        last_message_at=_LATER_LAST_MESSAGE,
    )
    .returning(conv_t.c.state, conv_t.c.counselor_id),  # as of the row lock this update took
)
CONV_TOUCH_OPEN = FastStatement(
    update(conv_t)
    .where(
        contact_t.c.channel == bindparam("_channel"),
        contact_t.c.external_id == bindparam("_ext"),
        conv_t.c.client_id == contact_t.c.client_id,
        is_open(conv_t),
    )
    .values(
        reply_contact_id=contact_t.c.id,
        last_message_at=_LATER_LAST_MESSAGE,
    )
    # SQLite's RETURNING sees only the updated table: the contact's id comes back as the
    # reply address it was just written to
    .returning(conv_t.c.id, conv_t.c.state, conv_t.c.counselor_id, conv_t.c.reply_contact_id),
)
CONV_OF_CLIENT = select(conv_t).where(conv_t.c.client_id == bindparam("_client"))
CONV_OPEN = CONV_OF_CLIENT.where(is_open(conv_t))
CONV_LATEST = CONV_OF_CLIENT.order_by(conv_t.c.last_message_at.desc(), conv_t.c.id.desc()).limit(1)
CONV_ALL = select(conv_t)
CONV_LOCK_CLIENT = CONV_OF_CLIENT.order_by(conv_t.c.id).with_for_update()
CONV_MOVE_CLIENT = (
    update(conv_t)
    .where(conv_t.c.client_id == bindparam("_from"))
    .values(client_id=bindparam("_to"))
)
CONV_DELETE = delete(conv_t).where(by_id(conv_t))


class SqlConversations(Repo):
    def add(self, conv: Conversation) -> Conversation:
        params = mapping.conversation_values(conv)
        return replace(conv, id=returned_id(CONV_INSERT, self.conn, params))

    def get(self, conv_id: int, *, lock: bool = False) -> Conversation | None:
        stmt = CONV_GET_LOCKED if lock and self.locks else CONV_GET
        row = self.conn.execute(stmt, {"_id": conv_id}).first()
        return mapping.conversation(row) if row else None

    def save(self, conv: Conversation, *, expect: State | None = None) -> None:
        params = {"_id": conv.id, **mapping.conversation_values(conv)}
        if expect is None:
            self.conn.execute(CONV_SAVE, params)
        elif (
            self.conn.execute(CONV_SAVE_EXPECTING, {**params, "_expect": expect.value}).rowcount
            != 1
        ):
            raise Conflict(f"conversation {conv.id} is no longer {expect.value}")

    def try_lock(self, conv_id: int) -> Conversation | None:
        stmt = CONV_TRY_LOCK if self.locks else CONV_GET
        row = self.conn.execute(stmt, {"_id": conv_id}).first()
        return mapping.conversation(row) if row else None

    def touch(self, conv_id: int, contact_id: int, at: datetime) -> OpenConversation:
        row = CONV_TOUCH.first(self.conn, {"_id": conv_id, "_contact": contact_id, "_at": at})
        if row is None:
            raise Conflict(f"conversation {conv_id} closed meanwhile")
        return OpenConversation(conv_id, State(row[0]), row[1])

    def touch_open(
        self, channel: Channel, sender_id: str, at: datetime
    ) -> tuple[int, OpenConversation] | None:
        params = {"_channel": channel.value, "_ext": sender_id, "_at": at}
        row = CONV_TOUCH_OPEN.first(self.conn, params)
        if row is None:
            return None
        return row[3], OpenConversation(row[0], State(row[1]), row[2])

    def open_for_client(self, client_id: int) -> Conversation | None:
        row = self.conn.execute(CONV_OPEN, {"_client": client_id}).first()
        return mapping.conversation(row) if row else None

    def latest_for_client(self, client_id: int) -> Conversation | None:
        row = self.conn.execute(CONV_LATEST, {"_client": client_id}).first()
        return mapping.conversation(row) if row else None

    def all(self) -> list[Conversation]:
        return [mapping.conversation(r) for r in self.conn.execute(CONV_ALL)]

    def lock_for_client(self, client_id: int) -> list[Conversation]:
        stmt = CONV_LOCK_CLIENT if self.locks else CONV_OF_CLIENT.order_by(conv_t.c.id)
        return [mapping.conversation(r) for r in self.conn.execute(stmt, {"_client": client_id})]

    def move_client(self, from_client: int, to_client: int) -> None:
        self.conn.execute(CONV_MOVE_CLIENT, {"_from": from_client, "_to": to_client})

    def all_for_client(self, client_id: int) -> list[Conversation]:
        rows = self.conn.execute(CONV_OF_CLIENT, {"_client": client_id})
        return [mapping.conversation(r) for r in rows]

    def delete(self, conv_id: int) -> None:
        # its deadlines are derived data: the survivor of a merge gets its own
        self.conn.execute(delete(deadline_t).where(deadline_t.c.conversation_id == conv_id))
        self.conn.execute(delete(casefile_t).where(casefile_t.c.conversation_id == conv_id))
        erasure_t = ErasureRow.__table__  # its marks: the survivor's own say what was erased
        self.conn.execute(delete(erasure_t).where(erasure_t.c.conversation_id == conv_id))
        self.conn.execute(CONV_DELETE, {"_id": conv_id})

    def counselor_loads(self) -> dict[int, int]:
        return {staff: n for staff, n in self.conn.execute(LOADS)}
