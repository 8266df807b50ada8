"""The composition root: the only place that builds engines, adapters and services from the
settings and hands them to each other."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from bot.config import Settings, database_url
from storage.db import make_engine
from storage.migrate import upgrade
from storage.unit_of_work import SqlUnitOfWorkFactory
from triage.crisis import Triage
from triage.outbox import RetryPolicy, Target
from triage.ports import ChannelSource, Sender

if TYPE_CHECKING:
    from bot.telegram.runtime import TelegramRuntime


@dataclass
class App:
    settings: Settings
    engine: Engine
    uows: SqlUnitOfWorkFactory
    sources: list[ChannelSource] = field(default_factory=list)
    senders: dict[Target, Sender] = field(default_factory=dict)
    unavailable: dict[str, str] = field(default_factory=dict)  # channel -> why not running
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    telegram: TelegramRuntime | None = None
    triage: Triage | None = None  # classifies client messages in the relay (urgent, category)
    wake: threading.Event = field(default_factory=threading.Event)  # something to relay or send

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


def build(settings: Settings, *, migrate: bool = True) -> App:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(
        database_url(settings), sqlite_synchronous=settings.database.sqlite_synchronous
    )
    if migrate:
        upgrade(engine)
    app = App(settings=settings, engine=engine, uows=SqlUnitOfWorkFactory(engine))
    if settings.telegram is not None:
        from bot.telegram.runtime import TelegramRuntime  # imports App: built after it

        app.telegram = TelegramRuntime(app)
        from bot.triage_cli import office_triage  # loads the stemmer's dictionary: only here

        staff = app.telegram.staff
        app.triage = office_triage(settings, [*staff.counselors, *staff.heads])
    for name in ("email", "instagram"):
        if getattr(settings, name) is not None:
            # The adapters arrive with their own issues; until then say so plainly.
            app.unavailable[name] = "not available in this version yet"
    return app
