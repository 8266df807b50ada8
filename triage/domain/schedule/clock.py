"""Steps of the wall clock. What the service plans it plans by the wall clock (a retry at
10:00:05, a lease until 10:02, a reminder at 10:05), so a clock stepped back (NTP correcting a
wrong time or zone, a virtual machine resumed) would leave all of it waiting the size of the
step: an hour back, and no reply goes out for an hour. A step is seen while running (the wall
clock moved less than the monotonic one) or after a restart (a row we wrote is stamped later
than now); then what waits is moved back by the step (`replan` in triage.usecases.timers). A
step forward needs nothing: what was planned is due early."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

TOLERANCE = timedelta(seconds=2)  # below this, scheduling jitter, not a step


@dataclass
class ClockWatch:
    tolerance: timedelta = TOLERANCE
    _last: tuple[datetime, float] | None = field(default=None, repr=False)
    _owed: timedelta = field(default=timedelta(0), repr=False)

    def step_back(self, wall: datetime, monotonic: float) -> timedelta | None:
        """How far the wall clock stepped back since the last reading, with any step not yet
        replanned (`owe`); None: nothing to do. Read the monotonic clock first: a pause
        between the two readings then looks like a step forward, never back."""
        last, self._last = self._last, (wall, monotonic)
        owed, self._owed = self._owed, timedelta(0)
        behind = timedelta(0)
        if last is not None:
            behind = last[0] + timedelta(seconds=monotonic - last[1]) - wall
        step = owed + (behind if behind > self.tolerance else timedelta(0))
        return step if step > timedelta(0) else None

    def owe(self, step: timedelta) -> None:
        """The replan of `step` failed (the database away): given again at the next reading."""
        self._owed += step


def written_ahead(
    latest: datetime | None, now: datetime, tolerance: timedelta = TOLERANCE
) -> timedelta | None:
    """A row we stamped later than `now`: the clock stepped back while the service was down."""
    if latest is None or latest - now <= tolerance:
        return None
    return latest - now
