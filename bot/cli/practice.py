"""Trying the product with no account and no network: `puspaga demo` (the whole pipeline,
scripted) and `puspaga latihan` (a Telegram of one's own, typed by the trainee)."""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.common import err
from bot.demo.run import run_demo
from bot.demo.training import run_training
from triage.texts.catalog import text

LangOpt = Annotated[str, typer.Option(help="id (Bahasa Indonesia) atau en (English).")]


def _lang(lang: str) -> None:
    if lang not in ("id", "en"):
        err.print("--lang: id / en")
        raise typer.Exit(2)


def demo(
    data_dir: Annotated[Path, typer.Option(help="Folder basis data demo.")] = Path("demo-data"),
    lang: LangOpt = "id",
) -> None:
    """The whole pipeline end to end on this machine, with no accounts and no network."""
    _lang(lang)
    run_demo(data_dir.resolve(), lang=lang)  # type: ignore[arg-type]


def latihan(
    port: Annotated[int, typer.Option(help="Port server Telegram latihan.")] = 8081,
    lang: LangOpt = "id",
) -> None:
    """A local Telegram for training: type what each person writes, see what the bot sends."""
    _lang(lang)
    try:
        run_training(port, lang, typer.echo, input)  # type: ignore[arg-type]
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
        err.print(text("training.port_busy", lang, port=port), markup=False)  # type: ignore[arg-type]
        raise typer.Exit(2) from None
