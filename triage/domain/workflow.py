"""Casework besides counseling: a complaint (the complaint standard) or a request for
psychoeducation (the Kaltim standard) is a case file kept next to its conversation: the facts
gathered (read like the identity form, "Label: value" lines), where it stands, its deadline, and
what staff decided. The workflows (triage.domain.complaint, triage.domain.psychoeducation) move
it along. The standards are described in docs/service-standards.md.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from triage.domain.forms.by_mail import label
from triage.domain.forms.spec import FieldSpec, FormSpec, read_lines, shown
from triage.domain.model import Conversation
from triage.domain.schedule.calendar import ServiceCalendar
from triage.domain.schedule.sla import ESCALATION, REMINDER, Deadline

COMPLAINT, PSYCHOEDUCATION = "pengaduan", "psikoedukasi"
KINDS = (COMPLAINT, PSYCHOEDUCATION)


@dataclass(frozen=True)
class WorkflowSetup:
    """What the workflows need from the office: its calendar, its language and the texts for
    clients (already in that language, with {placeholders}), how a date is written for them,
    the complaint deadline in working days, and the heads."""

    calendar: ServiceCalendar
    lang: str
    texts: Mapping[str, str]
    when: Callable[[datetime], str]  # an instant as clients read it, in the office's zone
    when_day: Callable[[date], str]  # a day as clients read it ("Senin, 7 Desember 2026")
    complaint_days: int = 4
    heads: Sequence[int] = ()


@dataclass(frozen=True)
class CaseFile:
    conversation_id: int
    kind: str  # pengaduan | psikoedukasi
    status: str
    facts: Mapping[str, str]
    opened_at: datetime
    due_at: datetime
    data: Mapping[str, Any] = field(default_factory=dict)  # decisions, texts, dates (JSON)
    closed_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


def text_field(name: str, prompt_id: str, prompt_en: str, *aliases: str, max_len: int = 300,
               personal: bool = False, required: bool = True, kind: str = "text",
               ) -> FieldSpec:  # fmt: skip
    return FieldSpec(
        name,
        kind,
        required,
        personal,
        {"id": prompt_id, "en": prompt_en},
        aliases=aliases,
        max_len=max_len,
    )


def missing(spec: FormSpec, facts: Mapping[str, str]) -> list[str]:
    return [f.name for f in spec.fields if f.required and not facts.get(f.name)]


def read_facts(spec: FormSpec, lines: str, today: date) -> dict[str, str]:
    """The facts a message gives as "Label: value" lines (nothing for a story)."""
    reading = read_lines(spec, lines, today)
    return {n: a.value for n, a in reading.answers.items() if a.value is not None}


def facts_text(spec: FormSpec, facts: Mapping[str, str], *, masked: bool = True) -> str:
    """The facts as "Label: value" lines, the missing ones blank; as staff see them in
    Telegram, an address masked (identity_form.shown)."""
    return "\n".join(
        f"{label(f.name)}: {shown(f.kind, v) if masked and v else (v or '')}"
        for f in spec.fields
        for v in [facts.get(f.name)]
    )


def questions(spec: FormSpec, lang: str, names: list[str]) -> str:
    """The blanks to fill, then what each asks (like the identity form by email)."""
    fields = [f for f in spec.fields if f.name in names]
    blanks = "\n".join(f"{label(f.name)}: " for f in fields)
    hints = "\n".join(f"- {label(f.name)}: {f.prompt[lang]}" for f in fields)
    return f"{blanks}\n\n{hints}"


def deadlines_of(cf: CaseFile, conv: Conversation, remind_at: datetime) -> list[Deadline]:
    """A reminder before the due date and the escalation at it, as the sweeper's rows
    (triage.usecases.timers fires them while the case file is open)."""
    return [
        Deadline(cf.conversation_id, conv.round, cf.kind, REMINDER, cf.opened_at, remind_at),
        Deadline(cf.conversation_id, conv.round, cf.kind, ESCALATION, cf.opened_at, cf.due_at),
    ]


def merged(cf: CaseFile, facts: Mapping[str, str]) -> CaseFile:
    return replace(cf, facts={**cf.facts, **facts})
