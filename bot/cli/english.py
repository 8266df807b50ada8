"""The operator's words in English when the office asks for it (`language = "en"`, `--lang en`
or PUSPAGA_LANG=en). The code writes its help, its log lines and the commands' own messages
(`said()`) in Bahasa Indonesia; english.po beside this module gives each its English, as
gettext does: the msgid is the Indonesian text. A test checks that every one has it."""

from __future__ import annotations

import logging
import tomllib
from collections.abc import Mapping, Sequence
from functools import cache
from importlib.resources import files
from pathlib import Path

from babel.messages.pofile import read_po
from typer import _click as click

from triage.texts.catalog import Lang

speaking: list[Lang] = ["id"]  # the language of the command being run (help_words.Speaking)


@cache
def catalogue() -> dict[str, str]:
    with files(__package__).joinpath("english.po").open("rb") as po:
        return {str(m.id): str(m.string) for m in read_po(po, locale="en") if m.id and m.string}


def english(words: str) -> str:
    """`words` in English; words this file does not know (a name, a number) stay."""
    return catalogue().get(words, words)


def said(words: str, /, **values: object) -> str:
    """A command's own message (Bahasa Indonesia, with {placeholders}) in the language the
    command line speaks."""
    template = english(words) if speaking[0] == "en" else words
    return template.format(**values) if values else template


def _option(args: Sequence[str], *names: str) -> str | None:
    for i, arg in enumerate(map(str, args)):
        if arg in names and i + 1 < len(args):
            return str(args[i + 1])
        for name in names:
            if name.startswith("--") and arg.startswith(name + "="):
                return arg.split("=", 1)[1]
    return None


def spoken(args: Sequence[str], environ: Mapping[str, str], default_config: Path) -> Lang:
    """The command line's language, known before the command runs (its help is printed before
    any config is read): `--lang`, then PUSPAGA_LANG, then the `language` of the config file the
    command names (or config.toml here); Bahasa Indonesia when none says."""
    for asked in (_option(args, "--lang"), environ.get("PUSPAGA_LANG")):
        if asked in ("id", "en"):
            return asked  # type: ignore[return-value]
    config = Path(_option(args, "--config", "-c") or default_config)
    try:
        if not config.is_file():  # a pipe (--config <(…)) is read once, by the command
            return "id"
        raw = tomllib.loads(config.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return "id"  # the command itself says what is wrong with the file
    return "en" if raw.get("language") == "en" else "id"


def translate_help(command: click.Command) -> None:
    """Every help text of a command, its options and its subcommands, in English."""
    if command.help:
        command.help = english(command.help)
    for param in command.params:
        if getattr(param, "help", None):  # options and typer's arguments have help
            param.help = english(param.help)  # type: ignore[attr-defined]
    for sub in getattr(command, "commands", {}).values():
        translate_help(sub)


class EnglishLogs(logging.Filter):
    """Log lines in English: the message and any argument this file knows (for example the
    alarm's kind); records are changed on their way to the handler, nothing else is."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = english(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(english(a) if isinstance(a, str) else a for a in record.args)
        return True


def english_logs(root: logging.Logger | None = None) -> None:
    """Every handler of `root` (the root logger, as the service sets it up) writes English."""
    for handler in (root or logging.getLogger()).handlers:
        _english(handler)


def english_last_resort() -> None:
    """The handler Python writes with when a command set none up (forget, purge, backup …)
    writes English; unused while any handler is set (the service, the tests)."""
    if logging.lastResort is not None:
        _english(logging.lastResort)


def _english(handler: logging.Handler) -> None:
    if not any(isinstance(f, EnglishLogs) for f in handler.filters):
        handler.addFilter(EnglishLogs())
