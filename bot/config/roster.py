"""The duty roster and the SLA timers from the office's configuration ([[roster]], the staff's
specialties, [sla])."""

from __future__ import annotations

from datetime import date

from bot.config.calendar import office_calendar, period_of
from bot.config.settings import WEEKDAYS, Settings
from triage.domain.schedule.calendar import ServiceCalendar
from triage.domain.schedule.roster import Roster, Shift
from triage.domain.schedule.sla import Targets
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
        heads=tuple(s.telegram_id for s in settings.staff if s.role == "ketua"),
    )
