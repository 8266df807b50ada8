"""Run a unit of work again when a concurrent writer won a race (unique key, lock)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from triage.domain.errors import Conflict
from triage.effects.steplog import load_locked
from triage.ports import UnitOfWorkFactory

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


def in_transaction(conv_id: int, uow_factory: UnitOfWorkFactory, step: Callable[..., T]) -> T:
    """Run a staff step on the conversation, locked, in one transaction (retried on a race)."""

    def work() -> T:
        with uow_factory() as uow:
            conv = load_locked(uow, conv_id)
            result = step(uow, conv)
            uow.commit()
            return result

    return on_conflict(work, uow_factory.pause)
