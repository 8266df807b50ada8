"""A psychoeducation request inside the relay: its file opens when triage sorts a conversation
as `psikoedukasi`, and what the requester sends later is read into it."""

from __future__ import annotations

from datetime import datetime, timedelta

from triage.domain.model import Conversation, StoredMessage
from triage.domain.psychoeducation import (
    ANSWER_HOURS,
    RECORDING,
    REMIND_HOURS,
    REQUEST_FORM,
    WAITING,
    dates_of,
    first_allowed,
    settle,
)
from triage.domain.workflow import (
    PSYCHOEDUCATION,
    CaseFile,
    WorkflowSetup,
    merged,
    missing,
    questions,
    read_facts,
)
from triage.effects.steplog import log_steps
from triage.effects.workflow_files import store_new, tell_client, tell_topic
from triage.ports import UnitOfWork


def open_file(
    uow: UnitOfWork, conv: Conversation, story: str, setup: WorkflowSetup, now: datetime
) -> CaseFile | None:
    assert conv.id is not None
    if uow.casefiles.get(conv.id) is not None:
        return None
    due = now + timedelta(hours=ANSWER_HOURS)
    facts = read_facts(REQUEST_FORM, story, now.date())
    cf = settle(CaseFile(conv.id, PSYCHOEDUCATION, RECORDING, facts, now, due), setup)
    store_new(uow, cf, conv, now + timedelta(hours=REMIND_HOURS))
    log_steps(uow, conv, ["psychoeducation_opened"], now)
    earliest = setup.when_day(first_allowed(setup, now))
    body = setup.texts["psychoed.received"].format(earliest=earliest)
    ask = missing(REQUEST_FORM, cf.facts)
    if ask:
        body += "\n\n" + setup.texts["psychoed.ask"] + "\n\n"
        body += questions(REQUEST_FORM, setup.lang, ask)
    tell_client(uow, conv, f"psychoed:{conv.id}:opened", body, now)
    tell_topic(uow, conv, REQUEST_FORM, cf, "psychoed_opened", now)
    return cf


def on_client_messages(
    uow: UnitOfWork,
    conv: Conversation,
    cf: CaseFile,
    messages: list[StoredMessage],
    setup: WorkflowSetup,
    now: datetime,
) -> CaseFile:
    changed = cf
    for m in messages:
        if changed.status != RECORDING or m.auto_generated or not m.text:
            continue
        given = read_facts(REQUEST_FORM, m.text, now.date())
        if given:
            changed = settle(merged(changed, given), setup)
    if changed != cf:
        uow.casefiles.save(changed)
        if changed.status == WAITING:
            tell_topic(
                uow, conv, REQUEST_FORM, changed, "psychoed_complete", now, **dates_of(changed)
            )
    return changed
