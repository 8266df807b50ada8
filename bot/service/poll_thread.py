"""Polling one channel on a thread of its own, so the relay and the outbox never wait for it:
an instagrapi call can take seconds, and a mail server that drops packets holds a connection
for `[email] timeout_seconds` (an urgent notice queued meanwhile would wait as long)."""

from __future__ import annotations

import logging
import random
import threading
from dataclasses import dataclass, field

from bot.app import App
from bot.service import loops
from triage.ports import ChannelSource

log = logging.getLogger(__name__)


@dataclass
class PollThread:
    """Polls one source every `seconds` (plus up to `jitter` of it at random), until stopped."""

    app: App
    source: ChannelSource
    seconds: float
    jitter: float = 0.0
    stop: threading.Event = field(default_factory=threading.Event)
    now: threading.Event = field(default_factory=threading.Event)  # poll at once (a code came)

    @property
    def name(self) -> str:
        return self.source.cursor_key

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                loops.poll_now(self.app, self.source)
            except Exception as exc:  # noqa: BLE001 - e.g. the database: log, the thread goes on
                log.error("menarik pesan dari %s gagal (%s)", self.name, type(exc).__name__)
            self.now.wait(self.seconds * (1 + random.random() * self.jitter))
            self.now.clear()

    def halt(self) -> None:
        self.stop.set()
        self.now.set()
