"""The office's cases: clients, their contacts, conversations, messages, forms, files, records,
timers and the registers around them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Index,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlmodel import Field, SQLModel

from storage.tables._columns import OFFICE, _time
from storage.types import JsonText
from triage.domain.model import DEFAULT_OFFICE


class ClientRow(SQLModel, table=True):
    __tablename__ = "client"
    office_id: str = Field(default=DEFAULT_OFFICE, max_length=64, sa_column_kwargs=OFFICE)
    id: int | None = Field(default=None, primary_key=True)
    display_name: str
    created_at: datetime = Field(sa_column=_time(nullable=False))
    consent: str | None = Field(default=None, sa_column=Column(String(20)))  # triage.domain.consent
    consent_at: datetime | None = Field(default=None, sa_column=_time())
    # /kontak: may we write first, where, when, how (triage.domain.privacy.safe_contact)
    safe_contact: str | None = Field(default=None, sa_column=Column(Text))


class ContactRow(SQLModel, table=True):
    __tablename__ = "contact"
    __table_args__ = (UniqueConstraint("channel", "external_id", name="uq_contact_channel_ext"),)
    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    channel: str = Field(max_length=20)
    external_id: str = Field(max_length=320)
    display_name: str


class ConversationRow(SQLModel, table=True):
    __tablename__ = "conversation"
    office_id: str = Field(default=DEFAULT_OFFICE, max_length=64, sa_column_kwargs=OFFICE)
    __table_args__ = (
        # At most one open conversation per client: two workers racing to open one collide here.
        Index(
            "uq_conversation_open_per_client",
            "client_id",
            unique=True,
            sqlite_where=text("state != 'closed'"),
            postgresql_where=text("state != 'closed'"),
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    state: str = Field(max_length=20)
    outcome: str | None = Field(default=None, max_length=20)
    opened_at: datetime = Field(sa_column=_time(nullable=False))
    # Not indexed: the ingest path updates it for every message, and an unindexed column lets
    # PostgreSQL update the row in place (HOT). Lists sort a few thousand rows in memory.
    last_message_at: datetime = Field(sa_column=_time(nullable=False))
    reply_contact_id: int = Field(foreign_key="contact.id")
    counselor_id: int | None = None
    round: int = 1
    urgent: bool = False
    category: str | None = Field(default=None, max_length=40)
    risk: str = Field(
        default="biasa", sa_column=Column(String(20), nullable=False, server_default="biasa")
    )
    risk_set_at: datetime | None = Field(default=None, sa_column=_time())
    category_by_staff: bool = Field(
        default=False, sa_column=Column(Boolean, nullable=False, server_default=false())
    )
    received_at: datetime | None = Field(default=None, sa_column=_time())
    first_admin_response_at: datetime | None = Field(default=None, sa_column=_time())
    form_completed_at: datetime | None = Field(default=None, sa_column=_time())
    handed_off_at: datetime | None = Field(default=None, sa_column=_time())
    claimed_at: datetime | None = Field(default=None, sa_column=_time())
    first_counselor_response_at: datetime | None = Field(default=None, sa_column=_time())
    closed_at: datetime | None = Field(default=None, sa_column=_time())


class MessageRow(SQLModel, table=True):
    __tablename__ = "message"
    __table_args__ = (
        UniqueConstraint("channel", "external_id", name="uq_message_channel_ext"),
        Index(
            "ix_message_unrelayed",
            "id",
            sqlite_where=text("relayed = 0 AND direction = 'in'"),
            postgresql_where=text("NOT relayed AND direction = 'in'"),
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    conversation_id: int = Field(foreign_key="conversation.id", index=True)
    direction: str = Field(max_length=3)
    channel: str = Field(max_length=20)
    external_id: str = Field(max_length=500)
    text: str
    created_at: datetime = Field(sa_column=_time(nullable=False))
    contact_id: int | None = Field(default=None, foreign_key="contact.id")
    staff_id: int | None = None
    subject: str | None = None
    attachments: list | None = Field(default=None, sa_column=Column(JsonText()))
    auto_generated: bool = False
    outbox_id: int | None = Field(default=None, foreign_key="outbox.id")
    # Counseling content (exchanged after hand-off): never shown to admins, even after a
    # release or a reopen (triage/domain/access.py).
    confidential: bool = Field(
        default=False, sa_column=Column(Boolean, nullable=False, server_default=false())
    )
    internal: bool = Field(
        default=False, sa_column=Column(Boolean, nullable=False, server_default=false())
    )
    # False until triage.usecases.relay has passed the inbound message on to staff (same commit as
    # the
    # staff notices): the relay's durable cursor, safe with out-of-order commits on PostgreSQL.
    relayed: bool = Field(
        default=False, sa_column=Column(Boolean, nullable=False, server_default=false())
    )
    # Confidential inbound content belongs to the counselor it was written to
    # (triage/domain/access.py)
    counselor_id: int | None = Field(default=None, sa_column=Column(BigInteger))
    risk: str | None = Field(default=None, sa_column=Column(String(20)))  # as triage read it
    # shown to staff as a placeholder until the client consents (triage.domain.consent)
    masked: bool = Field(
        default=False, sa_column=Column(Boolean, nullable=False, server_default=false())
    )


class StepLogRow(SQLModel, table=True):
    __tablename__ = "step_log"
    # The monthly report finds the rounds received in a month by their "received" step.
    __table_args__ = (Index("ix_step_log_step_at", "step", "at"),)
    id: int | None = Field(default=None, primary_key=True)
    conversation_id: int = Field(foreign_key="conversation.id", index=True)
    step: str = Field(max_length=40)
    at: datetime = Field(sa_column=_time(nullable=False))
    round: int = 1
    staff_id: int | None = None
    detail: str | None = None


class FormStateRow(SQLModel, table=True):
    """The identity-form dialogue of a conversation (triage/domain/forms/dialogue.py)."""

    __tablename__ = "form_state"
    conversation_id: int = Field(primary_key=True, foreign_key="conversation.id")
    asking: str | None = Field(default=None, max_length=40)
    answers: dict | None = Field(default=None, sa_column=Column(JsonText()))
    status: str = Field(max_length=20)
    register_no: str | None = Field(default=None, max_length=80, unique=True)


class RegisterCounterRow(SQLModel, table=True):
    __tablename__ = "register_counter"
    office_id: str = Field(
        default=DEFAULT_OFFICE, primary_key=True, max_length=64, sa_column_kwargs=OFFICE
    )
    period: str = Field(primary_key=True, max_length=20)
    last: int


class DeadlineRow(SQLModel, table=True):
    """An SLA reminder or escalation (triage.domain.schedule.sla): pending until a sweeper fires it
    or finds it
    moot (the step was done meanwhile)."""

    __tablename__ = "deadline"
    office_id: str = Field(default=DEFAULT_OFFICE, max_length=64, sa_column_kwargs=OFFICE)
    __table_args__ = (Index("ix_deadline_due", "status", "due_at"),)
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=200, unique=True)
    conversation_id: int = Field(foreign_key="conversation.id", index=True)
    round: int
    step: str = Field(max_length=40)
    level: int
    since: datetime = Field(sa_column=_time(nullable=False))
    due_at: datetime = Field(sa_column=_time(nullable=False))
    status: str = Field(max_length=10)  # pending | fired | moot
    done_at: datetime | None = Field(default=None, sa_column=_time())


class DutyChangeRow(SQLModel, table=True):
    """A day's change of the duty roster made with /jadwal (who, that day, on or off duty)."""

    __tablename__ = "duty_change"
    office_id: str = Field(default=DEFAULT_OFFICE, max_length=64, sa_column_kwargs=OFFICE)
    day: date = Field(primary_key=True)
    staff_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    on_duty: bool
    changed_by: int = Field(sa_column=Column(BigInteger, nullable=False))
    changed_at: datetime = Field(sa_column=_time(nullable=False))


