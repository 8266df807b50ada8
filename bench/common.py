"""What every benchmark shares: running one measurement on SQLite (a fresh file) and on
PostgreSQL (a throwaway cluster, or --pg-url), and printing the results with the machine and
the date (docs/BENCHMARKS.md quotes them)."""

from __future__ import annotations

import json
import os
import platform
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from tests.support.pg_cluster import start_cluster

Measure = Callable[[str, str], dict[str, object]]  # (database name, URL) -> one result


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def on_databases(
    measure: Measure, databases: Sequence[str], pg_url: str | None, *, fsync: bool = True
) -> list[dict[str, object]]:
    results = []
    if "sqlite" in databases:
        with tempfile.TemporaryDirectory() as tmp:
            results.append(measure("sqlite", f"sqlite:///{tmp}/bench.sqlite3"))
    if "postgresql" in databases:
        cluster = None if pg_url else start_cluster(fsync=fsync)
        try:
            results.append(measure("postgresql", pg_url or (cluster.url if cluster else "")))
        finally:
            if cluster:
                cluster.stop()
    return results


def report(results: list[dict[str, object]]) -> None:
    print(
        json.dumps(
            {
                "date": datetime.now(UTC).isoformat(timespec="seconds"),
                "machine": f"{platform.machine()}, {os.cpu_count()} cores, {cpu_model()}",
                "python": platform.python_version(),
                "results": results,
            },
            indent=2,
        )
    )


def mail_section(dovecot, sink, username: str, **extra: object) -> dict[str, object]:  # noqa: ANN001
    """The `[email]` settings of a benchmark's office on the local Dovecot and SMTP sink."""
    return {
        "imap_host": dovecot.host,
        "imap_port": dovecot.port,
        "username": username,
        "password": dovecot.password,
        "use_ssl": False,
        "smtp_host": sink.host,
        "smtp_port": sink.port,
        "smtp_security": "plain",
        "from_address": "puspaga@example.org",
        **extra,
    }


@contextmanager
def running_service(settings) -> Iterator[tuple[object, threading.Event]]:  # noqa: ANN001
    """The office's service loop in a thread, as `puspaga run` runs it, once the mail watcher
    is connected; stopped on leaving. Yields the app and the stop event."""
    from bot.bootstrap import build
    from bot.service import loops as service

    app = build(settings)
    stop = threading.Event()
    loop = threading.Thread(target=service.run_forever, args=(app, stop), daemon=True)
    loop.start()
    if app.watchers:
        app.watchers[0].connected.wait(10)
    try:
        yield app, stop
    finally:
        stop.set()
        loop.join(timeout=10)


def note_stored(app, seen: dict[str, float]) -> None:  # noqa: ANN001
    """When each mail's row is first seen in the inbox (its id is the Message-ID, "#", and a
    digest of the sender)."""
    from sqlalchemy import text

    with app.engine.connect() as conn:
        for (ext,) in conn.execute(text("SELECT external_id FROM message")):
            seen.setdefault(ext.split("#", 1)[0], time.monotonic())
