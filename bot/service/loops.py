"""The service loops: poll every channel into the inbox, and drain the outbox."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler

from bot.app import App
from bot.service import alarm, leases, setaside, switchboard, systemd
from storage.db import is_database_outage
from storage.leases import LeaseLost
from triage.domain.model import InboundMessage
from triage.domain.schedule.clock import ClockWatch
from triage.ports import ChannelSource, UnitOfWorkFactory
from triage.usecases.board import refresh as refresh_board
from triage.usecases.dispatch import DispatchReport, dispatch_due
from triage.usecases.ingest import Cursor, ingest
from triage.usecases.relay import relay_new_messages
from triage.usecases.timers import (
    SweepReport,
    fire_all_due,
    next_due,
    replan,
    replan_after_restart,
    sweep,
)

log = logging.getLogger(__name__)


def poll_now(app: App, source: ChannelSource) -> int:
    """One pass over `source` now (an IDLE push, an Instagram poll), then wake the relay and
    the outbox."""
    count = poll_source(app, source)
    if count:
        app.wake.set()
    return count


def poll_source(app: App, source: ChannelSource, *, wait: bool = True) -> int:
    """One pass over one channel; each message is stored with its cursor in one commit. One
    pass at a time per channel (an IDLE push and the timer may meet); without `wait`, a
    channel already being polled is skipped (the main loop must not stall behind a long
    catch-up: urgent notices go out meanwhile)."""
    if app.tenure(source.cursor_key) is None:
        return 0  # another worker polls this channel (bot/service/leases.py)
    lock = app.poll_locks.setdefault(source.cursor_key, threading.Lock())
    if not lock.acquire(blocking=wait):
        return 0
    try:
        count = _poll_source(app, source)
    except LeaseLost:
        log.warning("%s diambil alih pekerja lain di tengah penarikan", source.cursor_key)
        return 0  # what this pass stored stays (idempotent); the new holder goes on from its cursor
    except Exception as exc:
        # the database away fails every channel's cursor: it is the database that is down
        alarm.saw(app, "database" if is_database_outage(exc) else source.cursor_key, False)
        raise
    finally:
        lock.release()
    alarm.saw(app, source.cursor_key, _trouble(source) is None)
    return count


def _trouble(source: ChannelSource) -> str | None:
    """Why a channel that pauses itself after trouble (Instagram: a challenge, a refused login)
    is not being read although its poll returned; None for the others."""
    trouble = getattr(source, "trouble", None)
    return trouble() if callable(trouble) else None


def _poll_source(app: App, source: ChannelSource) -> int:
    with app.uows() as uow:
        cursor = uow.cursors.get(source.cursor_key)

    def deliver(message: InboundMessage | None, new_cursor: str) -> None:
        systemd.alive()  # a long catch-up is progress, not a hang
        if message is None:
            with app.uows() as uow:
                uow.cursors.set(source.cursor_key, new_cursor)
                uow.commit()
            return
        try:
            ingest(
                message,
                uow_factory=app.uows,
                now=app.clock(),
                cursor=Cursor(source.cursor_key, new_cursor),
                reopen_window=app.reopen_window,
            )
        except LeaseLost:
            raise  # not the message's fault: never set aside
        except Exception as exc:
            if not setaside.set_aside(app, source.cursor_key, message, new_cursor, exc):
                raise  # the poll stops here; the next one tries this message again
            return
        setaside.stored(app, source.cursor_key, message)

    return source.poll_once(deliver, cursor)


def poll_all(
    app: App, due: Callable[[ChannelSource], bool] = lambda s: True, *, wait: bool = True
) -> dict[str, int]:
    """One pass over every configured channel (that is `due`); a failing channel does not stop
    the others."""
    counts: dict[str, int] = {}
    for source in app.sources:
        if not due(source):
            continue
        try:
            counts[source.cursor_key] = poll_source(app, source, wait=wait)
        except Exception as exc:  # noqa: BLE001 - one broken channel must not stop the rest
            log.error(
                "menarik pesan dari %s gagal (%s); kanal lain tetap berjalan",
                source.cursor_key,
                type(exc).__name__,
            )
            log.debug("traceback (may contain personal data; DEBUG only)", exc_info=True)
            counts[source.cursor_key] = -1
    return counts


def dispatch(
    app: App, max_passes: int = 100, going: Callable[[], bool] = lambda: True
) -> DispatchReport:
    """Send everything due now. Each pass takes the oldest item per recipient (order per chat),
    so passes repeat until one finds nothing left to do, or until `going` says the service
    stops (the rest stays in the outbox)."""
    sent = retrying = failed = 0
    reached: set[str] = set()
    unreachable: set[str] = set()
    for _ in range(max_passes):
        if not going():
            break
        report = dispatch_due(
            uow_factory=app.uows,
            senders=app.senders,
            clock=app.clock,
            policy=app.retry_policy,
            jitter=app.jitter,
            heads=app.timers.heads if app.timers else (),
            progress=systemd.alive,
            targets=leases.sendable(app.senders) if app.leases is not None else None,
            going=going,
        )
        sent, retrying, failed = (
            sent + report.sent,
            retrying + report.retrying,
            failed + report.failed,
        )
        reached |= report.reached
        unreachable |= report.unreachable
        if report.handled == 0 or report.sent == 0:
            break
    answered: dict[str, bool] = {}  # Telegram's two targets are one name: up if either answered
    for target in reached | unreachable:
        name = alarm.send_name(target)
        answered[name] = answered.get(name, False) or target in reached
    for name, up in answered.items():
        alarm.saw(app, name, up)
    return DispatchReport(sent, retrying, failed)


def relay(app: App) -> int:
    """Pass new client messages on to staff (only when a staff side is configured)."""
    if app.telegram is None:
        return 0
    if app.offices is not None:  # the shared hotline: nobody waits for an answer that never came
        switchboard.release_waiting(app, app.clock())
    total = 0
    while True:
        passed = relay_new_messages(
            uow_factory=app.uows,
            now=app.clock(),
            triage=app.triage,
            flood_per_minute=app.settings.limits.flood_per_minute,
        )
        total += passed
        if passed == 0:
            return total


def sweep_timers(app: App, going: Callable[[], bool] = lambda: True) -> SweepReport | None:
    """The SLA sweeper's pass (triage.usecases.timers): store the deadlines the open conversations
    need
    and fire those due. Any number of workers may run it at once."""
    if app.timers is None:
        return None
    now = app.clock()
    report = sweep(uow_factory=app.uows, now=now, setup=app.timers, going=going)
    sla = app.settings.sla
    board_changed = sla.board_seconds > 0 and refresh_board(
        uow_factory=app.uows,
        now=now,
        targets=app.timers.targets,
        calendar=app.timers.calendar,
        every=sla.board_seconds,
    )
    if report.fired or board_changed:
        app.wake.set()
    return report


def _sweep_safely(app: App, scheduler: BaseScheduler | None = None,
                  stop: threading.Event | None = None, *, plan: bool = True) -> None:  # fmt: skip
    """A pass of the sweeper (`plan`: the interval's, which also stores the deadlines new waits
    need; else a pass that only fires what fell due), then its wake at the next deadline. Once
    `stop` is set it fires nothing more and plans no wake: the service stops at once."""

    def going() -> bool:
        return stop is None or not stop.is_set()

    try:
        if plan:
            sweep_timers(app, going)
        elif (
            app.timers is not None
            and fire_all_due(
                uow_factory=app.uows, now=app.clock(), setup=app.timers, going=going
            ).fired
        ):
            app.wake.set()
        if scheduler is not None and going():
            wake_at_next_due(scheduler, app.uows, app.clock(),
                             lambda: _sweep_safely(app, scheduler, stop, plan=False))  # fmt: skip
    except Exception as exc:  # noqa: BLE001 - a database hiccup: the next pass tries again
        log.error("pemeriksaan SLA gagal (%s); dicoba lagi nanti", type(exc).__name__)
        log.debug("traceback", exc_info=True)


SOONEST_WAKE = timedelta(seconds=0.25)  # a row due but locked elsewhere is not a busy loop


def wake_at_next_due(scheduler: BaseScheduler, uows: UnitOfWorkFactory, now: datetime,
                     run: Callable[[], None]) -> datetime | None:  # fmt: skip
    """A one-shot run of `run` when the next pending deadline falls due, so a reminder does not
    wait for the interval (which stays, to plan and as the floor). `now` is the service's clock
    (a test's or the demo's may run ahead of the wall clock, which the scheduler keeps)."""
    due = next_due(uow_factory=uows)
    if due is None:
        return None
    at = datetime.now(UTC) + max(due - now, SOONEST_WAKE)
    scheduler.add_job(run, "date", run_date=at, id=f"sla-due-{due.timestamp():.3f}",
                      replace_existing=True, misfire_grace_time=None, coalesce=True)  # fmt: skip
    return due


def start_scheduler(app: App, stop: threading.Event | None = None) -> BackgroundScheduler | None:
    """APScheduler runs the sweep every `[sla] sweep_seconds` (planning and firing; the
    deadlines themselves are rows: a restart loses none), and once at each next deadline
    between those passes (so a reminder is queued within about a second of its due time), and
    the calendar jobs, kept in the database (bot.service.jobs)."""
    if app.timers is None:
        return None
    scheduler = BackgroundScheduler(timezone=UTC)
    scheduler.add_job(
        _sweep_safely,
        "interval",
        seconds=app.settings.sla.sweep_seconds,
        args=[app, scheduler, stop],
        id="sla-sweep",
        max_instances=1,
        coalesce=True,
        next_run_time=datetime.now(UTC),
    )
    from bot.service import jobs

    if app.leases is None:
        jobs.install(scheduler, app)
    else:  # one scheduler at a time keeps the calendar jobs' store
        app.leases.want(leases.CALENDAR, on_gain=lambda: jobs.install(scheduler, app),
                        on_loss=lambda: jobs.uninstall(scheduler))  # fmt: skip
    scheduler.start()
    return scheduler


def run_forever(app: App, stop: threading.Event, poll_every: float = 5.0) -> None:
    """Poll, relay and dispatch until `stop` is set; Telegram's updates arrive on their own
    thread and wake this loop (`app.wake`) when there is something to pass on or send."""
    keeping = _start_leases(app)
    if app.telegram is not None:
        app.telegram.start()
    watching = _start_watchers(app)
    scheduler = start_scheduler(app, stop)
    next_poll: dict[str, float] = {}

    def due(source: ChannelSource) -> bool:
        if source.cursor_key in app.threaded:
            return False  # polled on its own thread
        now = time.monotonic()
        if now < next_poll.get(source.cursor_key, 0.0):
            return False
        next_poll[source.cursor_key] = now + app.poll_seconds.get(source.cursor_key, poll_every)
        return True

    def going() -> bool:
        return not stop.is_set()

    steps = (("relay", lambda: relay(app)), ("dispatch", lambda: dispatch(app, going=going)))

    watch = ClockWatch()
    _replan_safely(app, scheduler, None)
    systemd.watch_this_thread()
    systemd.notify("READY=1")
    try:
        while not stop.is_set():
            systemd.alive()
            _replan_safely(app, scheduler, watch)
            poll_all(app, due, wait=False)
            for name, step in steps:  # one failing never stops the other
                ok = True
                try:
                    step()
                except Exception as exc:  # noqa: BLE001 - a database hiccup: log, wait, go on
                    ok = False
                    log.error("langkah %s gagal (%s); dicoba lagi", name, type(exc).__name__)
                    log.debug("traceback", exc_info=True)
                if name == "dispatch":  # it reads the outbox first: its failure is the database's
                    alarm.saw(app, "database", ok)
            alarm.sound(app)
            app.wake.wait(app.settings.outbox.interval_seconds)
            app.wake.clear()
    finally:
        systemd.unwatch_this_thread()
        systemd.notify("STOPPING=1")
        if scheduler is not None:
            scheduler.shutdown(wait=False)
        for watcher in app.watchers:
            watcher.stop.set()
            if hasattr(watcher, "halt"):
                watcher.halt()  # a poller waiting for its next turn
        # 2 s for all together: an Instagram poll mid-way (a second between its requests) is not
        # waited for longer; its cursor moves with each message stored, so it ends as a kill
        # would, and its lease fences a late cursor write
        until = time.monotonic() + 2
        for thread in watching:
            thread.join(timeout=max(0.0, until - time.monotonic()))
        if app.telegram is not None:
            app.telegram.stop()
        if keeping is not None and app.leases is not None:
            app.leases.stop.set()
            app.leases.soon.set()
            keeping.join(timeout=5)
            # the pollers have stopped, or been waited for 2 s: another worker goes on at once
            # (a poller still finishing is fenced by its lease: its cursor write is refused)
            app.leases.release_all()


def _start_leases(app: App) -> threading.Thread | None:
    """Several workers on PostgreSQL: each channel's poller under its lease (the calendar's
    is asked for where the scheduler starts)."""
    if app.leases is None:
        return None
    for source in app.sources:
        app.leases.want(source.cursor_key)
    if app.telegram is not None:  # its updates, and the sends (under one flood budget)
        app.leases.want(app.telegram.lease_name)
    return leases.start(app.leases)


def _replan_safely(app: App, scheduler: BackgroundScheduler | None, watch: ClockWatch | None):
    """The wall clock stepped back (triage.domain.schedule.clock): what waits is moved back by
    the step, and the SLA sweep runs now (APScheduler planned its next run by the old clock).
    `watch` None: at start, from a row written later than now."""
    step = None
    try:
        if watch is None:
            done = replan_after_restart(uow_factory=app.uows, now=app.clock())
        else:
            ticks = time.monotonic()  # first: see ClockWatch.step_back
            now = app.clock()
            step = watch.step_back(now, ticks)
            done = replan(step, uow_factory=app.uows, now=now) if step is not None else None
    except Exception as exc:  # noqa: BLE001 - a database hiccup: the next pass tries again
        if watch is not None and step is not None:
            watch.owe(step)
        log.error("penyesuaian jadwal gagal (%s); dicoba lagi", type(exc).__name__)
        return
    if done is None:
        return
    log.warning(
        "jam sistem mundur %d detik: %d kiriman dan %d pengingat SLA dijadwalkan ulang",
        int(done.step.total_seconds()), done.outbox, done.deadlines,
    )  # fmt: skip
    if scheduler is not None and scheduler.get_job("sla-sweep") is not None:
        scheduler.modify_job("sla-sweep", next_run_time=datetime.now(UTC))
    app.wake.set()


def _start_watchers(app: App) -> list[threading.Thread]:
    """The IMAP IDLE watchers, each on its own thread (imapclient blocks)."""
    threads = []
    for watcher in app.watchers:
        thread = threading.Thread(target=watcher.run, name=f"watch {watcher.name}")
        thread.daemon = True
        thread.start()
        threads.append(thread)
    return threads
