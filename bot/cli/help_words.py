"""The command line's help and its mistakes in Bahasa Indonesia. The commands' and options' own
words are in bot/cli/main.py; the rest (panel titles, the usage line, the help option,
"[default: …]", "No such option" and the other errors of a mistyped command line) is written
by typer and its copy of click in English, and is replaced here when the CLI is imported."""

from __future__ import annotations

import re
from typing import Any

from typer import _click as click  # typer's own copy of click: its help option is made there
from typer import rich_utils

rich_utils.OPTIONS_PANEL_TITLE = "Opsi"
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


# click's and typer's words for a mistyped command line (they are f-strings: no gettext to hook)
MISTAKES = (
    (
        r"No such option: (?P<a>\S+?)\.? Did you mean (?P<b>\S+)\?",
        "Tidak ada opsi {a}. Mungkin maksud Anda {b}?",
    ),
    (
        r"No such option: (?P<a>\S+?)\.? \(Possible options: (?P<b>.+)\)",
        "Tidak ada opsi {a}. Mungkin maksud Anda: {b}?",
    ),
    (r"No such option: (?P<a>\S+)", "Tidak ada opsi {a}."),
    (r"Missing option (?P<a>.+)\.", "Opsi {a} wajib diisi."),
    (r"Missing argument (?P<a>.+)\.", "Argumen {a} wajib diisi."),
    (r"Missing parameter: (?P<a>.+)", "{a} wajib diisi."),
    (r"Option (?P<a>\S+) requires an argument\.", "Opsi {a} memerlukan nilai sesudahnya."),
    (r"Option (?P<a>\S+) requires (?P<b>\d+) arguments\.", "Opsi {a} memerlukan {b} nilai."),
    (
        r"Got unexpected extra arguments? ?(?:\(s\))? \((?P<a>.+)\)",
        "Ada kata yang tidak dikenal: {a}.",
    ),
    (
        r"No such command (?P<a>\S+)\. Did you mean (?P<b>\S+)\?",
        "Tidak ada perintah {a}. Mungkin maksud Anda {b}?",
    ),
    (r"No such command (?P<a>.+?)\.", "Tidak ada perintah {a}. Lihat: puspaga --help"),
    (
        r"Invalid value for (?P<a>\S+): Input should be a valid integer.*",
        "{a} harus bilangan bulat.",
    ),
    (r"Invalid value for (?P<a>\S+): Input should be a valid number.*", "{a} harus angka."),
    (r"Invalid value for (?P<a>\S+): (?P<b>.+)", "Nilai {a} tidak sah: {b}"),
)


def indonesian(message: str) -> str:
    """A mistake's message in Bahasa Indonesia; one not known here stays as typer wrote it."""
    flat = " ".join(message.split())
    for pattern, words in MISTAKES:
        if (found := re.fullmatch(pattern, flat)) is not None:
            return words.format(**found.groupdict())
    return message


_format_error = rich_utils.rich_format_error


def _kesalahan(self: click.ClickException) -> None:
    said = indonesian(self.format_message())
    self.format_message = lambda: said  # type: ignore[method-assign]
    _format_error(self)


rich_utils.rich_format_error = _kesalahan
