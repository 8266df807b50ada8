"""Use cases of a psychoeducation request: staff record its facts, accept it with a date or
decline it, record the session held, and list the accepted sessions (the rules are in
triage/domain/psychoeducation.py); and of the semester's guidance programme those sessions
belong to (triage/domain/programme.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime, time, tzinfo
from typing import Any

from triage.domain import access, programme
from triage.domain.errors import TransitionNotAllowed
from triage.domain.model import Actor, Conversation
from triage.domain.psychoeducation import (
    ACCEPTED,
    DECLINED,
    HELD,
    RECORDING,
    REQUEST_FORM,
    WAITING,
    allowed,
    dates_of,
    report_deadlines,
    settle,
    stored_date,
)
from triage.domain.schedule.calendar import ServiceCalendar
from triage.domain.workflow import PSYCHOEDUCATION, CaseFile, WorkflowSetup, merged, read_facts
from triage.effects import workflow_files
from triage.effects.psychoeducation_intake import open_file
from triage.effects.workflow_files import tell_topic
from triage.ports import UnitOfWork, UnitOfWorkFactory
from triage.usecases import workflow as workflow_cases
from triage.usecases._retry import in_transaction, on_conflict
from triage.usecases.replies import reply_to_client


def start(conv_id: int, **kwargs: Any) -> CaseFile:
    """Staff open the file by hand (triage.domain.workflow.start)."""
    return workflow_cases.start(conv_id, open_file, **kwargs)


def record(
    conv_id: int, lines: str, *, actor: Actor, setup: WorkflowSetup,
    uow_factory: UnitOfWorkFactory, now: datetime,
) -> tuple[CaseFile, list[str]]:  # fmt: skip
    def step(uow: UnitOfWork, conv: Conversation) -> tuple[CaseFile, list[str]]:
        access.require(access.may_edit_form(actor, conv), actor, "record_psychoeducation")
        cf = workflow_files.file_of(uow, conv_id, PSYCHOEDUCATION)
        given = read_facts(REQUEST_FORM, lines, now.date())
        changed = merged(cf, given)
        if "tanggal" in given and changed.status == WAITING:
            changed = replace(changed, status=RECORDING, data={})
        changed = settle(changed, setup)
        uow.casefiles.save(changed)
        if cf.status != WAITING and changed.status == WAITING:
            tell_topic(
                uow, conv, REQUEST_FORM, changed, "psychoed_complete", now, **dates_of(changed)
            )
        return changed, list(given)

    return in_transaction(conv_id, uow_factory, step)


def accept(
    conv_id: int, when: date | None, *, actor: Actor, setup: WorkflowSetup,
    uow_factory: UnitOfWorkFactory, now: datetime, key: str,
) -> CaseFile:  # fmt: skip
    """/terima [date]: the session is agreed (the date given, else the one asked or proposed)
    and the requester told."""
    with uow_factory() as uow:
        cf = workflow_files.file_of(uow, conv_id, PSYCHOEDUCATION)
    if cf.status == HELD:  # the session took place: nothing left to accept
        raise TransitionNotAllowed(cf.status, "accept")
    chosen = when or stored_date(cf.data.get("date") or cf.data.get("proposed"))
    if chosen is None or not allowed(setup, cf.opened_at, chosen):
        raise ValueError("date")
    body = setup.texts["psychoed.accepted"].format(date=setup.when_day(chosen))
    reply_to_client(conv_id, body, actor=actor, idempotency_key=key, uow_factory=uow_factory,
                    now=now)  # fmt: skip

    def step(uow: UnitOfWork, conv: Conversation) -> CaseFile:
        found = workflow_files.file_of(uow, conv_id, PSYCHOEDUCATION)
        data = {**found.data, "session": chosen.isoformat(), "answered_by": actor.staff_id}
        changed = replace(found, status=ACCEPTED, data=data, closed_at=now)
        uow.casefiles.save(changed)
        workflow_files.add_deadlines(uow, conv, report_deadlines(changed, conv, setup.calendar))
        tell_topic(
            uow, conv, REQUEST_FORM, changed, "psychoed_accepted", now, session=chosen.isoformat()
        )
        return changed

    return in_transaction(conv_id, uow_factory, step)


def decline(
    conv_id: int, reason: str, *, actor: Actor, setup: WorkflowSetup,
    uow_factory: UnitOfWorkFactory, now: datetime, key: str,
) -> CaseFile:  # fmt: skip
    with uow_factory() as uow:
        if workflow_files.file_of(uow, conv_id, PSYCHOEDUCATION).status == HELD:
            raise TransitionNotAllowed(HELD, "decline")
    body = setup.texts["psychoed.declined"]
    if reason:
        body = f"{body}\n\n{reason}"
    reply_to_client(conv_id, body, actor=actor, idempotency_key=key, uow_factory=uow_factory,
                    now=now)  # fmt: skip

    def step(uow: UnitOfWork, conv: Conversation) -> CaseFile:
        found = workflow_files.file_of(uow, conv_id, PSYCHOEDUCATION)
        data = {**found.data, "reason": reason[:1000], "answered_by": actor.staff_id}
        changed = replace(found, status=DECLINED, data=data, closed_at=now)
        uow.casefiles.save(changed)
        tell_topic(uow, conv, REQUEST_FORM, changed, "psychoed_declined", now)
        return changed

    return in_transaction(conv_id, uow_factory, step)


def held(
    conv_id: int, participants: int, note: str, *, actor: Actor, uow_factory: UnitOfWorkFactory,
    now: datetime, today: date, key: str,
) -> CaseFile:  # fmt: skip
    """/terlaksana: the accepted session took place, with how many came (said again: corrected;
    the same command redelivered: nothing again). Not before its day, nor for a request not
    accepted."""

    def step(uow: UnitOfWork, conv: Conversation) -> CaseFile:
        access.require(access.may_edit_form(actor, conv), actor, "psychoeducation_held")
        found = workflow_files.file_of(uow, conv_id, PSYCHOEDUCATION)
        if found.data.get("held_key") == key:
            return found
        day = stored_date(found.data.get("session"))
        if found.status not in (ACCEPTED, HELD) or day is None or day > today:
            raise TransitionNotAllowed(found.status, "held")
        # the first record says when the report was made (its 5 working days); a correction
        # of the count keeps it and says when it was corrected
        first = {"held_at": now.isoformat(), "held_by": actor.staff_id}
        if found.data.get("held_at"):
            first = {"held_at": found.data["held_at"], "held_by": found.data.get("held_by"),
                     "corrected_at": now.isoformat(), "corrected_by": actor.staff_id}  # fmt: skip
        data = {**found.data, "participants": participants, "held_note": note[:500],
                **first, "held_key": key}  # fmt: skip
        changed = replace(found, status=HELD, data=data)
        uow.casefiles.save(changed)
        tell_topic(uow, conv, REQUEST_FORM, changed, "psychoed_held", now,
                   participants=str(participants))  # fmt: skip
        return changed

    return in_transaction(conv_id, uow_factory, step)


def sessions(uow_factory: UnitOfWorkFactory, today: date) -> list[tuple[date, CaseFile]]:
    """Accepted sessions from `today` on, soonest first (the head's list)."""
    with uow_factory() as uow:
        files = uow.casefiles.of_kind(PSYCHOEDUCATION)
    out = [
        (day, cf)
        for cf in files
        if cf.status == ACCEPTED and (day := stored_date(cf.data.get("session"))) and day >= today
    ]
    return sorted(out, key=lambda pair: pair[0])


# The guidance programme of a semester (triage.domain.programme): its steps are kept in its
# own log, each by the role the standard names.
HEAD_STEPS = (programme.FEEDBACK, programme.APPROVED, programme.ASSIGNED)


def programme_of(semester: programme.Semester, *, actor: Actor,
                 uow_factory: UnitOfWorkFactory) -> programme.Programme:  # fmt: skip
    access.require(access.may_take_programme_step(actor, False), actor, "programme")
    with uow_factory() as uow:
        return programme.Programme(semester, uow.programme.of(str(semester)))


def take_step(
    semester: programme.Semester, step: str, detail: Mapping[str, Any], *, actor: Actor,
    uow_factory: UnitOfWorkFactory, now: datetime, today: date, key: str,
    then: Sequence[str] = (),
) -> programme.Programme:  # fmt: skip
    """One step of the programme, by whom the standard names, with the steps that come with it
    (`then`: the letter of assignment with the approval, the handing over with the report) in
    the same transaction. A step out of order is refused (TransitionNotAllowed with the
    reason). The same command again (`key`) adds nothing and answers with the programme it
    acted on, whatever semester the words would point to now."""
    allowed = access.may_take_programme_step(actor, step in HEAD_STEPS)
    access.require(allowed, actor, f"programme_{step}")

    def work() -> programme.Programme:
        with uow_factory() as uow:
            done = uow.programme.by_key(key)
            if done is not None:
                acted_on = programme.parse_semester(done.semester) or semester
                return programme.Programme(acted_on, uow.programme.of(done.semester))
            before = programme.Programme(semester, uow.programme.of(str(semester)))
            reason = programme.refusal(before, step, today)
            if reason is not None:
                raise TransitionNotAllowed(reason, step)
            for n, (what, wrote) in enumerate([(step, detail), *((s, {}) for s in then)]):
                entry = programme.ProgrammeStep(str(semester), what, now, actor.staff_id, wrote)
                uow.programme.add(entry, key if n == 0 else f"{key}:{what}")
            uow.commit()
            return programme.Programme(semester, uow.programme.of(str(semester)))

    return on_conflict(work, uow_factory.pause)  # a race on the key: the winner's is found


def needs_of(semester: programme.Semester, *, uow_factory: UnitOfWorkFactory,
             zone: tzinfo) -> programme.Needs:  # fmt: skip
    """The mapping for `semester` from the semester before it (cases by category, the topics
    asked for)."""
    before = semester.previous()
    start, end = (datetime.combine(d, time(), zone) for d in (before.first, before.end))
    with uow_factory() as uow:
        cases = uow.reports.cases_received(start, end)
        files = uow.casefiles.of_kind(PSYCHOEDUCATION)
    return programme.needs((c.category for c in cases), files, start, end)


def outcome_of(semester: programme.Semester, *,
               uow_factory: UnitOfWorkFactory) -> programme.Outcome:  # fmt: skip
    with uow_factory() as uow:
        return programme.outcome(uow.casefiles.of_kind(PSYCHOEDUCATION), semester)


def programme_due(
    today: date, *, calendar: ServiceCalendar, uow_factory: UnitOfWorkFactory, now: datetime
) -> list[tuple[programme.Semester, programme.Due]]:
    """The steps past their target of the last semester's programme (its report), this one's
    and the next one's (planned during this one)."""
    out = []
    with uow_factory() as uow:
        now_on = programme.semester_of(today)  # the next one is planned during this one
        for semester in (now_on.previous(), now_on, now_on.next()):
            found = programme.Programme(semester, uow.programme.of(str(semester)))
            out += [(semester, d) for d in programme.due(found, calendar) if d.due_at <= now]
    return out