class StaffStatusRow(SQLModel, table=True):
    """A staff member the head deactivated with /nonaktif (who left, or is away), or activated
    again: no row means active (the [[staff]] list in the configuration says who is staff)."""

    __tablename__ = "staff_status"
    office_id: str = Field(default=DEFAULT_OFFICE, max_length=64, sa_column_kwargs=OFFICE)
    staff_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    active: bool
    changed_by: int = Field(sa_column=Column(BigInteger, nullable=False))
    changed_at: datetime = Field(sa_column=_time(nullable=False))


class CaseFileRow(SQLModel, table=True):
    """A complaint or a psychoeducation request kept next to its conversation
    (triage.domain.workflow).
    Its facts may hold personal data: the same protection as the rest of the database."""

    __tablename__ = "case_file"
    conversation_id: int = Field(primary_key=True, foreign_key="conversation.id")
    kind: str = Field(max_length=20, index=True)
    status: str = Field(max_length=30)
    facts: dict | None = Field(default=None, sa_column=Column(JsonText()))
    data: dict | None = Field(default=None, sa_column=Column(JsonText()))
    opened_at: datetime = Field(sa_column=_time(nullable=False))
    due_at: datetime = Field(sa_column=_time(nullable=False))
    closed_at: datetime | None = Field(default=None, sa_column=_time())


