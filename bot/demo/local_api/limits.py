"""Telegram's documented flood limits (core.telegram.org/bots/faq): about 1 message a second in
one chat, 20 a minute in one group, 30 a second overall. Over a limit: 429 with retry_after."""

from __future__ import annotations

import math
from collections import defaultdict, deque
from dataclasses import dataclass, field


@dataclass
class FloodControl:
    per_chat_per_second: int = 1
    per_group_per_minute: int = 20
    overall_per_second: int = 30
    enabled: bool = True
    # Telegram does not say whether creating a forum topic counts against a group's 20 a
    # minute (it adds a "topic created" service message to the group): off, as we read the
    # FAQ; on, to measure the case where it does (bench/burst.py --topics-count)
    topics_count: bool = False
    _chat: dict[int, deque[float]] = field(default_factory=lambda: defaultdict(deque))
    _group: dict[int, deque[float]] = field(default_factory=lambda: defaultdict(deque))
    _all: deque[float] = field(default_factory=deque)
    refused: int = 0

    def check(self, chat_id: int, is_group: bool, now: float) -> int | None:
        """Record a send at `now` and return None, or return the seconds to wait (429)."""
        if not self.enabled:
            return None
        windows = [
            (self._all, 1.0, self.overall_per_second),
            (self._chat[chat_id], 1.0, self.per_chat_per_second),
        ]
        if is_group:
            windows.append((self._group[chat_id], 60.0, self.per_group_per_minute))
        wait = 0.0
        for times, span, limit in windows:
            while times and times[0] <= now - span:
                times.popleft()
            if len(times) >= limit:
                wait = max(wait, times[0] + span - now)
        if wait > 0:
            self.refused += 1
            return max(1, math.ceil(wait))
        for times, _, _ in windows:
            times.append(now)
        return None
