"""Backups (`puspaga backup`, `puspaga restore`): the database (storage/backup.py) and the files
of data_dir in one archive, sealed with the office key, so a copy on a USB disk or another
server reads as noise without the key. Left out: the key itself (keep it apart from the
backups), earlier backups, the report and export files made for Telegram (made again on
request). The list of erased clients is kept beside the key and sealed inside each backup too:
a restore erases again every client erased since the backup was made."""

from __future__ import annotations

import io
import json
import os
import shutil
import tarfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

from bot.app import App
from bot.config.erasure import (
    client_mark,
    erased_clients,
    erased_ids,
    erased_ledger,
    remover,
    scrubbed,
)
from bot.config.settings import Settings
from bot.service.secret_box import ENV
from storage.backup import dump, load, row_counts
from storage.migrate import upgrade
from triage.usecases.erasure import erase_again

FORMAT = 1
SCRATCH = ".backup-tmp"
ERASED_INSIDE = "erased-clients.txt"
KEPT = 14  # backups kept in their folder: two weeks of nights
NOT_COPIED_DIRS = ("backups", "laporan", "ekspor", SCRATCH)  # top level of data_dir


class BackupError(Exception):
    """Said to the operator as it is (Indonesian): what is wrong and what to do."""


@dataclass(frozen=True)
class Restored:
    made_at: str
    counts: dict[str, int]
    erased_again: list[int]
    ledger_found: bool  # the list of erased clients beside the key


def make(app: App, to: Path | None = None) -> tuple[Path, dict[str, int]]:
    """Write a sealed backup into `to` (default data_dir/backups); returns its path and the
    row counts it holds (the database's plain copy: `_scratch`)."""
    settings = app.settings
    folder = to or settings.data_dir / "backups"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    archive = io.BytesIO()
    with _scratch(settings, "make") as scratch:
        database = scratch / "database"
        kind = dump(app.engine, database)
        counts = row_counts(app.engine)
        manifest = {
            "format": FORMAT,
            "made_at": app.clock().astimezone(UTC).isoformat(timespec="seconds"),
            "database": kind,
            "counts": counts,
        }
        with tarfile.open(fileobj=archive, mode="w") as tar:
            _add_bytes(tar, "manifest.json", json.dumps(manifest).encode())
            tar.add(database, arcname="database")
            ledger = erased_ledger(settings)
            if ledger.exists():  # also inside: a lost server loses the list beside the key too
                _add_bytes(tar, ERASED_INSIDE, ledger.read_bytes())
            for path in _files(settings):
                try:
                    tar.add(path, arcname=f"files/{path.relative_to(settings.data_dir)}")
                except FileNotFoundError:
                    continue  # erased or wiped while the backup ran: rightly not in it
    sealed = app.sealer.seal(archive.getvalue()).encode("ascii")
    stamp = app.clock().astimezone(UTC).strftime("%Y%m%d-%H%M%S")
    out = folder / f"puspaga-{stamp}.backup"
    draft = folder / f".{out.name}.part"
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(sealed)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(draft, out)
    older = sorted((p for p in folder.glob("puspaga-*.backup") if p != out),
                   key=lambda p: p.stat().st_mtime)  # fmt: skip
    for old in older[: max(0, len(older) - (KEPT - 1))]:
        old.unlink()  # an erased client's data goes with the old copies
    for part in folder.glob(".puspaga-*.part"):
        if part != draft:
            part.unlink(missing_ok=True)
    return out, counts


def restore(app: App, backup: Path, *, replace_data: bool = False) -> Restored:
    """Put `backup` back: the database (onto an empty one unless `replace_data`), data_dir's
    files, the migrations of this version, then the clients erased since it was made."""
    settings = app.settings
    if not os.environ.get(ENV) and not settings.key_path.exists():
        raise BackupError(
            f"Kunci kantor tidak ada di {settings.key_path}. Salin kunci yang disimpan terpisah "
            "dari cadangan ke tempat itu (atau isi [security] key_file), lalu ulangi."
        )
    try:
        sealed = backup.read_bytes().decode("ascii")
    except (OSError, UnicodeDecodeError) as exc:
        raise BackupError(f"Berkas cadangan {backup} tidak dapat dibaca ({exc}).") from None
    try:
        archive = app.sealer.open(sealed)
    except Exception:  # noqa: BLE001 - cryptography's InvalidToken and friends
        raise BackupError(
            "Cadangan ini tidak dapat dibuka dengan kunci kantor ini: kuncinya lain, atau berkas "
            "rusak. Pakai kunci yang dipakai saat cadangan dibuat."
        ) from None
    counts = row_counts(app.engine)
    if not replace_data and (counts.get("message") or counts.get("client")):
        raise BackupError(
            "Basis data tujuan sudah berisi data. Pemulihan menimpa semuanya: ulangi dengan "
            "--timpa bila memang itu maksudnya."
        )
    with tarfile.open(fileobj=io.BytesIO(archive), mode="r") as tar:
        manifest = json.loads(_read(tar, "manifest.json"))
        try:
            inside = _read(tar, ERASED_INSIDE).decode("ascii")
        except BackupError:
            inside = ""
        if manifest.get("format") != FORMAT:
            raise BackupError(f"Format cadangan {manifest.get('format')} tidak dikenal.")
        with _scratch(settings, "restore") as scratch:
            database = scratch / "database"
            database.write_bytes(_read(tar, "database"))
            load(app.engine, manifest["database"], database)
        for member in tar.getmembers():
            if member.name.startswith("files/") and member.isfile():
                target = settings.data_dir / member.name.removeprefix("files/")
                target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                source = tar.extractfile(member)
                assert source is not None
                with open(target, "wb") as out:
                    shutil.copyfileobj(source, out)
                os.chmod(target, 0o600)
    upgrade(app.engine)
    listed = {**erased_clients(inside), **erased_ids(settings)}
    again = erase_again(listed, uow_factory=app.uows, now=app.clock(),
                        remove=remover(settings), fingerprint=client_mark)  # fmt: skip
    if again:
        scrubbed(app)
    found = erased_ledger(settings).exists()
    return Restored(manifest["made_at"], row_counts(app.engine), again, found)


@contextmanager
def _scratch(settings: Settings, use: str) -> Iterator[Path]:
    """A private folder of data_dir for the database's plain copy (never the destination,
    which may be a USB disk), emptied before and after: one left by a killed run goes too.
    One per `use`, so a nightly backup never empties a restore's."""
    folder = settings.data_dir / SCRATCH / use
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(mode=0o700, parents=True)
    os.chmod(folder.parent, 0o700)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _files(settings: Settings) -> list[Path]:
    root = settings.data_dir
    skip = {settings.key_path.resolve(), erased_ledger(settings).resolve()}
    database = settings.database.url or ""
    found = []
    for path in sorted(root.rglob("*")):
        top = path.relative_to(root).parts[0]
        if not path.is_file() or top in NOT_COPIED_DIRS or path.resolve() in skip:
            continue
        if path.name.startswith("puspaga.sqlite3") and not database:
            continue  # the database itself, copied through its backup API
        found.append(path)
    return found


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


def _read(tar: tarfile.TarFile, name: str) -> bytes:
    try:
        member = tar.extractfile(name)
    except KeyError:
        member = None
    if member is None:
        raise BackupError(f"Cadangan tidak lengkap: {name} tidak ada.")
    return member.read()
