"""One in-memory fake per port of the core (triage.ports), in one place.

`FakeDatabase` holds committed state; a `FakeUnitOfWork` works on a copy and writes it back on
commit, so a use case that fails half-way leaves nothing behind, as with the real database.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Self

from triage.domain.appointments import CANCELLED, SCHEDULED, Appointment
from triage.domain.erasure import KEPT_ANSWERS, LegalHold
from triage.domain.errors import Conflict
from triage.domain.forms.dialogue import FormState
from triage.domain.intake import IncomingReferral
from triage.domain.model import (
    DEFAULT_OFFICE,
    Channel,
    Client,
    Contact,
    Conversation,
    Direction,
    OpenConversation,
    State,
    StepRecord,
    StoredMessage,
)
from triage.domain.outbox import OutboxItem, OutboxStatus, Target
from triage.domain.programme import ProgrammeStep
from triage.domain.records import AuditEntry, SealedRecord
from triage.domain.referral import Referral
from triage.domain.reports import CaseRow, rounds_received
from triage.domain.schedule.roster import DutyChange
from triage.domain.schedule.sla import Deadline
from triage.domain.survey import Survey
from triage.domain.triage_checks import CONFIRMED, TriageCheck, parse
from triage.domain.workflow import CaseFile
from triage.ports import SendResult


@dataclass
class FakeDatabase:
    clients: dict[int, Client] = field(default_factory=dict)
    contacts: dict[int, Contact] = field(default_factory=dict)
    conversations: dict[int, Conversation] = field(default_factory=dict)
    messages: dict[int, StoredMessage] = field(default_factory=dict)
    steps: list[StepRecord] = field(default_factory=list)
    outbox: dict[int, OutboxItem] = field(default_factory=dict)
    cursors: dict[str, str] = field(default_factory=dict)
    forms: dict[int, FormState] = field(default_factory=dict)
    counters: dict[str, int] = field(default_factory=dict)
    deadlines: dict[int, tuple[str, Deadline]] = field(default_factory=dict)
    duty: dict[tuple[date, int], DutyChange] = field(default_factory=dict)
    casefiles: dict[int, CaseFile] = field(default_factory=dict)
    programme: dict[str, ProgrammeStep] = field(default_factory=dict)  # by key
    records: dict[tuple[int, int], SealedRecord] = field(default_factory=dict)
    audit: list[AuditEntry] = field(default_factory=list)
    grants: dict[tuple[int, int], int] = field(default_factory=dict)
    referrals: dict[tuple[int, int], Referral] = field(default_factory=dict)
    letters: dict[tuple[int, int], str] = field(default_factory=dict)
    incoming: dict[int, IncomingReferral] = field(default_factory=dict)  # referrals received
    appointments: dict[int, Appointment] = field(default_factory=dict)
    surveys: dict[tuple[int, int], Survey] = field(default_factory=dict)
    erased: dict[tuple[int, str], datetime] = field(default_factory=dict)
    holds: dict[int, LegalHold] = field(default_factory=dict)
    staff_active: dict[int, bool] = field(default_factory=dict)
    ids: itertools.count = field(default_factory=lambda: itertools.count(1))


class _Repo:
    def __init__(self, db: FakeDatabase) -> None:
        self.db = db

    def _id(self) -> int:
        return next(self.db.ids)


class FakeClients(_Repo):
    def add(self, client: Client) -> Client:
        client = replace(client, id=self._id())
        self.db.clients[client.id] = client  # type: ignore[index]
        return client

    def get(self, client_id: int) -> Client | None:
        return self.db.clients.get(client_id)

    def lock(self, client_id: int) -> None:
        pass

    def delete(self, client_id: int) -> None:
        del self.db.clients[client_id]

    def set_consent(self, client_id: int, consent: str | None, at: datetime) -> None:
        client = self.db.clients[client_id]
        self.db.clients[client_id] = replace(client, consent=consent, consent_at=at)

    def set_safe_contact(self, client_id: int, prefs: str | None) -> None:
        self.db.clients[client_id] = replace(self.db.clients[client_id], safe_contact=prefs)


class FakeContacts(_Repo):
    def find(self, channel: Channel, external_id: str) -> Contact | None:
        return next(
            (
                c
                for c in self.db.contacts.values()
                if c.channel == channel and c.external_id == external_id
            ),
            None,
        )

    def get(self, contact_id: int) -> Contact | None:
        return self.db.contacts.get(contact_id)

    def add(self, contact: Contact) -> Contact:
        if self.find(contact.channel, contact.external_id):
            raise Conflict("contact exists")
        contact = replace(contact, id=self._id())
        self.db.contacts[contact.id] = contact  # type: ignore[index]
        return contact

    def for_client(self, client_id: int) -> list[Contact]:
        return [c for c in self.db.contacts.values() if c.client_id == client_id]

    def move_client(self, from_client: int, to_client: int) -> None:
        for cid, contact in list(self.db.contacts.items()):
            if contact.client_id == from_client:
                self.db.contacts[cid] = replace(contact, client_id=to_client)

    def find_for_ingest(
        self, channel: Channel, external_id: str
    ) -> tuple[Contact, OpenConversation | None] | None:
        contact = self.find(channel, external_id)
        if contact is None:
            return None
        open_convs = [
            OpenConversation(c.id, c.state, c.counselor_id)  # type: ignore[arg-type]
            for c in self.db.conversations.values()
            if c.client_id == contact.client_id and c.is_open
        ]
        return contact, (open_convs[0] if open_convs else None)


class FakeConversations(_Repo):
    def add(self, conv: Conversation) -> Conversation:
        if conv.is_open and self.open_for_client(conv.client_id):
            raise Conflict("open conversation exists")
        conv = replace(conv, id=self._id())
        self.db.conversations[conv.id] = conv  # type: ignore[index]
        return conv

    def get(self, conv_id: int, *, lock: bool = False) -> Conversation | None:
        return self.db.conversations.get(conv_id)

    def save(self, conv: Conversation, *, expect: State | None = None) -> None:
        assert conv.id in self.db.conversations
        if expect is not None and self.db.conversations[conv.id].state is not expect:
            raise Conflict(f"conversation {conv.id} is no longer {expect.value}")
        self.db.conversations[conv.id] = conv

    def touch(self, conv_id: int, contact_id: int, at: datetime) -> OpenConversation:
        conv = self.db.conversations[conv_id]
        if not conv.is_open:
            raise Conflict(f"conversation {conv_id} closed meanwhile")
        self.db.conversations[conv_id] = replace(
            conv, reply_contact_id=contact_id, last_message_at=max(conv.last_message_at, at)
        )
        return OpenConversation(conv_id, conv.state, conv.counselor_id)

    def touch_open(
        self, channel: Channel, sender_id: str, at: datetime
    ) -> tuple[int, OpenConversation] | None:
        contact = next(
            (
                c
                for c in self.db.contacts.values()
                if c.channel is channel and c.external_id == sender_id
            ),
            None,
        )
        if contact is None or contact.id is None:
            return None
        conv = self.open_for_client(contact.client_id)
        if conv is None or conv.id is None:
            return None
        return contact.id, self.touch(conv.id, contact.id, at)

    def try_lock(self, conv_id: int) -> Conversation | None:
        return self.db.conversations.get(conv_id)

    def open_for_client(self, client_id: int) -> Conversation | None:
        return next((c for c in self.all_for_client(client_id) if c.is_open), None)

    def latest_for_client(self, client_id: int) -> Conversation | None:
        mine = self.all_for_client(client_id)
        return max(mine, key=lambda c: (c.last_message_at, c.id or 0)) if mine else None

    def all(self) -> list[Conversation]:
        return list(self.db.conversations.values())

    def lock_for_client(self, client_id: int) -> list[Conversation]:
        return sorted(self.all_for_client(client_id), key=lambda c: c.id or 0)

    def move_client(self, from_client: int, to_client: int) -> None:
        for conv in self.all_for_client(from_client):
            self.db.conversations[conv.id] = replace(conv, client_id=to_client)  # type: ignore[index]

    def all_for_client(self, client_id: int) -> list[Conversation]:
        return [c for c in self.db.conversations.values() if c.client_id == client_id]

    def delete(self, conv_id: int) -> None:
        if conv_id in self.db.holds:  # as the legal_hold table's foreign key refuses it
            raise Conflict(f"conversation {conv_id} is on legal hold")
        del self.db.conversations[conv_id]
        self.db.casefiles.pop(conv_id, None)
        self.db.erased = {k: v for k, v in self.db.erased.items() if k[0] != conv_id}
        self.db.deadlines = {
            k: v for k, v in self.db.deadlines.items() if v[1].conversation_id != conv_id
        }

    def counselor_loads(self) -> dict[int, int]:
        loads: dict[int, int] = {}
        for c in self.db.conversations.values():
            if c.state is State.WITH_COUNSELOR and c.counselor_id is not None:
                loads[c.counselor_id] = loads.get(c.counselor_id, 0) + 1
        return loads


class FakeMessages(_Repo):
    def find(self, channel: Channel, external_id: str) -> StoredMessage | None:
        return next(
            (
                m
                for m in self.db.messages.values()
                if m.channel == channel and m.external_id == external_id
            ),
            None,
        )

    def add(self, message: StoredMessage) -> StoredMessage:
        if self.find(message.channel, message.external_id):
            raise Conflict("message exists")
        message = replace(message, id=self._id())
        self.db.messages[message.id] = message  # type: ignore[index]
        return message

    def add_new(self, message: StoredMessage) -> int | None:
        if self.find(message.channel, message.external_id):
            return None
        return self.add(message).id

    def thread_conversation(self, channel: Channel, ids: list[str]) -> int | None:
        for m in self.db.messages.values():
            if m.channel == channel and m.external_id in ids:
                return m.conversation_id
        for item in self.db.outbox.values():
            if item.remote_id and item.remote_id in ids and item.conversation_id is not None:
                return item.conversation_id
        return None

    def for_conversation(self, conv_id: int) -> list[StoredMessage]:
        mine = [m for m in self.db.messages.values() if m.conversation_id == conv_id]
        return sorted(mine, key=lambda m: (m.created_at, m.id or 0))

    def latest_inbound(self, conv_id: int) -> StoredMessage | None:
        inbound = [m for m in self.for_conversation(conv_id) if m.direction is Direction.IN]
        return inbound[-1] if inbound else None

    def move(self, from_conv: int, to_conv: int) -> None:
        for mid, m in list(self.db.messages.items()):
            if m.conversation_id == from_conv:
                self.db.messages[mid] = replace(m, conversation_id=to_conv)

    def unrelayed(self, limit: int) -> list[StoredMessage]:
        waiting = [
            m for m in self.db.messages.values() if not m.relayed and m.direction is Direction.IN
        ]
        return sorted(waiting, key=lambda m: m.id or 0)[:limit]

    def unrelayed_in(self, conv_id: int) -> list[StoredMessage]:
        return [m for m in self.unrelayed(10**9) if m.conversation_id == conv_id]

    def inbound_since(self, conv_id: int, since: datetime) -> int:
        mine = [m for m in self.db.messages.values() if m.conversation_id == conv_id]
        return sum(1 for m in mine if m.direction is Direction.IN and m.created_at >= since)

    def mark_relayed(self, ids: list[int]) -> None:
        for mid in ids:
            self.db.messages[mid] = replace(self.db.messages[mid], relayed=True)

    def mark_assessed(self, levels: dict[int, str]) -> None:
        for mid, level in levels.items():
            self.db.messages[mid] = replace(self.db.messages[mid], risk=level)

    def deliver_held(self, ids: list[int], counselor_id: int) -> None:
        for mid in ids:
            self.db.messages[mid] = replace(
                self.db.messages[mid], relayed=True, counselor_id=counselor_id
            )

    def set_masked(self, ids: list[int], masked: bool) -> None:
        for mid in ids:
            self.db.messages[mid] = replace(self.db.messages[mid], masked=masked)


class FakeStepLog(_Repo):
    def append(self, record: StepRecord) -> None:
        self.db.steps.append(record)

    def for_conversation(self, conv_id: int) -> list[StepRecord]:
        return [s for s in self.db.steps if s.conversation_id == conv_id]

    def move(self, from_conv: int, to_conv: int) -> None:
        self.db.steps[:] = [
            replace(s, conversation_id=to_conv) if s.conversation_id == from_conv else s
            for s in self.db.steps
        ]


ACTIVE = (OutboxStatus.PENDING, OutboxStatus.SENDING)


class FakeOutbox(_Repo):
    def add(self, item: OutboxItem) -> OutboxItem:
        existing = self.find_key(item.idempotency_key)
        if existing:
            return existing
        item = replace(item, id=self._id())
        self.db.outbox[item.id] = item  # type: ignore[index]
        return item

    def get(self, item_id: int) -> OutboxItem | None:
        return self.db.outbox.get(item_id)

    def find_key(self, key: str) -> OutboxItem | None:
        return next((o for o in self.db.outbox.values() if o.idempotency_key == key), None)

    def find_remote(self, target: Target, remote_id: str) -> OutboxItem | None:
        return next(
            (o for o in self.db.outbox.values() if o.target is target and o.remote_id == remote_id),
            None,
        )

    def claim_due(
        self,
        now: datetime,
        limit: int,
        lease_until: datetime,
        targets: Collection[Target] | None = None,
    ) -> list[OutboxItem]:
        def kept(o: OutboxItem) -> bool:  # for a client's safe hours
            return o.not_before is not None and o.not_before > now

        def due(o: OutboxItem) -> bool:
            if kept(o):
                return False
            if o.status is OutboxStatus.PENDING:
                return o.next_attempt_at <= now
            return (
                o.status is OutboxStatus.SENDING
                and o.lease_until is not None
                and (o.lease_until <= now)
            )

        def blocked(o: OutboxItem) -> bool:
            return any(
                e.target == o.target
                and e.recipient == o.recipient
                and (e.id or 0) < (o.id or 0)
                and e.status in ACTIVE
                and not kept(e)
                for e in self.db.outbox.values()
            )

        picked = sorted(
            (
                o
                for o in self.db.outbox.values()
                if due(o) and not blocked(o) and (targets is None or o.target in targets)
            ),
            key=lambda o: (-o.priority, -o.claims, o.id or 0),  # as storage/repositories/outbox.py
        )[:limit]
        claimed = []
        for o in picked:
            expired = o.status is OutboxStatus.SENDING  # its lease ran out: a failed attempt
            o = replace(
                o,
                status=OutboxStatus.SENDING,
                lease_until=lease_until,
                claims=o.claims + 1,
                interrupted=expired,
                attempts=o.attempts + (1 if expired else 0),
            )
            self.db.outbox[o.id] = o  # type: ignore[index]
            claimed.append(o)
        return claimed

    def record(self, item: OutboxItem) -> bool:
        if self.db.outbox[item.id].claims != item.claims:  # type: ignore[index]
            return False
        self.db.outbox[item.id] = item  # type: ignore[index]
        return True

    def failed(self) -> list[OutboxItem]:
        return [o for o in self.db.outbox.values() if o.status is OutboxStatus.FAILED]

    def for_conversation(self, conv_id: int) -> list[OutboxItem]:
        return [o for o in self.db.outbox.values() if o.conversation_id == conv_id]

    def move(self, from_conv: int, to_conv: int) -> None:
        for oid, o in list(self.db.outbox.items()):
            if o.conversation_id == from_conv:
                self.db.outbox[oid] = replace(o, conversation_id=to_conv)

    def last_active(self, target: Target, recipient: str) -> OutboxItem | None:
        mine = [
            o
            for o in self.db.outbox.values()
            if o.target == target and o.recipient == recipient and o.status in ACTIVE
        ]
        return max(mine, key=lambda o: o.id or 0) if mine else None

    def retry(self, item_id: int, now: datetime) -> bool:
        stored = self.db.outbox.get(item_id)
        if stored is None or stored.status is not OutboxStatus.FAILED:
            return False
        if stored.recipient == "erased":
            return False
        self.db.outbox[item_id] = replace(
            stored, status=OutboxStatus.PENDING, attempts=0, interrupted=False, last_error=None,
            created_at=now, next_attempt_at=now,
        )  # fmt: skip
        return True

    def unsent(self) -> list[OutboxItem]:
        return [o for o in self.db.outbox.values() if o.status is not OutboxStatus.SENT]

    def reseal(self, item: OutboxItem, text: str) -> bool:
        stored = self.db.outbox.get(item.id)  # type: ignore[arg-type]
        if stored is None or stored.status is OutboxStatus.SENT or stored.claims != item.claims:
            return False
        self.db.outbox[item.id] = replace(stored, text=text)  # type: ignore[index]
        return True

    def extend_pending(self, item: OutboxItem, text: str) -> bool:
        now = self.db.outbox.get(item.id)  # type: ignore[arg-type]
        if (
            now is None
            or now.status is not OutboxStatus.PENDING
            or now.claims != item.claims
            or now.interrupted
            or now.text != item.text
        ):
            return False
        self.db.outbox[item.id] = replace(now, text=text)  # type: ignore[index]
        return True

    def shift_waiting(self, now: datetime, step: timedelta) -> int:
        moved = 0
        for oid, o in list(self.db.outbox.items()):
            if o.status is OutboxStatus.PENDING and o.next_attempt_at > now:
                self.db.outbox[oid] = replace(o, next_attempt_at=max(now, o.next_attempt_at - step))
            elif o.status is OutboxStatus.SENDING and o.lease_until and o.lease_until > now:
                self.db.outbox[oid] = replace(o, lease_until=max(now, o.lease_until - step))
            else:
                continue
            moved += 1
        return moved

    def latest_written(self) -> datetime | None:
        return max((o.created_at for o in self.db.outbox.values()), default=None)


class FakeCursors(_Repo):
    def get(self, key: str) -> str | None:
        return self.db.cursors.get(key)

    def set(self, key: str, value: str) -> None:
        self.db.cursors[key] = value


class FakeForms(_Repo):
    def get(self, conv_id: int) -> FormState | None:
        return self.db.forms.get(conv_id)

    def save(self, state: FormState) -> None:
        self.db.forms[state.conversation_id] = state

    def delete(self, conv_id: int) -> None:
        self.db.forms.pop(conv_id, None)

    def holder(self, register_no: str) -> int | None:
        return next((c for c, f in self.db.forms.items() if f.register_no == register_no), None)

    def next_number(self, period: str, after: int = 0) -> int:
        self.db.counters[period] = max(self.db.counters.get(period, 0), after) + 1
        return self.db.counters[period]


class FakeDeadlines(_Repo):
    """deadlines: id -> (status, Deadline)"""

    def _released(self, conv: Conversation) -> datetime | None:
        times = [
            s.at
            for s in self.db.steps
            if s.conversation_id == conv.id and s.round == conv.round and s.step == "released"
        ]
        return max(times) if times else None

    def waiting_conversations(
        self, after: int = 0, limit: int = 1000
    ) -> list[tuple[Conversation, datetime | None]]:
        wrote = {
            m.conversation_id
            for m in self.db.messages.values()
            if m.direction is Direction.IN and not m.auto_generated
        }
        found = sorted(
            (c for c in self.db.conversations.values()
             if c.is_open and c.id in wrote and (c.id or 0) > after),
            key=lambda c: c.id or 0,
        )  # fmt: skip
        return [(c, self._released(c)) for c in found[:limit]]

    def keys_for(self, conv_ids: Collection[int]) -> set[str]:
        wanted = set(conv_ids)
        return {d.key for _, d in self.db.deadlines.values() if d.conversation_id in wanted}

    def add(self, deadlines: list[Deadline]) -> None:
        taken = {d.key for _, d in self.db.deadlines.values()}
        for d in deadlines:
            if d.key in taken:
                raise Conflict("deadline key exists")
            self.db.deadlines[self._id()] = ("pending", d)

    def next_due(self) -> datetime | None:
        pending = [d.due_at for status, d in self.db.deadlines.values() if status == "pending"]
        return min(pending, default=None)

    def claim_due(self, now: datetime, limit: int) -> list[tuple[int, Deadline]]:
        due = sorted(
            (
                (i, d)
                for i, (status, d) in self.db.deadlines.items()
                if status == "pending" and d.due_at <= now
            ),
            key=lambda pair: (pair[1].due_at, pair[0]),
        )
        return due[:limit]

    def released_at(self, conv_id: int, round_: int) -> datetime | None:
        conv = self.db.conversations.get(conv_id)
        return self._released(conv) if conv is not None and conv.round == round_ else None

    def finish(self, deadline_id: int, status: str, at: datetime) -> None:
        self.db.deadlines[deadline_id] = (status, self.db.deadlines[deadline_id][1])

    def for_conversation(self, conv_id: int) -> list[tuple[str, Deadline]]:
        mine = [(s, d) for s, d in self.db.deadlines.values() if d.conversation_id == conv_id]
        return sorted(mine, key=lambda pair: pair[1].due_at)

    def shift_waiting(self, now: datetime, step: timedelta) -> int:
        moved = 0
        for i, (status, d) in list(self.db.deadlines.items()):
            if status == "pending" and d.due_at > now:
                self.db.deadlines[i] = (status, replace(d, due_at=max(now, d.due_at - step)))
                moved += 1
        return moved


class FakeRosterChanges(_Repo):
    def between(self, first: date, last: date) -> list[DutyChange]:
        return [c for (day, _), c in sorted(self.db.duty.items()) if first <= day <= last]

    def set(self, change: DutyChange, by: int, at: datetime) -> None:
        self.db.duty[(change.day, change.staff_id)] = change

    def inactive(self) -> frozenset[int]:
        return frozenset(s for s, active in self.db.staff_active.items() if not active)

    def set_active(self, staff_id: int, active: bool, by: int, at: datetime) -> None:
        self.db.staff_active[staff_id] = active


class FakeCaseFiles(_Repo):
    def get(self, conv_id: int) -> CaseFile | None:
        return self.db.casefiles.get(conv_id)

    def save(self, cf: CaseFile) -> None:
        self.db.casefiles[cf.conversation_id] = cf

    def of_kind(self, kind: str) -> list[CaseFile]:
        mine = [c for c in self.db.casefiles.values() if c.kind == kind]
        return sorted(mine, key=lambda c: c.due_at)


class FakeProgramme(_Repo):
    def of(self, semester: str) -> list[ProgrammeStep]:
        mine = [s for s in self.db.programme.values() if s.semester == semester]
        return sorted(mine, key=lambda s: s.at)  # stable: ties keep the order of writing

    def by_key(self, key: str) -> ProgrammeStep | None:
        return self.db.programme.get(key)

    def add(self, step: ProgrammeStep, key: str) -> bool:
        if key in self.db.programme:
            return False
        self.db.programme[key] = step
        return True


class FakeRecords(_Repo):
    def add(self, record: SealedRecord) -> None:
        key = (record.conversation_id, record.version)
        if key in self.db.records:
            raise Conflict("version exists")
        self.db.records[key] = record

    def versions(self, conv_id: int) -> list[SealedRecord]:
        return [r for (c, _), r in sorted(self.db.records.items()) if c == conv_id]

    def all_sealed(self) -> list[SealedRecord]:
        return [r for _, r in sorted(self.db.records.items())]

    def reseal(self, record: SealedRecord) -> None:
        self.db.records[(record.conversation_id, record.version)] = record

    def move(self, from_conv: int, to_conv: int) -> None:
        last = max([v for (c, v) in self.db.records if c == to_conv], default=0)
        for conv, version in [k for k in self.db.records if k[0] == from_conv]:
            record = self.db.records.pop((conv, version))
            moved = replace(record, conversation_id=to_conv, version=version + last)
            self.db.records[(to_conv, version + last)] = moved


class FakeAudit(_Repo):
    def append(self, entry: AuditEntry) -> None:
        self.db.audit.append(entry)

    def entries(self, conv_id: int | None = None) -> list[AuditEntry]:
        return [e for e in self.db.audit if conv_id is None or e.conversation_id == conv_id]


class FakeGrants(_Repo):
    def add(self, conv_id: int, staff_id: int, by: int, at: datetime) -> None:
        if (conv_id, staff_id) in self.db.grants:
            raise Conflict("granted already")
        self.db.grants[(conv_id, staff_id)] = by

    def for_conversation(self, conv_id: int) -> list[int]:
        return [s for (c, s) in self.db.grants if c == conv_id]

    def move(self, from_conv: int, to_conv: int) -> None:
        for conv, staff in [k for k in self.db.grants if k[0] == from_conv]:
            by = self.db.grants.pop((conv, staff))
            self.db.grants.setdefault((to_conv, staff), by)


class FakeReports(_Repo):
    def cases_received(self, start: datetime, end: datetime) -> list[CaseRow]:
        out = []
        for c in self.db.conversations.values():
            log = [r for r in self.db.steps if r.conversation_id == c.id]
            if not any(r.step == "received" and start <= r.at < end for r in log):
                continue
            contact = self.db.contacts[c.reply_contact_id]
            form = self.db.forms.get(c.id)  # type: ignore[arg-type]
            targets = {k[1]: ref.target for k, ref in self.db.referrals.items() if k[0] == c.id}
            current = CaseRow(
                c.id,  # type: ignore[arg-type]
                c.round,
                c.steps.received or c.opened_at,
                contact.channel.value,
                c.category,
                c.urgent,
                c.state.value,
                c.outcome.value if c.outcome else None,
                c.counselor_id,
                c.steps,
                dict(form.answers) if form else {},
                form.register_no if form else None,
                self.db.clients[c.client_id].display_name,
                targets.get(c.round),
            )
            out += rounds_received(current, log, targets, start, end)
        return out

    def surveys(self, start: datetime, end: datetime) -> tuple[int, list[Survey]]:
        kept = self.db.surveys.values()
        asked = sum(1 for s in kept if start <= s.asked_at < end)
        return asked, [s for s in kept if s.answered_at and start <= s.answered_at < end]

    def triage_checks(self, start: datetime, end: datetime) -> list[TriageCheck]:
        found = (
            parse(s.detail) for s in self.db.steps if s.step == CONFIRMED and start <= s.at < end
        )
        return [c for c in found if c is not None]


class FakeReferrals(_Repo):
    def add(self, referral: Referral) -> None:
        self.db.referrals[(referral.conversation_id, referral.round)] = referral

    def get(self, conv_id: int, round_: int) -> Referral | None:
        return self.db.referrals.get((conv_id, round_))

    def set_letter(self, conv_id: int, round_: int, path: str) -> None:
        self.db.letters[(conv_id, round_)] = path

    def move(self, from_conv: int, to_conv: int) -> None:
        _move_rounds(self.db.referrals, from_conv, to_conv)
        _move_rounds(self.db.letters, from_conv, to_conv)
        moved = self.db.incoming.pop(from_conv, None)
        if moved is not None and to_conv not in self.db.incoming:
            self.db.incoming[to_conv] = replace(moved, conversation_id=to_conv)

    def add_incoming(self, referral: IncomingReferral) -> None:
        self.db.incoming[referral.conversation_id] = referral

    def incoming(self, conv_id: int) -> IncomingReferral | None:
        return self.db.incoming.get(conv_id)


class FakeSurveys(_Repo):
    def add(self, survey: Survey) -> None:
        self.db.surveys[(survey.conversation_id, survey.round)] = survey

    def get(self, conv_id: int, round_: int) -> Survey | None:
        return self.db.surveys.get((conv_id, round_))

    def save(self, survey: Survey) -> None:
        self.db.surveys[(survey.conversation_id, survey.round)] = survey

    def move(self, from_conv: int, to_conv: int) -> None:
        _move_rounds(self.db.surveys, from_conv, to_conv)


class FakeAppointments(_Repo):
    def add(self, appointment: Appointment) -> Appointment:
        made = replace(appointment, id=next(self.db.ids))
        self.db.appointments[made.id] = made  # type: ignore[index]
        return made

    def get(self, appointment_id: int) -> Appointment | None:
        return self.db.appointments.get(appointment_id)

    def for_conversation(self, conv_id: int) -> list[Appointment]:
        mine = [a for a in self.db.appointments.values() if a.conversation_id == conv_id]
        return sorted(mine, key=lambda a: (a.at, a.id))

    def between(self, start: datetime, end: datetime) -> list[Appointment]:
        found = [a for a in self.db.appointments.values() if start <= a.at < end]
        return sorted(found, key=lambda a: (a.at, a.id))

    def set_status(self, appointment_id: int, status: str) -> None:
        self.db.appointments[appointment_id] = replace(
            self.db.appointments[appointment_id], status=status
        )

    def move(self, from_conv: int, to_conv: int) -> None:
        for a in self.for_conversation(from_conv):
            self.db.appointments[a.id] = replace(a, conversation_id=to_conv)  # type: ignore[index]


def _move_rounds(rows: dict, from_conv: int, to_conv: int) -> None:
    for conv, round_ in [k for k in rows if k[0] == from_conv]:
        row = rows.pop((conv, round_))
        if (to_conv, round_) not in rows:
            moved = replace(row, conversation_id=to_conv) if hasattr(row, "round") else row
            rows[(to_conv, round_)] = moved


class FakeErasure(_Repo):
    """The same blanking as storage.repositories.erasure, in memory."""

    def closed_before(self, kind: str, cutoff: datetime, limit: int) -> list[int]:
        due = [
            c for c in self.db.conversations.values()
            if c.state is State.CLOSED and c.steps.closed and c.steps.closed < cutoff
            and not ((at := self.db.erased.get((c.id, kind))) and at >= c.steps.closed)
            and c.id not in self.db.holds
            and not (kind == "identity" and self.held_for_client(c.client_id))
        ]  # fmt: skip
        return [c.id for c in sorted(due, key=lambda c: (c.steps.closed, c.id))][:limit]  # type: ignore[misc]

    def mark(self, conv_id: int, kind: str, now: datetime) -> None:
        self.db.erased[(conv_id, kind)] = now

    def erased_at(self, conv_id: int, kind: str) -> datetime | None:
        return self.db.erased.get((conv_id, kind))

    def hold(self, hold: LegalHold) -> None:
        self.db.holds[hold.conversation_id] = hold

    def lift(self, conv_id: int) -> None:
        self.db.holds.pop(conv_id, None)

    def hold_of(self, conv_id: int) -> LegalHold | None:
        return self.db.holds.get(conv_id)

    def held_for_client(self, client_id: int) -> list[int]:
        mine = {c.id for c in self.db.conversations.values() if c.client_id == client_id}
        return sorted(c for c in self.db.holds if c in mine)

    def erase(self, conv_id: int, kinds, now: datetime) -> list[str]:  # noqa: ANN001
        db, paths = self.db, []
        for kind in kinds:
            mine = [m for m in db.messages.values() if m.conversation_id == conv_id]
            if kind == "messages":
                for m in mine:
                    db.messages[m.id] = replace(m, text="", subject=None,  # type: ignore[index]
                                                external_id=f"erased:{m.id}")  # fmt: skip
                for item in [o for o in db.outbox.values() if o.conversation_id == conv_id]:
                    status = item.status
                    if status in (OutboxStatus.PENDING, OutboxStatus.SENDING):
                        status = OutboxStatus.FAILED
                    error = "erased" if status is not item.status else item.last_error
                    db.outbox[item.id] = replace(  # type: ignore[index]
                        item, text="", recipient="erased", options={}, status=status,
                        claims=item.claims + 1, lease_until=None, last_error=error,
                    )  # fmt: skip
                for key, survey in list(db.surveys.items()):
                    if key[0] == conv_id:
                        db.surveys[key] = replace(survey, comment="")
                for key, ref in list(db.referrals.items()):
                    if key[0] == conv_id:
                        db.referrals[key] = replace(ref, reason="")
                for key, session in list(db.appointments.items()):
                    if session.conversation_id == conv_id:
                        off = CANCELLED if session.status == SCHEDULED else session.status
                        db.appointments[key] = replace(session, place="", status=off)
            elif kind == "attachments":
                for m in mine:
                    paths += [a.stored_path for a in m.attachments if a.stored_path]
                    db.messages[m.id] = replace(m, attachments=())  # type: ignore[index]
            elif kind == "forms":
                if (form := db.forms.get(conv_id)) is not None:
                    kept = {k: v for k, v in form.answers.items() if k in KEPT_ANSWERS}
                    db.forms[conv_id] = replace(form, answers=kept)
            elif kind == "case_files":
                if (cf := db.casefiles.get(conv_id)) is not None:
                    db.casefiles[conv_id] = replace(cf, facts={}, data={})
            elif kind == "records":
                for key in [k for k in db.records if k[0] == conv_id]:
                    del db.records[key]
                for key in [k for k in db.letters if k[0] == conv_id]:
                    paths.append(db.letters.pop(key))
                if (referred := db.incoming.get(conv_id)) is not None:
                    db.incoming[conv_id] = replace(referred, letter_number="", letter_date=None)
            elif kind == "identity":
                paths += self.erase_client(db.conversations[conv_id].client_id)
            else:
                raise ValueError(f"unknown kind of data {kind!r}")
            db.erased[(conv_id, kind)] = now
        return paths

    def erase_client(self, client_id: int) -> list[str]:
        db = self.db
        db.clients[client_id] = replace(db.clients[client_id], display_name="(dihapus)")
        for contact in [c for c in db.contacts.values() if c.client_id == client_id]:
            db.contacts[contact.id] = replace(  # type: ignore[index]
                contact, external_id=f"erased:{contact.id}", display_name="(dihapus)"
            )
        return []  # the fakes keep no dead letters


# the tables a unit of work copies on entry and writes back on commit (steps: a list)
COPIED = (
    "clients",
    "contacts",
    "conversations",
    "messages",
    "outbox",
    "cursors",
    "forms",
    "counters",
    "deadlines",
    "duty",
    "casefiles",
    "programme",
    "records",
    "grants",
    "referrals",
    "letters",
    "incoming",
    "appointments",
    "surveys",
    "erased",
)


class FakeUnitOfWork:
    def __init__(self, db: FakeDatabase, office_id: str = DEFAULT_OFFICE) -> None:
        self.committed_db = db
        self.office_id = office_id
        self.commits = 0

    def __enter__(self) -> Self:
        self.work = copy.copy(self.committed_db)
        for name in COPIED:
            setattr(self.work, name, dict(getattr(self.committed_db, name)))
        self.work.steps = list(self.committed_db.steps)
        self.work.audit = list(self.committed_db.audit)
        self.clients = FakeClients(self.work)
        self.contacts = FakeContacts(self.work)
        self.conversations = FakeConversations(self.work)
        self.messages = FakeMessages(self.work)
        self.steps = FakeStepLog(self.work)
        self.outbox = FakeOutbox(self.work)
        self.cursors = FakeCursors(self.work)
        self.forms = FakeForms(self.work)
        self.deadlines = FakeDeadlines(self.work)
        self.roster = FakeRosterChanges(self.work)
        self.casefiles = FakeCaseFiles(self.work)
        self.programme = FakeProgramme(self.work)
        self.records = FakeRecords(self.work)
        self.audit = FakeAudit(self.work)
        self.reports = FakeReports(self.work)
        self.grants = FakeGrants(self.work)
        self.referrals = FakeReferrals(self.work)
        self.surveys = FakeSurveys(self.work)
        self.appointments = FakeAppointments(self.work)
        self.erasure = FakeErasure(self.work)
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def commit(self) -> None:
        for name in (*COPIED, "steps", "audit"):
            setattr(self.committed_db, name, getattr(self.work, name))
        self.__enter__()  # keep working on a fresh copy, like a new transaction
        self.commits += 1

    def rollback(self) -> None:
        self.__enter__()


class FakeUnitOfWorkFactory:
    def __init__(self, db: FakeDatabase | None = None, office_id: str = DEFAULT_OFFICE) -> None:
        self.db = db or FakeDatabase()
        self.office_id = office_id

    def __call__(self) -> FakeUnitOfWork:
        return FakeUnitOfWork(self.db, self.office_id)

    def pause(self, attempt: int) -> None:
        pass


@dataclass
class FakeSender:
    """Records every send, like Rasa's CollectingOutputChannel; can be told to fail."""

    target: Target = Target.HOTLINE
    sent: list[OutboxItem] = field(default_factory=list)
    failures: list[Exception] = field(default_factory=list)  # raised first, one per send
    remote: dict[str, str] = field(default_factory=dict)  # idempotency key -> remote id

    def send(self, item: OutboxItem) -> SendResult:
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append(item)
        remote_id = f"{self.target.value}-{len(self.sent)}"
        self.remote[item.idempotency_key] = remote_id
        return SendResult(remote_id)

    def already_sent(self, item: OutboxItem) -> SendResult | None:
        remote_id = self.remote.get(item.idempotency_key)
        return SendResult(remote_id) if remote_id else None


@dataclass
class FakeClock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now


class FakeVault:
    """The Instagram adapter's vault (channels.instagram.session.Vault): session and codes."""

    def __init__(self, session: str | None = None, codes: list[str] | None = None):
        self.session = session
        self.codes = list(codes or [])
        self.saved: list[str] = []

    def load_session(self) -> str | None:
        return self.session

    def save_session(self, sealed: str) -> None:
        self.session = sealed
        self.saved.append(sealed)

    def take_code(self) -> str | None:
        return self.codes.pop(0) if self.codes else None


class FakeSealer:
    """triage.domain.records.Sealer with a throwaway Fernet key (the real one:
    bot.service.secret_box)."""

    def __init__(self) -> None:
        from cryptography.fernet import Fernet

        self.fernet = Fernet(Fernet.generate_key())

    def seal(self, data: bytes) -> str:
        return self.fernet.encrypt(data).decode()

    def open(self, sealed: str) -> bytes:
        return self.fernet.decrypt(sealed.encode())
