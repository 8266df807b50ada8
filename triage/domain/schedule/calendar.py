"""Service time (docs/service-standards.md, Timers): the office's hours per weekday (several
periods, e.g. a lunch
break), minus public holidays, cuti bersama and the office's own closed days, in the office's
time zone. Pure arithmetic on instants: add service minutes or working days, measure the
service time between two instants. The zone object and the closed days come from the shell
(the `holidays` package), so nothing here reads a file or a clock."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo

SEARCH_DAYS = 3700  # ten years: an office with no open hour at all is a configuration error


@dataclass(frozen=True)
class ServiceCalendar:
    zone: tzinfo
    # weekday (0 = Monday) -> periods (start, end) in local time, end after start
    hours: Mapping[int, tuple[tuple[time, time], ...]]
    closed: frozenset[date] = field(default_factory=frozenset)  # holidays, cuti bersama, …

    def __post_init__(self) -> None:
        if not any(self.hours.get(d) for d in range(7)):
            raise ValueError("the office has no service hours on any weekday")

    # --- days and periods ---------------------------------------------------------------

    def is_working_day(self, day: date) -> bool:
        return bool(self.hours.get(day.weekday())) and day not in self.closed

    def periods_on(self, day: date) -> list[tuple[datetime, datetime]]:
        """The day's service periods as aware instants (empty on a closed day)."""
        if not self.is_working_day(day):
            return []
        return [
            (
                datetime.combine(day, start, self.zone),
                datetime.combine(day, end, self.zone),
            )
            for start, end in self.hours[day.weekday()]
        ]

    def _periods_from(self, at: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Every period that ends after `at`, in order, starting on `at`'s local day."""
        day = at.astimezone(self.zone).date()
        for offset in range(SEARCH_DAYS):
            for start, end in self.periods_on(day + timedelta(days=offset)):
                if end > at:
                    yield start, end
        raise ValueError("no service hours in the next ten years: check the calendar")

    # --- instants ---------------------------------------------------------------------

    def is_open(self, at: datetime) -> bool:
        day = at.astimezone(self.zone).date()
        return any(start <= at < end for start, end in self.periods_on(day))

    def next_open(self, at: datetime) -> datetime:
        """`at` itself when the office is open, else the start of the next period."""
        start, _ = next(self._periods_from(at))
        return max(start, at)

    def add_minutes(self, at: datetime, minutes: float) -> datetime:
        """The instant `minutes` of service time after `at` (the clock waits while closed).
        With minutes > 0 the result lies inside a period or at its end, never on a holiday."""
        if minutes < 0:
            raise ValueError("minutes must not be negative")
        left = timedelta(minutes=minutes)
        if not left:
            return at
        for start, end in self._periods_from(at):
            begin = max(start, at)
            if begin + left <= end:
                return begin + left
            left -= end - begin
        raise AssertionError("unreachable: _periods_from raises first")

    def minutes_between(self, start: datetime, end: datetime) -> float:
        """Service minutes from `start` to `end` (0 when end is not after start)."""
        if end <= start:
            return 0.0
        total = timedelta()
        for p_start, p_end in self._periods_from(start):
            if p_start >= end:
                break
            total += min(p_end, end) - max(p_start, start)
        return total.total_seconds() / 60

    def add_working_days(self, at: datetime, days: int) -> datetime:
        """The close of service on the `days`-th working day after `at`'s day (a complaint
        received on Monday with 4 working days is due at Friday's close, holidays skipped)."""
        if days < 1:
            raise ValueError("days must be at least 1")
        day = at.astimezone(self.zone).date()
        counted = 0
        for offset in range(1, SEARCH_DAYS):
            candidate = day + timedelta(days=offset)
            if self.is_working_day(candidate):
                counted += 1
                if counted == days:
                    return self.periods_on(candidate)[-1][1]
        raise ValueError("no working days in the next ten years: check the calendar")
