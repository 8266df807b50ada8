"""Run a unit of work again when a concurrent writer won a race (unique key, lock)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from triage.errors import Conflict

T = TypeVar("T")

MAX_TRIES = 8


def on_conflict(
    work: Callable[[], T], pause: Callable[[int], None] | None = None, tries: int = MAX_TRIES
) -> T:
    """Call `work` until it finishes without `Conflict`; the retry sees the winner's rows.
    `pause(attempt)` (the unit of work factory's) lets a long-running winner finish."""
    for attempt in range(1, tries + 1):
        try:
            return work()
        except Conflict:
            if attempt == tries:
                raise
            if pause is not None:
                pause(attempt)
    raise AssertionError("unreachable")  # pragma: no cover
