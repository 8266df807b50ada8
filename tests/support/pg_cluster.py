"""A throwaway PostgreSQL cluster from the installed server binaries, for tests and benchmarks.

initdb refuses to run as root, so as root the server runs as the `postgres` user (runuser).
`fsync=False` is for tests; the benchmarks keep PostgreSQL's durable defaults.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from bot.demo.local_mail import free_port


def find_bindir() -> Path | None:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(candidate, "pg_ctl").exists():
            return Path(candidate)
    found = shutil.which("pg_ctl")
    return Path(found).resolve().parent if found else None


@dataclass
class PgCluster:
    bindir: Path
    root: Path
    port: int
    fsync: bool
    max_connections: int = 200
    opts: str = ""  # the server's options, as `start` gave them (`resume` gives them again)

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://app@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        cmd = list(args)
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True, timeout=120)

    def start(self) -> PgCluster:
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        data = self.root / "data"
        self._run(
            str(self.bindir / "initdb"),
            "-D",
            str(data),
            "-U",
            "app",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-locale",
        )
        opts = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root}"
        opts += f" -c max_connections={self.max_connections}"
        if not self.fsync:
            opts += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self.opts = opts
        self._run(
            str(self.bindir / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(self.root / "pg.log"),
            "-w",
            "-t",
            "60",
            "start",
            "-o",
            opts,
        )
        return self

    def halt(self) -> None:
        """The server down, its data kept (`resume` brings it back): an outage."""
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.root / "data"), "-w", "-t", "60",
                  "-m", "fast", "stop")  # fmt: skip

    def resume(self) -> None:
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.root / "data"),
                  "-l", str(self.root / "pg.log"), "-w", "-t", "60", "start",
                  "-o", self.opts)  # fmt: skip

    def restart(self) -> None:
        """A fast restart (every connection dropped), as an upgrade or a reboot of the server."""
        self._run(
            str(self.bindir / "pg_ctl"), "-D", str(self.root / "data"),
            "-l", str(self.root / "pg.log"), "-w", "-t", "60", "-m", "fast", "restart",
        )  # fmt: skip

    def stop(self) -> None:
        pidfile = self.root / "data" / "postmaster.pid"
        if pidfile.exists():
            pid = int(pidfile.read_text().splitlines()[0])
            try:
                os.kill(pid, 2)  # SIGINT: fast shutdown
            except ProcessLookupError:
                pass
            deadline = time.monotonic() + 30
            while pidfile.exists() and time.monotonic() < deadline:
                time.sleep(0.05)
        shutil.rmtree(self.root, ignore_errors=True)


def start_cluster(*, fsync: bool = False, max_connections: int = 200) -> PgCluster:
    bindir = find_bindir()
    if bindir is None:
        raise FileNotFoundError("PostgreSQL server binaries (pg_ctl) are not installed")
    root = Path(tempfile.mkdtemp(prefix="puspaga-pg-"))
    os.chmod(root, 0o755)  # noqa: S103 - the postgres user must reach its data directory
    return PgCluster(bindir, root, free_port(), fsync, max_connections).start()


def fresh_pg_database(server_url: str) -> str:
    """A new, empty database on the server; returns its URL."""
    from sqlalchemy import create_engine, text

    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return server_url.rsplit("/", 1)[0] + f"/{name}"
