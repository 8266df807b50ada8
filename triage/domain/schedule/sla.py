"""The SLA clock (docs/service-standards.md, Timers): which step a conversation waits for, and when
its reminder
and its escalation fall due, in service time (the clock waits while the office is closed).

Pure: the sweeper (triage.usecases.timers) stores what this computes as deadline rows and fires
them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from triage.domain.model import Conversation, State
from triage.domain.schedule.calendar import ServiceCalendar

REMINDER, ESCALATION = 0, 1
# Not handed to a counselor: their own deadline runs instead (triage.domain.workflow).
OWN_WORKFLOW = frozenset({"pengaduan", "psikoedukasi"})


@dataclass(frozen=True)
class Targets:
    """Service minutes per step, the seeds' defaults (the online-counseling standard: 5/5/5/15, 30
    end to end)."""

    admin_response: float = 5
    hand_off: float = 5
    claim: float = 5
    counselor_response: float = 15
    end_to_end: float = 30  # measured in reports; no reminder of its own
    escalate_after: float = 10  # service minutes after a missed target: the head is told
    review: float = 2  # possible danger (perlu_dicek): a person looks within this

    def for_step(self, step: str) -> float:
        return {
            "first_look": self.review,
            "first_admin_response": self.admin_response,
            "handed_off": self.hand_off,
            "claimed": self.claim,
            "first_counselor_response": self.counselor_response,
        }[step]


@dataclass(frozen=True)
class Waiting:
    """The step a conversation waits for, since when (the start of its clock)."""

    step: str
    since: datetime


@dataclass(frozen=True)
class Deadline:
    """One reminder or escalation. `key` names the wait it belongs to: a new wait (the case
    released and waiting again, a reopened round) gets new deadlines, an old one goes moot."""

    conversation_id: int
    round: int
    step: str
    level: int
    since: datetime
    due_at: datetime

    @property
    def key(self) -> str:
        return key_of(self.conversation_id, self.round, self.step, self.level, self.since)


def key_of(conv_id: int, round_: int, step: str, level: int, since: datetime) -> str:
    return f"{conv_id}:{round_}:{step}:{level}:{since.isoformat()}"


def waiting_for(conv: Conversation, released_at: datetime | None = None) -> Waiting | None:
    """None when no SOP timer runs: closed, counseling under way (the first counselor response
    given), or a complaint or psychoeducation request answered by the admin (no hand-off:
    its own deadline runs). `released_at`: when a claimed case was put back in the queue."""
    s = conv.steps
    if conv.state is State.CLOSED or s.received is None:
        return None
    if conv.state is State.NEW and s.first_admin_response is None:
        # possible danger is looked at sooner: its own wait, so a deadline planned before the
        # level rose goes moot and the shorter one is planned
        step = "first_look" if conv.risk == "perlu_dicek" else "first_admin_response"
        return Waiting(step, s.received)
    if conv.state in (State.NEW, State.WITH_ADMIN):
        if conv.category in OWN_WORKFLOW:
            return None
        return Waiting("handed_off", s.first_admin_response or s.received)
    if conv.state is State.HANDED_OFF:
        since = released_at if s.claimed is not None and released_at else s.handed_off
        return Waiting("claimed", since or s.received)
    if conv.state is State.WITH_COUNSELOR and s.first_counselor_response is None:
        return Waiting("first_counselor_response", s.claimed or s.received)
    return None


def deadlines(
    conv: Conversation,
    targets: Targets,
    calendar: ServiceCalendar,
    released_at: datetime | None = None,
) -> list[Deadline]:
    """The reminder at the target and the escalation after it, for the current wait."""
    waiting = waiting_for(conv, released_at)
    if waiting is None or conv.id is None:
        return []
    target = targets.for_step(waiting.step)
    remind = calendar.add_minutes(waiting.since, target)
    escalate = calendar.add_minutes(remind, targets.escalate_after)
    return [
        Deadline(conv.id, conv.round, waiting.step, level, waiting.since, due)
        for level, due in ((REMINDER, remind), (ESCALATION, escalate))
    ]


def still_due(conv: Conversation | None, deadline: Deadline, released_at: datetime | None) -> bool:
    """Fire only if the conversation still waits for the same step since the same instant."""
    if conv is None or conv.round != deadline.round:
        return False
    waiting = waiting_for(conv, released_at)
    return waiting is not None and waiting.step == deadline.step and waiting.since == deadline.since
