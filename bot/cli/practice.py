"""Trying the product with no account and no network: `puspaga demo` (the whole pipeline,
scripted) and `puspaga latihan` (a Telegram of one's own, typed by the trainee)."""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.common import LangOpt, chosen_language, err
from bot.demo.run import run_demo
from bot.demo.training import run_training
from triage.texts.catalog import text


def demo(
    data_dir: Annotated[Path, typer.Option(help="Folder basis data demo.")] = Path("demo-data"),
    lang: LangOpt = None,
) -> None:
    """The whole pipeline end to end on this machine, with no accounts and no network."""
    run_demo(data_dir.resolve(), lang=chosen_language(lang))


def latihan(
    port: Annotated[int, typer.Option(help="Port server Telegram latihan.")] = 8081,
    lang: LangOpt = None,
) -> None:
    """A local Telegram for training: type what each person writes, see what the bot sends."""
    said = chosen_language(lang)
    try:
        run_training(port, said, typer.echo, input)
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
        err.print(text("training.port_busy", said, port=port), markup=False)
        raise typer.Exit(2) from None
