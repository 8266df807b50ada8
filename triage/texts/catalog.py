"""Message catalogue: every client- and staff-facing text, Bahasa Indonesia first, English too.

The texts live in gettext files, one per language (`locale/id.po`, `locale/en.po`; the msgid is
the key the code asks for), so a translator or an office edits them with any PO editor and
without touching code. `text()` looks a key up and fills its `{placeholders}`. Adding a text
means adding its key to both files (a test checks every key has both). Texts for Telegram are
filled with values the shell has already escaped for the parse mode it uses (HTML).
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Literal

from babel.messages.pofile import read_po

Lang = Literal["id", "en"]
DEFAULT_LANG: Lang = "id"
LANGS: tuple[Lang, ...] = ("id", "en")


@cache
def texts() -> dict[str, dict[Lang, str]]:
    """Every key with its text per language, read once, on first use."""
    out: dict[str, dict[Lang, str]] = {}
    for lang in LANGS:
        with files(__package__).joinpath("locale", f"{lang}.po").open("rb") as po:
            for message in read_po(po, locale=lang):
                if message.id:
                    out.setdefault(str(message.id), {})[lang] = str(message.string)
    return out


def text(key: str, lang: Lang = DEFAULT_LANG, /, **values: object) -> str:
    entry = texts()[key]
    template = entry.get(lang) or entry[DEFAULT_LANG]
    return template.format(**values) if values else template
