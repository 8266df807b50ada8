"""The command line's help and its mistakes in the office's language. The commands' and options'
own words are in bot/cli/main.py (Bahasa Indonesia; their English in english.po); the rest
(panel titles, the usage line, the help option, "[default: …]", "No such option" and the other
errors of a mistyped command line) is written by typer and its copy of click in English, and is
replaced here in Bahasa Indonesia when the command line speaks it (`Speaking`)."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence
from typing import Any

from typer import _click as click  # typer's own copy of click: its help option is made there
from typer import rich_utils
from typer.core import TyperGroup

from bot.cli import english
from bot.cli.common import DEFAULT_CONFIG
from triage.texts.catalog import Lang

INDONESIAN = {
    "OPTIONS_PANEL_TITLE": "Opsi",
    "COMMANDS_PANEL_TITLE": "Perintah",
    "ARGUMENTS_PANEL_TITLE": "Argumen",
    "ERRORS_PANEL_TITLE": "Kesalahan",
    "DEFAULT_STRING": "[bawaan: {}]",
    "REQUIRED_LONG_STRING": "[wajib]",
    "ABORTED_TEXT": "Dibatalkan.",
    "RICH_HELP": "Coba [blue]'{command_path} {help_option}'[/] untuk bantuan.",
}
TYPERS = {name: getattr(rich_utils, name) for name in INDONESIAN}


def use(lang: Lang) -> None:
    english.speaking[0] = lang
    for name, words in (INDONESIAN if lang == "id" else TYPERS).items():
        setattr(rich_utils, name, words)


def _usage_words(command: click.Command) -> None:
    """The usage line's "[OPTIONS] COMMAND [ARGS]..." in Bahasa Indonesia."""
    command.options_metavar = "[OPSI]"
    subcommands = getattr(command, "commands", None)  # a group
    if subcommands is not None:
        command.subcommand_metavar = "PERINTAH [ARGUMEN]..."  # type: ignore[attr-defined]
        for sub in subcommands.values():
            _usage_words(sub)


class Speaking(TyperGroup):
    """`puspaga` itself: before a command runs or its help is shown, it learns the language
    (english.spoken) and speaks it."""

    def main(self, args: Sequence[str] | None = None, *rest: Any, **options: Any) -> Any:
        lang = english.spoken(sys.argv[1:] if args is None else args, os.environ, DEFAULT_CONFIG)
        use(lang)
        if lang == "en":
            english.translate_help(self)
        else:
            _usage_words(self)
        return super().main(args, *rest, **options)


_help_option = click.Command.get_help_option
_write_usage = click.formatting.HelpFormatter.write_usage


def _pemakaian(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
    if prefix is None and english.speaking[0] == "id":
        prefix = "Pemakaian: "
    _write_usage(self, prog, args, prefix)


click.formatting.HelpFormatter.write_usage = _pemakaian  # type: ignore[method-assign]


def _bantuan(self: click.Command, ctx: click.Context) -> click.Option | None:
    option = _help_option(self, ctx)
    if option is not None and english.speaking[0] == "id":
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
    said = self.format_message()
    said = indonesian(said) if english.speaking[0] == "id" else said
    self.format_message = lambda: said  # type: ignore[method-assign]
    _format_error(self)


rich_utils.rich_format_error = _kesalahan
use("id")
