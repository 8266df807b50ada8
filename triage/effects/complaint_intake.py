"""A complaint inside the relay: its file opens when triage sorts a conversation as `pengaduan`,
the facts the complainant sends later are read into it, and the heads get it for disposition
once every fact is in."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from triage.domain import notices
from triage.domain.complaint import (
    COMPLAINT_FORM,
    FACTS,
    FEEDBACK,
    FEEDBACK_STEP,
    FORWARDED,
    OPENED,
    RECORDING,
    RESPONDED,
    WAITING,
    settle,
    summary,
)
from triage.domain.model import Conversation, StoredMessage
from triage.domain.notices import Kind
from triage.domain.workflow import (
    COMPLAINT,
    CaseFile,
    WorkflowSetup,
    merged,
    missing,
    questions,
    read_facts,
)
from triage.effects import notify
from triage.effects.steplog import log_steps
from triage.effects.workflow_files import store_new, tell_client, tell_topic
from triage.ports import UnitOfWork


def open_file(
    uow: UnitOfWork, conv: Conversation, story: str, setup: WorkflowSetup, now: datetime
) -> CaseFile | None:
    """Open the complaint file of `conv` (once), told to the complainant and the admin topic."""
    assert conv.id is not None
    if uow.casefiles.get(conv.id) is not None:
        return None
    days = setup.complaint_days
    due = setup.calendar.add_working_days(now, days)
    remind = setup.calendar.add_working_days(now, days - 1) if days > 1 else now
    facts = read_facts(COMPLAINT_FORM, story, now.date())
    if "pengaduan" not in facts and story.strip():
        facts["pengaduan"] = " ".join(story.split())[:2000]
    cf = CaseFile(conv.id, COMPLAINT, RECORDING, facts, now, due)
    cf = settle(cf)
    store_new(uow, cf, conv, remind)
    log_steps(uow, conv, [OPENED], now)
    ask = missing(COMPLAINT_FORM, cf.facts)
    body = setup.texts["complaint.received"].format(due=setup.when(due))
    if ask:
        body += "\n\n" + setup.texts["complaint.ask"] + "\n\n"
        body += questions(COMPLAINT_FORM, setup.lang, ask)
    tell_client(uow, conv, f"complaint:{conv.id}:opened", body, now)
    tell_topic(uow, conv, COMPLAINT_FORM, cf, "complaint_opened", now, due=setup.when(due))
    if cf.status == WAITING:  # every fact in the first message (a letter typed out whole)
        forward_complete(uow, conv, cf, setup, now)
    return cf


def on_client_messages(
    uow: UnitOfWork,
    conv: Conversation,
    cf: CaseFile,
    messages: list[StoredMessage],
    setup: WorkflowSetup,
    now: datetime,
) -> CaseFile:
    """Inside the relay: facts the complainant sends are recorded; after the response, the
    next message is the complainant's feedback."""
    changed = cf
    for m in messages:
        if m.auto_generated or not m.text:
            continue
        if changed.status == RESPONDED:
            data = {**changed.data, "feedback": m.text[:2000], "feedback_at": now.isoformat()}
            changed = replace(changed, status=FEEDBACK, data=data)
            tell_topic(uow, conv, COMPLAINT_FORM, changed, "complaint_feedback", now)
            log_steps(uow, conv, [FEEDBACK_STEP], now)
            continue
        if changed.status == RECORDING:
            given = read_facts(COMPLAINT_FORM, m.text, now.date())
            if given:
                changed = settle(merged(changed, given))
                log_steps(uow, conv, [FACTS], now)
    if changed != cf:
        uow.casefiles.save(changed)
        if cf.status == RECORDING and changed.status == WAITING:
            forward_complete(uow, conv, changed, setup, now)
    return changed


def forward_complete(
    uow: UnitOfWork, conv: Conversation, cf: CaseFile, setup: WorkflowSetup, now: datetime
) -> None:
    """Every fact is in: the topic hears it, and the heads get the complaint for disposition
    (the complaint standard: the admin forwards it to the head)."""
    assert conv.id is not None
    tell_topic(uow, conv, COMPLAINT_FORM, cf, "complaint_complete", now)
    log_steps(uow, conv, [FORWARDED], now)
    for head in setup.heads:
        notify.queue(
            uow,
            key=f"complaint-disposition:{conv.id}:{head}",
            recipient=notices.staff(head),
            kind=Kind.STATUS,
            now=now,
            conv=conv,
            event="complaint_for_disposition",
            text=summary(cf),
            due=setup.when(cf.due_at),
        )
