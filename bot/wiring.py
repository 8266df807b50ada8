"""The composition root: the only place that builds engines, adapters and services from the
settings and hands them to each other."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine

from bot.config import Settings, database_url
from bot.secret_box import SecretBox
from storage.db import make_engine
from storage.migrate import upgrade
from storage.unit_of_work import SqlUnitOfWorkFactory
from triage.domain.outbox import RetryPolicy, Target
from triage.domain.schedule.roster import Roster
from triage.domain.workflow import WorkflowSetup
from triage.effects.assess import Triage
from triage.ports import ChannelSource, Sender
from triage.usecases.timers import TimerSetup

if TYPE_CHECKING:
    from bot.telegram.runtime import TelegramRuntime
    from channels.email.account import MailAccount


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

    def poll_now(self, source: ChannelSource) -> int:
        """One pass over `source` now (an IDLE push), then wake the relay and the outbox."""
        from bot.service import poll_source

        count = poll_source(self, source)
        if count:
            self.wake.set()
        return count

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
        from bot.roster_setup import office_roster, timer_setup
        from bot.triage_cli import office_triage  # loads the stemmer's dictionary: only here
        from bot.workflow_setup import workflow_setup

        app.timers = timer_setup(settings, datetime.now(UTC).date())
        app.roster = office_roster(settings, app.timers.calendar)
        app.workflows = workflow_setup(settings, app.timers.calendar)
        staff = app.telegram.staff
        app.triage = office_triage(
            settings,
            [*staff.counselors, *staff.heads],
            roster=app.roster,
            heads=staff.heads,
            workflows=app.workflows,
        )
    if settings.email is not None:
        _add_email(app, settings)
    if settings.instagram is not None:
        from bot.instagram_setup import add_instagram

        add_instagram(app)
    return app


def mail_account(settings: Settings) -> MailAccount:
    from channels.email.account import MailAccount

    mail = settings.email
    assert mail is not None
    return MailAccount(
        imap_host=mail.imap_host,
        imap_port=mail.imap_port,
        username=mail.username,
        password=mail.password,
        use_ssl=mail.use_ssl,
        folder=mail.folder,
        smtp_host=mail.smtp_host,
        smtp_port=mail.smtp_port,
        smtp_security=mail.smtp_security,
        from_address=mail.from_address,
        from_name=settings.office.name,
        files_dir=settings.data_dir / "attachments" / "email",
        sent_folder=mail.sent_folder,
        mark_seen=mail.mark_seen,
        backfill_days=mail.backfill_days,
        max_file_bytes=int(mail.max_attachment_mb * 1024 * 1024),
        timeout_seconds=mail.timeout_seconds,
        language=settings.language,
    )


def _add_email(app: App, settings: Settings) -> None:
    from channels.email.idle import IdleWatcher
    from channels.email.imap_source import ImapSource
    from channels.email.smtp_sender import SmtpSender

    mail = settings.email
    assert mail is not None
    account = mail_account(settings)
    source = ImapSource(account, clock=app.clock)
    app.sources.append(source)
    app.poll_seconds[source.cursor_key] = mail.poll_seconds
    app.senders[Target.EMAIL] = SmtpSender(account, settings.office.name, clock=app.clock)
    if mail.idle:
        app.watchers.append(
            IdleWatcher(
                account,
                look_now=lambda: app.poll_now(source),
                renew_seconds=mail.idle_renew_seconds,
            )
        )
