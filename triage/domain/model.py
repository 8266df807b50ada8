"""Domain types shared by every channel, the inbox and the staff side."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

# The office a row belongs to. One install serves one office today ("default"); tables and the
# unit of work carry the id already, so that serving several offices does not change them all.
DEFAULT_OFFICE = "default"


class Channel(StrEnum):
    """Where a client writes from. Values are stable: stored and shown in `inbox --json`."""

    EMAIL = "email"
    INSTAGRAM = "instagram"
    HOTLINE = "hotline"
    WHATSAPP = "whatsapp"  # the WhatsApp Cloud API (webhooks)
    MESSENGER = "messenger"  # the office's Facebook Page (webhooks)
    # clients who do not write online, registered by staff (triage.domain.intake)
    LANGSUNG = "langsung"  # came in person
    TELEPON = "telepon"  # phoned
    SURAT = "surat"  # wrote a letter
    RUJUKAN = "rujukan"  # referred by another body


class State(StrEnum):
    """Lifecycle (docs/architecture.md): new → with admin → handed off → with counselor → closed."""

    NEW = "new"
    WITH_ADMIN = "with_admin"
    HANDED_OFF = "handed_off"
    WITH_COUNSELOR = "with_counselor"
    CLOSED = "closed"


class Outcome(StrEnum):
    """How a counseling case ends (the Karangasem standard)."""

    TUNTAS = "tuntas"
    ULANG = "ulang"
    RUJUKAN = "rujukan"
    # the client took their consent back (BERHENTI): closed by the bot, never chosen by staff
    BERHENTI = "berhenti"


STAFF_OUTCOMES = (Outcome.TUNTAS, Outcome.ULANG, Outcome.RUJUKAN)


class Role(StrEnum):
    ADMIN = "admin"
    COUNSELOR = "konselor"
    HEAD = "ketua"


class Direction(StrEnum):
    IN = "in"
    OUT = "out"


@dataclass(frozen=True)
class Attachment:
    """Metadata only; the bytes live on disk under the data directory (`stored_path`)."""

    filename: str
    content_type: str
    size: int
    stored_path: str | None = None


# The hotline keeps the client's answer to its consent question as the client's own message,
# with an external id starting so: it is the bot's text, never read by triage.
CONSENT_MARK = "consent:"


@dataclass(frozen=True)
class InboundMessage:
    """One message from a client, normalised by a channel adapter.

    `external_id` is the channel's own id of the message (Message-ID, Instagram item id,
    Telegram chat:message id) and is what makes ingesting twice store once.
    """

    channel: Channel
    external_id: str
    sender_id: str
    sender_name: str
    text: str
    received_at: datetime
    attachments: tuple[Attachment, ...] = ()
    subject: str | None = None
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    auto_generated: bool = False
    edit_of: str | None = None  # the external id of the message this one changes


def storable(msg: InboundMessage) -> InboundMessage:
    """Without NUL characters: no message means one, and PostgreSQL refuses them in text (one
    such mail stopped its mailbox). Everything else is kept as it came."""

    def clean(value: str) -> str:
        return value.replace("\x00", "")

    fields = (msg.text, msg.subject or "", msg.sender_name, msg.sender_id, msg.external_id)
    if not any("\x00" in v for v in fields) and not any(
        "\x00" in a.filename for a in msg.attachments
    ):
        return msg
    return replace(
        msg,
        text=clean(msg.text),
        subject=clean(msg.subject) if msg.subject is not None else None,
        sender_name=clean(msg.sender_name),
        sender_id=clean(msg.sender_id),
        external_id=clean(msg.external_id),
        attachments=tuple(replace(a, filename=clean(a.filename)) for a in msg.attachments),
    )


@dataclass(frozen=True)
class Actor:
    """A staff member acting through the staff UI."""

    staff_id: int
    role: Role
    name: str = ""


@dataclass(frozen=True)
class Client:
    id: int | None
    display_name: str
    created_at: datetime
    office_id: str = DEFAULT_OFFICE
    # the client's answer to the data-protection notice (triage.domain.consent): None, asked,
    # given, refused or withdrawn; and when it was last changed
    consent: str | None = None
    consent_at: datetime | None = None
    safe_contact: str | None = None  # /kontak (triage.domain.privacy.safe_contact), serialised


@dataclass(frozen=True)
class Contact:
    """A client's address on one channel; identity is (channel, external_id)."""

    id: int | None
    client_id: int
    channel: Channel
    external_id: str
    display_name: str


STEP_NAMES = (
    "received",
    "first_admin_response",
    "form_completed",
    "handed_off",
    "claimed",
    "first_counselor_response",
    "closed",
)


@dataclass(frozen=True)
class Steps:
    """Timestamps of the SOP steps (docs/service-standards.md, Timers) for the current round of a
    conversation."""

    received: datetime | None = None
    first_admin_response: datetime | None = None
    form_completed: datetime | None = None
    handed_off: datetime | None = None
    claimed: datetime | None = None
    first_counselor_response: datetime | None = None
    closed: datetime | None = None

    def as_dict(self) -> dict[str, datetime | None]:
        return {name: getattr(self, name) for name in STEP_NAMES}


@dataclass(frozen=True)
class Conversation:
    id: int | None
    client_id: int
    state: State
    opened_at: datetime
    last_message_at: datetime
    reply_contact_id: int
    steps: Steps = field(default_factory=Steps)
    outcome: Outcome | None = None
    counselor_id: int | None = None
    round: int = 1
    urgent: bool = False  # exactly when risk is "mendesak"
    category: str | None = None
    office_id: str = DEFAULT_OFFICE
    risk: str = "biasa"  # mendesak, perlu_dicek or biasa (triage.domain.rules.classify.LEVELS)
    risk_set_at: datetime | None = None  # when staff last set the risk: triage reads on from it
    category_by_staff: bool = False  # staff set the category: triage no longer changes it

    @property
    def is_open(self) -> bool:
        return self.state is not State.CLOSED


@dataclass(frozen=True)
class OpenConversation:
    """What the ingest path needs to know of a client's open conversation."""

    id: int
    state: State
    counselor_id: int | None


COUNSELING_STATES = frozenset({State.HANDED_OFF, State.WITH_COUNSELOR})


@dataclass(frozen=True)
class StoredMessage:
    """A message in a conversation's transcript, in either direction."""

    id: int | None
    conversation_id: int
    direction: Direction
    channel: Channel
    external_id: str
    text: str
    created_at: datetime
    contact_id: int | None = None
    staff_id: int | None = None
    subject: str | None = None
    attachments: tuple[Attachment, ...] = ()
    auto_generated: bool = False
    outbox_id: int | None = None
    confidential: bool = False  # counseling content: the counselor's and the head's only
    internal: bool = False  # a staff note (// line, /catatan): never sent to the client
    relayed: bool = False  # an inbound message already passed on to staff (triage.usecases.relay)
    counselor_id: int | None = None  # whose counseling an inbound confidential message is
    risk: str | None = None  # the level triage gave this client message; None: not read
    masked: bool = False  # shown to staff as a placeholder until the client consents


def owner_of(message: StoredMessage) -> int | None:
    """Whose counseling a confidential message belongs to: the counselor it was written to, or
    the staff member who wrote it. None: it came while the case waited to be claimed."""
    return message.counselor_id if message.direction is Direction.IN else message.staff_id


@dataclass(frozen=True)
class StepRecord:
    """An entry of the append-only step log: what happened to a conversation, when, by whom."""

    conversation_id: int
    step: str
    at: datetime
    round: int
    staff_id: int | None = None
    detail: str | None = None
