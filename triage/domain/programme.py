"""The guidance and information programme of a semester (the Tangerang standard's nine steps,
docs/service-standards.md): the coordinator maps the community's needs (2), submits the work
programme to the head (3), who comments until approving it (4); the head's letter of assignment
lets it be carried out (5); each activity is reported (6, a psychoeducation session held); after
the semester the programme report is written (7), handed to the head (8) and filed with the
documentation section against a receipt (9). Step 1, a request from the public, is the
psychoeducation request (triage.domain.psychoeducation).

Each step is an entry of the programme's own append-only log (who, when, what), one programme
per semester: January to June is "2027-1", July to December "2027-2".
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from triage.domain.psychoeducation import ACCEPTED, HELD, stored_date
from triage.domain.schedule.calendar import ServiceCalendar
from triage.domain.workflow import PSYCHOEDUCATION, CaseFile

MAPPED, SUBMITTED, FEEDBACK, APPROVED, ASSIGNED = (
    "mapped", "submitted", "feedback", "approved", "assigned",
)  # fmt: skip
REPORTED, HANDED, RECEIVED = "reported", "handed", "received"
STEPS = (MAPPED, SUBMITTED, FEEDBACK, APPROVED, ASSIGNED, REPORTED, HANDED, RECEIVED)
# The standard's number of each step, and its target in working days after the step before.
NUMBER = {MAPPED: 2, SUBMITTED: 3, FEEDBACK: 4, APPROVED: 4, ASSIGNED: 5, REPORTED: 7,
          HANDED: 8, RECEIVED: 9}  # fmt: skip
SUBMIT_DAYS, APPROVE_DAYS, REPORT_DAYS, RECEIPT_DAYS = 1, 5, 10, 1
MAX_ACTIVITIES = 40
SEMESTER = re.compile(r"(20\d\d)-([12])")


@dataclass(frozen=True, order=True)
class Semester:
    year: int
    half: int  # 1: January-June, 2: July-December

    def __str__(self) -> str:
        return f"{self.year}-{self.half}"

    @property
    def first(self) -> date:
        return date(self.year, 1 if self.half == 1 else 7, 1)

    @property
    def end(self) -> date:
        """The day after its last day."""
        return date(self.year, 7, 1) if self.half == 1 else date(self.year + 1, 1, 1)

    def next(self) -> Semester:
        return Semester(self.year, 2) if self.half == 1 else Semester(self.year + 1, 1)

    def previous(self) -> Semester:
        return Semester(self.year - 1, 2) if self.half == 1 else Semester(self.year, 1)


def semester_of(day: date) -> Semester:
    return Semester(day.year, 1 if day.month <= 6 else 2)


def parse_semester(word: str) -> Semester | None:
    found = SEMESTER.fullmatch(word.strip())
    return Semester(int(found[1]), int(found[2])) if found else None


@dataclass(frozen=True)
class ProgrammeStep:
    """One entry of a programme's log. `detail` holds what the step wrote: the activities
    planned, the head's comment, the receiver's name."""

    semester: str
    step: str
    at: datetime
    staff_id: int
    detail: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Activity:
    """A line of the work programme: "theme; audience; month" (the audience and month may be
    left out)."""

    theme: str
    audience: str = ""
    month: str = ""


def read_activities(lines: str) -> list[Activity]:
    """The activities typed one per line; bullets and numbering are dropped, empty lines and
    lines of punctuation only skipped, each part cut to a sane length."""
    found = []
    for line in lines.splitlines():
        cleaned = re.sub(r"^\s*(?:[-•*]|\d{1,2}[.)])\s+", "", line).strip()  # "1.000 HPK" stays
        if not re.search(r"\w", cleaned):
            continue
        parts = [p.strip()[:200] for p in re.split(r"[;|]", cleaned)]
        if re.search(r"\w", parts[0]):  # a line without its theme is not an activity
            found.append(Activity(parts[0], *parts[1:3]))
    return found[:MAX_ACTIVITIES]


@dataclass(frozen=True)
class Programme:
    """A semester's programme as its log says: the last entry of each step, the comments, the
    activities of the last submission."""

    semester: Semester
    log: Sequence[ProgrammeStep]

    def last(self, step: str) -> ProgrammeStep | None:
        """The step's latest entry, by the log's order (its time, then the order of writing:
        two steps in the same instant, or a wall clock set back, keep the order they came)."""
        found = [e for e in self.log if e.step == step]
        return found[-1] if found else None

    def _after(self, later: str, earlier: str) -> bool:
        """`later` was logged after the last `earlier` (or `earlier` never was)."""
        at = {e.step: n for n, e in enumerate(self.log)}  # the last position of each step
        return later in at and at[later] > at.get(earlier, -1)

    @property
    def activities(self) -> list[Activity]:
        submitted = self.last(SUBMITTED)
        rows = submitted.detail.get("activities", []) if submitted else []
        return [Activity(*(str(v) for v in row)) for row in rows]

    @property
    def comments(self) -> list[ProgrammeStep]:
        return sorted((e for e in self.log if e.step == FEEDBACK), key=lambda e: e.at)

    @property
    def approved(self) -> bool:
        """Approved after its last submission (a new submission asks again)."""
        return self._after(APPROVED, SUBMITTED)

    @property
    def received(self) -> bool:
        """The documentation section received the report last handed over."""
        return self._after(RECEIVED, HANDED)


def refusal(programme: Programme, step: str, today: date) -> str | None:
    """Why `step` cannot be taken now (a catalogue key's last word), or None."""
    if step in (FEEDBACK, APPROVED) and programme.last(SUBMITTED) is None:
        return "not_submitted"
    if step == APPROVED and programme.approved:
        return "already_approved"
    if step in (ASSIGNED, REPORTED) and not programme.approved:
        return "not_approved"
    if step == REPORTED and today < programme.semester.first:
        return "not_started"  # nothing carried out to report yet
    if step == RECEIVED and programme.last(HANDED) is None:
        return "not_handed"
    if step == RECEIVED and programme.received:
        return "already_received"
    return None


@dataclass(frozen=True)
class Due:
    step: str
    due_at: datetime


def due(programme: Programme, calendar: ServiceCalendar) -> list[Due]:
    """The steps waited on and by when: the submission a working day after the mapping, the
    head's approval 5 after the submission, the report 10 after the semester, the receipt a
    working day after it was handed over."""
    out = []
    mapped, submitted = programme.last(MAPPED), programme.last(SUBMITTED)
    handed = programme.last(HANDED)
    if mapped and not submitted:
        out.append(Due(SUBMITTED, calendar.add_working_days(mapped.at, SUBMIT_DAYS)))
    if submitted and not programme.approved:
        out.append(Due(APPROVED, calendar.add_working_days(submitted.at, APPROVE_DAYS)))
    if programme.approved and programme.last(REPORTED) is None:
        last = programme.semester.end - timedelta(days=1)
        ended = datetime.combine(last, datetime.min.time(), calendar.zone)
        out.append(Due(REPORTED, calendar.add_working_days(ended, REPORT_DAYS)))
    if handed and not programme.received:
        out.append(Due(RECEIVED, calendar.add_working_days(handed.at, RECEIPT_DAYS)))
    return out


@dataclass(frozen=True)
class Needs:
    """The mapping of needs (step 2) from what the office saw in the semester before: cases by
    category, psychoeducation topics asked for, and who asked."""

    cases: Mapping[str, int]
    topics: Mapping[str, int]
    institutions: int


def needs(categories: Iterable[str | None], files: Sequence[CaseFile], start: datetime,
          end: datetime) -> Needs:  # fmt: skip
    """`categories`: the category of each case received in [start, end)."""
    asked = [f for f in files if f.kind == PSYCHOEDUCATION and start <= f.opened_at < end]
    topics = Counter(" ".join(f.facts.get("topik", "").split()).casefold()[:80] for f in asked)
    topics.pop("", None)
    return Needs(
        cases=dict(Counter(c or "lainnya" for c in categories).most_common()),
        topics=dict(topics.most_common(15)),
        institutions=len({f.facts.get("institusi", "").casefold() for f in asked} - {""}),
    )


@dataclass(frozen=True)
class Outcome:
    """The semester's sessions as carried out (steps 5-7): each accepted session in it, held
    (with who came and when its report was made) or not."""

    sessions: Sequence[CaseFile]

    @property
    def held(self) -> list[CaseFile]:
        return [f for f in self.sessions if f.status == HELD]

    @property
    def participants(self) -> int:
        return sum(int(f.data.get("participants") or 0) for f in self.held)


def outcome(files: Sequence[CaseFile], semester: Semester) -> Outcome:
    def day(f: CaseFile) -> date | None:
        return stored_date(f.data.get("session"))

    inside = [
        f
        for f in files
        if f.kind == PSYCHOEDUCATION
        and (d := day(f)) is not None
        and semester.first <= d < semester.end
        and f.status in (ACCEPTED, HELD)
    ]
    return Outcome(sorted(inside, key=lambda f: (day(f), f.conversation_id)))
