"""The duty roster (jadwal piket) and hand-off routing.

Who is on duty comes from the office's shifts (weekdays, optional hours, optional categories,
e.g. the Karangasem standard's weekday themes) and the day-by-day changes staff make with /jadwal.
Routing
picks whom a hand-off is offered to first; the claim timer widens the offer to every counselor
and then the head (triage.usecases.timers), so a narrow first offer never strands a case.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time

from triage.domain.schedule.calendar import ServiceCalendar

# Categories that say nothing about whose expertise a case needs: no specialty filter.
GENERAL_CATEGORIES = frozenset({"informasi", "lainnya", "pengaduan", "psikoedukasi"})


@dataclass(frozen=True)
class Shift:
    """A counselor's regular duty. Without `periods` the shift follows the office's hours (so
    not on holidays); with them it is a deliberate on-call shift and holds on any of its
    weekdays. `categories`, when given, are what the shift serves instead of the counselor's
    specialties (a weekday theme)."""

    staff_id: int
    weekdays: frozenset[int]  # 0 = Monday
    periods: tuple[tuple[time, time], ...] = ()
    categories: frozenset[str] = frozenset()


@dataclass(frozen=True)
class DutyChange:
    """One day's change made with /jadwal: someone added to or taken off that day's duty."""

    day: date
    staff_id: int
    on_duty: bool


@dataclass(frozen=True)
class Roster:
    calendar: ServiceCalendar
    counselors: tuple[int, ...]
    shifts: tuple[Shift, ...] = ()
    specialties: Mapping[int, frozenset[str]] = field(default_factory=dict)
    names: Mapping[int, str] = field(default_factory=dict)  # shown to the admins

    def _local(self, at: datetime) -> datetime:
        return at.astimezone(self.calendar.zone)

    def _in_shift(self, shift: Shift, at: datetime) -> bool:
        local = self._local(at)
        if local.weekday() not in shift.weekdays:
            return False
        if not shift.periods:
            return self.calendar.is_open(at)
        moment = local.time()
        return any(start <= moment < end for start, end in shift.periods)

    def on_duty(self, at: datetime, changes: Iterable[DutyChange] = ()) -> list[int]:
        """The counselors on duty at `at`, in the configured order. Without any shift every
        counselor is on duty while the office is open. A counselor added for a day is on duty
        through that day's service hours, or the whole day when the office is closed then."""
        day = self._local(at).date()
        today = {c.staff_id: c.on_duty for c in changes if c.day == day}
        if self.shifts:
            regular = {s.staff_id for s in self.shifts if self._in_shift(s, at)}
        else:
            regular = set(self.counselors) if self.calendar.is_open(at) else set()
        added_hours = self.calendar.is_open(at) or not self.calendar.periods_on(day)
        on = []
        for staff_id in self.counselors:
            change = today.get(staff_id)
            if change is False:
                continue
            if staff_id in regular or (change is True and added_hours):
                on.append(staff_id)
        return on

    def on_day(self, day: date, changes: Iterable[DutyChange] = ()) -> list[int]:
        """Who is on duty at some time of `day` (what /jadwal shows for a day)."""
        today = {c.staff_id: c.on_duty for c in changes if c.day == day}
        working = self.calendar.is_working_day(day)

        def regular(staff_id: int) -> bool:
            if not self.shifts:
                return working
            return any(
                s.staff_id == staff_id
                and day.weekday() in s.weekdays
                and (bool(s.periods) or working)
                for s in self.shifts
            )

        return [c for c in self.counselors if today.get(c, regular(c))]

    def serves(self, staff_id: int, at: datetime) -> frozenset[str]:
        """What a counselor takes at `at`: their shift's theme if it has one, else their
        specialties (empty: everything)."""
        themed = [
            s.categories
            for s in self.shifts
            if s.staff_id == staff_id and s.categories and self._in_shift(s, at)
        ]
        if themed:
            return frozenset().union(*themed)
        return self.specialties.get(staff_id, frozenset())


@dataclass(frozen=True)
class Offer:
    """Whom a hand-off is offered to, and why (shown to the admin with the status)."""

    to: tuple[int, ...]
    reason: str  # returning | specialty | on_duty | everyone


def route(
    roster: Roster,
    at: datetime,
    *,
    category: str | None,
    loads: Mapping[int, int],
    last_counselor: int | None,
    changes: Sequence[DutyChange] = (),
) -> Offer:
    """The returning client's last counselor if on duty; else the on-duty counselors whose
    specialty matches the category, the least loaded first (ties share the offer); nobody on
    duty (a night, a holiday): every counselor, by the same rules."""
    on = roster.on_duty(at, changes)
    if last_counselor is not None and last_counselor in on:
        return Offer((last_counselor,), "returning")
    pool, reason = (on, "on_duty") if on else (list(roster.counselors), "everyone")
    if not pool:
        return Offer((), "everyone")
    if category and category not in GENERAL_CATEGORIES:
        matching = [c for c in pool if _takes(roster, c, at, category)]
        if matching:
            pool, reason = matching, "specialty"
    lowest = min(loads.get(c, 0) for c in pool)
    return Offer(tuple(c for c in pool if loads.get(c, 0) == lowest), reason)


def _takes(roster: Roster, staff_id: int, at: datetime, category: str) -> bool:
    return category in roster.serves(staff_id, at)


def alert_to(
    roster: Roster, heads: Sequence[int], at: datetime, changes: Sequence[DutyChange] = ()
) -> list[int]:
    """Who hears of an urgent message at once: the counselors on duty and the heads; with
    nobody on duty, every counselor (a person in danger is never left to an empty roster)."""
    on = roster.on_duty(at, changes) or list(roster.counselors)
    return list(dict.fromkeys([*on, *heads]))
