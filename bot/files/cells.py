"""Client text made safe for the files staff open. A spreadsheet runs a cell that starts with
"=", "+", "-" or "@" as a formula (a sender named '=HYPERLINK(…)' becomes a live link): such a
cell gets a leading apostrophe, which spreadsheets show as text. Characters XML cannot hold
(control characters, lone surrogates, U+FFFE and U+FFFF) make openpyxl and python-docx
refuse the whole file: they are dropped,
so one odd name never stops the month's report or a referral letter."""

from __future__ import annotations

import re

# tab and line breaks are kept; lone surrogates and U+FFFE/U+FFFF are no XML characters either
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def plain(text: str) -> str:
    """`text` without the characters a Word or Excel file cannot hold."""
    return _CONTROL.sub("", text)


def cell(value: object) -> object:
    """A spreadsheet cell's value: text is plain and never starts a formula."""
    if not isinstance(value, str):
        return value
    value = plain(value)
    return "'" + value if value.startswith(_FORMULA) else value
