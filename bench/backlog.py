"""A backlog without a storm: the service started on a database of many open conversations,
one message each, every one past its targets (as after an outage, or the first day with an
office's old cases), against the local Bot API server with Telegram's flood limits.

    .venv/bin/python bench/backlog.py [--open 100000] [--seconds 150]

`puspaga run` runs as its own process (as systemd runs it). Measures: the outbox after
`--seconds` (items by kind: the cards are one a conversation by design, the reminders should be
digests), the service's peak resident memory (VmHWM), and how long it takes to stop on SIGTERM.
Prints one JSON line; docs/BENCHMARKS.md keeps the results.
"""

from __future__ import annotations

import argparse
import json
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text  # noqa: E402

from bench.common import office_config, proc_kb, stamp  # noqa: E402
from bot.bootstrap import build  # noqa: E402
from bot.config.settings import load  # noqa: E402
from bot.demo.local_api import ApiState, LocalBotApi  # noqa: E402
from bot.demo.telegram_act import GROUP, STAFF  # noqa: E402
from triage.domain.model import Channel, InboundMessage  # noqa: E402
from triage.usecases.ingest import ingest  # noqa: E402


def config(api: LocalBotApi, data: Path) -> Path:
    return office_config(data.parent / "config.toml", api, group=GROUP, data_dir=str(data),
                         log_level=None)  # fmt: skip


def fill(path: Path, count: int) -> float:
    """`count` clients who wrote three hours ago (every target long past)."""
    app = build(load(path))
    began = time.monotonic()
    at = datetime.now(UTC) - timedelta(hours=3)
    for n in range(count):
        message = InboundMessage(Channel.HOTLINE, f"b{n}", str(500_000 + n), f"Klien {n}",
                                 "halo, saya butuh bantuan", at)  # fmt: skip
        ingest(message, uow_factory=app.uows, now=at)
    app.engine.dispose()
    return time.monotonic() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--open", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=150)
    args = parser.parse_args()
    state = ApiState()
    for user_id, name, _ in STAFF:
        state.add_user(user_id, name)
    state.add_group(GROUP, "Admin PUSPAGA")
    with tempfile.TemporaryDirectory() as tmp, LocalBotApi(state) as api:
        path = config(api, Path(tmp) / "data")
        fill_seconds = fill(path, args.open)
        puspaga = Path(sys.executable).parent / "puspaga"
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        service = subprocess.Popen([str(puspaga), "run", "--config", str(path)], **quiet)
        started = time.monotonic()
        peak = 0
        while time.monotonic() - started < args.seconds and service.poll() is None:
            peak = max(peak, proc_kb(service.pid, "VmHWM"))
            time.sleep(1.0)
        peak = max(peak, proc_kb(service.pid, "VmHWM"))
        stopping = time.monotonic()
        service.send_signal(signal.SIGTERM)
        code = service.wait(120)
        stop_seconds = time.monotonic() - stopping
        app = build(load(path))
        with app.engine.connect() as conn:
            rows = conn.execute(text("SELECT options, status FROM outbox")).all()
        app.engine.dispose()
        kinds = Counter(json.loads(r.options or "{}").get("kind", "client reply") for r in rows)
        fired = None
        with build(load(path)).engine.connect() as conn:
            fired = conn.execute(
                text("SELECT count(*) FROM deadline WHERE status='fired'")
            ).scalar()
        result = {
            "open_conversations": args.open,
            "fill_s": round(fill_seconds, 1),
            "ran_s": args.seconds,
            "outbox_items": len(rows),
            "by_kind": dict(kinds.most_common()),
            "sent": sum(r.status == "sent" for r in rows),
            "deadlines_fired": fired,
            "peak_rss_mb": round(peak / 1024, 1),
            "stop_s": round(stop_seconds, 2),
            "exit_code": code,
            "group_posts": sum(
                1
                for c in state.calls
                if c.method == "sendMessage" and str(c.params.get("chat_id")) == str(GROUP)
            ),  # fmt: skip
            **stamp(),
        }
        print(json.dumps(result))


if __name__ == "__main__":
    main()
