"""Feed N deterministic messages through the ingest use case, one commit each.

    .venv/bin/python bench/feed_ingest.py --url sqlite:///x.sqlite3 --count 10000

Used by tests/storage/test_kill_restart.py: the feeder is killed with SIGKILL mid-way, started
again on the same input, and the database must hold every message exactly once.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from storage.db import make_engine  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.unit_of_work import SqlUnitOfWorkFactory  # noqa: E402
from triage.domain.model import Channel, InboundMessage
from triage.usecases.ingest import ingest

T0 = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)
CHANNELS = (Channel.EMAIL, Channel.INSTAGRAM, Channel.HOTLINE)


def message(n: int, clients: int) -> InboundMessage:
    client = n % clients
    channel = CHANNELS[client % len(CHANNELS)]
    return InboundMessage(
        channel=channel,
        external_id=f"feed-{n}",
        sender_id=f"sender-{client}",
        sender_name=f"Klien {client}",
        text=f"Pesan nomor {n}",
        received_at=T0 + timedelta(seconds=n),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=500)
    args = parser.parse_args()
    engine = make_engine(args.url)
    upgrade(engine)
    uows = SqlUnitOfWorkFactory(engine)
    stored = 0
    for n in range(args.count):
        stored += ingest(message(n, args.clients), uow_factory=uows, now=T0).stored
    print(f"fed {args.count}, newly stored {stored}", flush=True)


if __name__ == "__main__":
    main()
