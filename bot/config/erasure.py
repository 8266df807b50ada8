"""Erasure from the office's configuration (triage.domain.erasure): the retention periods, and the
removal of files, only ever inside the data directory."""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.app import App
from bot.config.settings import Settings
from storage.db import scrub
from triage.domain import erasure
from triage.domain.model import Actor
from triage.ports import UnitOfWork
from triage.usecases import erasure as erasure_cases

log = logging.getLogger(__name__)


def retention(settings: Settings) -> erasure.Retention:
    kept = settings.retention
    return erasure.Retention(
        {kind: (getattr(kept, f"{kind}_days") or None) for kind in erasure.ALL_KINDS}
    )


def remover(settings: Settings) -> erasure_cases.Remove:
    root = settings.data_dir.resolve()

    def remove(paths: Sequence[str]) -> None:
        for named in paths:
            path = Path(named).resolve()
            if not path.is_relative_to(root) or path == root:  # never outside our data
                log.warning("penghapusan: berkas tersimpan di luar folder data tidak dihapus")
                continue
            if path.is_dir():  # a case's letters
                shutil.rmtree(path)
            else:
                path.unlink(missing_ok=True)

    return remove


def purge(app: App) -> dict[str, int]:
    """The daily retention job: the kinds of triage.domain.erasure, then what the shell keeps on its
    own: updates that could not be handled (dead letters, whole, after the messages' period)
    and the monthly report files made for Telegram (made again from the database on request,
    so a month's copy older than `REPORT_FILES_KEPT` goes)."""
    now, settings = app.clock(), app.settings
    done = erasure_cases.purge(
        retention(settings), uow_factory=app.uows, now=now, remove=remover(settings)
    )  # fmt: skip
    days = settings.retention.messages_days
    if days:
        done["dead_letters"], files = app.dead_letters.drop_older_than(now - timedelta(days=days))
        remover(settings)(files)
    done["report_files"] = drop_kept_files(settings, now - REPORT_FILES_KEPT)
    if any(done.values()):
        scrubbed(app)
    log.info("pembersihan masa simpan: %s", ", ".join(f"{k} {n}" for k, n in done.items()))
    return done


REPORT_FILES_KEPT = timedelta(days=31)


def drop_kept_files(settings: Settings, before: datetime | None = None) -> int:
    """Remove the files made for Telegram (all, or those made before `before`): the monthly
    reports under data_dir/laporan (the register book names clients) and the sealed exports
    under data_dir/ekspor."""
    count = 0
    for kept in ("laporan", "ekspor"):
        folder = settings.data_dir / kept
        for made_for in folder.iterdir() if folder.is_dir() else ():
            made = datetime.fromtimestamp(made_for.stat().st_mtime, UTC)
            if before is None or made < before:
                shutil.rmtree(made_for) if made_for.is_dir() else made_for.unlink()
                count += 1
    return count


def forget(app: App, client_id: int, actor: Actor) -> list[int]:
    """A data subject's request to erase (puspaga forget, /hapus). The report files kept for
    Telegram go too (they name the client; they are made again without them on request). The
    client is written in the list of erased clients first (a restore erases them again), and
    struck out there if the erasure is refused."""
    mark = fingerprint(app, client_id)
    note_erased(app.settings, f"{client_id} {mark}")
    try:
        erased = erasure_cases.forget_client(
            client_id, actor=actor, uow_factory=app.uows, now=app.clock(),
            remove=remover(app.settings),
        )  # fmt: skip
    except Exception:
        note_erased(app.settings, f"-{client_id} {mark}")
        raise
    drop_kept_files(app.settings)
    scrubbed(app)
    return erased


ERASED = "erased-clients.txt"


def erased_ledger(settings: Settings) -> Path:
    """Beside the key, apart from the backups (bot/service/backup.py): the clients erased,
    for a restore of an older backup to erase again."""
    return settings.key_path.parent / ERASED


def client_mark(uow: UnitOfWork, client_id: int) -> str:
    """When the client's first conversation opened: with the id, it names this client and no
    later one given the same id after a restore (no personal data in the list)."""
    opened = [c.opened_at for c in uow.conversations.all_for_client(client_id)]
    return min(opened).astimezone(UTC).strftime("%Y%m%dT%H%M%S%f") if opened else "none"


def fingerprint(app: App, client_id: int) -> str:
    with app.uows() as uow:
        return client_mark(uow, client_id)


def note_erased(settings: Settings, line: str) -> None:
    path = erased_ledger(settings)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="ascii") as out:
        out.write(line + "\n")
        out.flush()
        os.fsync(out.fileno())


def erased_clients(text: str) -> dict[int, str]:
    """The list's lines ("id fingerprint", "-id fingerprint" when the erasure was refused)."""
    held: dict[tuple[int, str], int] = {}
    for line in text.splitlines():
        words = line.split()
        if len(words) != 2 or not words[0].lstrip("-").isdigit():
            continue
        key = (int(words[0].lstrip("-")), words[1])
        held[key] = held.get(key, 0) + (-1 if words[0].startswith("-") else 1)
    return {cid: mark for (cid, mark), n in held.items() if n > 0}


def erased_ids(settings: Settings) -> dict[int, str]:
    path = erased_ledger(settings)
    return erased_clients(path.read_text("ascii")) if path.exists() else {}


def scrubbed(app: App, tries: int = 10) -> bool:
    """storage.db.scrub after an erasure has committed, tried again while a reader holds the
    SQLite WAL; a failure is logged, never raised (the data is erased already)."""
    for n in range(tries):
        try:
            if scrub(app.engine):
                return True
        except Exception as exc:  # noqa: BLE001 - the erasure stands; say so and go on
            log.warning("penghapusan: berkas basis data belum dibersihkan (%s)", type(exc).__name__)
            return False
        time.sleep(0.2 * (n + 1))
    log.warning("penghapusan: WAL SQLite masih dipakai; dibersihkan pada penghapusan berikutnya")
    return False
