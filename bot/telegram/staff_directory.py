"""Who is staff: configured by Telegram user id and role. Everyone else is a client."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from triage.domain.model import Actor, Role


@dataclass(frozen=True)
class StaffDirectory:
    members: dict[int, Actor]

    @classmethod
    def from_config(cls, staff: Iterable[object]) -> StaffDirectory:
        return cls(
            {
                s.telegram_id: Actor(s.telegram_id, Role(s.role), s.name)  # type: ignore[attr-defined]
                for s in staff
            }
        )

    def get(self, telegram_id: int | None) -> Actor | None:
        return self.members.get(telegram_id) if telegram_id is not None else None

    @property
    def counselors(self) -> list[int]:
        """Offered every hand-off (the duty roster narrows this with the calendar issue)."""
        return [a.staff_id for a in self.members.values() if a.role is Role.COUNSELOR]

    @property
    def heads(self) -> list[int]:
        return [a.staff_id for a in self.members.values() if a.role is Role.HEAD]

    def name(self, staff_id: int | None) -> str:
        actor = self.get(staff_id)
        return actor.name if actor else "?"
