"""Service-time arithmetic: hours with a lunch break, weekends, public holidays and
cuti bersama; property tests that adding then measuring round-trips and nothing lands outside
service time."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from triage.domain.schedule.calendar import ServiceCalendar

WITA = ZoneInfo("Asia/Makassar")
HOURS = {
    0: ((time(8), time(12)), (time(13), time(16))),  # Monday, with a lunch break
    1: ((time(8), time(16)),),
    2: ((time(8), time(16)),),
    3: ((time(8), time(16)),),
    4: ((time(8), time(11, 30)),),  # Friday (the Kaltim standard)
}
HOLIDAYS = frozenset({date(2026, 12, 24), date(2026, 12, 25), date(2027, 1, 1)})
CAL = ServiceCalendar(WITA, HOURS, HOLIDAYS)


def wita(*args):
    return datetime(*args, tzinfo=WITA)


def test_the_clock_waits_over_lunch_the_weekend_and_holidays():
    assert CAL.add_minutes(wita(2026, 11, 23, 11, 50), 15) == wita(2026, 11, 23, 13, 5)
    assert CAL.add_minutes(wita(2026, 11, 27, 11, 0), 45) == wita(2026, 11, 30, 8, 15)
    # Wednesday 23 Dec 15.50 + 30 min: Thursday and Friday are holidays, then the weekend
    assert CAL.add_minutes(wita(2026, 12, 23, 15, 50), 30) == wita(2026, 12, 28, 8, 20)
    assert CAL.minutes_between(wita(2026, 11, 27, 11, 0), wita(2026, 11, 30, 8, 15)) == 45
    assert CAL.next_open(wita(2026, 11, 28, 9, 0)) == wita(2026, 11, 30, 8, 0)
    assert not CAL.is_open(wita(2026, 11, 23, 12, 30)) and CAL.is_open(wita(2026, 11, 23, 13))


def test_working_days_skip_weekends_and_holidays():
    # a complaint on Monday 21 Dec: Tue 22, Wed 23, (24, 25 holidays, weekend), Mon 28, Tue 29
    due = CAL.add_working_days(wita(2026, 12, 21, 9, 0), 4)
    assert due == wita(2026, 12, 29, 16, 0)


def test_an_office_with_no_hours_is_refused():
    with pytest.raises(ValueError):
        ServiceCalendar(WITA, {}, frozenset())


instants = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)
)


@settings(max_examples=300, deadline=None)
@given(instants, st.integers(min_value=0, max_value=5000))
def test_adding_then_measuring_round_trips(at, minutes):
    later = CAL.add_minutes(at, minutes)
    assert later >= at
    assert CAL.minutes_between(at, later) == pytest.approx(minutes, abs=1e-6)


@settings(max_examples=300, deadline=None)
@given(instants, st.integers(min_value=1, max_value=5000))
def test_nothing_lands_outside_service_time_or_on_a_holiday(at, minutes):
    later = CAL.add_minutes(at, minutes)
    just_before = later - timedelta(microseconds=1)
    assert CAL.is_open(just_before)  # inside a period, or exactly at its end
    assert later.astimezone(WITA).date() not in HOLIDAYS
    opens = CAL.next_open(at)
    assert CAL.is_open(opens) and CAL.minutes_between(at, opens) == 0


@settings(max_examples=200, deadline=None)
@given(instants, instants, instants)
def test_service_time_adds_up_over_consecutive_spans(a, b, c):
    a, b, c = sorted((a, b, c))
    total = CAL.minutes_between(a, c)
    assert total == pytest.approx(CAL.minutes_between(a, b) + CAL.minutes_between(b, c))


@settings(max_examples=200, deadline=None)
@given(instants, st.integers(min_value=1, max_value=30))
def test_working_day_deadlines_are_at_a_working_day_close(at, days):
    due = CAL.add_working_days(at, days).astimezone(WITA)
    assert CAL.is_working_day(due.date()) and due.date() > at.astimezone(WITA).date()
    assert due.time() == HOURS[due.weekday()][-1][1]
