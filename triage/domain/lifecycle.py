"""The conversation state machine: which event may happen in which state, and its step stamps.

Pure: `apply` returns the new conversation and the steps to log; nothing is stored here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from triage.domain.errors import TransitionNotAllowed
from triage.domain.model import Conversation, Outcome, State, Steps

OPEN_STATES = frozenset(State) - {State.CLOSED}


@dataclass(frozen=True)
class AdminReplied:
    name = "admin_reply"


@dataclass(frozen=True)
class FormCompleted:
    name = "form_complete"


@dataclass(frozen=True)
class HandedOff:
    name = "hand_off"


@dataclass(frozen=True)
class Claimed:
    counselor_id: int
    name = "claim"


@dataclass(frozen=True)
class Released:
    name = "release"


@dataclass(frozen=True)
class CounselorReplied:
    name = "counselor_reply"


@dataclass(frozen=True)
class Closed:
    outcome: Outcome
    name = "close"


@dataclass(frozen=True)
class Reopened:
    name = "reopen"


Event = (
    AdminReplied
    | FormCompleted
    | HandedOff
    | Claimed
    | Released
    | CounselorReplied
    | Closed
    | Reopened
)

ALLOWED: dict[type, frozenset[State]] = {
    AdminReplied: frozenset({State.NEW, State.WITH_ADMIN, State.HANDED_OFF}),
    FormCompleted: OPEN_STATES,
    HandedOff: frozenset({State.NEW, State.WITH_ADMIN}),
    Claimed: frozenset({State.HANDED_OFF}),
    Released: frozenset({State.WITH_COUNSELOR}),
    CounselorReplied: frozenset({State.WITH_COUNSELOR}),
    Closed: OPEN_STATES,
    Reopened: frozenset({State.CLOSED}),
}


def _stamp(steps: Steps, name: str, now: datetime) -> tuple[Steps, list[str]]:
    """Set a step's timestamp the first time only; later repeats are not new steps."""
    if getattr(steps, name) is not None:
        return steps, []
    return replace(steps, **{name: now}), [name]


def allowed(conv: Conversation, event: Event) -> bool:
    return conv.state in ALLOWED[type(event)]


def apply(conv: Conversation, event: Event, now: datetime) -> tuple[Conversation, list[str]]:
    """Return the conversation after `event` and the names of the steps it completed."""
    if conv.state not in ALLOWED[type(event)]:
        raise TransitionNotAllowed(conv.state.value, event.name)
    steps = conv.steps
    match event:
        case AdminReplied():
            steps, logged = _stamp(steps, "first_admin_response", now)
            state = State.WITH_ADMIN if conv.state is State.NEW else conv.state
            return replace(conv, state=state, steps=steps), logged
        case FormCompleted():
            steps, logged = _stamp(steps, "form_completed", now)
            return replace(conv, steps=steps), logged
        case HandedOff():
            steps, logged = _stamp(steps, "handed_off", now)
            return replace(conv, state=State.HANDED_OFF, steps=steps), logged
        case Claimed(counselor_id=counselor_id):
            # The SLA counts the first claim; every claim (after a release too) is logged.
            steps, _ = _stamp(steps, "claimed", now)
            return replace(
                conv, state=State.WITH_COUNSELOR, counselor_id=counselor_id, steps=steps
            ), ["claimed"]
        case Released():
            return replace(conv, state=State.HANDED_OFF, counselor_id=None), ["released"]
        case CounselorReplied():
            steps, logged = _stamp(steps, "first_counselor_response", now)
            return replace(conv, steps=steps), logged
        case Closed(outcome=outcome):
            steps, logged = _stamp(steps, "closed", now)
            return replace(conv, state=State.CLOSED, outcome=outcome, steps=steps), logged
        case Reopened():
            reopened = replace(
                conv,
                state=State.NEW,
                outcome=None,
                counselor_id=None,
                round=conv.round + 1,
                steps=Steps(received=now),
                # a new round is a new story: triage reads it afresh, from now on
                urgent=False,
                risk="biasa",
                risk_set_at=now,
                category_by_staff=False,
            )
            return reopened, ["reopened", "received"]
    raise AssertionError(f"unhandled event {event!r}")  # pragma: no cover
