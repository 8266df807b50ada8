"""When a channel, Telegram or the database has been down long enough to tell the head outside
Telegram (by mail): each outage is told once when it has lasted `after`, and its end once
after that. A short blip is never told (the outbox and the cursors wait it out). An outage
that lasted but could not be told while it went on (the office's own mail server was what was
down) is told when it ends, as its end."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum


class AlarmKind(StrEnum):
    DOWN = "down"
    BACK = "back"


@dataclass(frozen=True)
class Alarm:
    kind: AlarmKind
    name: str  # what is down: a channel's cursor key, a send target, "database"
    since: datetime  # the first failure of this outage
    until: datetime | None = None  # BACK: the first success after it


@dataclass
class OutageBook:
    """What is failing since when, and which outages the head has heard of."""

    after: timedelta
    down: dict[str, datetime] = field(default_factory=dict)
    told: dict[str, datetime] = field(default_factory=dict)  # name -> since, told DOWN
    ended: dict[str, Alarm] = field(default_factory=dict)  # BACK alarms not yet told

    def saw(self, name: str, ok: bool, now: datetime) -> None:
        if not ok:
            self.down.setdefault(name, now)
            return
        since = self.down.pop(name, None)
        if since is None:
            return
        if self.told.pop(name, None) == since or now - since >= self.after:
            self.ended[name] = Alarm(AlarmKind.BACK, name, since, now)

    def due(self, now: datetime) -> list[Alarm]:
        """The alarms to send now, oldest outage first."""
        alarms = [
            Alarm(AlarmKind.DOWN, name, since)
            for name, since in self.down.items()
            if now - since >= self.after and self.told.get(name) != since
        ]
        alarms += self.ended.values()
        return sorted(alarms, key=lambda a: (a.since, a.name))

    def sent(self, alarm: Alarm) -> None:
        """The head was told (a failed mail is tried again on the next `due`)."""
        if alarm.kind is AlarmKind.DOWN:
            if self.down.get(alarm.name) == alarm.since:
                self.told[alarm.name] = alarm.since
        else:
            self.ended.pop(alarm.name, None)
