"""The psychological record (rekam psikologis, the online-counseling standard's product): written by
the counselor in structured parts, versioned (a correction is a new version, none is lost),
sealed before it reaches storage (the key never sits in the database: the shell's Sealer), and
readable only by the counselor of the case and the head. Every read and write, and every
refusal, goes into the append-only audit log.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from triage.domain.forms.spec import FormSpec
from triage.domain.model import Actor, Conversation, Role
from triage.domain.workflow import text_field

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
    """Encrypts at rest with a key kept outside the database (bot.service.secret_box)."""

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
    member the head opened the case to (the Tangerang standard: only the head exposes a case)."""
    if actor.role is Role.HEAD or actor.staff_id in granted:
        return True
    if actor.role is not Role.COUNSELOR:
        return False
    return conv.counselor_id == actor.staff_id or actor.staff_id in authors


def may_write(actor: Actor, conv: Conversation) -> bool:
    return actor.role is Role.HEAD or (
        actor.role is Role.COUNSELOR and conv.counselor_id == actor.staff_id
    )
