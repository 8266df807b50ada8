"""The psychoeducation workflow (seed 001, issue 6 item 6): a school, a community or an
organisation asks for a session. The request's facts (institution, contact person, topic,
audience, proposed date) come as "Label: value" lines; a date less than 7 days ahead is not
allowed, and the first allowed working day is proposed instead. The request is answered within
3×24 hours (a reminder at 48 h, the head told at 72 h): /terima [date] accepts and tells the
requester, /tolak [reason] declines. Accepted sessions are listed for the head
(/psikoedukasi).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

from triage import access, casefile, casework
from triage.casefile import (
    PSYCHOEDUCATION,
    CaseFile,
    WorkflowSetup,
    in_transaction,
    merged,
    missing,
    questions,
    read_facts,
    store_new,
    tell_client,
    tell_topic,
    text_field,
)
from triage.identity_form import FormSpec
from triage.model import Actor, Conversation, StoredMessage
from triage.ports import UnitOfWork, UnitOfWorkFactory
from triage.replies import reply_to_client

RECORDING, WAITING, ACCEPTED, DECLINED = "recording", "waiting_answer", "accepted", "declined"
ANSWER_HOURS = 72  # 3×24 hours (seed 001)
REMIND_HOURS = 48
LEAD_DAYS = 7  # booked at least one week ahead

REQUEST_FORM = FormSpec(
    (
        text_field(
            "institusi",
            "Nama sekolah, komunitas atau organisasi:",
            "School, community or organisation:",
            "lembaga",
            "instansi",
            "institution",
        ),  # fmt: skip
        text_field(
            "narahubung",
            "Nama dan nomor HP narahubung:",
            "Contact person and phone:",
            "kontak",
            "contact",
            personal=True,
        ),  # fmt: skip
        text_field("topik", "Topik yang diminta:", "Topic:", "tema", "topic"),
        text_field(
            "peserta",
            "Siapa pesertanya dan berapa orang?",
            "Who attends, how many?",
            "sasaran",
            "audience",
        ),  # fmt: skip
        text_field(
            "tanggal",
            "Tanggal yang diusulkan (paling cepat 7 hari lagi):",
            "Proposed date (at least 7 days ahead):",
            "tanggal usulan",
            "date",
        ),  # fmt: skip
    )
)

MONTHS = {
    **{m: n for n, m in enumerate(
        ("januari februari maret april mei juni juli agustus september oktober november "
         "desember").split(), start=1)},
    **{m: n for n, m in enumerate(
        "jan feb mar apr mei jun jul agu sep okt nov des".split(), start=1)},
    **{m: n for n, m in enumerate(
        ("january february march april may june july august september october november "
         "december").split(), start=1)},
    "aug": 8, "oct": 10, "dec": 12, "agt": 8, "ags": 8,
}  # fmt: skip
NUMERIC = re.compile(r"(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2,4}))?")
ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
WORDS = re.compile(r"(\d{1,2})\s+([a-z]+)\.?(?:\s+(\d{4}))?")


def parse_date(text: str, today: date) -> date | None:
    """ "5 Desember 2026", "5 des", "05/12/2026", "5-12", "2026-12-05"; without a year, the
    next such date. None for anything else (never raises)."""
    raw = " ".join(text.casefold().replace(",", " ").split())
    try:
        if found := ISO.search(raw):
            return date(int(found[1]), int(found[2]), int(found[3]))
        day = month = year = None
        if found := NUMERIC.search(raw):
            day, month = int(found[1]), int(found[2])
            year = int(found[3]) if found[3] else None
        elif (found := WORDS.search(raw)) and found[2] in MONTHS:
            day, month = int(found[1]), MONTHS[found[2]]
            year = int(found[3]) if found[3] else None
        if day is None or month is None:
            return None
        if year is not None and year < 100:
            year += 2000
        if year is None:
            year = today.year
            if date(year, month, day) < today:
                year += 1
        return date(year, month, day)
    except ValueError:
        return None


def first_allowed(setup: WorkflowSetup, now: datetime) -> date:
    """The first working day at least a week after the request."""
    day = now.astimezone(setup.calendar.zone).date() + timedelta(days=LEAD_DAYS)
    while not setup.calendar.is_working_day(day):
        day += timedelta(days=1)
    return day


def allowed(setup: WorkflowSetup, opened: datetime, day: date) -> bool:
    return day >= first_allowed(setup, opened) and setup.calendar.is_working_day(day)


def open_file(
    uow: UnitOfWork, conv: Conversation, story: str, setup: WorkflowSetup, now: datetime
) -> CaseFile | None:
    assert conv.id is not None
    if uow.casefiles.get(conv.id) is not None:
        return None
    due = now + timedelta(hours=ANSWER_HOURS)
    facts = read_facts(REQUEST_FORM, story, now.date())
    cf = _settle(CaseFile(conv.id, PSYCHOEDUCATION, RECORDING, facts, now, due), setup)
    store_new(uow, cf, conv, now + timedelta(hours=REMIND_HOURS))
    casework.log_steps(uow, conv, ["psychoeducation_opened"], now)
    earliest = setup.when_day(first_allowed(setup, now))
    body = setup.texts["psychoed.received"].format(earliest=earliest)
    ask = missing(REQUEST_FORM, cf.facts)
    if ask:
        body += "\n\n" + setup.texts["psychoed.ask"] + "\n\n"
        body += questions(REQUEST_FORM, setup.lang, ask)
    tell_client(uow, conv, f"psychoed:{conv.id}:opened", body, now)
    tell_topic(uow, conv, REQUEST_FORM, cf, "psychoed_opened", now)
    return cf


def _settle(cf: CaseFile, setup: WorkflowSetup) -> CaseFile:
    """Complete once every fact is in; a date too soon (or on a closed day) gets the first
    allowed date proposed instead."""
    if cf.status != RECORDING or missing(REQUEST_FORM, cf.facts):
        return cf
    asked = parse_date(cf.facts.get("tanggal", ""), cf.opened_at.date())
    data = dict(cf.data)
    if asked is not None and allowed(setup, cf.opened_at, asked):
        data["date"] = asked.isoformat()
    else:
        data["proposed"] = first_allowed(setup, cf.opened_at).isoformat()
    return replace(cf, status=WAITING, data=data)


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
            changed = _settle(merged(changed, given), setup)
    if changed != cf:
        uow.casefiles.save(changed)
        if changed.status == WAITING:
            tell_topic(
                uow, conv, REQUEST_FORM, changed, "psychoed_complete", now, **_dates(changed)
            )
    return changed


def _dates(cf: CaseFile) -> dict[str, str]:
    return {k: str(cf.data[k]) for k in ("date", "proposed") if k in cf.data}


def start(conv_id: int, **kwargs: Any) -> CaseFile:
    """Staff open the file by hand (triage.casefile.start)."""
    return casefile.start(conv_id, open_file, **kwargs)


def record(
    conv_id: int, lines: str, *, actor: Actor, setup: WorkflowSetup,
    uow_factory: UnitOfWorkFactory, now: datetime,
) -> tuple[CaseFile, list[str]]:  # fmt: skip
    def step(uow: UnitOfWork, conv: Conversation) -> tuple[CaseFile, list[str]]:
        access.require(access.may_edit_form(actor, conv), actor, "record_psychoeducation")
        cf = casefile.file_of(uow, conv_id, PSYCHOEDUCATION)
        given = read_facts(REQUEST_FORM, lines, now.date())
        changed = merged(cf, given)
        if "tanggal" in given and changed.status == WAITING:
            changed = replace(changed, status=RECORDING, data={})
        changed = _settle(changed, setup)
        uow.casefiles.save(changed)
        if cf.status != WAITING and changed.status == WAITING:
            tell_topic(
                uow, conv, REQUEST_FORM, changed, "psychoed_complete", now, **_dates(changed)
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
        cf = casefile.file_of(uow, conv_id, PSYCHOEDUCATION)
    chosen = when or _date(cf.data.get("date") or cf.data.get("proposed"))
    if chosen is None or not allowed(setup, cf.opened_at, chosen):
        raise ValueError("date")
    body = setup.texts["psychoed.accepted"].format(date=setup.when_day(chosen))
    reply_to_client(conv_id, body, actor=actor, idempotency_key=key, uow_factory=uow_factory,
                    now=now)  # fmt: skip

    def step(uow: UnitOfWork, conv: Conversation) -> CaseFile:
        found = casefile.file_of(uow, conv_id, PSYCHOEDUCATION)
        data = {**found.data, "session": chosen.isoformat(), "answered_by": actor.staff_id}
        changed = replace(found, status=ACCEPTED, data=data, closed_at=now)
        uow.casefiles.save(changed)
        tell_topic(
            uow, conv, REQUEST_FORM, changed, "psychoed_accepted", now, session=chosen.isoformat()
        )
        return changed

    return in_transaction(conv_id, uow_factory, step)


def decline(
    conv_id: int, reason: str, *, actor: Actor, setup: WorkflowSetup,
    uow_factory: UnitOfWorkFactory, now: datetime, key: str,
) -> CaseFile:  # fmt: skip
    body = setup.texts["psychoed.declined"]
    if reason:
        body = f"{body}\n\n{reason}"
    reply_to_client(conv_id, body, actor=actor, idempotency_key=key, uow_factory=uow_factory,
                    now=now)  # fmt: skip

    def step(uow: UnitOfWork, conv: Conversation) -> CaseFile:
        found = casefile.file_of(uow, conv_id, PSYCHOEDUCATION)
        data = {**found.data, "reason": reason[:1000], "answered_by": actor.staff_id}
        changed = replace(found, status=DECLINED, data=data, closed_at=now)
        uow.casefiles.save(changed)
        tell_topic(uow, conv, REQUEST_FORM, changed, "psychoed_declined", now)
        return changed

    return in_transaction(conv_id, uow_factory, step)


def sessions(uow_factory: UnitOfWorkFactory, today: date) -> list[tuple[date, CaseFile]]:
    """Accepted sessions from `today` on, soonest first (the head's list)."""
    with uow_factory() as uow:
        files = uow.casefiles.of_kind(PSYCHOEDUCATION)
    out = [
        (day, cf)
        for cf in files
        if cf.status == ACCEPTED and (day := _date(cf.data.get("session"))) and day >= today
    ]
    return sorted(out, key=lambda pair: pair[0])


def _date(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
