"""Where an ingest's time goes on SQLite, next to the raw single-row commit (bench/ingest.py
gives the rates; this says why the ratio is what it is).

    .venv/bin/python bench/ingest_costs.py [--count 1000] [--rounds 5]

Per message, as medians over the rounds of a known client writing into an open case: the
pages the commit writes to the WAL, the commit's own time, the unit of work's opening and
closing (pool checkout, BEGIN IMMEDIATE, SQLAlchemy's connection), and the statements with our
code; and the same for the raw commit (bare driver: BEGIN IMMEDIATE, INSERT, COMMIT).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import report  # noqa: E402
from bench.ingest import T0, messages  # noqa: E402
from storage.db import make_engine  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.unit_of_work import SqlUnitOfWork, SqlUnitOfWorkFactory  # noqa: E402
from triage.usecases.ingest import ingest

WAL_FRAME = 4096 + 24  # page size + frame header


class TimedUnitOfWork(SqlUnitOfWork):
    spent = {"open": 0.0, "commit": 0.0, "close": 0.0}

    def __enter__(self):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        try:
            return super().__enter__()
        finally:
            self.spent["open"] += time.perf_counter() - start

    def commit(self) -> None:
        start = time.perf_counter()
        super().commit()
        self.spent["commit"] += time.perf_counter() - start

    def __exit__(self, *exc):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        try:
            return super().__exit__(*exc)
        finally:
            self.spent["close"] += time.perf_counter() - start


class TimedFactory(SqlUnitOfWorkFactory):
    def __call__(self) -> TimedUnitOfWork:
        return TimedUnitOfWork(self.engine)


def frames_per_commit(path: str, text: str, count: int, rounds: int) -> tuple[float, float]:
    """WAL frames a raw commit and an ingest append, on an engine whose connections never
    checkpoint (so the WAL only grows while counting)."""
    engine = make_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", lambda conn, _: conn.execute("PRAGMA wal_autocheckpoint=0"))
    uows = SqlUnitOfWorkFactory(engine)
    driver = engine.raw_connection()
    db = driver.driver_connection
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    wal = Path(path + "-wal")

    def frames(work) -> float:  # type: ignore[no-untyped-def]
        before = wal.stat().st_size if wal.exists() else 0
        calls = work()
        return (wal.stat().st_size - before) / WAL_FRAME / calls

    raw = frames(lambda: _raw_commits(db, 10**7, 200, text))
    driver.close()
    stored = count * (rounds + 1)  # what measure() ingested: these are new, from known clients
    later = messages(stored + 200, clients=count)[stored:]
    ingested = frames(lambda: _ingests(uows, later))
    engine.dispose()
    return raw, ingested


def measure(count: int, rounds: int) -> dict[str, object]:
    tmp = tempfile.mkdtemp()
    path = f"{tmp}/costs.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    uows = TimedFactory(engine)
    batch = messages(count * (rounds + 1), clients=count)
    for msg in batch[:count]:  # every client known, each with an open case
        ingest(msg, uow_factory=uows, now=T0)
    driver = engine.raw_connection()
    db = driver.driver_connection
    db.execute("CREATE TABLE bench_raw (id INTEGER PRIMARY KEY, payload TEXT)")
    rows = {"ingest_ms": [], "open_ms": [], "statements_ms": [], "commit_ms": [],
            "close_ms": [], "raw_ms": []}  # fmt: skip
    for r in range(rounds):
        start = time.perf_counter()
        for n in range(r * count, (r + 1) * count):
            db.execute("BEGIN IMMEDIATE")
            db.execute("INSERT INTO bench_raw VALUES (?, ?)", (n, batch[0].text))
            db.commit()
        rows["raw_ms"].append((time.perf_counter() - start) / count * 1e3)
        TimedUnitOfWork.spent = {"open": 0.0, "commit": 0.0, "close": 0.0}
        start = time.perf_counter()
        for msg in batch[(r + 1) * count : (r + 2) * count]:
            ingest(msg, uow_factory=uows, now=T0)
        total = (time.perf_counter() - start) / count * 1e3
        spent = {k: v / count * 1e3 for k, v in TimedUnitOfWork.spent.items()}
        rows["ingest_ms"].append(total)
        rows["open_ms"].append(spent["open"])
        rows["commit_ms"].append(spent["commit"])
        rows["close_ms"].append(spent["close"])
        rows["statements_ms"].append(total - sum(spent.values()))
    driver.close()
    engine.dispose()
    raw_frames, ingest_frames = frames_per_commit(path, batch[0].text, count, rounds)
    result: dict[str, object] = {k: round(statistics.median(v), 3) for k, v in rows.items()}
    result["wal_frames_per_ingest"] = round(ingest_frames, 2)
    result["wal_frames_per_raw_commit"] = round(raw_frames, 2)
    ratios = [raw / one for raw, one in zip(rows["raw_ms"], rows["ingest_ms"], strict=True)]
    result["ratio"] = round(statistics.median(ratios), 3)
    return {"database": "sqlite", "messages": count * rounds, **result}


def _raw_commits(db, first: int, n: int, text: str) -> int:  # type: ignore[no-untyped-def]
    for i in range(first, first + n):
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO bench_raw VALUES (?, ?)", (i, text))
        db.commit()
    return n


def _ingests(uows: TimedFactory, batch) -> int:  # type: ignore[no-untyped-def]
    for msg in batch:
        ingest(msg, uow_factory=uows, now=T0)
    return len(batch)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1000, help="messages per round")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    report([measure(args.count, args.rounds)])


if __name__ == "__main__":
    main()
