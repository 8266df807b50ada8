"""The psychoeducation workflow (the Kaltim standard): a school, a community or an
organisation asks for a session. The request's facts (institution, contact person, topic,
audience, proposed date) come as "Label: value" lines; a date less than 7 days ahead is not
allowed, and the first allowed working day is proposed instead. The request is answered within
3×24 hours (a reminder at 48 h, the head told at 72 h): /terima [date] accepts and tells the
requester, /tolak [reason] declines. Accepted sessions are listed for the head
(/psikoedukasi); once held, /terlaksana records how many came (the Kaltim standard reports the
sessions held).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, tzinfo

from triage.domain.forms.spec import FormSpec
from triage.domain.model import Conversation
from triage.domain.schedule.calendar import ServiceCalendar
from triage.domain.schedule.dates import parse_date
from triage.domain.schedule.sla import ESCALATION, REMINDER, Deadline
from triage.domain.workflow import (
    CaseFile,
    WorkflowSetup,
    missing,
    text_field,
)

RECORDING, WAITING, ACCEPTED, DECLINED = "recording", "waiting_answer", "accepted", "declined"
HELD = "held"  # the session took place (/terlaksana: participants counted)
ANSWER_HOURS = 72  # 3×24 hours (the Kaltim standard)
REMIND_HOURS = 48
LEAD_DAYS = 7  # booked at least one week ahead
REPORT_DAYS = 5  # the session's report within 5 working days (the Tangerang standard's step 6)
REPORT_STEP = "psikoedukasi_laporan"  # the deadline of that report

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


def first_allowed(setup: WorkflowSetup, now: datetime) -> date:
    """The first working day at least a week after the request."""
    day = now.astimezone(setup.calendar.zone).date() + timedelta(days=LEAD_DAYS)
    while not setup.calendar.is_working_day(day):
        day += timedelta(days=1)
    return day


def allowed(setup: WorkflowSetup, opened: datetime, day: date) -> bool:
    return day >= first_allowed(setup, opened) and setup.calendar.is_working_day(day)


def settle(cf: CaseFile, setup: WorkflowSetup) -> CaseFile:
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


def dates_of(cf: CaseFile) -> dict[str, str]:
    return {k: str(cf.data[k]) for k in ("date", "proposed") if k in cf.data}


def stored_date(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def report_deadlines(cf: CaseFile, conv: Conversation, calendar: ServiceCalendar) -> list[Deadline]:
    """The accepted session's report: a reminder a working day before its 5 working days, the
    heads at the end (moot once it is held, or when the session moves to another day)."""
    day = stored_date(cf.data.get("session"))
    if day is None:
        return []
    since = datetime.combine(day, time(), calendar.zone)
    due = calendar.add_working_days(since, REPORT_DAYS)
    remind = calendar.add_working_days(since, REPORT_DAYS - 1)
    return [
        Deadline(cf.conversation_id, conv.round, REPORT_STEP, REMINDER, since, remind),
        Deadline(cf.conversation_id, conv.round, REPORT_STEP, ESCALATION, since, due),
    ]


def report_still_due(cf: CaseFile | None, since: datetime, calendar: ServiceCalendar) -> bool:
    """A report deadline counts while its session is accepted (not held) on that same day."""
    day = since.astimezone(calendar.zone).date().isoformat()
    return cf is not None and cf.status == ACCEPTED and cf.data.get("session") == day


@dataclass(frozen=True)
class SessionFigures:
    """The month's psychoeducation for the report (the Kaltim standard): requests received,
    sessions accepted and held in the month (by their day), declined, and who came."""

    requested: int = 0
    accepted: int = 0
    declined: int = 0
    held: int = 0
    participants: int = 0


def figures(
    files: Sequence[CaseFile], start: datetime, end: datetime, zone: tzinfo
) -> SessionFigures:
    """[start, end): the month's instants; a session's day is read in the office's `zone`."""
    mine = [f for f in files if f.kind == "psikoedukasi"]
    first, last = start.astimezone(zone).date(), end.astimezone(zone).date()

    def in_month(cf: CaseFile) -> bool:
        day = stored_date(cf.data.get("session"))
        return day is not None and first <= day < last

    held = [f for f in mine if f.status == HELD and in_month(f)]
    return SessionFigures(
        requested=sum(start <= f.opened_at < end for f in mine),
        accepted=sum(f.status in (ACCEPTED, HELD) and in_month(f) for f in mine),
        declined=sum(
            f.status == DECLINED and f.closed_at is not None and start <= f.closed_at < end
            for f in mine
        ),  # fmt: skip
        held=len(held),
        participants=sum(int(f.data.get("participants") or 0) for f in held),
    )
