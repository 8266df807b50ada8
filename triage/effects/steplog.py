"""The SOP step log and the locked read every staff action starts from."""

from __future__ import annotations

from datetime import datetime

from triage.domain.errors import NotFound
from triage.domain.model import Conversation, StepRecord
from triage.ports import UnitOfWork


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
