"""How much disk one client's files may take, so that a client sending hundreds of photos or
huge mails cannot fill the disk the database lives on. Every channel asks before it keeps a
file; a file refused stays where it came from (the mailbox, Telegram, Instagram) and the
message says so in the staff's words.

Counted in memory over a rolling 24 hours per channel and sender, each file once by its path
(a mail read again after a failed store is not counted twice); a restart starts the count
again, the disk floor holds regardless.
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from triage.domain.model import Attachment
from triage.texts.catalog import Lang, text

log = logging.getLogger(__name__)

DAY_SECONDS = 24 * 3600
Refusal = Literal["client", "disk"]


def free_bytes(path: Path) -> int:
    """Free space on the disk holding `path` (or its nearest folder that exists)."""
    while not path.exists() and path.parent != path:
        path = path.parent
    return shutil.disk_usage(path).free


class FileQuota:
    def __init__(
        self,
        root: Path,
        *,
        per_client_bytes: int,
        min_free_bytes: int,
        clock: Callable[[], float] = time.monotonic,
        free: Callable[[Path], int] = free_bytes,
    ) -> None:
        self.root = root  # data_dir: its disk is the database's
        self.per_client_bytes = per_client_bytes
        self.min_free_bytes = min_free_bytes
        self._clock = clock
        self._free = free
        self._kept: dict[tuple[str, str], dict[str, tuple[float, int]]] = {}
        self._swept = clock()
        self._lock = threading.Lock()  # mail and Instagram are polled on threads of their own

    def take(self, channel: str, sender: str, key: str, size: int) -> Refusal | None:
        """Room for one file (`key`: where it will be kept): None when it may be kept (and it
        is counted), else why not: this client's day is full, or the disk nearly is."""
        with self._lock:
            now = self._clock()
            self._forget(now, (channel, sender))
            kept = self._kept.setdefault((channel, sender), {})
            if key in kept:
                return None
            if sum(s for _, s in kept.values()) + size > self.per_client_bytes:
                log.warning("berkas klien tidak disimpan: kuota harian klien penuh (%s)", channel)
                return "client"
            try:
                room = self._free(self.root) - size
            except OSError as exc:  # cannot tell: keep the file, the database says if it is full
                log.warning("ruang disk tidak dapat dibaca (%s)", type(exc).__name__)
                room = self.min_free_bytes
            if room < self.min_free_bytes:
                log.warning("berkas klien tidak disimpan: ruang disk hampir habis (%s)", channel)
                return "disk"
            kept[key] = (now, size)
            return None

    def settle(self, channel: str, sender: str, key: str, size: int | None) -> Refusal | None:
        """The file's real size once known (None: nothing was kept after all): its reservation
        is replaced, and refused if the real size does not fit (the caller removes the file)."""
        with self._lock:
            self._kept.get((channel, sender), {}).pop(key, None)
        return None if size is None else self.take(channel, sender, key, size)

    def used(self, channel: str, sender: str) -> int:
        with self._lock:
            self._forget(self._clock(), (channel, sender))
            return sum(s for _, s in self._kept.get((channel, sender), {}).values())

    def _forget(self, now: float, sender: tuple[str, str]) -> None:
        """Drop what is older than a day: this sender's files now, everyone's once an hour (and
        senders with nothing left)."""
        everyone = now - self._swept >= 3600
        if everyone:
            self._swept = now
        for who in list(self._kept) if everyone else [sender]:
            files = self._kept.get(who)
            if files is None:
                continue
            for key in [k for k, (at, _) in files.items() if at <= now - DAY_SECONDS]:
                del files[key]
            if not files:
                del self._kept[who]

    def note(self, why: Refusal, name: str, channel: str, lang: Lang) -> str:
        """What the message says in place of a file not kept (the channel: where it still is)."""
        limit = self.per_client_bytes if why == "client" else self.min_free_bytes
        where = text(f"files.where.{channel}", lang)
        return text(f"files.not_kept.{why}", lang, name=name, limit=megabytes(limit), where=where)


def megabytes(size: int) -> str:
    return f"{round(size / 1024 / 1024, 2):g} MB"


def keep(quota: FileQuota | None, channel: str, sender: str, target: Path, data: bytes,
         name: str, content_type: str, lang: Lang) -> tuple[Attachment, str | None]:  # fmt: skip
    """A file fetched from a channel kept at `target` within the sender's allowance, or not
    kept and the note the message carries instead (the file stays where it came from)."""
    if quota is not None:
        refused = quota.take(channel, sender, str(target), len(data))
        if refused is not None:
            return Attachment(name, content_type, len(data), None), quota.note(
                refused, name, channel, lang
            )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return Attachment(name, content_type, len(data), str(target)), None
