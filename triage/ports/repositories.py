"""The repositories: how the core reads and writes its aggregates (storage/ implements them)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Protocol

from triage.domain.appointments import Appointment
from triage.domain.erasure import LegalHold
from triage.domain.forms.dialogue import FormState
from triage.domain.intake import IncomingReferral
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
from triage.domain.programme import ProgrammeStep
from triage.domain.records import AuditEntry, SealedRecord
from triage.domain.referral import Referral
from triage.domain.reports import CaseRow
from triage.domain.schedule.roster import DutyChange
from triage.domain.schedule.sla import Deadline
from triage.domain.survey import Survey
from triage.domain.triage_checks import TriageCheck
from triage.domain.workflow import CaseFile


class ClientRepository(Protocol):
    def add(self, client: Client) -> Client: ...
    def get(self, client_id: int) -> Client | None: ...
    def lock(self, client_id: int) -> None:
        """Serialise writers of this client's conversations until the unit of work ends."""

    def delete(self, client_id: int) -> None: ...
    def set_consent(self, client_id: int, consent: str | None, at: datetime) -> None:
        """The client's answer to the data-protection notice (triage.domain.consent)."""

    def set_safe_contact(self, client_id: int, prefs: str | None) -> None:
        """/kontak's preferences, serialised (triage.domain.privacy.safe_contact)."""


class ContactRepository(Protocol):
    def find(self, channel: Channel, external_id: str) -> Contact | None: ...
    def get(self, contact_id: int) -> Contact | None: ...
    def add(self, contact: Contact) -> Contact: ...
    def for_client(self, client_id: int) -> list[Contact]: ...
    def move_client(self, from_client: int, to_client: int) -> None:
        """Every contact of one client becomes the other's."""

    def find_for_ingest(
        self, channel: Channel, external_id: str
    ) -> tuple[Contact, OpenConversation | None] | None:
        """The contact and its client's open conversation if any, in one round trip: the
        ingest's longer way, when `touch_open` found nothing. No lock: `touch` and
        `save(expect=…)` detect a race."""


class ConversationRepository(Protocol):
    def add(self, conv: Conversation) -> Conversation: ...
    def get(self, conv_id: int, *, lock: bool = False) -> Conversation | None: ...
    def save(self, conv: Conversation, *, expect: State | None = None) -> None:
        """Write the conversation; with `expect`, only if its stored state is still that one,
        else raise `Conflict` (someone changed it since it was read)."""

    def touch(self, conv_id: int, contact_id: int, at: datetime) -> OpenConversation:
        """The client wrote at `at` from `contact_id`: replies go back there; the last-message
        time only moves forward. Returns the state as of the row lock this takes (a hand-off or
        claim cannot slip in between); raises `Conflict` if the conversation is no longer open."""

    def touch_open(
        self, channel: Channel, sender_id: str, at: datetime
    ) -> tuple[int, OpenConversation] | None:
        """`touch` for the common case in one statement: the sender's contact is known and its
        client has an open conversation. Returns the contact's id and the state as of the row
        lock; None when the sender is new, nothing is open, or another transaction closed,
        merged or moved the case while this one waited for its lock (the caller looks further
        and sees what that transaction left)."""

    def try_lock(self, conv_id: int) -> Conversation | None:
        """The conversation, locked until the unit of work ends; None if another transaction
        holds it (on PostgreSQL `SKIP LOCKED`: the relay comes back to it on its next pass)."""

    def open_for_client(self, client_id: int) -> Conversation | None: ...
    def latest_for_client(self, client_id: int) -> Conversation | None: ...
    def all(self) -> list[Conversation]: ...
    def all_for_client(self, client_id: int) -> list[Conversation]: ...
    def lock_for_client(self, client_id: int) -> list[Conversation]:
        """Every conversation of the client, locked until the unit of work ends."""

    def move_client(self, from_client: int, to_client: int) -> None: ...
    def delete(self, conv_id: int) -> None: ...
    def counselor_loads(self) -> dict[int, int]:
        """Open cases per counselor (state with counselor)."""


