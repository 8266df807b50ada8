"""What the service is made of once it is built: settings, the database, the channels and the
core's setups. Built only by bot/bootstrap.py, which seals it: after that no field is set again
(what a test or the demo needs different, such as the clock or the channels, goes into
`build()`). This module imports nothing else of bot/ that could import it back."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import Any, Protocol

from sqlalchemy import Engine

from bot.config.settings import Settings
from bot.service.leases import LeaseKeeper
from bot.service.secret_box import SecretBox
from channels.file_quota import FileQuota
from storage.dead_letters import DeadLetters
from storage.unit_of_work import SqlUnitOfWorkFactory
from triage.domain.outage import OutageBook
from triage.domain.outbox import RetryPolicy, Target
from triage.domain.schedule.roster import Roster
from triage.domain.workflow import WorkflowSetup
from triage.effects.assess import RelaySetup
from triage.ports import ChannelSource, Sender
from triage.usecases.timers import TimerSetup


class TelegramSide(Protocol):
    """The Telegram runtime as the service loop sees it (bot/telegram/runtime.py)."""

    staff: Any  # bot.telegram.staff_directory.StaffDirectory
    lease_name: str  # several workers: the one holding it fetches the updates and sends

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
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))  # injected by tests
    telegram: TelegramSide | None = None
    triage: RelaySetup | None = None  # classifies client messages in the relay (urgent, category)
    wake: threading.Event = field(default_factory=threading.Event)  # something to relay or send
    poll_seconds: dict[str, float] = field(default_factory=dict)  # cursor key -> interval
    poll_locks: dict[str, threading.Lock] = field(default_factory=dict)  # one poll at a time
    store_failures: dict[str, int] = field(default_factory=dict)  # bot/service/setaside.py
    watchers: list[Any] = field(default_factory=list)  # threads: IMAP IDLE, Instagram polling
    threaded: set[str] = field(default_factory=set)  # sources polled by their own thread
    instagram_codes: Any = None  # (vault, source, poller) for an admin's /kode
    roster: Roster | None = None  # the duty roster: hand-offs and alerts (staff side only)
    timers: TimerSetup | None = None  # the SLA sweeper's setup (staff side only)
    workflows: WorkflowSetup | None = None  # complaints and psychoeducation (staff side only)
    outages: OutageBook = field(default_factory=lambda: OutageBook(timedelta(minutes=15)))
    outage_lock: threading.Lock = field(default_factory=threading.Lock)  # threads report too
    alarm_retry: dict[Any, float] = field(default_factory=dict)  # bot/service/alarm.py
    file_quota: FileQuota | None = None  # what one client's files may take of the disk
    leases: LeaseKeeper | None = None  # several workers on PostgreSQL (bot/service/leases.py)
    # several offices in one install: the others, for a transfer (bot/service/offices.py)
    offices: Any = None
    office_key: str = ""
    _sealed: bool = field(default=False, init=False, repr=False)

    def seal(self) -> None:
        """Built: from now on setting a field is an error (bootstrap.py calls this last)."""
        object.__setattr__(self, "_sealed", True)

    def __setattr__(self, name: str, value: Any) -> None:
        if getattr(self, "_sealed", False):
            raise AttributeError(
                f"App.{name} is set once, by bot/bootstrap.py: pass it to build() instead"
            )
        object.__setattr__(self, name, value)

    def tenure(self, name: str) -> int | None:
        """Whether this worker runs the single poller `name`: its lease's fencing token, 0 when
        it is under no lease (one worker runs them all), None while another worker holds it."""
        if self.leases is None or name not in self.leases.leases:
            return 0
        return self.leases.tenure(name)

    @cached_property
    def sealer(self) -> SecretBox:
        """What seals the psychological records (the key file or PUSPAGA_SECRET_KEY), made on
        first use (a command that never opens a record creates no key file)."""
        return SecretBox.at(self.settings.key_path, before=self.settings.data_dir / "secret.key")

    @property
    def retry_policy(self) -> RetryPolicy:
        outbox = self.settings.outbox
        return RetryPolicy(
            max_attempts=outbox.max_attempts,
            base=timedelta(seconds=outbox.retry_base_seconds),
            lease=timedelta(seconds=outbox.lease_seconds),
            give_up=timedelta(hours=outbox.give_up_hours),
        )

    @property
    def reopen_window(self) -> timedelta:
        return timedelta(days=self.settings.reopen.window_days)

    @staticmethod
    def jitter() -> float:
        return random.random()
