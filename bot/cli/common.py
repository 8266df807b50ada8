"""What every `puspaga` command shares: the configuration it reads (a wrong one stops it with
every problem listed) and where its errors go."""

from __future__ import annotations

import errno
import os
import pwd
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from bot.cli import english
from bot.cli.english import said
from bot.config.settings import ConfigError, Settings, load
from triage.domain.model import Actor, Role
from triage.texts.catalog import Lang, text

err = Console(stderr=True)
LangOpt = Annotated[
    str | None,
    typer.Option(
        help="id (Bahasa Indonesia) atau en (English); bawaan: PUSPAGA_LANG, atau language di "
        "config.toml."
    ),
]


def chosen_language(lang: str | None) -> Lang:
    """`--lang` when given, else the language the command line speaks (english.spoken)."""
    if lang is None:
        return english.speaking[0]
    if lang not in ("id", "en"):
        err.print("--lang: id / en")
        raise typer.Exit(2)
    return lang  # type: ignore[return-value]


# this same program in another process (setup's check as the service's user, the demo's setup)
PROGRAM = [sys.executable, "-c", "from bot.cli.main import app; app()"]
ConfigOpt = Annotated[Path, typer.Option("--config", "-c", help="Letak berkas config.toml.")]
DEFAULT_CONFIG = Path("config.toml")


# what the system says of a file it refused, in the operator's words (its own are English)
OS_WORDS = {
    errno.EACCES: "izin ditolak", errno.EPERM: "tidak diizinkan", errno.ENOENT: "tidak ada",
    errno.EROFS: "sistem berkas hanya-baca", errno.ENOSPC: "disk penuh",
    errno.ENOTDIR: "bagian jalurnya bukan folder", errno.EEXIST: "sudah ada berkas di sana",
    errno.EISDIR: "itu sebuah folder",
}  # fmt: skip


def os_words(exc: OSError) -> str:
    return OS_WORDS.get(exc.errno or 0) or exc.strerror or type(exc).__name__


def secrets_beside(path: Path) -> None:
    """The secrets in `env` beside config.toml (what the systemd unit reads as its
    EnvironmentFile, written by `puspaga setup`) for this command too; a variable already set
    wins."""
    from bot.config.writer import env_path, read_env

    found = env_path(path)
    try:
        values = read_env(found) if found.is_file() else {}
    except OSError as exc:  # not readable by this user: say so, the check will say what is missing
        why = os_words(exc)
        err.print(text("config.env_unreadable", "id", path=found, why=why), markup=False)
        return
    for name, value in values.items():
        os.environ.setdefault(name, value)


def _settings(path: Path) -> Settings:
    os.umask(0o077)  # the office's data: files 0600, folders 0700 (as the systemd unit's UMask)
    secrets_beside(path)
    try:
        settings = load(path)
    except ConfigError as exc:
        err.print(str(exc), markup=False, highlight=False)
        raise typer.Exit(2) from None
    return checked(settings)


def checked(settings: Settings) -> Settings:
    """What an office's settings need beyond the file (its rules and form files, its key and
    data folder), each failure said with its fix; also for each office of a province."""
    from bot.config.triage import form_setup, office_rules

    try:
        office_rules(settings)  # a broken rules file stops the start here, with its fix
        form_setup(settings)  # and so does a broken form file
    except ConfigError as exc:
        err.print(str(exc), markup=False, highlight=False)
        raise typer.Exit(2) from None
    if settings.language == "en":
        english.english_last_resort()  # a command's warnings too, not only the service's
    from bot.service.secret_box import ENV, key_not_moved

    # a key_file set on an office whose key is still in data_dir
    stuck = key_not_moved(settings.key_path, settings.data_dir / "secret.key")
    if stuck is not None and not os.environ.get(ENV):  # not wrapped: the mv is copied
        err.print(str(stuck), markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(2)
    if (owner := _someone_elses(settings.data_dir)) is not None:
        program = shutil.which(sys.argv[0]) or sys.argv[0]  # the puspaga that was run
        said = text("config.as_root", settings.language, path=settings.data_dir, user=owner,
                    program=program)  # fmt: skip
        err.print(said, markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(2)
    if (problem := _unwritable(settings.data_dir)) is not None:
        why, mistake = problem
        said = text("config.data_dir", settings.language, path=settings.data_dir, why=why)
        err.print(said, markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(2 if mistake else 1)  # 2: not restarted by the unit (a full disk is)
    if not os.environ.get(ENV) and (why := _key_unusable(settings.key_path)) is not None:
        said = text("config.key_file", settings.language, path=settings.key_path, why=why)
        err.print(said, markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(2)
    return settings


def _someone_elses(folder: Path) -> str | None:
    """The service user's name when root runs a command on that user's data_dir: what root
    makes there (a database, the office key) the service could not open afterwards."""
    if os.geteuid() != 0:
        return None
    try:
        owner = folder.stat().st_uid
    except OSError:
        return None
    if owner == 0:
        return None
    try:
        return pwd.getpwuid(owner).pw_name
    except KeyError:
        return str(owner)


def _key_unusable(path: Path) -> str | None:
    """Why the office key could not be read, or made at its first use (a record sealed, an
    Instagram session kept), without making it now: a command run as root must not leave a key
    the service's user cannot read."""
    if path.exists():
        return None if os.access(path, os.R_OK) else os_words(PermissionError(errno.EACCES, ""))
    return cannot_write(path.parent)


def cannot_write(folder: Path) -> str | None:
    """Why a file could not be made in `folder`, made with its parents when needed (None: it
    can), found without making anything: a file tried in the nearest folder that exists, which
    root's os.access would not tell."""
    while not folder.exists():
        folder = folder.parent
    try:
        with tempfile.TemporaryFile(dir=folder):
            return None
    except OSError as exc:
        return os_words(exc)


# the folder's own fault (a path it may not use), not the moment's (a full disk)
MISTAKES = (errno.EACCES, errno.EPERM, errno.EROFS, errno.EEXIST, errno.ENOTDIR, errno.ENOENT)


def _unwritable(folder: Path) -> tuple[str, bool] | None:
    """Why the service could not keep its database and files in `folder` (None: it can): a
    data_dir left at its default lands beside config.toml, under /etc, read-only under the
    unit's ProtectSystem=strict."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            return None
    except OSError as exc:
        return os_words(exc), exc.errno in MISTAKES


def staff_actor(settings: Settings, by: int) -> Actor:
    """The staff member --by names, as the core's Actor; exit 2 when not configured."""
    staff = {s.telegram_id: s for s in settings.staff}
    if by not in staff:
        err.print(said("--by {by}: bukan telegram_id salah satu [[staff]] di konfigurasi.", by=by))
        raise typer.Exit(2)
    return Actor(by, Role(staff[by].role), staff[by].name)
