"""The psychological record (rekam psikologis, seed 000's product; issue 7 item 1): written by
the counselor in structured parts, versioned (a correction is a new version, none is lost),
sealed before it reaches storage (the key never sits in the database: the shell's Sealer), and
readable only by the counselor of the case and the head. Every read and write, and every
refusal, goes into the append-only audit log.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from triage import notices
from triage.casefile import text_field
from triage.casework import author_of
from triage.errors import AccessDenied, NotFound
from triage.identity_form import FormSpec, read_lines
from triage.model import Actor, Conversation, Role
from triage.ports import UnitOfWork, UnitOfWorkFactory
from triage.retrying import on_conflict

RECORD_FORM = FormSpec(
    (
        text_field(
            "keluhan", "Keluhan klien:", "The client's complaint:", "complaint", max_len=4000
        ),  # fmt: skip
        text_field("asesmen", "Asesmen:", "Assessment:", "assessment", max_len=4000),
        text_field("intervensi", "Intervensi:", "Intervention:", "intervention", max_len=4000),
        text_field(
            "rencana",
            "Rencana tindak lanjut:",
            "Follow-up plan:",
            "rencana tindak lanjut",
            "plan",
            max_len=4000,
        ),  # fmt: skip
        text_field("hasil", "Hasil:", "Outcome:", "result", "outcome", max_len=4000),
    )
)
PARTS = tuple(f.name for f in RECORD_FORM.fields)


class Sealer(Protocol):
    """Encrypts at rest with a key kept outside the database (bot.secret_box)."""

    def seal(self, data: bytes) -> str: ...
    def open(self, sealed: str) -> bytes: ...


@dataclass(frozen=True)
class SealedRecord:
    conversation_id: int
    version: int
    sealed: str
    author_id: int
    written_at: datetime


@dataclass(frozen=True)
class Record:
    conversation_id: int
    version: int
    parts: Mapping[str, str]
    author_id: int
    written_at: datetime


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    staff_id: int
    role: str
    action: str  # record.write, record.read, record.denied, …
    conversation_id: int | None = None
    detail: str | None = None  # never the record's content


def may_read(
    actor: Actor, conv: Conversation, authors: set[int], granted: frozenset[int] = frozenset()
) -> bool:
    """The head, the case's counselor, a counselor who wrote a version of it, or a staff
    member the head opened the case to (seed 003: only the head exposes a case)."""
    if actor.role is Role.HEAD or actor.staff_id in granted:
        return True
    if actor.role is not Role.COUNSELOR:
        return False
    return conv.counselor_id == actor.staff_id or actor.staff_id in authors


def may_write(actor: Actor, conv: Conversation) -> bool:
    return actor.role is Role.HEAD or (
        actor.role is Role.COUNSELOR and conv.counselor_id == actor.staff_id
    )


def _audit(uow: UnitOfWork, actor: Actor, action: str, conv_id: int, now: datetime,
           detail: str | None = None) -> None:  # fmt: skip
    uow.audit.append(AuditEntry(now, actor.staff_id, actor.role.value, action, conv_id, detail))


def write(
    conv_id: int,
    lines: str,
    *,
    actor: Actor,
    sealer: Sealer,
    uow_factory: UnitOfWorkFactory,
    now: datetime,
) -> tuple[int, list[str]]:
    """/rekam with "Keluhan: …" lines: a new version with those parts changed (the others as
    in the last version). Returns the version and the parts given."""
    given = {
        n: a.value for n, a in read_lines(RECORD_FORM, lines, now.date()).answers.items()
        if a.value is not None
    }  # fmt: skip

    def work() -> tuple[int, list[str]]:
        with uow_factory() as uow:
            conv = uow.conversations.get(conv_id, lock=True)
            if conv is None:
                raise NotFound(f"conversation {conv_id}")
            if not may_write(actor, conv):
                _audit(uow, actor, "record.write.denied", conv_id, now)
                uow.commit()
                raise AccessDenied(actor.staff_id, "write_record")
            versions = uow.records.versions(conv_id)
            parts: dict[str, str] = {}
            if versions:
                parts = dict(json.loads(sealer.open(versions[-1].sealed)))
            if not given:
                return (versions[-1].version if versions else 0), []
            parts.update(given)
            version = (versions[-1].version if versions else 0) + 1
            sealed = sealer.seal(json.dumps(parts, ensure_ascii=False).encode())
            uow.records.add(SealedRecord(conv_id, version, sealed, actor.staff_id, now))
            _audit(uow, actor, "record.write", conv_id, now, f"version {version}")
            uow.commit()
            return version, list(given)

    return on_conflict(work, uow_factory.pause)


def read(
    conv_id: int, *, actor: Actor, sealer: Sealer, uow_factory: UnitOfWorkFactory, now: datetime
) -> Record | None:
    """The latest version, for those who may read it; the read (or the refusal) is audited in
    the same transaction, so nothing is shown that is not logged."""
    with uow_factory() as uow:
        conv = uow.conversations.get(conv_id)
        if conv is None:
            raise NotFound(f"conversation {conv_id}")
        versions = uow.records.versions(conv_id)
        granted = frozenset(uow.grants.for_conversation(conv_id))
        if not may_read(actor, conv, {v.author_id for v in versions}, granted):
            _audit(uow, actor, "record.read.denied", conv_id, now)
            uow.commit()
            raise AccessDenied(actor.staff_id, "read_record")
        _audit(uow, actor, "record.read", conv_id, now,
               f"version {versions[-1].version}" if versions else "none")  # fmt: skip
        uow.commit()
    if not versions:
        return None
    last = versions[-1]
    parts = json.loads(sealer.open(last.sealed))
    return Record(conv_id, last.version, parts, last.author_id, last.written_at)


def open_case(
    conv_id: int,
    to_staff: int,
    *,
    actor: Actor,
    uow_factory: UnitOfWorkFactory,
    now: datetime,
) -> None:
    """The head opens a case to another staff member: they may read its record from now on,
    and they receive the conversation so far in their private chat. Audited; only the head
    may (seed 003)."""

    def work() -> None:
        with uow_factory() as uow:
            conv = uow.conversations.get(conv_id, lock=True)
            if conv is None:
                raise NotFound(f"conversation {conv_id}")
            if actor.role is not Role.HEAD:
                _audit(uow, actor, "case.open.denied", conv_id, now, f"to {to_staff}")
                uow.commit()
                raise AccessDenied(actor.staff_id, "open_case")
            if to_staff not in uow.grants.for_conversation(conv_id):
                uow.grants.add(conv_id, to_staff, actor.staff_id, now)
                _audit(uow, actor, "case.opened", conv_id, now, f"to {to_staff}")
                _send_history(uow, conv, to_staff, now)
            uow.commit()

    on_conflict(work, uow_factory.pause)


def _send_history(uow: UnitOfWork, conv: Conversation, to_staff: int, now: datetime) -> None:
    assert conv.id is not None
    messages = uow.messages.for_conversation(conv.id)
    notices.queue_content(
        uow,
        key=f"opened:{conv.id}:{to_staff}",
        recipient=notices.staff(to_staff),
        kind=notices.Kind.CLIENT,
        entries=notices.entries_of(messages, author_of=author_of),
        now=now,
        conv=conv,
        **notices.client_fields(uow, conv),
    )
