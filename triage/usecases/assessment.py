"""Use cases: staff set a conversation's risk level and category in one step (/tingkat,
/kategori), and confirm them with one tap when the case closes.

Triage's reading is a first guess; staff who have read the conversation decide. Their level
holds until new client messages raise it again (triage then reads only what came after), and
their category is kept for good. Who set what, and when, goes to the step log and the audit log
(never the content).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from triage.domain import access
from triage.domain.model import Actor, Conversation
from triage.domain.records import AuditEntry
from triage.domain.rules.classify import CATEGORIES, LEVELS, MENDESAK
from triage.domain.triage_checks import CONFIRMED, check_of
from triage.effects.steplog import load_locked, log_steps
from triage.ports import UnitOfWorkFactory
from triage.usecases._retry import on_conflict


def set_assessment(
    conv_id: int,
    *,
    actor: Actor,
    uow_factory: UnitOfWorkFactory,
    now: datetime,
    risk: str | None = None,
    category: str | None = None,
) -> Conversation:
    """Set the level, the category, or both; a value that is not a level or a category code
    is refused (ValueError names it)."""
    if risk is not None and risk not in LEVELS:
        raise ValueError(f"unknown risk level {risk!r}")
    if category is not None and category not in CATEGORIES:
        raise ValueError(f"unknown category {category!r}")

    def work() -> Conversation:
        with uow_factory() as uow:
            conv = load_locked(uow, conv_id)
            allowed = access.may_edit_form(actor, conv) or access.may_confirm_triage(actor, conv)
            access.require(allowed, actor, "set_assessment")
            changed = conv
            done = []
            if risk is not None:
                changed = replace(changed, risk=risk, urgent=risk == MENDESAK, risk_set_at=now)
                done.append(("risk_set", f"{conv.risk}->{risk}"))
            if category is not None:
                changed = replace(changed, category=category, category_by_staff=True)
                done.append(("category_set", f"{conv.category or '-'}->{category}"))
            uow.conversations.save(changed)
            for step, detail in done:
                log_steps(uow, changed, [step], now, actor.staff_id, detail=detail)
                uow.audit.append(
                    AuditEntry(now, actor.staff_id, actor.role.value, step, conv_id, detail)
                )
            uow.commit()
            return changed

    return on_conflict(work, uow_factory.pause)


def confirm_assessment(
    conv_id: int, *, actor: Actor, uow_factory: UnitOfWorkFactory, now: datetime
) -> bool:
    """Staff confirm, with one tap at closing, the level and category the case ends with; what
    triage first said is kept beside them for the monthly report. Once per round: False when it
    was already confirmed."""

    def work() -> bool:
        with uow_factory() as uow:
            conv = load_locked(uow, conv_id)
            access.require(access.may_confirm_triage(actor, conv), actor, "confirm_assessment")
            steps = uow.steps.for_conversation(conv_id)
            if any(s.step == CONFIRMED and s.round == conv.round for s in steps):
                return False
            check = check_of(conv, steps)
            log_steps(uow, conv, [CONFIRMED], now, actor.staff_id, detail=check.detail())
            uow.commit()
            return True

    return on_conflict(work, uow_factory.pause)
