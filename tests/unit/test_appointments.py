"""Appointments (triage.domain.appointments): a session's date, time and place read from staff's
words, and when its reminders go (moved into service hours, never after the session)."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from triage.domain.appointments import AppointmentProblem, parse, reminder_times
from triage.domain.schedule.calendar import ServiceCalendar

WITA = ZoneInfo("Asia/Makassar")
CAL = ServiceCalendar(WITA, {d: ((time(8), time(16)),) for d in range(5)}, frozenset())
NOW = datetime(2026, 12, 6, 2, 0, tzinfo=UTC)  # Sunday 10.00 WITA
TODAY = date(2026, 12, 6)


def local(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=WITA)


@pytest.mark.parametrize(
    ("words", "when", "place"),
    [
        ("12 Desember 2026 10.00 Ruang konseling 1", local(12, 10), "Ruang konseling 1"),
        ("12-12 pukul 09:30 di ruang 2", local(12, 9, 30), "ruang 2"),
        ("12.12.2026 10.00 daring (Zoom)", local(12, 10), "daring (Zoom)"),
        ("besok jam 9 rumah klien", local(7, 9), "rumah klien"),
        ("Selasa 10.00 ruang 1", local(8, 10), "ruang 1"),
        ("tuesday at 14:15 office", local(8, 14, 15), "office"),
        ("Kamis 17 Desember 2026 10.00 Ruang 1", local(17, 10), "Ruang 1"),  # it is a Thursday
        ("12 Desember 10.00 Ruang 2.1", local(12, 10), "Ruang 2.1"),  # numbers in the place
        ("besok 10.00 di Jl. Melati 5/7", local(7, 10), "Jl. Melati 5/7"),
        ("besok pukul 7 malam daring", local(7, 19), "daring"),
        ("besok jam 3 sore ruang 1", local(7, 15), "ruang 1"),
        ("tomorrow at 7 pm online", local(7, 19), "online"),
    ],
)
def test_a_date_a_time_and_a_place_are_read_as_staff_write_them(words, when, place):
    wanted = parse(words, TODAY, NOW, WITA)
    assert (wanted.when, wanted.place) == (when, place)


@pytest.mark.parametrize(
    ("words", "problem"),
    [
        ("12 Desember 2026 ruang 1", "time"),
        ("nanti 10.00 ruang 1", "date"),
        ("8 des 14:00", "place"),
        ("5 Desember 2026 10.00 ruang 1", "past"),
        ("hari ini 09.00 ruang 1", "past"),  # 09.00 today is gone at 10.00
        ("", "time"),
        ("Senin 17 Desember 2026 10.00 Ruang 1", "date"),  # the 17th is a Thursday
        ("besok jam 5 ruang 1", "time"),  # five in the morning or the afternoon?
        ("5 Desember 10.00 ruang 1", "past"),  # just passed, not next year's
        ("12/12/99 10.00 ruang 1", "date"),  # 2099
    ],
)
def test_what_cannot_make_a_session_says_what_is_missing(words, problem):
    with pytest.raises(AppointmentProblem) as raised:
        parse(words, TODAY, NOW, WITA)
    assert raised.value.code == problem


def when(found):
    return {step: at.astimezone(WITA) for step, at in found}


def test_reminders_go_a_day_and_an_hour_before_inside_service_hours():
    assert when(reminder_times(local(9, 10), CAL, NOW)) == {
        "appointment_day": local(8, 10), "appointment_hour": local(9, 9),
    }  # fmt: skip
    # a Monday 08.00 session: the hour before is before opening, so the day before's close
    assert when(reminder_times(local(8, 8), CAL, NOW)) == {
        "appointment_day": local(7, 8), "appointment_hour": local(7, 15, 45),
    }  # fmt: skip


def test_a_reminder_whose_time_is_past_or_closed_moves_forward_and_never_after_the_session():
    # Monday 10.00 seen on Sunday: the day before is Sunday (closed, Friday is past): Monday 08.00
    assert when(reminder_times(local(7, 10), CAL, NOW)) == {
        "appointment_day": local(7, 8), "appointment_hour": local(7, 9),
    }  # fmt: skip
    # a session at 08.30 on Monday: both would land within the hour: one reminder only
    assert list(when(reminder_times(local(7, 8, 30), CAL, NOW))) == ["appointment_hour"]
    assert reminder_times(local(6, 15), CAL, NOW) == []  # today, while closed: nothing ahead
