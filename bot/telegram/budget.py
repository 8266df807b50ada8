"""Our own pacing under Telegram's flood limits, so the outbox waits instead of earning 429s.

Sliding windows like Telegram's (about 1 message a second per chat, 20 a minute per group,
30 a second overall), each a little stricter than the documented figure so that clock skew
between us and the server never tips a send over the limit.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class SendBudget:
    per_chat: tuple[int, float] = (1, 1.2)  # (messages, seconds)
    per_group: tuple[int, float] = (19, 62.0)
    overall: tuple[int, float] = (25, 1.0)
    clock: Callable[[], float] = time.monotonic
    _chat: dict[int, deque[float]] = field(default_factory=lambda: defaultdict(deque))
    _group: dict[int, deque[float]] = field(default_factory=lambda: defaultdict(deque))
    _all: deque[float] = field(default_factory=deque)
    _held: dict[int, float] = field(default_factory=dict)  # chat: no send before this instant
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def resting(self, chat_id: int) -> float:
        """Seconds this chat still rests after a 429 (0: none)."""
        with self._lock:
            return max(self._held.get(chat_id, 0.0) - self.clock(), 0.0)

    def hold(self, chat_id: int, seconds: float) -> None:
        """Telegram answered 429 for this chat: nothing more goes to it for `seconds` (asking
        again at once earns another 429; a topic's creation may count against a group's
        minute, which our windows do not know)."""
        until = self.clock() + max(seconds, 0.0)
        with self._lock:
            self._held[chat_id] = max(self._held.get(chat_id, 0.0), until)

    def _windows(
        self, chat_id: int | None, *, group: bool, gap: bool = True
    ) -> list[tuple[deque[float], int, float]]:
        windows = [(self._all, *self.overall)]
        if chat_id is not None:
            if gap:
                windows.append((self._chat[chat_id], *self.per_chat))
            if group:
                windows.append((self._group[chat_id], *self.per_group))
        return windows

    @staticmethod
    def _pruned(times: deque[float], span: float, now: float) -> int:
        while times and times[0] <= now - span:
            times.popleft()
        return len(times)

    def take(self, chat_id: int | None, *, group: bool) -> float:
        """Reserve one send now and return 0, or return the seconds to wait (nothing taken).
        `chat_id` None: a call that counts only toward the overall limit."""
        now = self.clock()
        windows = self._windows(chat_id, group=group)
        with self._lock:
            wait = self._held.get(chat_id, 0.0) - now if chat_id is not None else 0.0
            for times, limit, span in windows:
                if self._pruned(times, span, now) >= limit:
                    wait = max(wait, times[0] + span - now)
            if wait > 0:
                return wait
            for times, _, _ in windows:
                times.append(now)
            return 0.0

    def fits(self, chat_id: int, *, group: bool, count: int) -> bool:
        """Whether `count` sends to this chat fit in the group's and the overall windows now
        (the per-chat gap aside, which a later part waits out in `wait_for`)."""
        now = self.clock()
        with self._lock:
            return self._held.get(chat_id, 0.0) <= now and all(
                self._pruned(times, span, now) + count <= limit
                for times, limit, span in self._windows(chat_id, group=group, gap=False)
            )

    def wait_for(self, chat_id: int, *, group: bool, longest: float = 10.0) -> None:
        """The next part of a post already begun: wait here for its turn (deferring the item
        would send its first part again), at most `longest` seconds; after that it goes anyway,
        counted, and a 429 is retried as any other."""
        deadline = time.monotonic() + longest
        while (wait := self.take(chat_id, group=group)) > 0:
            if time.monotonic() + wait > deadline:
                now = self.clock()
                with self._lock:
                    for times, _, _ in self._windows(chat_id, group=group):
                        times.append(now)
                return
            time.sleep(wait)
