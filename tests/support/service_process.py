"""`puspaga run` as its own process (as systemd runs it) against the local Bot API server, for
the kill -9 and several-worker tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, text

from bot.demo.local_api import LocalBotApi
from tests.support.office import GROUP, STAFF


def config(tmp_path: Path, api: LocalBotApi, database: str = "", name: str = "PUSPAGA Uji",
           group: int = GROUP) -> Path:  # fmt: skip
    """Fast outbox retries; `database`: a PostgreSQL section's lines (empty: SQLite)."""
    staff = "".join(
        f'[[staff]]\ntelegram_id = {tid}\nname = "{name}"\nrole = "{role}"\n'
        for tid, name, role in STAFF
    )
    path = tmp_path / "config.toml"
    path.write_text(
        'data_dir = "data"\nlog_level = "WARNING"\n'
        + (f"[database]\n{database}\n" if database else "")
        + f'[office]\nname = "{name}"\nafter_hours_reply = false\n'
        # the clients' words are what these tests count (masking has tests of its own)
        "[consent]\nmask_before = false\n"
        "[outbox]\ninterval_seconds = 0.1\nretry_base_seconds = 0.3\nlease_seconds = 2\n"
        f'[telegram]\ntoken = "{api.state.token}"\nbase_url = "{api.base_url}"\n'
        f"admin_chat_id = {group}\n" + staff
    )
    return path


def service(path: Path) -> subprocess.Popen:
    script = Path(sys.executable).parent / "puspaga"
    return subprocess.Popen(
        [str(script), "run", "--config", str(path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def query(url: str, sql: str) -> list:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(text(sql)))
    except Exception:  # noqa: BLE001 - the schema may not exist yet
        return []
    finally:
        engine.dispose()