class ProgrammeStepRow(SQLModel, table=True):
    """A step of a semester's guidance programme (triage.domain.programme), only ever added;
    `key` makes a redelivered command add nothing."""

    __tablename__ = "programme_step"
    office_id: str = Field(default=DEFAULT_OFFICE, max_length=64, sa_column_kwargs=OFFICE)
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=200, unique=True)
    semester: str = Field(max_length=7, index=True)
    step: str = Field(max_length=20)
    at: datetime = Field(sa_column=_time(nullable=False))
    staff_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    detail: dict | None = Field(default=None, sa_column=Column(JsonText()))


class PsychRecordRow(SQLModel, table=True):
    """A version of a psychological record, sealed (triage.domain.records): the plaintext never
    reaches the database."""

    __tablename__ = "psych_record"
    __table_args__ = (UniqueConstraint("conversation_id", "version", name="uq_record_version"),)
    id: int | None = Field(default=None, primary_key=True)
    conversation_id: int = Field(foreign_key="conversation.id", index=True)
    version: int
    sealed: str = Field(sa_column=Column(Text, nullable=False))
    author_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    written_at: datetime = Field(sa_column=_time(nullable=False))


class CaseGrantRow(SQLModel, table=True):
    """A case the head opened to another staff member (the Tangerang standard)."""

    __tablename__ = "case_grant"
    conversation_id: int = Field(primary_key=True, foreign_key="conversation.id")
    staff_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    granted_by: int = Field(sa_column=Column(BigInteger, nullable=False))
    granted_at: datetime = Field(sa_column=_time(nullable=False))


class AuditRow(SQLModel, table=True):
    """Append-only: triggers in the migration refuse UPDATE and DELETE."""

    __tablename__ = "audit_log"
    office_id: str = Field(default=DEFAULT_OFFICE, max_length=64, sa_column_kwargs=OFFICE)
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_column=_time(nullable=False))
    staff_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    role: str = Field(max_length=20)
    action: str = Field(max_length=40)
    conversation_id: int | None = Field(default=None, index=True)
    detail: str | None = Field(default=None, max_length=200)


class ReferralRow(SQLModel, table=True):
    """Where a case round was referred (triage.domain.referral)."""

    __tablename__ = "referral"
    conversation_id: int = Field(primary_key=True, foreign_key="conversation.id")
    round: int = Field(primary_key=True)
    target: str = Field(max_length=20)
    addressee: str = Field(max_length=200)
    reason: str = Field(sa_column=Column(Text, nullable=False))
    staff_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    at: datetime = Field(sa_column=_time(nullable=False))
    letter_path: str | None = None  # the sealed letter file under the data directory


class IncomingReferralRow(SQLModel, table=True):
    """A client referred to the office by another body (triage.domain.intake)."""

    __tablename__ = "referral_in"
    conversation_id: int = Field(primary_key=True, foreign_key="conversation.id")
    origin: str = Field(max_length=200)
    letter_number: str = Field(max_length=200)
    letter_date: date | None = None
    staff_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    at: datetime = Field(sa_column=_time(nullable=False))


class AppointmentRow(SQLModel, table=True):
    """A session agreed with a client (triage.domain.appointments)."""

    __tablename__ = "appointment"
    id: int | None = Field(default=None, primary_key=True)
    conversation_id: int = Field(foreign_key="conversation.id", index=True)
    at: datetime = Field(sa_column=_time(nullable=False, index=True))
    place: str = Field(max_length=200)
    counselor_id: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    status: str = Field(max_length=20)
    staff_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    created_at: datetime = Field(sa_column=_time(nullable=False))


class SurveyRow(SQLModel, table=True):
    """The satisfaction survey of a closed round (triage.domain.survey)."""

    __tablename__ = "survey"
    conversation_id: int = Field(primary_key=True, foreign_key="conversation.id")
    round: int = Field(primary_key=True)
    asked_at: datetime = Field(sa_column=_time(nullable=False, index=True))
    answered_at: datetime | None = Field(default=None, sa_column=_time(index=True))
    scores: list | None = Field(default=None, sa_column=Column(JsonText()))
    comment: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))


class ErasureRow(SQLModel, table=True):
    """A kind of a conversation's data that was erased (triage.domain.erasure), and when."""

    __tablename__ = "erasure"
    conversation_id: int = Field(primary_key=True, foreign_key="conversation.id")
    kind: str = Field(primary_key=True, max_length=20)
    at: datetime = Field(sa_column=_time(nullable=False))


class LegalHoldRow(SQLModel, table=True):
    """A case the head holds for the police, a court or UPTD PPA (triage.domain.erasure)."""

    __tablename__ = "legal_hold"
    conversation_id: int = Field(primary_key=True, foreign_key="conversation.id")
    held_by: int = Field(sa_column=Column(BigInteger, nullable=False))
    at: datetime = Field(sa_column=_time(nullable=False))
    reason: str = Field(sa_column=Column(Text, nullable=False))
