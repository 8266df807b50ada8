"""What every benchmark shares: running one measurement on SQLite (a fresh file) and on
PostgreSQL (a throwaway cluster, or --pg-url), and printing the results with the machine and
the date (docs/BENCHMARKS.md quotes them)."""

from __future__ import annotations

import json
import os
import platform
import tempfile
from collections.abc import Callable, Sequence
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
