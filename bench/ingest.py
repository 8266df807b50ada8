"""Ingest throughput: messages per second through the ingest use case (one commit per message),
next to the raw single-row commit rate of the same database, measured in the same run.

    .venv/bin/python bench/ingest.py [--count 1000] [--rounds 5] [--db sqlite postgresql]
                                     [--pg-url URL]

SQLite runs with the product's default (WAL, synchronous=FULL). PostgreSQL is a throwaway
cluster with its durable defaults (fsync on), unless --pg-url names one. Target: ratio >= 0.5.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text  # noqa: E402

from bench.common import on_databases, report  # noqa: E402
from storage.db import make_engine  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.unit_of_work import SqlUnitOfWorkFactory  # noqa: E402
from triage.domain.model import Channel, InboundMessage
from triage.usecases.ingest import ingest

T0 = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)


def messages(count: int, clients: int) -> list[InboundMessage]:
    return [
        InboundMessage(
            channel=Channel.HOTLINE,
            external_id=f"bench-{n}",
            sender_id=f"c{n % clients}",
            sender_name=f"Klien {n % clients}",
            text="Selamat pagi, saya ingin konsultasi.",
            received_at=T0 + timedelta(milliseconds=n),
        )
        for n in range(count)
    ]


def raw_commit_rate(engine, count: int, offset: int) -> float:  # type: ignore[no-untyped-def]
    """Single-row INSERT + COMMIT through the bare driver connection (no SQLAlchemy)."""
    dbapi = engine.raw_connection()
    cur = dbapi.cursor()
    placeholder = "?" if engine.dialect.name == "sqlite" else "%s"
    start = time.perf_counter()
    for n in range(offset, offset + count):
        if engine.dialect.name == "sqlite":
            cur.execute("BEGIN IMMEDIATE")
        cur.execute(
            f"INSERT INTO bench_raw (id, payload) VALUES ({placeholder}, {placeholder})",
            (n, "Selamat pagi, saya ingin konsultasi."),
        )
        dbapi.commit()
    elapsed = time.perf_counter() - start
    dbapi.close()
    return count / elapsed


def ingest_rate(uows: SqlUnitOfWorkFactory, batch: list[InboundMessage]) -> float:
    start = time.perf_counter()
    for msg in batch:
        ingest(msg, uow_factory=uows, now=T0)
    return len(batch) / (time.perf_counter() - start)


def measure(name: str, url: str, count: int, rounds: int) -> dict[str, object]:
    """Raw and ingest alternate in `rounds` rounds on the same database, so a drift of the
    machine (other load, disk cache) touches both; the medians are reported."""
    engine = make_engine(url)
    upgrade(engine)
    with engine.connect() as conn:
        conn.execute(text("CREATE TABLE bench_raw (id INTEGER PRIMARY KEY, payload TEXT)"))
        conn.commit()
    uows = SqlUnitOfWorkFactory(engine)
    batch = messages(count * rounds, clients=max(1, count * rounds // 5))
    raws, ingests, ratios = [], [], []
    for r in range(rounds):
        raw = raw_commit_rate(engine, count, offset=r * count)
        rate = ingest_rate(uows, batch[r * count : (r + 1) * count])
        raws.append(raw)
        ingests.append(rate)
        ratios.append(rate / raw)
    engine.dispose()
    return {
        "database": name,
        "messages": count * rounds,
        "rounds": rounds,
        "ingest_per_s": round(statistics.median(ingests), 1),
        "raw_commits_per_s": round(statistics.median(raws), 1),
        "ratio": round(statistics.median(ratios), 3),
        "ratio_min": round(min(ratios), 3),
        "ratio_max": round(max(ratios), 3),
        "ratios": [round(r, 3) for r in ratios],  # per round; the first: new clients only
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1000, help="messages per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--db", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--pg-url", default=None)
    args = parser.parse_args()
    results = on_databases(
        lambda name, url: measure(name, url, args.count, args.rounds), args.db, args.pg_url
    )
    report(results)


if __name__ == "__main__":
    main()
