"""Errors the core raises; the shell turns them into staff-facing text from the catalogue."""

from __future__ import annotations


class TriageError(Exception):
    """Base of the core's own errors."""


class TransitionNotAllowed(TriageError):
    def __init__(self, state: str, event: str) -> None:
        super().__init__(f"cannot {event} a conversation in state {state}")
        self.state = state
        self.event = event


class AccessDenied(TriageError):
    def __init__(self, staff_id: int, action: str) -> None:
        super().__init__(f"staff {staff_id} may not {action}")
        self.staff_id = staff_id
        self.action = action


class NotFound(TriageError):
    pass


class Conflict(TriageError):
    """A concurrent writer got there first (unique key or lock). The use case retries."""


class NotNow(TriageError):
    """The client asked not to be written to first (/kontak): a staff reply long after their
    last message is not sent."""


class OnLegalHold(TriageError):
    """A client with a case on legal hold (/tahan_hukum) is not erased until it is lifted."""

    def __init__(self, conv_ids: list[int]) -> None:
        super().__init__(f"on legal hold: {conv_ids}")
        self.conv_ids = conv_ids


class NeedsNextSession(TriageError):
    """A counseling closes as Ulang (to be continued) only with its next session scheduled."""
