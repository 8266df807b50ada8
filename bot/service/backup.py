"""Backups (`puspaga backup`, `puspaga restore`): the database (storage/backup.py) and the files
of data_dir in one archive, sealed with the office key, so a copy on a USB disk or another
server reads as noise without the key. Left out: the key itself (keep it apart from the
backups), earlier backups, the report and export files made for Telegram (made again on
request), and the list of erased clients, which is kept beside the key for this reason: a
restore erases again every client erased since the backup was made."""

from __future__ import annotations

import io
import json
import os
import shutil
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

from bot.app import App
from bot.config.erasure import erased_ids, erased_ledger, remover, scrubbed
from bot.config.settings import Settings
from bot.service.secret_box import ENV, SecretBox
from storage.backup import dump, load, row_counts
from storage.migrate import upgrade
from triage.usecases.erasure import erase_again

FORMAT = 1
KEPT = 14  # backups kept in their folder: two weeks of nights
NOT_COPIED_DIRS = ("backups", "laporan", "ekspor")  # top level of data_dir


class BackupError(Exception):
    """Said to the operator as it is (Indonesian): what is wrong and what to do."""


@dataclass(frozen=True)
class Restored:
    made_at: str
    counts: dict[str, int]
    erased_again: list[int]


def make(app: App, to: Path | None = None) -> tuple[Path, dict[str, int]]:
    """Write a sealed backup into `to` (default data_dir/backups); returns its path and the
    row counts it holds."""
    settings = app.settings
    folder = to or settings.data_dir / "backups"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    counts = row_counts(app.engine)
    archive = io.BytesIO()
    with tempfile.TemporaryDirectory(dir=folder) as scratch:  # 0700, on the same disk
        database = Path(scratch) / "database"
        kind = dump(app.engine, database)
        manifest = {
            "format": FORMAT,
            "made_at": app.clock().astimezone(UTC).isoformat(timespec="seconds"),
            "database": kind,
            "counts": counts,
        }
        with tarfile.open(fileobj=archive, mode="w") as tar:
            _add_bytes(tar, "manifest.json", json.dumps(manifest).encode())
            tar.add(database, arcname="database")
            for path in _files(settings):
                tar.add(path, arcname=f"files/{path.relative_to(settings.data_dir)}")
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
    for old in sorted(folder.glob("puspaga-*.backup"))[:-KEPT]:  # oldest first, by their name
        old.unlink()  # an erased client's data goes with the old copies
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
    box = SecretBox.at(settings.key_path, before=settings.data_dir / "secret.key")
    try:
        archive = box.open(sealed)
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
        if manifest.get("format") != FORMAT:
            raise BackupError(f"Format cadangan {manifest.get('format')} tidak dikenal.")
        with tempfile.TemporaryDirectory(dir=settings.data_dir) as scratch:
            database = Path(scratch) / "database"
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
    again = erase_again(
        erased_ids(settings), uow_factory=app.uows, now=app.clock(), remove=remover(settings)
    )
    if again:
        scrubbed(app)
    return Restored(manifest["made_at"], row_counts(app.engine), again)


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
