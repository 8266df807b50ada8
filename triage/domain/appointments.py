"""Appointments (the Karangasem standard: clients phone for an appointment; a counseling that
ends Ulang continues at a next session): a session agreed with the client, with its date, time
and place. The client is reminded the day before and an hour before, each reminder moved into
service hours when it falls outside them (staff are there if the client answers); the counselor
is reminded too; a client met offline is reminded through staff, by a task in the case's topic.
After the session staff record whether the client came."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from triage.domain.psychoeducation import parse_date
from triage.domain.schedule.calendar import ServiceCalendar

SCHEDULED, ATTENDED, NO_SHOW, CANCELLED = "terjadwal", "hadir", "tidak_hadir", "batal"
STATUSES = (SCHEDULED, ATTENDED, NO_SHOW, CANCELLED)
# the two reminders: the step names of their deadline rows, and how long before the session
REMINDERS = (("appointment_day", timedelta(days=1)), ("appointment_hour", timedelta(hours=1)))
STEPS = frozenset(step for step, _ in REMINDERS)
LAST_CALL = timedelta(minutes=15)  # a reminder moved back lands this long before a period ends
LOOK_BACK_DAYS = 7
MAX_PLACE = 200
# a time of day not glued to a date ("10.00", "pukul 9:30"; not the "12.12" of "12.12.2026")
TIME = re.compile(
    r"(?:\b(?:pukul|pkl|jam|at)\.?\s*)?(?<![\d./-])([01]?\d|2[0-3])[.:]([0-5]\d)(?![\d./:-])"
    r"|\b(?:pukul|pkl|jam|at)\.?\s*([01]?\d|2[0-3])\b(?![.:/-]?\d)",
    re.IGNORECASE,
)
LEADING = re.compile(r"^(?:di|at|in|tempat|place)\b[:\s]*", re.IGNORECASE)


@dataclass(frozen=True)
class Appointment:
    id: int | None
    conversation_id: int
    at: datetime  # when the session begins (aware)
    place: str
    counselor_id: int | None  # who holds the session (None: not yet known)
    status: str  # one of STATUSES
    by: int  # the staff member who scheduled it
    created_at: datetime


@dataclass(frozen=True)
class Wanted:
    when: datetime
    place: str


class AppointmentProblem(ValueError):
    """`date` (no date read), `time` (no time read), `past` (not in the future), `place`."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def parse(words: str, today: date, now: datetime, zone: tzinfo) -> Wanted:
    """ "12 Desember 2026 10.00 Ruang konseling 1", "12-12 pukul 09:30 daring (Zoom)": a date,
    a time, and the rest is the place."""
    text = " ".join(words.split())
    times = list(TIME.finditer(text))
    if not times:
        raise AppointmentProblem("time")
    found = times[-1]  # "12.12 10.00": the last one is the time
    rest = (text[: found.start()] + " " + text[found.end() :]).strip()
    day = _relative_day(rest, today) or parse_date(rest, today)
    if day is None:
        raise AppointmentProblem("date")
    hour, minute = (found[1], found[2]) if found[1] is not None else (found[3], "0")
    when = datetime.combine(day, time(int(hour), int(minute)), zone)
    if when <= now:
        raise AppointmentProblem("past")
    place = LEADING.sub("", _without_date(rest)).strip()[:MAX_PLACE]
    if not place:
        raise AppointmentProblem("place")
    return Wanted(when, place)


RELATIVE = {"besok": 1, "tomorrow": 1, "lusa": 2, "hari ini": 0, "today": 0}
WEEKDAYS = {
    **{d: n for n, d in enumerate("senin selasa rabu kamis jumat sabtu minggu".split())},
    **{d: n for n, d in enumerate(
        "monday tuesday wednesday thursday friday saturday sunday".split())},
    "jum'at": 4, "ahad": 6,
}  # fmt: skip
DAY_WORD = re.compile(
    r"\b("
    + "|".join(sorted(map(re.escape, [*RELATIVE, *WEEKDAYS]), key=len, reverse=True))
    + r")\b",
    re.IGNORECASE,
)


def _relative_day(text: str, today: date) -> date | None:
    """ "besok", "lusa", "Selasa": the coming day (a weekday named is the next one after today)."""
    found = DAY_WORD.search(text)
    if found is None:
        return None
    word = found[1].casefold()
    if word in RELATIVE:
        return today + timedelta(days=RELATIVE[word])
    ahead = (WEEKDAYS[word] - today.weekday()) % 7 or 7
    return today + timedelta(days=ahead)


DATE_WORDS = re.compile(
    r"\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{2,4})?\b"
    r"|\b\d{1,2}\s+[A-Za-z]+\.?(?:\s+\d{4})?\b"
)


def _without_date(text: str) -> str:
    if DAY_WORD.search(text):
        text = DAY_WORD.sub(" ", text, count=1)
    else:
        text = DATE_WORDS.sub(" ", text, count=1)
    return " ".join(text.split()).strip(" ,.-")


def reminder_times(
    at: datetime, calendar: ServiceCalendar, now: datetime
) -> list[tuple[str, datetime]]:
    """When each reminder goes: its time if the office is open then; else the last service
    moment before it (a quarter of an hour before that period ends) if that is still ahead,
    else the next opening before the session; none after the session or before `now` (a
    session made for this afternoon gets only the reminders still ahead). Two that would land
    within an hour of each other go as one (the later)."""
    found: list[tuple[str, datetime]] = []
    for step, ahead in REMINDERS:
        when = _in_service(at - ahead, at, calendar, now)
        if when is not None:
            found.append((step, when))
    if len(found) == 2 and found[1][1] - found[0][1] < timedelta(hours=1):
        found = found[1:]
    return found


def _in_service(
    target: datetime, session: datetime, calendar: ServiceCalendar, now: datetime
) -> datetime | None:
    if calendar.is_open(target):
        return target if now <= target < session else None
    day = target.astimezone(calendar.zone).date()
    for back in range(LOOK_BACK_DAYS + 1):
        earlier = [p for p in calendar.periods_on(day - timedelta(days=back)) if p[0] < target]
        if earlier:
            start, end = earlier[-1]
            moment = max(start, min(target, end - LAST_CALL))
            if now <= moment:
                return moment
            break
    after = calendar.next_open(max(target, now))
    return after if after < session else None
