"""SQL repositories implementing triage's ports, on one connection inside a transaction.

Every statement is built once, at import, with bind parameters: building SQLAlchemy statements
per call cost more than the database work on the ingest path (bench/ingest.py holds that path
to half the raw single-row commit rate).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    bindparam,
    case,
    delete,
    exists,
    func,
    insert,
    literal_column,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import aliased

from storage import mapping
from storage.fast import FastStatement
from storage.followups import SqlSurveys
from storage.tables import (
    AuditRow,
    CaseFileRow,
    CaseGrantRow,
    ClientRow,
    ContactRow,
    ConversationRow,
    CursorRow,
    DeadlineRow,
    DutyChangeRow,
    ErasureRow,
    FormStateRow,
    MessageRow,
    OutboxRow,
    PsychRecordRow,
    ReferralRow,
    RegisterCounterRow,
    StepLogRow,
)
from storage.types import UtcDateTime
from triage.domain.errors import Conflict
from triage.domain.forms.dialogue import FormState
from triage.domain.model import (
    Channel,
    Client,
    Contact,
    Conversation,
    OpenConversation,
    State,
    StepRecord,
    StoredMessage,
)
from triage.domain.outbox import OutboxItem, Target
from triage.domain.records import AuditEntry, SealedRecord
from triage.domain.reports import CaseRow, rounds_received
from triage.domain.schedule.roster import DutyChange
from triage.domain.schedule.sla import Deadline
from triage.domain.survey import Survey
from triage.domain.workflow import CaseFile

client_t = ClientRow.__table__
contact_t = ContactRow.__table__
conv_t = ConversationRow.__table__
message_t = MessageRow.__table__
step_t = StepLogRow.__table__
outbox_t = OutboxRow.__table__
cursor_t = CursorRow.__table__


def _by_id(table):  # type: ignore[no-untyped-def]
    return table.c.id == bindparam("_id")


def _moving(table):  # type: ignore[no-untyped-def]
    return (
        update(table)
        .where(table.c.conversation_id == bindparam("_from"))
        .values(conversation_id=bindparam("_to"))
    )


def _returned_id(stmt: FastStatement, conn: Connection, params: dict) -> int:
    row = stmt.first(conn, params)
    assert row is not None, "INSERT … RETURNING returned no row"
    return row[0]


def _is_open(conv: Any) -> ColumnElement[bool]:
    """The conversation is not closed, with 'closed' written into the SQL: a bound value
    there makes SQLite plan the statement anew on every run to see whether the partial index
    of open conversations applies (measured: four times slower for the ingest's lookup)."""
    return conv.c.state != literal_column("'closed'")


class _Repo:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.locks = conn.dialect.name == "postgresql"  # SQLite: BEGIN IMMEDIATE serialises


CLIENT_INSERT = FastStatement(
    insert(client_t).returning(client_t.c.id), keys=["display_name", "created_at"]
)
CLIENT_GET = select(client_t).where(_by_id(client_t))
CLIENT_LOCK = select(client_t.c.id).where(_by_id(client_t)).with_for_update()
CLIENT_DELETE = delete(client_t).where(_by_id(client_t))


class SqlClients(_Repo):
    def add(self, client: Client) -> Client:
        params = {"display_name": client.display_name, "created_at": client.created_at}
        return replace(client, id=_returned_id(CLIENT_INSERT, self.conn, params))

    def get(self, client_id: int) -> Client | None:
        row = self.conn.execute(CLIENT_GET, {"_id": client_id}).first()
        return mapping.client(row) if row else None

    def lock(self, client_id: int) -> None:
        if self.locks:
            self.conn.execute(CLIENT_LOCK, {"_id": client_id})

    def delete(self, client_id: int) -> None:
        self.conn.execute(CLIENT_DELETE, {"_id": client_id})


CONTACT_FIND = select(contact_t).where(
    contact_t.c.channel == bindparam("_channel"), contact_t.c.external_id == bindparam("_ext")
)
CONTACT_GET = select(contact_t).where(_by_id(contact_t))
CONTACT_INSERT = FastStatement(
    insert(contact_t).returning(contact_t.c.id),
    keys=["client_id", "channel", "external_id", "display_name"],
)
CONTACT_FOR_CLIENT = (
    select(contact_t).where(contact_t.c.client_id == bindparam("_client")).order_by(contact_t.c.id)
)
CONTACT_MOVE_CLIENT = (
    update(contact_t)
    .where(contact_t.c.client_id == bindparam("_from"))
    .values(client_id=bindparam("_to"))
)
_open_conv = conv_t.alias("open_conv")
CONTACT_FOR_INGEST = (
    select(contact_t, _open_conv.c.id, _open_conv.c.state, _open_conv.c.counselor_id)
    .select_from(
        contact_t.outerjoin(
            _open_conv,
            and_(_open_conv.c.client_id == contact_t.c.client_id, _is_open(_open_conv)),
        )
    )
    .where(
        contact_t.c.channel == bindparam("_channel"), contact_t.c.external_id == bindparam("_ext")
    )
)
CONTACT_FOR_INGEST = FastStatement(CONTACT_FOR_INGEST)
_CONTACT_COLUMNS = [c.name for c in contact_t.c]


class SqlContacts(_Repo):
    def find(self, channel: Channel, external_id: str) -> Contact | None:
        params = {"_channel": channel.value, "_ext": external_id}
        row = self.conn.execute(CONTACT_FIND, params).first()
        return mapping.contact(row) if row else None

    def get(self, contact_id: int) -> Contact | None:
        row = self.conn.execute(CONTACT_GET, {"_id": contact_id}).first()
        return mapping.contact(row) if row else None

    def add(self, contact: Contact) -> Contact:
        params = {
            "client_id": contact.client_id,
            "channel": contact.channel.value,
            "external_id": contact.external_id,
            "display_name": contact.display_name,
        }
        return replace(contact, id=_returned_id(CONTACT_INSERT, self.conn, params))

    def for_client(self, client_id: int) -> list[Contact]:
        rows = self.conn.execute(CONTACT_FOR_CLIENT, {"_client": client_id})
        return [mapping.contact(r) for r in rows]

    def move_client(self, from_client: int, to_client: int) -> None:
        self.conn.execute(CONTACT_MOVE_CLIENT, {"_from": from_client, "_to": to_client})

    def find_for_ingest(
        self, channel: Channel, external_id: str
    ) -> tuple[Contact, OpenConversation | None] | None:
        row = CONTACT_FOR_INGEST.first(self.conn, {"_channel": channel.value, "_ext": external_id})
        if row is None:
            return None
        contact = mapping.contact_from(dict(zip(_CONTACT_COLUMNS, row, strict=False)))
        conv_id, state, counselor_id = row[-3:]
        if conv_id is None:
            return contact, None
        return contact, OpenConversation(conv_id, State(state), counselor_id)


CONV_INSERT = FastStatement(
    insert(conv_t).returning(conv_t.c.id), keys=[c.name for c in conv_t.c if c.name != "id"]
)
CONV_GET = select(conv_t).where(_by_id(conv_t))
CONV_GET_LOCKED = CONV_GET.with_for_update()
CONV_TRY_LOCK = CONV_GET.with_for_update(skip_locked=True)
CONV_SAVE = update(conv_t).where(_by_id(conv_t))
CONV_SAVE_EXPECTING = CONV_SAVE.where(conv_t.c.state == bindparam("_expect"))
# The client wrote at `_at`: the last-message time only moves forward (messages can arrive
# out of order across channels).
_LATER_LAST_MESSAGE = case(
    (conv_t.c.last_message_at < bindparam("_at", type_=UtcDateTime()), bindparam("_at")),
    else_=conv_t.c.last_message_at,
)
CONV_TOUCH = FastStatement(
    update(conv_t)
    .where(_by_id(conv_t), _is_open(conv_t))
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
        _is_open(conv_t),
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
CONV_OPEN = CONV_OF_CLIENT.where(_is_open(conv_t))
CONV_LATEST = CONV_OF_CLIENT.order_by(conv_t.c.last_message_at.desc(), conv_t.c.id.desc()).limit(1)
CONV_ALL = select(conv_t)
CONV_LOCK_CLIENT = CONV_OF_CLIENT.order_by(conv_t.c.id).with_for_update()
CONV_MOVE_CLIENT = (
    update(conv_t)
    .where(conv_t.c.client_id == bindparam("_from"))
    .values(client_id=bindparam("_to"))
)
CONV_DELETE = delete(conv_t).where(_by_id(conv_t))


class SqlConversations(_Repo):
    def add(self, conv: Conversation) -> Conversation:
        params = mapping.conversation_values(conv)
        return replace(conv, id=_returned_id(CONV_INSERT, self.conn, params))

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
MESSAGE_MOVE = _moving(message_t)
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


class SqlMessages(_Repo):
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

    def mark_relayed(self, ids: list[int]) -> None:
        if ids:
            self.conn.execute(MESSAGE_MARK_RELAYED, {"_ids": ids})

    def deliver_held(self, ids: list[int], counselor_id: int) -> None:
        if ids:
            self.conn.execute(MESSAGE_DELIVER_HELD, {"_ids": ids, "_owner": counselor_id})


STEP_INSERT = FastStatement(insert(step_t), keys=[c.name for c in step_t.c if c.name != "id"])
STEP_FOR_CONV = (
    select(step_t).where(step_t.c.conversation_id == bindparam("_conv")).order_by(step_t.c.id)
)
STEP_MOVE = _moving(step_t)


class SqlStepLog(_Repo):
    def append(self, record: StepRecord) -> None:
        STEP_INSERT.execute(self.conn, mapping.step_values(record)).close()

    def for_conversation(self, conv_id: int) -> list[StepRecord]:
        return [mapping.step(r) for r in self.conn.execute(STEP_FOR_CONV, {"_conv": conv_id})]

    def move(self, from_conv: int, to_conv: int) -> None:
        self.conn.execute(STEP_MOVE, {"_from": from_conv, "_to": to_conv})


_earlier = aliased(outbox_t)
OUTBOX_PICK = (
    select(outbox_t.c.id)
    .where(
        or_(
            and_(outbox_t.c.status == "pending", outbox_t.c.next_attempt_at <= bindparam("_now")),
            and_(outbox_t.c.status == "sending", outbox_t.c.lease_until <= bindparam("_now")),
        ),
        # the oldest unfinished item per recipient only: order is kept per chat
        ~exists().where(
            _earlier.c.target == outbox_t.c.target,
            _earlier.c.recipient == outbox_t.c.recipient,
            _earlier.c.id < outbox_t.c.id,
            _earlier.c.status.in_(("pending", "sending")),
        ),
    )
    .order_by(outbox_t.c.priority.desc(), outbox_t.c.id)
    .limit(bindparam("_limit"))
)
OUTBOX_PICK_LOCKED = OUTBOX_PICK.with_for_update(skip_locked=True, of=outbox_t)
OUTBOX_CLAIM = (
    update(outbox_t)
    .where(outbox_t.c.id.in_(bindparam("_ids", expanding=True)))
    .values(
        status="sending",
        lease_until=bindparam("_lease"),
        claims=outbox_t.c.claims + 1,
        # a lease that ran out is an attempt that failed (counted, so crash loops end)
        interrupted=outbox_t.c.status == "sending",
        attempts=outbox_t.c.attempts + case((outbox_t.c.status == "sending", 1), else_=0),
    )
    .returning(*outbox_t.c)
)
OUTBOX_INSERT = insert(outbox_t).returning(outbox_t.c.id)
OUTBOX_GET = select(outbox_t).where(_by_id(outbox_t))
OUTBOX_KEY = select(outbox_t).where(outbox_t.c.idempotency_key == bindparam("_key"))
OUTBOX_RECORD = update(outbox_t).where(_by_id(outbox_t), outbox_t.c.claims == bindparam("_claims"))
OUTBOX_FAILED = select(outbox_t).where(outbox_t.c.status == "failed").order_by(outbox_t.c.id)
OUTBOX_FOR_CONV = (
    select(outbox_t).where(outbox_t.c.conversation_id == bindparam("_conv")).order_by(outbox_t.c.id)
)
OUTBOX_MOVE = _moving(outbox_t)
OUTBOX_LAST_ACTIVE = (
    select(outbox_t)
    .where(
        outbox_t.c.target == bindparam("_target"),
        outbox_t.c.recipient == bindparam("_recipient"),
        outbox_t.c.status.in_(("pending", "sending")),
    )
    .order_by(outbox_t.c.id.desc())
    .limit(1)
)
OUTBOX_EXTEND = (
    update(outbox_t)
    .where(
        _by_id(outbox_t),
        outbox_t.c.status == "pending",
        outbox_t.c.claims == bindparam("_claims"),
        ~outbox_t.c.interrupted,
    )
    .values(text=bindparam("_text"))
)


class SqlOutbox(_Repo):
    def add(self, item: OutboxItem) -> OutboxItem:
        existing = self.find_key(item.idempotency_key)
        if existing is not None:
            return existing
        new_id = self.conn.execute(OUTBOX_INSERT, mapping.outbox_values(item)).scalar_one()
        return replace(item, id=new_id)

    def get(self, item_id: int) -> OutboxItem | None:
        row = self.conn.execute(OUTBOX_GET, {"_id": item_id}).first()
        return mapping.outbox(row) if row else None

    def find_key(self, key: str) -> OutboxItem | None:
        row = self.conn.execute(OUTBOX_KEY, {"_key": key}).first()
        return mapping.outbox(row) if row else None

    def claim_due(self, now: datetime, limit: int, lease_until: datetime) -> list[OutboxItem]:
        """On PostgreSQL `SKIP LOCKED` lets several dispatchers share the queue."""
        pick = OUTBOX_PICK_LOCKED if self.locks else OUTBOX_PICK
        ids = list(self.conn.execute(pick, {"_now": now, "_limit": limit}).scalars())
        if not ids:
            return []
        rows = self.conn.execute(OUTBOX_CLAIM, {"_ids": ids, "_lease": lease_until})
        items = [mapping.outbox(r) for r in rows]
        return sorted(items, key=lambda i: (-i.priority, i.id or 0))

    def record(self, item: OutboxItem) -> bool:
        params = {"_id": item.id, "_claims": item.claims, **mapping.outbox_values(item)}
        return self.conn.execute(OUTBOX_RECORD, params).rowcount == 1

    def failed(self) -> list[OutboxItem]:
        return [mapping.outbox(r) for r in self.conn.execute(OUTBOX_FAILED)]

    def for_conversation(self, conv_id: int) -> list[OutboxItem]:
        return [mapping.outbox(r) for r in self.conn.execute(OUTBOX_FOR_CONV, {"_conv": conv_id})]

    def move(self, from_conv: int, to_conv: int) -> None:
        self.conn.execute(OUTBOX_MOVE, {"_from": from_conv, "_to": to_conv})

    def last_active(self, target: Target, recipient: str) -> OutboxItem | None:
        """Not locked: the relay holds the conversation's lock, and `extend_pending` is
        conditional on the claim count, so a dispatcher that took the post meanwhile wins."""
        params = {"_target": target.value, "_recipient": recipient}
        row = self.conn.execute(OUTBOX_LAST_ACTIVE, params).first()
        return mapping.outbox(row) if row else None

    def extend_pending(self, item: OutboxItem, text: str) -> bool:
        params = {"_id": item.id, "_claims": item.claims, "_text": text}
        return self.conn.execute(OUTBOX_EXTEND, params).rowcount == 1


CURSOR_GET = select(cursor_t.c.value).where(cursor_t.c.key == bindparam("_key"))
CURSOR_UPDATE = update(cursor_t).where(cursor_t.c.key == bindparam("_key"))
CURSOR_INSERT = insert(cursor_t)


class SqlCursors(_Repo):
    def get(self, key: str) -> str | None:
        return self.conn.execute(CURSOR_GET, {"_key": key}).scalar_one_or_none()

    def set(self, key: str, value: str) -> None:
        if self.conn.execute(CURSOR_UPDATE, {"_key": key, "value": value}).rowcount == 0:
            self.conn.execute(CURSOR_INSERT, {"key": key, "value": value})


form_t = FormStateRow.__table__
counter_t = RegisterCounterRow.__table__
FORM_GET = select(form_t).where(form_t.c.conversation_id == bindparam("_conv"))
FORM_UPDATE = update(form_t).where(form_t.c.conversation_id == bindparam("_conv"))
COUNTER_NEXT = (
    update(counter_t)
    .where(counter_t.c.period == bindparam("_period"))
    .values(last=counter_t.c.last + 1)
    .returning(counter_t.c.last)
)


class SqlForms(_Repo):
    def get(self, conv_id: int) -> FormState | None:
        row = self.conn.execute(FORM_GET, {"_conv": conv_id}).first()
        if row is None:
            return None
        return FormState(
            row.conversation_id, row.asking, dict(row.answers or {}), row.status, row.register_no
        )

    def save(self, state: FormState) -> None:
        values = {
            "asking": state.asking,
            "answers": dict(state.answers),
            "status": state.status,
            "register_no": state.register_no,
        }
        if self.conn.execute(FORM_UPDATE, {"_conv": state.conversation_id, **values}).rowcount:
            return
        self.conn.execute(insert(form_t).values(conversation_id=state.conversation_id, **values))

    def delete(self, conv_id: int) -> None:
        self.conn.execute(delete(form_t).where(form_t.c.conversation_id == conv_id))

    def next_number(self, period: str) -> int:
        row = self.conn.execute(COUNTER_NEXT, {"_period": period}).first()
        if row is not None:
            return int(row[0])
        self.conn.execute(insert(counter_t).values(period=period, last=1))  # a race: Conflict
        return 1


deadline_t = DeadlineRow.__table__
duty_t = DutyChangeRow.__table__
_latest_release = (
    select(func.max(step_t.c.at))
    .where(
        step_t.c.conversation_id == conv_t.c.id,
        step_t.c.round == conv_t.c.round,
        step_t.c.step == "released",
    )
    .scalar_subquery()
)
# a person wrote: conversations with only automatic mail (RFC 3834) start no timer
_human_wrote = exists().where(
    message_t.c.conversation_id == conv_t.c.id,
    message_t.c.direction == "in",
    ~message_t.c.auto_generated,
)
DEADLINE_WAITING = select(conv_t, _latest_release.label("released_at")).where(
    _is_open(conv_t), _human_wrote
)
DEADLINE_KEYS_OPEN = (
    select(deadline_t.c.key)
    .join(conv_t, conv_t.c.id == deadline_t.c.conversation_id)
    .where(_is_open(conv_t))
)
DEADLINE_INSERT = insert(deadline_t)
DEADLINE_PICK = (
    select(deadline_t)
    .where(deadline_t.c.status == "pending", deadline_t.c.due_at <= bindparam("_now"))
    .order_by(deadline_t.c.due_at, deadline_t.c.id)
    .limit(bindparam("_limit"))
)
DEADLINE_PICK_LOCKED = DEADLINE_PICK.with_for_update(skip_locked=True)
DEADLINE_FINISH = (
    update(deadline_t)
    .where(_by_id(deadline_t))
    .values(status=bindparam("_status"), done_at=bindparam("_at"))
)
DEADLINE_OF_CONV = (
    select(deadline_t)
    .where(deadline_t.c.conversation_id == bindparam("_conv"))
    .order_by(deadline_t.c.due_at, deadline_t.c.id)
)
DEADLINE_MOVE = _moving(deadline_t)
RELEASED_AT = select(func.max(step_t.c.at)).where(
    step_t.c.conversation_id == bindparam("_conv"),
    step_t.c.round == bindparam("_round"),
    step_t.c.step == "released",
)
LOADS = (
    select(conv_t.c.counselor_id, func.count())
    .where(conv_t.c.state == "with_counselor", conv_t.c.counselor_id.is_not(None))
    .group_by(conv_t.c.counselor_id)
)


def _deadline(r) -> Deadline:  # type: ignore[no-untyped-def]
    return Deadline(r.conversation_id, r.round, r.step, r.level, r.since, r.due_at)


class SqlDeadlines(_Repo):
    def waiting_conversations(self) -> list[tuple[Conversation, datetime | None]]:
        rows = self.conn.execute(DEADLINE_WAITING)
        return [(mapping.conversation(r), r.released_at) for r in rows]

    def keys_for_open(self) -> set[str]:
        return set(self.conn.execute(DEADLINE_KEYS_OPEN).scalars())

    def add(self, deadlines: list[Deadline]) -> None:
        if deadlines:
            self.conn.execute(
                DEADLINE_INSERT,
                [
                    {
                        "key": d.key,
                        "conversation_id": d.conversation_id,
                        "round": d.round,
                        "step": d.step,
                        "level": d.level,
                        "since": d.since,
                        "due_at": d.due_at,
                        "status": "pending",
                    }
                    for d in deadlines
                ],
            )

    def claim_due(self, now: datetime, limit: int) -> list[tuple[int, Deadline]]:
        pick = DEADLINE_PICK_LOCKED if self.locks else DEADLINE_PICK
        rows = self.conn.execute(pick, {"_now": now, "_limit": limit})
        return [(r.id, _deadline(r)) for r in rows]

    def released_at(self, conv_id: int, round_: int) -> datetime | None:
        return self.conn.execute(RELEASED_AT, {"_conv": conv_id, "_round": round_}).scalar()

    def finish(self, deadline_id: int, status: str, at: datetime) -> None:
        self.conn.execute(DEADLINE_FINISH, {"_id": deadline_id, "_status": status, "_at": at})

    def for_conversation(self, conv_id: int) -> list[tuple[str, Deadline]]:
        rows = self.conn.execute(DEADLINE_OF_CONV, {"_conv": conv_id})
        return [(r.status, _deadline(r)) for r in rows]


DUTY_BETWEEN = (
    select(duty_t)
    .where(duty_t.c.day >= bindparam("_first"), duty_t.c.day <= bindparam("_last"))
    .order_by(duty_t.c.day, duty_t.c.changed_at)
)
DUTY_DELETE = delete(duty_t).where(
    duty_t.c.day == bindparam("_day"), duty_t.c.staff_id == bindparam("_staff")
)
DUTY_INSERT = insert(duty_t)


class SqlRosterChanges(_Repo):
    def between(self, first: date, last: date) -> list[DutyChange]:
        rows = self.conn.execute(DUTY_BETWEEN, {"_first": first, "_last": last})
        return [DutyChange(r.day, r.staff_id, r.on_duty) for r in rows]

    def set(self, change: DutyChange, by: int, at: datetime) -> None:
        self.conn.execute(DUTY_DELETE, {"_day": change.day, "_staff": change.staff_id})
        self.conn.execute(
            DUTY_INSERT,
            {
                "day": change.day,
                "staff_id": change.staff_id,
                "on_duty": change.on_duty,
                "changed_by": by,
                "changed_at": at,
            },
        )


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


class SqlCaseFiles(_Repo):
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


class SqlRecords(_Repo):
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


class SqlAudit(_Repo):
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


referral_t = ReferralRow.__table__
# Conversations with a round received in the month: each round is a counseling contact.
RECEIVED_IN = select(step_t.c.conversation_id).where(
    step_t.c.step == "received", step_t.c.at >= bindparam("_start"), step_t.c.at < bindparam("_end")
)
REPORT_CASES = (
    select(
        conv_t,
        contact_t.c.channel,
        client_t.c.display_name,
        form_t.c.answers,
        form_t.c.register_no,
        referral_t.c.target.label("referral_target"),
    )
    .join(contact_t, contact_t.c.id == conv_t.c.reply_contact_id)
    .join(client_t, client_t.c.id == conv_t.c.client_id)
    .outerjoin(form_t, form_t.c.conversation_id == conv_t.c.id)
    .outerjoin(
        referral_t,
        and_(referral_t.c.conversation_id == conv_t.c.id, referral_t.c.round == conv_t.c.round),
    )
    .where(conv_t.c.id.in_(RECEIVED_IN))
    .order_by(conv_t.c.received_at, conv_t.c.id)
)
REPORT_STEPS = select(step_t).where(step_t.c.conversation_id.in_(RECEIVED_IN))
REPORT_REFERRALS = select(
    referral_t.c.conversation_id, referral_t.c.round, referral_t.c.target
).where(referral_t.c.conversation_id.in_(RECEIVED_IN))


class SqlReports(_Repo):
    def cases_received(self, start: datetime, end: datetime) -> list[CaseRow]:
        window = {"_start": start, "_end": end}
        logs: dict[int, list[StepRecord]] = {}
        for r in self.conn.execute(REPORT_STEPS, window):
            logs.setdefault(r.conversation_id, []).append(mapping.step(r))
        targets: dict[int, dict[int, str]] = {}
        for r in self.conn.execute(REPORT_REFERRALS, window):
            targets.setdefault(r.conversation_id, {})[r.round] = r.target
        out = []
        for r in self.conn.execute(REPORT_CASES, window):
            conv = mapping.conversation(r)
            assert conv.id is not None
            current = CaseRow(
                conversation_id=conv.id,
                round=conv.round,
                opened_at=conv.steps.received or conv.opened_at,
                channel=r.channel,
                category=conv.category,
                urgent=conv.urgent,
                state=conv.state.value,
                outcome=conv.outcome.value if conv.outcome else None,
                counselor_id=conv.counselor_id,
                steps=conv.steps,
                answers=dict(r.answers or {}),
                register_no=r.register_no,
                client_name=r.display_name,
                referral_target=r.referral_target,
            )
            out += rounds_received(current, logs.get(conv.id, []), targets.get(conv.id, {}),
                                   start, end)  # fmt: skip
        return out

    def surveys(self, start: datetime, end: datetime) -> tuple[int, list[Survey]]:
        return SqlSurveys(self.conn).counts(start, end)


grant_t = CaseGrantRow.__table__
GRANTS_OF = select(grant_t.c.staff_id).where(grant_t.c.conversation_id == bindparam("_conv"))


class SqlGrants(_Repo):
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
