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


def stamp() -> dict[str, str]:
    """The machine and the date a service bench's one JSON line carries."""
    return {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
    }


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


ALL_DAY = "\n".join(f'{day} = ["00:00-23:59"]' for day in ("mon", "tue", "wed", "thu", "fri",
                                                           "sat", "sun"))  # fmt: skip


def office_config(path: Path, api: object, *, group: int, name: str = "PUSPAGA Uji",
                  data_dir: str = "data", database: str = 'sqlite_synchronous = "normal"',
                  log_level: str | None = "WARNING") -> Path:  # fmt: skip
    """An office's config.toml for the service benches: open all day (every wait counts), no
    consent placeholders to wait for, the demo's staff, the local Bot API server `api`'s bot
    in the admin group `group`; `database`: the [database] section's lines."""
    from bot.demo.telegram_act import STAFF

    staff = "".join(
        f'[[staff]]\ntelegram_id = {tid}\nname = "{who}"\nrole = "{role}"\n'
        for tid, who, role in STAFF
    )
    level = f'log_level = "{log_level}"\n' if log_level else ""
    path.write_text(
        f'data_dir = "{data_dir}"\n{level}[database]\n{database}\n'
        f'[office]\nname = "{name}"\nafter_hours_reply = false\n[office.hours]\n{ALL_DAY}\n'
        f"[consent]\nmask_before = false\n"
        f'[telegram]\ntoken = "{api.state.token}"\nbase_url = "{api.base_url}"\n'  # type: ignore[attr-defined]
        f"admin_chat_id = {group}\n{staff}",
        encoding="utf-8",
    )
    return path


def proc_kb(pid: int, field: str) -> int:
    """A field of /proc/PID/status in kB (VmRSS, VmHWM, Threads…); 0 once the process is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        return 0
    return 0


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pids_named(name: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == name:
                    found.append(int(entry.name))
            except OSError:
                continue
    return found
