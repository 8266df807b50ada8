"""The sections of config.toml about people: [[staff]] and their [[roster]] of duties, with
the checks of days, hours and category codes they share with [office] (settings.py)."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator

from bot.config.channel_settings import Section
from bot.config.problems import wrong
from triage.domain.rules.classify import CATEGORIES

PERIOD = re.compile(r"^([01]\d|2[0-3])[:.]([0-5]\d)-([01]\d|2[0-3]|24)[:.]([0-5]\d)$")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _categories(value: list[str]) -> list[str]:

    unknown = [c for c in value if c not in CATEGORIES]
    if unknown:
        raise wrong("category", value=repr(unknown[0]), allowed=", ".join(CATEGORIES))
    return value


def _days(value: list[str]) -> list[str]:
    unknown = [d for d in value if d not in WEEKDAYS]
    if unknown:
        raise wrong("day", value=repr(unknown[0]), allowed=", ".join(WEEKDAYS))
    if not value:
        raise wrong("no_day")
    return value


def _hours(value: list[str]) -> list[str]:
    for period in value:
        found = PERIOD.match(period)
        if not found:
            raise wrong("period", value=repr(period))
        h1, m1, h2, m2 = (int(g) for g in found.groups())
        if (h2, m2) <= (h1, m1):
            raise wrong("period_order", value=repr(period))
    return value


class StaffConfig(Section):
    telegram_id: int
    name: str
    role: Literal["admin", "konselor", "ketua"]
    # Category codes (docs/architecture.md, Triage) this counselor is offered first, e.g.
    # ["kekerasan"].
    specialties: list[str] = Field(default_factory=list)

    _check_specialties = field_validator("specialties")(_categories)


class ShiftConfig(Section):
    """A counselor's regular duty (jadwal piket)."""

    staff: int  # the counselor's telegram_id
    days: list[str]
    hours: list[str] = Field(default_factory=list)  # empty: the office's hours
    categories: list[str] = Field(default_factory=list)  # a weekday theme: what it serves

    _check_days = field_validator("days")(_days)
    _check_hours = field_validator("hours")(_hours)
    _check_categories = field_validator("categories")(_categories)
