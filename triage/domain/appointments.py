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

from triage.domain.schedule.calendar import ServiceCalendar
from triage.domain.schedule.dates import YEAR_WRITTEN, parse_date

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
# "7 malam", "3 sore", "1 siang", "7 pm": the hour is in the afternoon or evening
DAYPART = re.compile(r"(pagi|siang|sore|petang|malam|a\.m\.|p\.m\.|am|pm)(?![a-z])", re.I)
AFTERNOON = frozenset({"siang", "sore", "petang", "malam", "pm", "p.m."})
EARLIEST_HOUR = 6  # an earlier hour needs "pagi" or "malam": nobody means 5 in the morning
JUST_PASSED_DAYS = 300  # a date without its year this far ahead has just passed
MAX_AHEAD_DAYS = 370
RELATIVE = {"besok": 1, "tomorrow": 1, "lusa": 2, "hari ini": 0, "today": 0}
WEEKDAYS = {
    **{d: n for n, d in enumerate("senin selasa rabu kamis jumat sabtu minggu".split())},
    **{d: n for n, d in enumerate(
        "monday tuesday wednesday thursday friday saturday sunday".split())},
    "jum'at": 4, "ahad": 6,
}  # fmt: skip
_DAY_WORDS = sorted(map(re.escape, [*RELATIVE, *WEEKDAYS]), key=len, reverse=True)
DAY_WORD = re.compile(r"\b(" + "|".join(_DAY_WORDS) + r")\b")


@dataclass(frozen=True)
class Appointment:
    id: int | None
    conversation_id: int
    at: datetime  # when the session begins (aware)
    place: str
    counselor_id: int | None  # who scheduled it as the case's counselor (None: not known then)
    status: str  # one of STATUSES
    by: int  # the staff member who scheduled it
    created_at: datetime


@dataclass(frozen=True)
class Wanted:
    when: datetime
    place: str


class AppointmentProblem(ValueError):
    """`date` (no date read, or a weekday that is not the date's), `time` (no time read, or an
    early hour without "pagi"/"malam"), `past` (not in the future), `place` (none written)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def parse(words: str, today: date, now: datetime, zone: tzinfo) -> Wanted:
    """ "12 Desember 2026 10.00 Ruang konseling 1", "besok pukul 7 malam daring (Zoom)",
    "Kamis 17 Desember 09.30 rumah klien": the date before the time, the place after it (so a
    number in the place, "Jl. Melati 5/7", is never taken for a date)."""
    text = " ".join(words.split())
    found = TIME.search(text)
    if found is None:
        raise AppointmentProblem("time")
    hour = int(found[1] if found[1] is not None else found[3])
    minute = int(found[2]) if found[1] is not None else 0
    before, after = text[: found.start()].strip(), text[found.end() :].strip()
    part = DAYPART.match(after)
    if part is not None:  # "7 malam", "3 sore", "7 pm": afternoon and evening hours
        after = after[part.end() :].strip()
        if part[1].casefold() in AFTERNOON and hour < 12:
            hour += 12
    elif hour < EARLIEST_HOUR:  # "jam 5": morning or afternoon? staff say which
        raise AppointmentProblem("time")
    day = _date_of(before, today)
    when = datetime.combine(day, time(hour, minute), zone)
    if when <= now:
        raise AppointmentProblem("past")
    place = LEADING.sub("", after).strip(" ,.-")[:MAX_PLACE]
    if not place:
        raise AppointmentProblem("place")
    return Wanted(when, place)


def _date_of(before: str, today: date) -> date:
    """The date written before the time: a date (a weekday beside it must agree), or "besok",
    "lusa", a weekday (the next one after today). Without a year, the next such date, unless it
    has just passed ("5 Desember" on the 8th is past, not next year's)."""
    words = " ".join(before.casefold().replace(",", " ").split())
    named = DAY_WORD.search(words)
    bare = " ".join(DAY_WORD.sub(" ", words).split())
    written = parse_date(bare, today) if bare else None
    if written is not None:
        if not YEAR_WRITTEN.search(bare) and written - today > timedelta(days=JUST_PASSED_DAYS):
            raise AppointmentProblem("past")
        if named is not None and named[1] in WEEKDAYS and WEEKDAYS[named[1]] != written.weekday():
            raise AppointmentProblem("date")  # "Kamis 17 Desember" when the 17th is no Thursday
    elif named is not None and not bare:
        written = _relative_day(named[1], today)
    if written is None or written - today > timedelta(days=MAX_AHEAD_DAYS):
        raise AppointmentProblem("date")
    return written


def _relative_day(word: str, today: date) -> date:
    """ "besok", "lusa", "Selasa": the coming day (a weekday named is the next one after today)."""
    if word in RELATIVE:
        return today + timedelta(days=RELATIVE[word])
    ahead = (WEEKDAYS[word] - today.weekday()) % 7 or 7
    return today + timedelta(days=ahead)


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
