"""What every `puspaga` command shares: the configuration it reads (a wrong one stops it with
every problem listed) and where its errors go."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from bot.config.settings import ConfigError, Settings, load
from triage.texts.catalog import text

err = Console(stderr=True)

ConfigOpt = Annotated[Path, typer.Option("--config", "-c", help="Letak berkas config.toml.")]
DEFAULT_CONFIG = Path("config.toml")


def secrets_beside(path: Path) -> None:
    """The secrets in `env` beside config.toml (what the systemd unit reads as its
    EnvironmentFile, written by `puspaga setup`) for this command too; a variable already set
    wins."""
    from bot.config.writer import env_path, read_env

    found = env_path(path)
    try:
        values = read_env(found) if found.is_file() else {}
    except OSError as exc:  # not readable by this user: say so, the check will say what is missing
        why = exc.strerror or type(exc).__name__
        err.print(text("config.env_unreadable", "id", path=found, why=why), markup=False)
        return
    for name, value in values.items():
        os.environ.setdefault(name, value)


def _settings(path: Path) -> Settings:
    from bot.config.triage import form_setup, office_rules

    os.umask(0o077)  # the office's data: files 0600, folders 0700 (as the systemd unit's UMask)
    secrets_beside(path)
    try:
        settings = load(path)
        office_rules(settings)  # a broken rules file stops the start here, with its fix
        form_setup(settings)  # and so does a broken form file
    except ConfigError as exc:
        err.print(str(exc), markup=False, highlight=False)
        raise typer.Exit(2) from None
    from bot.service.secret_box import ENV, key_not_moved

    # a key_file set on an office whose key is still in data_dir
    stuck = key_not_moved(settings.key_path, settings.data_dir / "secret.key")
    if stuck is not None and not os.environ.get(ENV):  # not wrapped: the mv is copied
        err.print(str(stuck), markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(2)
    if (problem := _unwritable(settings.data_dir)) is not None:
        why, mistake = problem
        said = text("config.data_dir", settings.language, path=settings.data_dir, why=why)
        err.print(said, markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(2 if mistake else 1)  # 2: not restarted by the unit (a full disk is)
    return settings


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
        return exc.strerror or type(exc).__name__, exc.errno in MISTAKES