class MessageRepository(Protocol):
    def find(self, channel: Channel, external_id: str) -> StoredMessage | None: ...
    def add(self, message: StoredMessage) -> StoredMessage: ...
    def add_new(self, message: StoredMessage) -> int | None:
        """Insert unless (channel, external_id) is stored already: the new row's id, or None
        when it was stored before."""

    def for_conversation(self, conv_id: int) -> list[StoredMessage]: ...
    def latest_inbound(self, conv_id: int) -> StoredMessage | None: ...
    def thread_conversation(self, channel: Channel, ids: list[str]) -> int | None:
        """The conversation of the first message (a client's, or ours by its remote id) that
        `ids` name: an email's In-Reply-To and References."""

    def move(self, from_conv: int, to_conv: int) -> None: ...
    def unrelayed(self, limit: int) -> list[StoredMessage]:
        """Inbound messages not yet passed on to staff, oldest first (no lock: the relay takes
        each conversation's lock, then reads that conversation's again)."""

    def unrelayed_in(self, conv_id: int) -> list[StoredMessage]: ...
    def inbound_since(self, conv_id: int, since: datetime) -> int:
        """How many client messages the conversation received at or after `since`."""

    def mark_relayed(self, ids: list[int]) -> None: ...

    def mark_assessed(self, levels: Mapping[int, str]) -> None:
        """Each client message's risk level as triage read it (message id -> level)."""

    def deliver_held(self, ids: list[int], counselor_id: int) -> None:
        """Held counseling content has now been given to `counselor_id`: it is theirs, and
        passed on."""

    def set_masked(self, ids: list[int], masked: bool) -> None:
        """Staff saw these as placeholders (True), or now see their words (False)."""


class StepLog(Protocol):
    def append(self, record: StepRecord) -> None: ...
    def for_conversation(self, conv_id: int) -> list[StepRecord]: ...
    def move(self, from_conv: int, to_conv: int) -> None: ...


class OutboxRepository(Protocol):
    def add(self, item: OutboxItem) -> OutboxItem:
        """Insert, or return the existing item with the same idempotency key."""

    def get(self, item_id: int) -> OutboxItem | None: ...
    def find_key(self, key: str) -> OutboxItem | None: ...
    def find_remote(self, target: Target, remote_id: str) -> OutboxItem | None:
        """An item by the id its channel gave it when it was sent (a later status names it)."""

    def claim_due(self, now: datetime, limit: int, lease_until: datetime,
                  targets: Collection[Target] | None = None) -> list[OutboxItem]:  # fmt: skip
        """Mark up to `limit` due items SENDING until `lease_until` and return them; items whose
        lease expired (a dispatcher died) are due again. Safe with several workers; `targets`:
        only those this worker can send now (None: all)."""

    def retry(self, item_id: int, now: datetime) -> bool:
        """A failed item due again at `now`, its tries counted afresh; False when it is not
        failed any more (tried again already) or was erased."""

    def failed(self) -> list[OutboxItem]: ...
    def for_conversation(self, conv_id: int) -> list[OutboxItem]: ...
    def move(self, from_conv: int, to_conv: int) -> None: ...
    def last_active(self, target: Target, recipient: str) -> OutboxItem | None:
        """The newest pending or sending item for one recipient."""

    def extend_pending(self, item: OutboxItem, text: str) -> bool:
        """Replace the text of `item` if nobody has touched it since it was read (still
        pending, same claim count, not interrupted, the same text): coalescing. False when
        somebody had."""

    def unsent(self) -> list[OutboxItem]:
        """Every item not sent (pending, sending or failed): what a new key must seal again."""

    def reseal(self, item: OutboxItem, text: str) -> bool:
        """Replace the text of an unsent `item` if no dispatcher claimed it since it was read."""

    def shift_waiting(self, now: datetime, step: timedelta) -> int:
        """The clock stepped back by `step`: every retry and lease later than `now` moves back
        by it (never before `now`). Returns how many rows moved."""

    def latest_written(self) -> datetime | None:
        """When the newest item was written (None: the outbox is empty)."""


