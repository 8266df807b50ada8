"""The office's service calendar from its configuration: hours per weekday, Indonesia's public
holidays and cuti bersama (the `holidays` package, public and government categories), and the
days the office closes besides (`[office] closed_days`)."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import holidays

from bot.config.people_settings import PERIOD, WEEKDAYS
from bot.config.settings import Settings
from bot.telegram.greeting import DAY_NAMES, ZONES, hours_phrase
from triage.domain.schedule.calendar import ServiceCalendar
from triage.effects.assess import AfterHours
from triage.texts.catalog import Lang, text

MONTHS = {
    "id": (
        "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
        "September", "Oktober", "November", "Desember",
    ),
    "en": (
        "January", "February", "March", "April", "May", "June", "July", "August",
        "September", "October", "November", "December",
    ),
}  # fmt: skip


def _clock(hour: str, minute: str) -> time:
    return time.max if hour == "24" else time(int(hour), int(minute))


def period_of(text_: str) -> tuple[time, time]:
    found = PERIOD.match(text_)
    assert found is not None  # the configuration was validated
    h1, m1, h2, m2 = found.groups()
    return _clock(h1, m1), _clock(h2, m2)


def office_calendar(settings: Settings, around: date) -> ServiceCalendar:
    """Holidays of the years around `around` (a running service rebuilds it each year)."""
    office = settings.office
    hours = {
        index: tuple(period_of(p) for p in office.hours.get(day, []))
        for index, day in enumerate(WEEKDAYS)
    }
    years = range(around.year - 1, around.year + 3)
    national = holidays.country_holidays("ID", years=years, categories=("public", "government"))
    closed = frozenset(national) | frozenset(office.closed_days)
    return ServiceCalendar(ZoneInfo(office.timezone), hours, closed)


def when(at: datetime, settings: Settings) -> str:
    """ "Senin, 30 November pukul 08.00 WITA" in the office's zone and language."""
    lang: Lang = settings.language  # type: ignore[assignment]
    local = at.astimezone(ZoneInfo(settings.office.timezone))
    zone = ZONES.get(settings.office.timezone, settings.office.timezone)
    day = DAY_NAMES[lang][local.weekday()]
    month = MONTHS[lang][local.month - 1]
    clock = local.strftime("%H.%M")
    if lang == "en":
        return f"{day}, {local.day} {month} at {clock} {zone}"
    return f"{day}, {local.day} {month} pukul {clock} {zone}"


def after_hours(settings: Settings, around: date) -> AfterHours:
    office, lang = settings.office, settings.language
    hours = hours_phrase(office.hours, lang)  # type: ignore[arg-type]
    zone = ZONES.get(office.timezone, office.timezone)

    def reply(resumes: datetime) -> str:
        return text(
            "after_hours.reply",
            lang,  # type: ignore[arg-type]
            hours=hours,
            zone=zone,
            resumes=when(resumes, settings),
            office=office.name,
            phone=office.phone or "-",
        )

    return AfterHours(office_calendar(settings, around), reply)


def when_day(day: date, settings: Settings) -> str:
    """ "Senin, 7 Desember 2026" in the office's language."""
    lang: Lang = settings.language  # type: ignore[assignment]
    return f"{DAY_NAMES[lang][day.weekday()]}, {day.day} {MONTHS[lang][day.month - 1]} {day.year}"
