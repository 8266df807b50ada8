"""The duty roster and the SLA timers from the office's configuration ([[roster]], the staff's
specialties, [sla])."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from zoneinfo import ZoneInfo

from bot.config.calendar import office_calendar, period_of
from bot.config.settings import WEEKDAYS, Settings
from triage.domain.appointments import Appointment
from triage.domain.schedule.calendar import ServiceCalendar
from triage.domain.schedule.roster import Roster, Shift
from triage.domain.schedule.sla import Targets
from triage.texts.catalog import text
from triage.usecases.appointments import AppointmentSetup
from triage.usecases.timers import TimerSetup


def office_roster(settings: Settings, calendar: ServiceCalendar) -> Roster:
    counselors = [s for s in settings.staff if s.role == "konselor"]
    shifts = tuple(
        Shift(
            staff_id=shift.staff,
            weekdays=frozenset(WEEKDAYS.index(d) for d in shift.days),
            periods=tuple(period_of(p) for p in shift.hours),
            categories=frozenset(shift.categories),
        )
        for shift in settings.roster
    )
    return Roster(
        calendar=calendar,
        counselors=tuple(s.telegram_id for s in counselors),
        shifts=shifts,
        specialties={s.telegram_id: frozenset(s.specialties) for s in counselors},
        names={s.telegram_id: s.name for s in settings.staff},
    )


def targets(settings: Settings) -> Targets:
    sla = settings.sla
    return Targets(
        admin_response=sla.admin_response_minutes,
        hand_off=sla.hand_off_minutes,
        claim=sla.claim_minutes,
        counselor_response=sla.counselor_response_minutes,
        end_to_end=sla.end_to_end_minutes,
        escalate_after=sla.escalate_after_minutes,
        review=sla.review_minutes,
    )


def timer_setup(settings: Settings, around: date) -> TimerSetup:
    calendar = office_calendar(settings, around)
    return TimerSetup(
        targets=targets(settings),
        calendar=calendar,
        counselors=tuple(s.telegram_id for s in settings.staff if s.role == "konselor"),
        heads=settings.heads,
        appointment_text=session_text(settings),
    )


def appointment_setup(settings: Settings, around: date) -> AppointmentSetup:
    return AppointmentSetup(office_calendar(settings, around), session_text(settings))


def session_text(settings: Settings) -> Callable[[Appointment, str], str]:
    """What a client is told of their session ("set" when it is made, "reminder" before it;
    "discreet_…" for a client who asked for discretion: no office, no place), in the office's
    language, the time in the office's zone."""
    lang, zone, office = settings.language, ZoneInfo(settings.office.timezone), settings.office.name

    def said(session: Appointment, what: str) -> str:
        local = session.at.astimezone(zone)
        return text(f"appointment.client_{what}", lang, office=office, place=session.place,
                    date=local.strftime("%d-%m-%Y"), time=local.strftime("%H.%M"))  # fmt: skip

    return said