class FormStore(Protocol):
    """Where each conversation's identity-form dialogue stands, and the register's counter."""

    def get(self, conv_id: int) -> FormState | None: ...
    def save(self, state: FormState) -> None: ...
    def delete(self, conv_id: int) -> None: ...
    def holder(self, register_no: str) -> int | None:
        """The conversation that has this register number, if any."""

    def next_number(self, period: str, after: int = 0) -> int:
        """The next register number of `period` (e.g. "2026-11"), 1 first, or `after` + 1
        when numbers up to `after` were given on paper; safe with several workers (a lost race
        surfaces as Conflict and is retried)."""


class DeadlineRepository(Protocol):
    """The SLA deadlines (triage.domain.schedule.sla): rows, so they survive restarts and several
    workers share them."""

    def waiting_conversations(self, after: int = 0, limit: int = 1000,
                              ) -> list[tuple[Conversation, datetime | None]]:  # fmt: skip
        """Up to `limit` open conversations in which a person wrote (not only automatic mail),
        by id from `after` on, each with when it was last released in its current round."""

    def keys_for(self, conv_ids: Collection[int]) -> set[str]:
        """The keys of every deadline stored for these conversations (any status)."""

    def add(self, deadlines: list[Deadline]) -> None: ...
    def claim_due(self, now: datetime, limit: int) -> list[tuple[int, Deadline]]:
        """Pending deadlines due by `now`, earliest first, locked until the unit of work ends;
        rows another sweeper holds are skipped (PostgreSQL `SKIP LOCKED`)."""

    def next_due(self) -> datetime | None:
        """When the earliest pending deadline falls due (the sweeper wakes then)."""

    def released_at(self, conv_id: int, round_: int) -> datetime | None: ...
    def finish(self, deadline_id: int, status: str, at: datetime) -> None:
        """Mark a deadline "fired" or "moot"."""

    def for_conversation(self, conv_id: int) -> list[tuple[str, Deadline]]:
        """(status, deadline) of one conversation, for reports and tests."""

    def shift_waiting(self, now: datetime, step: timedelta) -> int:
        """The clock stepped back by `step`: pending deadlines later than `now` move back by
        it (never before `now`). Returns how many moved."""


class RosterChanges(Protocol):
    """Day-by-day changes of the duty roster made with /jadwal."""

    def between(self, first: date, last: date) -> list[DutyChange]: ...
    def set(self, change: DutyChange, by: int, at: datetime) -> None:
        """Store the change (a later change of the same day and person replaces it)."""

    def inactive(self) -> frozenset[int]:
        """Staff the head deactivated (/nonaktif): offered, alerted and told nothing."""

    def set_active(self, staff_id: int, active: bool, by: int, at: datetime) -> None: ...


class CaseFileRepository(Protocol):
    """Complaints and psychoeducation requests (triage.domain.workflow), one per conversation."""

    def get(self, conv_id: int) -> CaseFile | None: ...
    def save(self, cf: CaseFile) -> None: ...
    def of_kind(self, kind: str) -> list[CaseFile]: ...


class ProgrammeLog(Protocol):
    """The steps of each semester's guidance programme (triage.domain.programme)."""

    def of(self, semester: str) -> list[ProgrammeStep]:
        """Oldest first."""

    def by_key(self, key: str) -> ProgrammeStep | None:
        """The step a command stored under `key` (any semester)."""

    def add(self, step: ProgrammeStep, key: str) -> bool:
        """Store the step; False when `key` was stored already (a command redelivered)."""


class RecordStore(Protocol):
    """Sealed psychological records (triage.domain.records): versions are only ever added."""

    def add(self, record: SealedRecord) -> None: ...
    def versions(self, conv_id: int) -> list[SealedRecord]:
        """Oldest first."""

    def all_sealed(self) -> list[SealedRecord]: ...
    def reseal(self, record: SealedRecord) -> None:
        """Replace a version's ciphertext (key rotation: the same content, a new key)."""

    def move(self, from_conv: int, to_conv: int) -> None:
        """A merge: the versions follow the other conversation's, in their order."""


class CaseGrants(Protocol):
    """Staff the head opened a case to (triage.domain.records.open_case)."""

    def add(self, conv_id: int, staff_id: int, by: int, at: datetime) -> None: ...
    def for_conversation(self, conv_id: int) -> list[int]: ...
    def move(self, from_conv: int, to_conv: int) -> None: ...


