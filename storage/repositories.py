"""SQL repositories implementing triage's ports, on one connection inside a transaction.

Core SQL statements rather than ORM sessions: the ingest path runs a handful of statements per
message and the benchmark (bench/ingest.py) holds it to half the raw single-row commit rate.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy import Connection, and_, delete, exists, insert, or_, select, update
from sqlalchemy.orm import aliased

from storage import mapping
from storage.tables import (
    ClientRow,
    ContactRow,
    ConversationRow,
    CursorRow,
    MessageRow,
    OutboxRow,
    StepLogRow,
)
from triage.model import (
    Channel,
    Client,
    Contact,
    Conversation,
    Direction,
    StepRecord,
    StoredMessage,
)
from triage.outbox import OutboxItem, OutboxStatus

client_t = ClientRow.__table__
contact_t = ContactRow.__table__
conv_t = ConversationRow.__table__
message_t = MessageRow.__table__
step_t = StepLogRow.__table__
outbox_t = OutboxRow.__table__
cursor_t = CursorRow.__table__


class _Repo:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.locks = conn.dialect.name == "postgresql"  # SQLite: BEGIN IMMEDIATE serialises


class SqlClients(_Repo):
    def add(self, client: Client) -> Client:
        new_id = self.conn.execute(
            insert(client_t)
            .values(display_name=client.display_name, created_at=client.created_at)
            .returning(client_t.c.id)
        ).scalar_one()
        return replace(client, id=new_id)

    def get(self, client_id: int) -> Client | None:
        row = self.conn.execute(select(client_t).where(client_t.c.id == client_id)).first()
        return mapping.client(row) if row else None

    def lock(self, client_id: int) -> None:
        if self.locks:
            self.conn.execute(
                select(client_t.c.id).where(client_t.c.id == client_id).with_for_update()
            )

    def delete(self, client_id: int) -> None:
        self.conn.execute(delete(client_t).where(client_t.c.id == client_id))


class SqlContacts(_Repo):
    def find(self, channel: Channel, external_id: str) -> Contact | None:
        row = self.conn.execute(
            select(contact_t).where(
                contact_t.c.channel == channel.value, contact_t.c.external_id == external_id
            )
        ).first()
        return mapping.contact(row) if row else None

    def get(self, contact_id: int) -> Contact | None:
        row = self.conn.execute(select(contact_t).where(contact_t.c.id == contact_id)).first()
        return mapping.contact(row) if row else None

    def add(self, contact: Contact) -> Contact:
        new_id = self.conn.execute(
            insert(contact_t)
            .values(
                client_id=contact.client_id,
                channel=contact.channel.value,
                external_id=contact.external_id,
                display_name=contact.display_name,
            )
            .returning(contact_t.c.id)
        ).scalar_one()
        return replace(contact, id=new_id)

    def for_client(self, client_id: int) -> list[Contact]:
        rows = self.conn.execute(
            select(contact_t).where(contact_t.c.client_id == client_id).order_by(contact_t.c.id)
        )
        return [mapping.contact(r) for r in rows]

    def move_to_client(self, contact_id: int, client_id: int) -> None:
        self.conn.execute(
            update(contact_t).where(contact_t.c.id == contact_id).values(client_id=client_id)
        )


class SqlConversations(_Repo):
    def add(self, conv: Conversation) -> Conversation:
        new_id = self.conn.execute(
            insert(conv_t).values(**mapping.conversation_values(conv)).returning(conv_t.c.id)
        ).scalar_one()
        return replace(conv, id=new_id)

    def get(self, conv_id: int, *, lock: bool = False) -> Conversation | None:
        stmt = select(conv_t).where(conv_t.c.id == conv_id)
        if lock and self.locks:
            stmt = stmt.with_for_update()
        row = self.conn.execute(stmt).first()
        return mapping.conversation(row) if row else None

    def save(self, conv: Conversation) -> None:
        self.conn.execute(
            update(conv_t).where(conv_t.c.id == conv.id).values(**mapping.conversation_values(conv))
        )

    def open_for_client(self, client_id: int) -> Conversation | None:
        row = self.conn.execute(
            select(conv_t).where(conv_t.c.client_id == client_id, conv_t.c.state != "closed")
        ).first()
        return mapping.conversation(row) if row else None

    def latest_for_client(self, client_id: int) -> Conversation | None:
        row = self.conn.execute(
            select(conv_t)
            .where(conv_t.c.client_id == client_id)
            .order_by(conv_t.c.last_message_at.desc(), conv_t.c.id.desc())
            .limit(1)
        ).first()
        return mapping.conversation(row) if row else None

    def all(self) -> list[Conversation]:
        return [mapping.conversation(r) for r in self.conn.execute(select(conv_t))]

    def all_for_client(self, client_id: int) -> list[Conversation]:
        rows = self.conn.execute(select(conv_t).where(conv_t.c.client_id == client_id))
        return [mapping.conversation(r) for r in rows]

    def delete(self, conv_id: int) -> None:
        self.conn.execute(delete(conv_t).where(conv_t.c.id == conv_id))


class SqlMessages(_Repo):
    def find(self, channel: Channel, external_id: str) -> StoredMessage | None:
        row = self.conn.execute(
            select(message_t).where(
                message_t.c.channel == channel.value, message_t.c.external_id == external_id
            )
        ).first()
        return mapping.message(row) if row else None

    def add(self, message: StoredMessage) -> StoredMessage:
        new_id = self.conn.execute(
            insert(message_t).values(**mapping.message_values(message)).returning(message_t.c.id)
        ).scalar_one()
        return replace(message, id=new_id)

    def for_conversation(self, conv_id: int) -> list[StoredMessage]:
        rows = self.conn.execute(
            select(message_t)
            .where(message_t.c.conversation_id == conv_id)
            .order_by(message_t.c.created_at, message_t.c.id)
        )
        return [mapping.message(r) for r in rows]

    def latest_inbound(self, conv_id: int) -> StoredMessage | None:
        row = self.conn.execute(
            select(message_t)
            .where(
                message_t.c.conversation_id == conv_id,
                message_t.c.direction == Direction.IN.value,
            )
            .order_by(message_t.c.created_at.desc(), message_t.c.id.desc())
            .limit(1)
        ).first()
        return mapping.message(row) if row else None

    def move(self, from_conv: int, to_conv: int) -> None:
        self.conn.execute(
            update(message_t)
            .where(message_t.c.conversation_id == from_conv)
            .values(conversation_id=to_conv)
        )


class SqlStepLog(_Repo):
    def append(self, record: StepRecord) -> None:
        self.conn.execute(
            insert(step_t).values(
                conversation_id=record.conversation_id,
                step=record.step,
                at=record.at,
                round=record.round,
                staff_id=record.staff_id,
                detail=record.detail,
            )
        )

    def for_conversation(self, conv_id: int) -> list[StepRecord]:
        rows = self.conn.execute(
            select(step_t).where(step_t.c.conversation_id == conv_id).order_by(step_t.c.id)
        )
        return [mapping.step(r) for r in rows]

    def move(self, from_conv: int, to_conv: int) -> None:
        self.conn.execute(
            update(step_t)
            .where(step_t.c.conversation_id == from_conv)
            .values(conversation_id=to_conv)
        )


ACTIVE = (OutboxStatus.PENDING.value, OutboxStatus.SENDING.value)


class SqlOutbox(_Repo):
    def add(self, item: OutboxItem) -> OutboxItem:
        existing = self.find_key(item.idempotency_key)
        if existing is not None:
            return existing
        new_id = self.conn.execute(
            insert(outbox_t).values(**mapping.outbox_values(item)).returning(outbox_t.c.id)
        ).scalar_one()
        return replace(item, id=new_id)

    def get(self, item_id: int) -> OutboxItem | None:
        row = self.conn.execute(select(outbox_t).where(outbox_t.c.id == item_id)).first()
        return mapping.outbox(row) if row else None

    def find_key(self, key: str) -> OutboxItem | None:
        row = self.conn.execute(select(outbox_t).where(outbox_t.c.idempotency_key == key)).first()
        return mapping.outbox(row) if row else None

    def claim_due(self, now: datetime, limit: int, lease_until: datetime) -> list[OutboxItem]:
        """Due items whose recipient has no earlier unfinished item (order per chat), urgent
        first; on PostgreSQL `SKIP LOCKED` lets several dispatchers share the queue."""
        earlier = aliased(outbox_t)
        due = or_(
            and_(outbox_t.c.status == "pending", outbox_t.c.next_attempt_at <= now),
            and_(outbox_t.c.status == "sending", outbox_t.c.lease_until <= now),
        )
        blocked = exists().where(
            earlier.c.target == outbox_t.c.target,
            earlier.c.recipient == outbox_t.c.recipient,
            earlier.c.id < outbox_t.c.id,
            earlier.c.status.in_(ACTIVE),
        )
        pick = (
            select(outbox_t.c.id)
            .where(due, ~blocked)
            .order_by(outbox_t.c.priority.desc(), outbox_t.c.id)
            .limit(limit)
        )
        if self.locks:
            pick = pick.with_for_update(skip_locked=True, of=outbox_t)
        ids = list(self.conn.execute(pick).scalars())
        if not ids:
            return []
        rows = self.conn.execute(
            update(outbox_t)
            .where(outbox_t.c.id.in_(ids))
            .values(status="sending", lease_until=lease_until, claims=outbox_t.c.claims + 1)
            .returning(*outbox_t.c)
        )
        items = [mapping.outbox(r) for r in rows]
        return sorted(items, key=lambda i: (-i.priority, i.id or 0))

    def save(self, item: OutboxItem) -> None:
        self.conn.execute(
            update(outbox_t).where(outbox_t.c.id == item.id).values(**mapping.outbox_values(item))
        )

    def failed(self) -> list[OutboxItem]:
        rows = self.conn.execute(
            select(outbox_t).where(outbox_t.c.status == "failed").order_by(outbox_t.c.id)
        )
        return [mapping.outbox(r) for r in rows]

    def for_conversation(self, conv_id: int) -> list[OutboxItem]:
        rows = self.conn.execute(
            select(outbox_t).where(outbox_t.c.conversation_id == conv_id).order_by(outbox_t.c.id)
        )
        return [mapping.outbox(r) for r in rows]

    def move(self, from_conv: int, to_conv: int) -> None:
        self.conn.execute(
            update(outbox_t)
            .where(outbox_t.c.conversation_id == from_conv)
            .values(conversation_id=to_conv)
        )


class SqlCursors(_Repo):
    def get(self, key: str) -> str | None:
        return self.conn.execute(
            select(cursor_t.c.value).where(cursor_t.c.key == key)
        ).scalar_one_or_none()

    def set(self, key: str, value: str) -> None:
        done = self.conn.execute(update(cursor_t).where(cursor_t.c.key == key).values(value=value))
        if done.rowcount == 0:
            self.conn.execute(insert(cursor_t).values(key=key, value=value))
