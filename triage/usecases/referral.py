"""Use cases: close a case as a referral, and gather the referral letter for those who may have
it (the targets and rules are in triage/domain/referral.py)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from triage.domain import access, notices
from triage.domain.errors import AccessDenied, NotFound, TransitionNotAllowed
from triage.domain.model import (
    Actor,
    Attachment,
    Conversation,
    Outcome,
    StepRecord,
)
from triage.domain.notices import Kind
from triage.domain.records import AuditEntry, Sealer, may_read
from triage.domain.referral import (
    CHRONOLOGY_STEPS,
    RECEIVED_STEP,
    TARGETS,
    Letter,
    Referral,
    may_have_letter,
)
from triage.effects import notify
from triage.ports import UnitOfWork, UnitOfWorkFactory
from triage.usecases import casework
from triage.usecases._retry import in_transaction


def refer(
    conv_id: int,
    target: str,
    reason: str,
    *,
    addressee: str = "",
    actor: Actor,
    uow_factory: UnitOfWorkFactory,
    now: datetime,
    key: str | None = None,
    heads: Sequence[int] = (),
    survey_question: str | None = None,
) -> Referral:
    """Close the case as Rujukan with where it goes, in one transaction. Repeating the command
    for a round already referred changes nothing and returns that referral (the letter can be
    made again)."""
    if target not in TARGETS:
        raise ValueError(f"unknown referral target {target!r}")
    with uow_factory() as uow:
        conv = uow.conversations.get(conv_id)
        made = uow.referrals.get(conv_id, conv.round) if conv is not None else None
    if made is not None:
        return made
    kept: list[Referral] = []

    def record(uow: UnitOfWork, closed: Conversation) -> None:
        made = Referral(conv_id, closed.round, target, addressee, reason, actor.staff_id, now)
        uow.referrals.add(made)
        uow.audit.append(AuditEntry(now, actor.staff_id, actor.role.value, "referral.write",
                                    conv_id, target))  # fmt: skip
        kept[:] = [made]

    closed = casework.close(conv_id, Outcome.RUJUKAN, actor=actor, uow_factory=uow_factory,
                            now=now, key=key, heads=heads, survey_question=survey_question,
                            also=record)  # fmt: skip
    if kept:
        return kept[0]
    with uow_factory() as uow:  # the same request again after a restart: closed by it before
        made = uow.referrals.get(conv_id, closed.round)
    if made is None:
        raise TransitionNotAllowed(closed.state.value, "refer")
    return made


def confirm_receipt(
    conv_id: int, detail: str, *, actor: Actor, uow_factory: UnitOfWorkFactory, now: datetime,
    key: str,
) -> Referral:  # fmt: skip
    """/rujukan_diterima: the receiving body confirmed it has the case (UPTD PPA then records a
    violence case in SIMFONI-PPA); kept in the step log of the referral's round with who wrote
    it, told to the topic; the same command redelivered does nothing again. The case's latest
    referral; refused when it has none."""

    def step(uow: UnitOfWork, conv: Conversation) -> Referral:
        access.require(access.may_keep_paperwork(actor, conv), actor, "referral_received")
        made = next((found for r in range(conv.round, 0, -1)
                     if (found := uow.referrals.get(conv_id, r)) is not None), None)  # fmt: skip
        if made is None:
            raise NotFound(f"referral of conversation {conv_id}")
        notice = f"{RECEIVED_STEP}:{conv_id}:{key}"
        if uow.outbox.find_key(notice) is not None:
            return made
        said = " ".join(detail.split())[:300]
        uow.steps.append(StepRecord(conv_id, RECEIVED_STEP, now, made.round, actor.staff_id,
                                    said))  # fmt: skip
        notify.queue(uow, key=notice, recipient=notices.group(conv_id), kind=Kind.STATUS,
                     now=now, conv=conv, event=RECEIVED_STEP, text=said)  # fmt: skip
        return made

    return in_transaction(conv_id, uow_factory, step)


def kept_files(
    conv_id: int, *, actor: Actor, uow_factory: UnitOfWorkFactory, now: datetime
) -> list[Attachment]:
    """The files staff kept with a case met offline (an incoming referral's chronology, a
    complaint letter), for those who may see the client; one a counselor kept during counseling
    is the counselor's, like the rest of it. The reading is audited."""
    with uow_factory() as uow:
        conv = uow.conversations.get(conv_id)
        if conv is None:
            raise NotFound(f"conversation {conv_id}")
        access.require(access.may_view_identity(actor, conv), actor, "kept_files")
        found = [a for m in uow.messages.for_conversation(conv_id)
                 if m.internal and access.may_read_message(actor, conv, m)
                 for a in m.attachments if a.stored_path]  # fmt: skip
        uow.audit.append(AuditEntry(now, actor.staff_id, actor.role.value, "kept_files.read",
                                    conv_id, str(len(found))))  # fmt: skip
        uow.commit()
    return found


def letter(
    conv_id: int,
    *,
    actor: Actor,
    sealer: Sealer,
    uow_factory: UnitOfWorkFactory,
    now: datetime,
    round_: int | None = None,
) -> Letter:
    """Everything the letter says, for those who may have it; reading the record for it is
    audited like any other read."""
    with uow_factory() as uow:
        conv = uow.conversations.get(conv_id)
        if conv is None:
            raise NotFound(f"conversation {conv_id}")
        made = uow.referrals.get(conv_id, round_ or conv.round)
        if made is None:
            raise NotFound(f"referral of conversation {conv_id}")
        if not may_have_letter(actor, conv, made):
            uow.audit.append(AuditEntry(now, actor.staff_id, actor.role.value,
                                        "referral.letter.denied", conv_id))  # fmt: skip
            uow.commit()
            raise AccessDenied(actor.staff_id, "referral_letter")
        form = uow.forms.get(conv_id)
        answers = {k: v for k, v in (form.answers.items() if form else ()) if v}
        steps = [
            (r.at, r.step)
            for r in uow.steps.for_conversation(conv_id)
            if r.round == made.round and r.step in CHRONOLOGY_STEPS
        ]
        versions = uow.records.versions(conv_id)
        granted = frozenset(uow.grants.for_conversation(conv_id))
        if not may_read(actor, conv, {v.author_id for v in versions}, granted):
            versions = []  # an admin who referred gets the letter without the record
        uow.audit.append(AuditEntry(now, actor.staff_id, actor.role.value, "referral.letter",
                                    conv_id, f"record version {versions[-1].version}"
                                    if versions else "no record"))  # fmt: skip
        uow.commit()
    parts = json.loads(sealer.open(versions[-1].sealed)) if versions else {}
    return Letter(
        made,
        answers,
        form.register_no if form else None,
        sorted(steps, key=lambda s: s[0]),  # stable: the log order within one instant
        parts,
        conv.counselor_id,
    )
