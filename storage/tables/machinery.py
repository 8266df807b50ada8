"""The service's own working rows: the outbox, the channels' cursors, the workers' leases, the
Telegram maps, dead letters and the raw webhook events."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Index,
    Integer,
    Text,
    UniqueConstraint,
    false,
)
from sqlmodel import Field, SQLModel

from storage.tables._columns import OFFICE, _time
from storage.types import JsonText
from triage.domain.model import DEFAULT_OFFICE


class OutboxRow(SQLModel, table=True):
    __tablename__ = "outbox"
    office_id: str = Field(default=DEFAULT_OFFICE, max_length=64, sa_column_kwargs=OFFICE)
    __table_args__ = (
        Index("ix_outbox_due", "status", "next_attempt_at"),
        Index("ix_outbox_recipient", "target", "recipient", "id"),
        Index("ix_outbox_remote_id", "remote_id"),  # a client's reply names ours (threading)
    )
    id: int | None = Field(default=None, primary_key=True)
    idempotency_key: str = Field(max_length=200, unique=True)
    target: str = Field(max_length=20)
    recipient: str = Field(max_length=320)
    text: str
    conversation_id: int | None = Field(default=None, foreign_key="conversation.id", index=True)
    priority: int = 0
    options: dict | None = Field(default=None, sa_column=Column(JsonText()))
    status: str = Field(max_length=10)
    attempts: int = 0
    claims: int = Field(default=0, sa_column=Column(Integer, nullable=False, server_default="0"))
    interrupted: bool = Field(
        default=False, sa_column=Column(Boolean, nullable=False, server_default=false())
    )
    created_at: datetime = Field(sa_column=_time(nullable=False))
    next_attempt_at: datetime = Field(sa_column=_time(nullable=False))
    lease_until: datetime | None = Field(default=None, sa_column=_time())
    remote_id: str | None = None
    last_error: str | None = None
    sent_at: datetime | None = Field(default=None, sa_column=_time())
    # kept for a client's safe hours (triage.domain.privacy.safe_contact)
    not_before: datetime | None = Field(default=None, sa_column=_time())


class CursorRow(SQLModel, table=True):
    __tablename__ = "channel_cursor"
    office_id: str = Field(
        default=DEFAULT_OFFICE, primary_key=True, max_length=64, sa_column_kwargs=OFFICE
    )
    key: str = Field(primary_key=True, max_length=300)
    value: str


class LeaseRow(SQLModel, table=True):
    """Who runs a poller that must be single (storage/leases.py): the holder until `expires_at`
    (the database's clock), and the fencing token, raised at each change of holder."""

    __tablename__ = "lease"
    name: str = Field(primary_key=True, max_length=300)
    holder: str = Field(max_length=200)
    token: int = Field(sa_column=Column(BigInteger(), nullable=False))
    expires_at: datetime = Field(sa_column=_time(nullable=False))


class TelegramTopicRow(SQLModel, table=True):
    """Where a conversation lives in the admin group: a forum topic, or (plain group) the
    header post that staff reply to."""

    __tablename__ = "telegram_topic"
    conversation_id: int = Field(primary_key=True)  # no FK: a merged-away case keeps its topic
    chat_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    thread_id: int | None = Field(default=None, sa_column=Column(BigInteger))
    header_message_id: int | None = Field(default=None, sa_column=Column(BigInteger))
    closed: bool = Field(
        default=False, sa_column=Column(Boolean, nullable=False, server_default=false())
    )


class TelegramPostRow(SQLModel, table=True):
    """A message the bot posted for a conversation: a staff reply to it reaches that client."""

    __tablename__ = "telegram_post"
    chat_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    message_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    conversation_id: int = Field(index=True)


class StaffFocusRow(SQLModel, table=True):
    """The case a counselor selected with /kasus N: their plain messages go to that client."""

    __tablename__ = "staff_focus"
    staff_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    conversation_id: int


class DeadLetterRow(SQLModel, table=True):
    """Something received that could not be handled after several tries: kept whole (it may
    hold personal data; the same protection as the rest of the database), and staff are told."""

    __tablename__ = "dead_letter"
    office_id: str = Field(default=DEFAULT_OFFICE, max_length=64, sa_column_kwargs=OFFICE)
    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=300)  # "telegram", or a channel's cursor key
    external_id: str = Field(max_length=100)
    payload: str = Field(sa_column=Column(Text, nullable=False))
    error: str = Field(max_length=200)
    created_at: datetime = Field(sa_column=_time(nullable=False))
    # "<channel>:<address>" when known: erasing a client removes what they sent that failed
    sender: str | None = Field(default=None, max_length=340, index=True)


class WebhookEventRow(SQLModel, table=True):
    """A signed post from Meta, committed before the answer 200 and read by its channel's drain
    (storage/webhook_events.py). The same bytes posted again (Meta retries for days) are kept
    once per source. A body blanked is a post drained (not an id cursor: ids commit out of
    order on PostgreSQL); the row itself, its digest, stays a week and a day."""

    __tablename__ = "webhook_event"
    __table_args__ = (
        UniqueConstraint("source", "digest", name="uq_webhook_event_digest"),
        Index("ix_webhook_event_source", "source", "id"),
        # ids never reused once the purge empties the table: the drain's cursor names one
        {"sqlite_autoincrement": True},
    )
    id: int | None = Field(default=None, primary_key=True)
    office_id: str = Field(default=DEFAULT_OFFICE, max_length=64, sa_column_kwargs=OFFICE)
    source: str = Field(max_length=300)  # the drain's cursor key, e.g. "whatsapp:<number id>"
    digest: str = Field(max_length=64)  # sha256 of the body, hex
    received_at: datetime = Field(sa_column=_time(nullable=False))
    body: str | None = Field(default=None, sa_column=Column(Text))