class AuditLog(Protocol):
    """Who read or wrote what, when: append-only (the database refuses changes)."""

    def append(self, entry: AuditEntry) -> None: ...
    def entries(self, conv_id: int | None = None) -> list[AuditEntry]: ...


class ReportSource(Protocol):
    """What the monthly report reads (triage.domain.reports), in one query however many cases."""

    def cases_received(self, start: datetime, end: datetime) -> list[CaseRow]:
        """Conversations whose current round was received in [start, end)."""

    def surveys(self, start: datetime, end: datetime) -> tuple[int, list[Survey]]:
        """How many surveys were asked in [start, end), and those answered in it."""

    def triage_checks(self, start: datetime, end: datetime) -> list[TriageCheck]:
        """Triage's first reading against staff's, as confirmed at closing in [start, end)."""


class ReferralRepository(Protocol):
    """Where a case was referred (triage.domain.referral), one per conversation round."""

    def add(self, referral: Referral) -> None: ...
    def get(self, conv_id: int, round_: int) -> Referral | None: ...
    def set_letter(self, conv_id: int, round_: int, path: str) -> None:
        """Where the sealed letter file is kept (erasure removes it with the record)."""

    def move(self, from_conv: int, to_conv: int) -> None:
        """A merge: rounds the other conversation has not got move; the rest are dropped."""

    def add_incoming(self, referral: IncomingReferral) -> None:
        """A client referred to the office by another body (triage.domain.intake)."""

    def incoming(self, conv_id: int) -> IncomingReferral | None: ...


class SurveyRepository(Protocol):
    """The satisfaction survey of each closed round (triage.domain.survey)."""

    def add(self, survey: Survey) -> None: ...
    def get(self, conv_id: int, round_: int) -> Survey | None: ...
    def save(self, survey: Survey) -> None: ...
    def move(self, from_conv: int, to_conv: int) -> None:
        """A merge: as ReferralRepository.move."""


class AppointmentRepository(Protocol):
    """Sessions agreed with clients (triage.domain.appointments)."""

    def add(self, appointment: Appointment) -> Appointment: ...
    def get(self, appointment_id: int) -> Appointment | None: ...
    def for_conversation(self, conv_id: int) -> list[Appointment]:
        """Earliest first."""

    def between(self, start: datetime, end: datetime) -> list[Appointment]:
        """Every appointment beginning in [start, end), earliest first (the week's sessions)."""

    def set_status(self, appointment_id: int, status: str) -> None: ...
    def move(self, from_conv: int, to_conv: int) -> None:
        """A merge: the other conversation's appointments become the kept one's."""


class Erasure(Protocol):
    """Blanking personal content (triage.domain.erasure); what each kind covers is in its KINDS."""

    def closed_before(self, kind: str, cutoff: datetime, limit: int) -> list[int]:
        """Conversations closed before `cutoff` (and not open again) whose `kind` was not
        erased since they last closed, oldest first."""

    def erase(self, conv_id: int, kinds: Sequence[str], now: datetime) -> list[str]:
        """Blank those kinds of one conversation (again, if erased before: whatever came
        since goes too) and mark them erased at `now`; returns the stored files and folders
        they held, for the caller to remove."""

    def mark(self, conv_id: int, kind: str, now: datetime) -> None: ...
    def erased_at(self, conv_id: int, kind: str) -> datetime | None: ...
    def hold(self, hold: LegalHold) -> None:
        """Place (or replace) a legal hold: `closed_before` leaves the case out, and the
        client's identity too while any of their cases is held."""

    def lift(self, conv_id: int) -> None: ...
    def hold_of(self, conv_id: int) -> LegalHold | None: ...
    def held_for_client(self, client_id: int) -> list[int]:
        """The client's conversations on legal hold."""

    def erase_client(self, client_id: int) -> list[str]:
        """The client's name and every contact's address and name become placeholders; what
        they sent that was set aside goes too. Returns the stored files to remove."""


class CursorStore(Protocol):
    """A channel's durable position (IMAP UID, Instagram item id, Telegram update offset)."""

    def get(self, key: str) -> str | None: ...
    def set(self, key: str, value: str) -> None: ...
