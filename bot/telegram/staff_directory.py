"""Who is staff: configured by Telegram user id and role. Everyone else is a client. A member the
head deactivated (/nonaktif: left, or away) is no one's staff until /aktif: what the database
says is read before the first update and again every few seconds, on a thread of its own (a
busy or unreachable database never holds up the event loop), so a change holds without a
restart."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from triage.domain.model import Actor, Role

log = logging.getLogger(__name__)
FRESH_SECONDS = 5.0


@dataclass
class StaffDirectory:
    members: dict[int, Actor]
    # reads the deactivated members (uow.roster.inactive); None: nobody is ever deactivated
    load_inactive: Callable[[], frozenset[int]] | None = None
    _inactive: frozenset[int] = field(default=frozenset(), repr=False)
    _read_at: float = field(default=float("-inf"), repr=False)
    _reading: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def from_config(
        cls, staff: Iterable[object], load_inactive: Callable[[], frozenset[int]] | None = None
    ) -> StaffDirectory:
        members = {
            s.telegram_id: Actor(s.telegram_id, Role(s.role), s.name)  # type: ignore[attr-defined]
            for s in staff
        }
        return cls(members, load_inactive)

    def inactive(self) -> frozenset[int]:
        """Deactivated members, as the database said at most FRESH_SECONDS ago (a staler
        answer starts a reading in the background and is served meanwhile)."""
        stale = time.monotonic() - self._read_at > FRESH_SECONDS
        if self.load_inactive is not None and stale and not self._reading.locked():
            threading.Thread(target=self.refresh, daemon=True).start()
        return self._inactive

    def refresh(self, wait: bool = False) -> None:
        """Read the deactivated members now (off the event loop: it waits on the database);
        `wait`: after a reading already under way, which may predate a change just made."""
        if self.load_inactive is None or not self._reading.acquire(blocking=wait):
            return
        try:
            self._inactive = self.load_inactive()
        except Exception as exc:  # noqa: BLE001 - the database away: the last answer holds
            log.warning("daftar staf nonaktif tidak terbaca (%s)", type(exc).__name__)
        finally:
            self._read_at = time.monotonic()
            self._reading.release()

    def get(self, telegram_id: int | None) -> Actor | None:
        if telegram_id is None or telegram_id in self.inactive():
            return None
        return self.members.get(telegram_id)

    def is_inactive(self, telegram_id: int | None) -> bool:
        return telegram_id in self.members and telegram_id in self.inactive()

    @property
    def counselors(self) -> list[int]:
        """Offered every hand-off (the duty roster narrows this with the calendar issue)."""
        away = self.inactive()
        return [
            a.staff_id
            for a in self.members.values()
            if a.role is Role.COUNSELOR and a.staff_id not in away
        ]

    @property
    def heads(self) -> list[int]:
        away = self.inactive()
        heads = (a.staff_id for a in self.members.values() if a.role is Role.HEAD)
        return [h for h in heads if h not in away]

    def name(self, staff_id: int | None) -> str:
        actor = self.members.get(staff_id) if staff_id is not None else None
        return actor.name if actor else "?"
