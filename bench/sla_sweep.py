"""SLA sweep: 10,000 open conversations with their deadlines; how late reminders fire after
their deadline (target <= 30 s) and what a sweep pass costs.

    .venv/bin/python bench/sla_sweep.py [--open 10000] [--window 90] [--every 15]
                                        [--db sqlite postgresql] [--pg-url URL]
                                        [--wake] [--workers 1]

Each client wrote so that its reminder falls due at a random moment of the next `--window`
seconds (the office open all day, so service time is wall time); the escalations stay open.
The product's scheduler job (bot.service.loops.start_scheduler: APScheduler, every `--every`
seconds) runs on the real clock; lateness = the pass's clock reading when it fired the row -
when the row was due (the notice is committed within that pass: add pass_max_s for the worst
case). idle_pass_s: a pass with nothing new and nothing due, the cost paid every interval.
With --wake each worker also runs once at the next pending deadline (firing only), as the
product does; --workers N runs N sweepers on the one database.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from datetime import time as clock_time  # noqa: E402

from apscheduler.schedulers.background import BackgroundScheduler  # noqa: E402
from sqlalchemy import select  # noqa: E402

from bench.common import on_databases, report  # noqa: E402
from bot.service.loops import wake_at_next_due  # noqa: E402
from storage.db import make_engine  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.tables import DeadlineRow  # noqa: E402
from storage.unit_of_work import SqlUnitOfWorkFactory  # noqa: E402
from triage.domain.model import Channel, InboundMessage
from triage.domain.schedule.calendar import ServiceCalendar
from triage.domain.schedule.sla import Targets
from triage.usecases.ingest import ingest
from triage.usecases.timers import TimerSetup, fire_all_due, sweep

ALWAYS = ServiceCalendar(
    ZoneInfo("Asia/Makassar"), {d: ((clock_time(0), clock_time.max),) for d in range(7)}
)
SETUP = TimerSetup(Targets(), ALWAYS, counselors=(2001, 2002), heads=(3001,))


def fill(uows: SqlUnitOfWorkFactory, count: int, window: float, start: datetime) -> None:
    rng = random.Random(7)
    target = timedelta(minutes=SETUP.targets.admin_response)
    for n in range(count):
        due = start + timedelta(seconds=rng.uniform(0, window))
        at = due - target
        message = InboundMessage(
            channel=Channel.HOTLINE,
            external_id=f"sla-{n}",
            sender_id=f"c{n}",
            sender_name=f"Klien {n}",
            text="Selamat pagi, saya ingin konsultasi.",
            received_at=at,
        )
        ingest(message, uow_factory=uows, now=at)


def measure(
    name: str, url: str, count: int, window: float, every: float, wake: bool = False,
    workers: int = 1,
) -> dict[str, object]:  # fmt: skip
    engine = make_engine(url)
    upgrade(engine)
    uows = SqlUnitOfWorkFactory(engine)
    start = datetime.now(UTC) + timedelta(seconds=30 + count / 500)  # after the filling
    fill(uows, count, window, start)
    t = time.perf_counter()
    first = sweep(uow_factory=uows, now=datetime.now(UTC), setup=SETUP)
    plan_seconds = time.perf_counter() - t
    passes: list[float] = []

    def job(scheduler: BackgroundScheduler, plan: bool = True) -> None:
        """As bot.service.loops._sweep_safely: a pass, then (with --wake) a run at the next due."""
        began = time.perf_counter()
        pass_ = sweep if plan else fire_all_due
        pass_(uow_factory=uows, now=datetime.now(UTC), setup=SETUP)
        passes.append(time.perf_counter() - began)
        if wake:
            wake_at_next_due(scheduler, uows, datetime.now(UTC), lambda: job(scheduler, False))

    wait = (start - datetime.now(UTC)).total_seconds()
    if wait > 0:
        time.sleep(wait)
    schedulers = [BackgroundScheduler(timezone=UTC) for _ in range(workers)]
    for scheduler in schedulers:  # each a worker: its own interval (and wakes), one database
        scheduler.add_job(
            job,
            "interval",
            seconds=every,
            args=[scheduler],
            max_instances=1,
            coalesce=True,
            next_run_time=datetime.now(UTC),
        )
        scheduler.start()
    time.sleep(window + every + 5)
    for scheduler in schedulers:
        scheduler.shutdown(wait=True)
    began = time.perf_counter()
    idle = sweep(uow_factory=uows, now=datetime.now(UTC), setup=SETUP)  # nothing new, none due
    idle_seconds = time.perf_counter() - began
    with engine.connect() as conn:
        rows = conn.execute(
            select(DeadlineRow.due_at, DeadlineRow.done_at, DeadlineRow.status, DeadlineRow.level)
        ).all()
    engine.dispose()
    late = sorted((r.done_at - r.due_at).total_seconds() for r in rows if r.status == "fired")
    pending = sum(1 for r in rows if r.status == "pending")
    quantile = statistics.quantiles(late, n=100) if len(late) > 1 else late * 99
    return {
        "database": name,
        "wake_at_next_due": wake,
        "workers": workers,
        "open_conversations": count,
        "deadline_rows": len(rows),
        "fired": len(late),
        "still_pending": pending,
        "sweep_every_s": every,
        "first_pass_planning_s": round(plan_seconds, 2),
        "first_pass_planned": first.planned,
        "idle_pass_s": round(idle_seconds, 3),
        "idle_pass_fired": idle.fired,
        "pass_median_s": round(statistics.median(passes), 3) if passes else None,
        "pass_max_s": round(max(passes), 3) if passes else None,
        "lateness_p50_s": round(statistics.median(late), 2) if late else None,
        "lateness_p95_s": round(quantile[94], 2) if late else None,
        "lateness_max_s": round(max(late), 2) if late else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--open", type=int, default=10_000, help="open conversations")
    parser.add_argument("--window", type=float, default=90, help="seconds the reminders span")
    parser.add_argument("--every", type=float, default=15, help="sweep interval (seconds)")
    parser.add_argument("--db", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--pg-url", default=None)
    parser.add_argument(
        "--wake", action="store_true", help="also run at each next deadline (the product's)"
    )
    parser.add_argument("--workers", type=int, default=1, help="sweepers sharing the database")
    args = parser.parse_args()
    results = on_databases(
        lambda name, url: measure(
            name, url, args.open, args.window, args.every, args.wake, args.workers
        ),
        args.db,
        args.pg_url,
    )
    report(results)


if __name__ == "__main__":
    main()
