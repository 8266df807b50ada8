"""What the service is made of once it is built: settings, the database, the channels and the
core's setups. Built only by bot/bootstrap.py; everything else receives it and imports nothing
from bot/ to use it, so this module is a leaf of bot/."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import Engine

from bot.config.settings import Settings
from bot.service.secret_box import SecretBox
from storage.dead_letters import DeadLetters
from storage.unit_of_work import SqlUnitOfWorkFactory
from triage.domain.outbox import RetryPolicy, Target
from triage.domain.schedule.roster import Roster
from triage.domain.workflow import WorkflowSetup
from triage.effects.assess import Triage
from triage.ports import ChannelSource, Sender
from triage.usecases.timers import TimerSetup


class TelegramSide(Protocol):
    """The Telegram runtime as the service loop sees it (bot/telegram/runtime.py)."""

    staff: Any  # bot.telegram.staff_directory.StaffDirectory

    def start(self) -> Any: ...
    def stop(self) -> None: ...


@dataclass
class App:
    settings: Settings
    engine: Engine
    uows: SqlUnitOfWorkFactory
    dead_letters: DeadLetters
    sources: list[ChannelSource] = field(default_factory=list)
    senders: dict[Target, Sender] = field(default_factory=dict)
    unavailable: dict[str, str] = field(default_factory=dict)  # channel -> why not running
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    telegram: TelegramSide | None = None
    triage: Triage | None = None  # classifies client messages in the relay (urgent, category)
    wake: threading.Event = field(default_factory=threading.Event)  # something to relay or send
    poll_seconds: dict[str, float] = field(default_factory=dict)  # cursor key -> interval
    poll_locks: dict[str, threading.Lock] = field(default_factory=dict)  # one poll at a time
    watchers: list[Any] = field(default_factory=list)  # threads: IMAP IDLE, Instagram polling
    threaded: set[str] = field(default_factory=set)  # sources polled by their own thread
    instagram_codes: Any = None  # (vault, source, poller) for an admin's /kode
    roster: Roster | None = None  # the duty roster: hand-offs and alerts (staff side only)
    timers: TimerSetup | None = None  # the SLA sweeper's setup (staff side only)
    workflows: WorkflowSetup | None = None  # complaints and psychoeducation (staff side only)
    _sealer: SecretBox | None = None

    @property
    def sealer(self) -> SecretBox:
        """What seals the psychological records (the key file or PUSPAGA_SECRET_KEY)."""
        if self._sealer is None:
            self._sealer = SecretBox.for_data_dir(self.settings.data_dir)
        return self._sealer

    @property
    def retry_policy(self) -> RetryPolicy:
        outbox = self.settings.outbox
        return RetryPolicy(
            max_attempts=outbox.max_attempts,
            base=timedelta(seconds=outbox.retry_base_seconds),
            lease=timedelta(seconds=outbox.lease_seconds),
        )

    @property
    def reopen_window(self) -> timedelta:
        return timedelta(days=self.settings.reopen.window_days)

    @staticmethod
    def jitter() -> float:
        return random.random()
