"""Use cases: a counselor writes and reads the psychological record, and the head opens a case to
another staff member. Every read, write and refusal goes into the audit log (the rules of who
may are in triage/domain/records.py)."""

from __future__ import annotations

import json
from datetime import datetime

from triage.domain import notices
from triage.domain.errors import AccessDenied, NotFound
from triage.domain.forms.spec import read_lines
from triage.domain.model import Actor, Conversation, Role
from triage.domain.notices import author_of
from triage.domain.records import (
    RECORD_FORM,
    AuditEntry,
    Record,
    SealedRecord,
    Sealer,
    may_read,
    may_write,
)
from triage.effects import notify
from triage.ports import UnitOfWork, UnitOfWorkFactory
from triage.usecases._retry import on_conflict


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
    may (the Tangerang standard)."""

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
    notify.queue_content(
        uow,
        key=f"opened:{conv.id}:{to_staff}",
        recipient=notices.staff(to_staff),
        kind=notices.Kind.CLIENT,
        entries=notices.entries_of(messages, author_of=author_of),
        now=now,
        conv=conv,
        **notify.client_fields(uow, conv),
    )
