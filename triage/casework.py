"""Use cases: staff move a conversation through its lifecycle (hand off, claim, release, close).

Each checks the actor's role in the core, applies the state machine under a row lock (so two
counselors tapping "Ambil kasus" at once yield one winner) and logs the completed steps.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from triage import access, lifecycle
from triage.errors import NotFound
from triage.model import Actor, Conversation, Outcome, StepRecord
from triage.ports import UnitOfWork, UnitOfWorkFactory
from triage.retrying import on_conflict


def log_steps(
    uow: UnitOfWork,
    conv: Conversation,
    steps: list[str],
    at: datetime,
    staff_id: int | None = None,
    detail: str | None = None,
) -> None:
    assert conv.id is not None
    for step in steps:
        uow.steps.append(
            StepRecord(
                conversation_id=conv.id,
                step=step,
                at=at,
                round=conv.round,
                staff_id=staff_id,
                detail=detail,
            )
        )


def load_locked(uow: UnitOfWork, conv_id: int) -> Conversation:
    conv = uow.conversations.get(conv_id, lock=True)
    if conv is None:
        raise NotFound(f"conversation {conv_id}")
    return conv


def _transition(
    conv_id: int,
    event: lifecycle.Event,
    *,
    actor: Actor,
    permission: Callable[[Actor, Conversation], bool],
    uow_factory: UnitOfWorkFactory,
    now: datetime,
    detail: str | None = None,
) -> Conversation:
    def work() -> Conversation:
        with uow_factory() as uow:
            conv = load_locked(uow, conv_id)
            access.require(permission(actor, conv), actor, event.name)
            changed, logged = lifecycle.apply(conv, event, now)
            uow.conversations.save(changed)
            log_steps(uow, changed, logged, now, actor.staff_id, detail)
            uow.commit()
            return changed

    return on_conflict(work, uow_factory.pause)


def hand_off(
    conv_id: int, *, actor: Actor, uow_factory: UnitOfWorkFactory, now: datetime
) -> Conversation:
    return _transition(
        conv_id,
        lifecycle.HandedOff(),
        actor=actor,
        permission=access.may_hand_off,
        uow_factory=uow_factory,
        now=now,
    )


def claim(
    conv_id: int, *, actor: Actor, uow_factory: UnitOfWorkFactory, now: datetime
) -> Conversation:
    """The first counselor wins; a later tap raises TransitionNotAllowed (state moved on)."""
    return _transition(
        conv_id,
        lifecycle.Claimed(actor.staff_id),
        actor=actor,
        permission=access.may_claim,
        uow_factory=uow_factory,
        now=now,
    )


def release(
    conv_id: int, *, actor: Actor, uow_factory: UnitOfWorkFactory, now: datetime
) -> Conversation:
    return _transition(
        conv_id,
        lifecycle.Released(),
        actor=actor,
        permission=access.may_release,
        uow_factory=uow_factory,
        now=now,
    )


def close(
    conv_id: int,
    outcome: Outcome,
    *,
    actor: Actor,
    uow_factory: UnitOfWorkFactory,
    now: datetime,
) -> Conversation:
    return _transition(
        conv_id,
        lifecycle.Closed(outcome),
        actor=actor,
        permission=access.may_close,
        uow_factory=uow_factory,
        now=now,
        detail=outcome.value,
    )


def form_completed(
    conv_id: int, *, actor: Actor, uow_factory: UnitOfWorkFactory, now: datetime
) -> Conversation:
    return _transition(
        conv_id,
        lifecycle.FormCompleted(),
        actor=actor,
        permission=access.may_edit_form,
        uow_factory=uow_factory,
        now=now,
    )
