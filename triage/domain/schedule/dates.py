"""Dates as staff and clients write them ("5 Desember 2026", "5 des", "05/12/2026"): one reader
for the psychoeducation request, offline intake, appointments and the identity form's age."""

from __future__ import annotations

import re
from datetime import date

MONTHS = {
    **{m: n for n, m in enumerate(
        ("januari februari maret april mei juni juli agustus september oktober november "
         "desember").split(), start=1)},
    **{m: n for n, m in enumerate(
        "jan feb mar apr mei jun jul agu sep okt nov des".split(), start=1)},
    **{m: n for n, m in enumerate(
        ("january february march april may june july august september october november "
         "december").split(), start=1)},
    "aug": 8, "oct": 10, "dec": 12, "agt": 8, "ags": 8,
}  # fmt: skip
NUMERIC = re.compile(r"(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2,4}))?")
ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
WORDS = re.compile(r"(\d{1,2})\s+([a-z]+)\.?(?:\s+(\d{4}))?")
# a year written in a date (4 digits, or 2 after a day and a month): parse_date fills in one
# that is missing, and its callers need to know whether it did
YEAR_WRITTEN = re.compile(r"\d{4}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2}")


def parse_date(text: str, today: date) -> date | None:
    """ "5 Desember 2026", "5 des", "05/12/2026", "5-12", "2026-12-05"; without a year, the
    next such date. None for anything else (never raises)."""
    raw = " ".join(text.casefold().replace(",", " ").split())
    try:
        if found := ISO.search(raw):
            return date(int(found[1]), int(found[2]), int(found[3]))
        day = month = year = None
        if found := NUMERIC.search(raw):
            day, month = int(found[1]), int(found[2])
            year = int(found[3]) if found[3] else None
        elif (found := WORDS.search(raw)) and found[2] in MONTHS:
            day, month = int(found[1]), MONTHS[found[2]]
            year = int(found[3]) if found[3] else None
        if day is None or month is None:
            return None
        if year is not None and year < 100:
            year += 2000
        if year is None:
            year = today.year
            if date(year, month, day) < today:
                year += 1
        return date(year, month, day)
    except ValueError:
        return None
