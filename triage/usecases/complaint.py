"""Use cases of a complaint: staff record facts, the head's disposition, clarification, the
response to the complainant and the closing report (the statuses and the form are in
triage/domain/complaint.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from triage.domain import access
from triage.domain.complaint import (
    CLARIFIED,
    CLOSED,
    CLOSED_STEP,
    COMPLAINT_FORM,
    DELIVERED,
    DISPOSED,
    DISPOSED_STEP,
    FACTS,
    FEEDBACK,
    OUTSIDE_REMIT,
    RECORDING,
    REMIT_STEP,
    REPORT_SENT,
    RESPONDED,
    RESPONDED_STEP,
    SHEET,
    WAITING,
    Paper,
    StepDone,
    settle,
    trail,
)
from triage.domain.errors import NotFound, NotNow, TransitionNotAllowed
from triage.domain.model import Actor, Channel, Conversation, Outcome
from triage.domain.records import AuditEntry
from triage.domain.workflow import COMPLAINT, CaseFile, WorkflowSetup, merged, read_facts
from triage.effects import workflow_files
from triage.effects.complaint_intake import forward_complete, open_file
from triage.effects.steplog import log_steps
from triage.effects.workflow_files import tell_topic
from triage.ports import UnitOfWork, UnitOfWorkFactory
from triage.usecases import casework
from triage.usecases import workflow as workflow_cases
from triage.usecases._retry import in_transaction
from triage.usecases.replies import reply_to_client

SPOKEN = frozenset({Channel.TELEPON, Channel.LANGSUNG})  # no letter: no disposition sheet

# --- staff steps, each its own transaction ---------------------------------------------------


def start(conv_id: int, **kwargs: Any) -> CaseFile:
    """Staff open the file by hand (triage.domain.workflow.start)."""
    return workflow_cases.start(conv_id, open_file, **kwargs)


def record(
    conv_id: int, lines: str, *, actor: Actor, setup: WorkflowSetup,
    uow_factory: UnitOfWorkFactory, now: datetime,
) -> tuple[CaseFile, list[str]]:  # fmt: skip
    """/pengaduan with "Label: value" lines: the facts staff heard (by phone, in person).
    Returns the file and the names of the facts recorded."""

    def step(uow: UnitOfWork, conv: Conversation) -> tuple[CaseFile, list[str]]:
        access.require(access.may_edit_form(actor, conv), actor, "record_complaint")
        cf = workflow_files.file_of(uow, conv_id, COMPLAINT)
        given = read_facts(COMPLAINT_FORM, lines, now.date())
        changed = settle(merged(cf, given))
        uow.casefiles.save(changed)
        if given:  # what staff heard from the complainant (the standard's interview)
            log_steps(uow, conv, [FACTS], now, actor.staff_id)
        if cf.status == RECORDING and changed.status == WAITING:
            forward_complete(uow, conv, changed, setup, now)
        return changed, list(given)

    return in_transaction(conv_id, uow_factory, step)


def dispose(
    conv_id: int, division: str, note: str, *, actor: Actor, uow_factory: UnitOfWorkFactory,
    now: datetime,
) -> CaseFile:  # fmt: skip
    """/disposisi: the head sends the complaint to the division that handles it."""

    def step(uow: UnitOfWork, conv: Conversation) -> CaseFile:
        access.require(access.may_dispose(actor), actor, "dispose_complaint")
        cf = workflow_files.file_of(uow, conv_id, COMPLAINT)
        data = {**cf.data, "division": division[:100], "disposition": note[:1000],
                "disposed_at": now.isoformat()}  # fmt: skip
        status = (
            cf.status if cf.status in (RESPONDED, FEEDBACK, CLOSED, OUTSIDE_REMIT) else DISPOSED
        )
        changed = replace(cf, status=status, data=data)
        uow.casefiles.save(changed)
        tell_topic(
            uow, conv, COMPLAINT_FORM, changed, "complaint_disposed", now, division=division[:100]
        )
        log_steps(uow, conv, [DISPOSED_STEP], now, actor.staff_id)
        return changed

    return in_transaction(conv_id, uow_factory, step)


def outside_remit(
    conv_id: int, reason: str, *, actor: Actor, setup: WorkflowSetup,
    uow_factory: UnitOfWorkFactory, now: datetime, key: str, heads: tuple[int, ...] = (),
) -> CaseFile:  # fmt: skip
    """/luar_wewenang: the head decides the complaint is not the office's to handle; the
    complainant is told why (and where to turn, in the head's words), the file and the
    conversation close. Not for a file already answered or closed."""

    def step(uow: UnitOfWork, conv: Conversation) -> CaseFile:
        access.require(access.may_dispose(actor), actor, "complaint_outside_remit")
        cf = workflow_files.file_of(uow, conv_id, COMPLAINT)
        if cf.status == OUTSIDE_REMIT and cf.data.get("remit_key") == key:
            return cf  # the same command again (after a restart): finish what it left below
        if cf.status in (RESPONDED, FEEDBACK, CLOSED, OUTSIDE_REMIT) or not conv.is_open:
            raise TransitionNotAllowed(cf.status, "outside_remit")
        data = {**cf.data, "remit": "outside", "remit_reason": reason[:2000],
                "remit_at": now.isoformat(), "remit_key": key}  # fmt: skip
        changed = replace(cf, status=OUTSIDE_REMIT, data=data, closed_at=now)
        uow.casefiles.save(changed)
        tell_topic(uow, conv, COMPLAINT_FORM, changed, "complaint_outside_remit", now,
                   reason=reason[:300])  # fmt: skip
        log_steps(uow, conv, [REMIT_STEP], now, actor.staff_id)
        return changed

    done = in_transaction(conv_id, uow_factory, step)
    body = setup.texts["complaint.outside_remit"].replace("{reason}", reason)
    reply_to_client(conv_id, body, actor=actor, idempotency_key=key, uow_factory=uow_factory,
                    now=now)  # fmt: skip
    _close_case(conv_id, actor, uow_factory, now, heads)
    return done


def clarify(
    conv_id: int, note: str, *, actor: Actor, uow_factory: UnitOfWorkFactory, now: datetime
) -> CaseFile:
    """/klarifikasi: what the clarification, investigation or mediation found (kept, dated)."""

    def step(uow: UnitOfWork, conv: Conversation) -> CaseFile:
        access.require(access.may_edit_form(actor, conv), actor, "clarify_complaint")
        cf = workflow_files.file_of(uow, conv_id, COMPLAINT)
        if cf.closed_at is not None:  # settled or answered outside the remit: its steps are done
            raise TransitionNotAllowed(cf.status, "clarify")
        notes = [*cf.data.get("clarifications", []), {"at": now.isoformat(), "text": note[:2000]}]
        changed = replace(cf, data={**cf.data, "clarifications": notes})
        uow.casefiles.save(changed)
        log_steps(uow, conv, [CLARIFIED], now, actor.staff_id)
        return changed

    return in_transaction(conv_id, uow_factory, step)


def respond(
    conv_id: int, answer: str, *, actor: Actor, setup: WorkflowSetup,
    uow_factory: UnitOfWorkFactory, now: datetime, key: str,
) -> CaseFile:  # fmt: skip
    """/tanggapan: the response goes to the complainant, with a request for feedback."""
    body = f"{answer}\n\n{setup.texts['complaint.feedback']}"
    reply_to_client(conv_id, body, actor=actor, idempotency_key=key, uow_factory=uow_factory,
                    now=now)  # fmt: skip

    def step(uow: UnitOfWork, conv: Conversation) -> CaseFile:
        cf = workflow_files.file_of(uow, conv_id, COMPLAINT)
        data = {**cf.data, "response": answer[:3000], "responded_at": now.isoformat()}
        changed = replace(cf, status=RESPONDED, data=data)
        uow.casefiles.save(changed)
        tell_topic(uow, conv, COMPLAINT_FORM, changed, "complaint_responded", now)
        log_steps(uow, conv, [RESPONDED_STEP], now, actor.staff_id)
        return changed

    return in_transaction(conv_id, uow_factory, step)


def finish(
    conv_id: int, report: str, *, actor: Actor, setup: WorkflowSetup,
    uow_factory: UnitOfWorkFactory, now: datetime, key: str, heads: tuple[int, ...] = (),
) -> CaseFile:  # fmt: skip
    """/selesai: the handling report (15) goes to the complainant (16) first, so that a refusal
    (the case is with a counselor, for an admin) changes nothing; then the complaint and its
    conversation close (tuntas). A complainant the bot may not write to now (safe contact) or
    whose conversation is closed is not written to: the topic says staff must deliver it."""
    report = report[:3000]
    with uow_factory() as uow:
        cf = workflow_files.file_of(uow, conv_id, COMPLAINT)
    if cf.closed_at is not None and cf.data.get("close_key") != key:
        raise TransitionNotAllowed(cf.status, "finish")  # settled or outside the remit: once
    sent = _send_report(conv_id, report, actor, setup, uow_factory, now, key)

    def step(uow: UnitOfWork, conv: Conversation) -> CaseFile:
        access.require(access.may_edit_form(actor, conv), actor, "finish_complaint")
        cf = workflow_files.file_of(uow, conv_id, COMPLAINT)
        if cf.status == CLOSED and cf.data.get("close_key") == key:
            return cf  # the same command again (after a restart): finish what it left below
        if cf.closed_at is not None:
            raise TransitionNotAllowed(cf.status, "finish")
        data = {**cf.data, "report": report, "close_key": key, "report_sent": sent}
        changed = replace(cf, status=CLOSED, data=data, closed_at=now)
        uow.casefiles.save(changed)
        event = "complaint_closed" if sent else "complaint_closed_unsent"
        tell_topic(uow, conv, COMPLAINT_FORM, changed, event, now)
        log_steps(uow, conv, [CLOSED_STEP, *([REPORT_SENT] if sent else [])], now,
                  actor.staff_id)  # fmt: skip
        return changed

    done = in_transaction(conv_id, uow_factory, step)
    _close_case(conv_id, actor, uow_factory, now, heads)
    return done


def _send_report(conv_id: int, report: str, actor: Actor, setup: WorkflowSetup,
                 uow_factory: UnitOfWorkFactory, now: datetime, key: str) -> bool:  # fmt: skip
    """The handling report to the complainant (the complaint standard's step 16; for one met
    offline a note, and the topic asks staff to hand it over). False when not sent."""
    with uow_factory() as uow:
        conv = uow.conversations.get(conv_id)
    if conv is None or not conv.is_open:
        return False
    body = setup.texts["complaint.report"].replace("{report}", report)
    try:
        reply_to_client(conv_id, body, actor=actor, idempotency_key=f"{key}:report",
                        uow_factory=uow_factory, now=now)  # fmt: skip
    except NotNow:  # the client's safe-contact preferences: staff deliver it some other way
        return False
    return True


def paper(
    conv_id: int, *, actor: Actor, uow_factory: UnitOfWorkFactory, now: datetime, sheet: bool,
    delivered_to: int | None = None,
) -> Paper:  # fmt: skip
    """What the disposition sheet (`sheet`: the complaint standard's step 6, logged) or the
    handling report is written from; for admins, heads and the counselor who had the case
    (the report goes to the heads when they close it), each reading audited."""

    def step(uow: UnitOfWork, conv: Conversation) -> Paper:
        access.require(access.may_keep_paperwork(actor, conv), actor, "complaint_paper")
        cf = workflow_files.file_of(uow, conv_id, COMPLAINT)
        what = "complaint.sheet" if sheet else "complaint.report"
        uow.audit.append(AuditEntry(now, actor.staff_id, actor.role.value, what, conv_id))
        if sheet:
            log_steps(uow, conv, [SHEET], now, actor.staff_id)
        if delivered_to is not None:  # the report to a party among the staff (step 16)
            log_steps(uow, conv, [DELIVERED], now, actor.staff_id, str(delivered_to))
        contact = uow.contacts.get(conv.reply_contact_id)
        if contact is None:
            raise NotFound(f"contact {conv.reply_contact_id}")
        steps = trail(uow.steps.for_conversation(conv_id), spoken=contact.channel in SPOKEN)
        return Paper(cf, contact.channel.value, conv.urgent, steps)

    return in_transaction(conv_id, uow_factory, step)


def steps_of(conv_id: int, uow_factory: UnitOfWorkFactory) -> list[StepDone]:
    """The complaint's 16 steps for its card (read with the card, whose reading is audited)."""
    with uow_factory() as uow:
        conv = uow.conversations.get(conv_id)
        contact = uow.contacts.get(conv.reply_contact_id) if conv is not None else None
        spoken = contact is not None and contact.channel in SPOKEN
        return trail(uow.steps.for_conversation(conv_id), spoken=spoken)


def _close_case(conv_id: int, actor: Actor, uow_factory: UnitOfWorkFactory, now: datetime,
                heads: tuple[int, ...]) -> None:  # fmt: skip
    """The complaint settled (or answered as outside the remit): its conversation closes too."""
    with uow_factory() as uow:
        conv = uow.conversations.get(conv_id)
    if conv is not None and conv.is_open:
        casework.close(conv_id, Outcome.TUNTAS, actor=actor, uow_factory=uow_factory, now=now,
                       heads=heads, key=f"complaint-close:{conv_id}")  # fmt: skip
