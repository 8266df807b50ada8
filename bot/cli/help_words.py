"""The command line's help in Bahasa Indonesia. The commands' and options' own words are in
bot/cli/main.py; the rest (panel titles, the usage line, the help option, "[default: …]") is
written by typer and its copy of click, and is replaced here when the CLI is imported."""

from __future__ import annotations

from typing import Any

from typer import _click as click  # typer's own copy of click: its help option is made there
from typer import rich_utils

rich_utils.OPTIONS_PANEL_TITLE = "Pilihan"
rich_utils.COMMANDS_PANEL_TITLE = "Perintah"
rich_utils.ARGUMENTS_PANEL_TITLE = "Argumen"
rich_utils.ERRORS_PANEL_TITLE = "Kesalahan"
rich_utils.DEFAULT_STRING = "[bawaan: {}]"
rich_utils.REQUIRED_LONG_STRING = "[wajib]"
rich_utils.ABORTED_TEXT = "Dibatalkan."
rich_utils.RICH_HELP = "Coba [blue]'{command_path} {help_option}'[/] untuk bantuan."
_help_option = click.Command.get_help_option
_write_usage = click.formatting.HelpFormatter.write_usage


def _pemakaian(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
    _write_usage(self, prog, args, "Pemakaian: " if prefix is None else prefix)


click.formatting.HelpFormatter.write_usage = _pemakaian  # type: ignore[method-assign]


def _bantuan(self: click.Command, ctx: click.Context) -> click.Option | None:
    option = _help_option(self, ctx)
    if option is not None:
        option.help = "Tampilkan bantuan ini lalu keluar."
    return option


click.Command.get_help_option = _bantuan  # type: ignore[method-assign]
