"""Clients who do not write online (the Kaltim, Karangasem and Sampang standards count them in
the register book and the monthly report): one who came in person, phoned, wrote a letter or was
referred by another body. Staff register them (/klien_baru); the case then lives like an online
one (identity form, register number, steps, timers, reports), but the bot never writes to the
client: there is no address to write to, and what staff type in its topic is kept as notes.

A referral brings the referring body, its letter's number and date (kept with the case)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from triage.domain.model import Channel
from triage.domain.schedule.dates import YEAR_WRITTEN, parse_date

INTAKE = "intake:"  # the external id of what such a client came with, as staff wrote it
OFFLINE = frozenset({Channel.LANGSUNG, Channel.TELEPON, Channel.SURAT, Channel.RUJUKAN})
WAYS = {
    "langsung": Channel.LANGSUNG, "datang": Channel.LANGSUNG, "walkin": Channel.LANGSUNG,
    "walk-in": Channel.LANGSUNG, "tatap-muka": Channel.LANGSUNG, "in-person": Channel.LANGSUNG,
    "telepon": Channel.TELEPON, "telp": Channel.TELEPON, "tlp": Channel.TELEPON,
    "telpon": Channel.TELEPON, "phone": Channel.TELEPON,
    "surat": Channel.SURAT, "letter": Channel.SURAT,
    "rujukan": Channel.RUJUKAN, "referral": Channel.RUJUKAN, "dirujuk": Channel.RUJUKAN,
}  # fmt: skip
# "Label: value" lines of a referral, in the words staff use (Indonesian and English)
FIELDS = {
    "asal": "origin", "dari": "origin", "instansi": "origin", "perujuk": "origin",
    "from": "origin", "origin": "origin",
    "nomor surat": "number", "no surat": "number", "no. surat": "number", "nomor": "number",
    "no": "number", "letter number": "number", "number": "number",
    "tanggal surat": "date", "tgl surat": "date", "tanggal": "date", "tgl": "date",
    "letter date": "date", "date": "date",
}  # fmt: skip
MAX_NAME, MAX_FIELD, MAX_SUMMARY = 120, 200, 4000


@dataclass(frozen=True)
class IncomingReferral:
    conversation_id: int
    origin: str  # the referring body, as its letter names it
    letter_number: str  # "" when the referral came without a letter number
    letter_date: date | None
    staff_id: int
    at: datetime


@dataclass(frozen=True)
class Intake:
    channel: Channel
    name: str  # as the client gave it: the identity form is filled afterwards
    summary: str  # what the client came with, in staff's words ("" when nothing was said)
    origin: str = ""  # a referral's: the referring body, its letter's number and date
    letter_number: str = ""
    letter_date: date | None = None


class IntakeProblem(ValueError):
    """What is wrong with staff's words: `way` (no known way of coming), `name` (no name),
    `origin` (a referral without the referring body), `date` (a letter date not understood or
    in the future)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def parse(arg: str, today: date) -> Intake:
    """ "langsung Ibu Sari" on the first line; a referral's "Asal: …", "Nomor surat: …",
    "Tanggal surat: …" lines anywhere after it; every other line is the summary."""
    lines = arg.strip().splitlines()
    first = lines[0].split(None, 1) if lines else []
    channel = WAYS.get(first[0].casefold()) if first else None
    if channel is None:
        raise IntakeProblem("way")
    name = " ".join(first[1].split())[:MAX_NAME] if len(first) > 1 else ""
    if not name:
        raise IntakeProblem("name")
    fields: dict[str, str] = {}
    summary: list[str] = []
    for line in lines[1:]:
        label, colon, value = line.partition(":")
        field = FIELDS.get(" ".join(label.casefold().split())) if colon else None
        if field is not None and channel is Channel.RUJUKAN and field not in fields:
            fields[field] = " ".join(value.split())[:MAX_FIELD]
        else:
            summary.append(line.rstrip())
    letter_date = None
    if fields.get("date"):
        letter_date = parse_date(fields["date"], today)
        if (
            letter_date is not None
            and letter_date > today
            and not YEAR_WRITTEN.search(fields["date"])
        ):
            letter_date = _a_year_before(letter_date)  # "5 des" read in January: last year's
        if letter_date is None or letter_date > today:
            raise IntakeProblem("date")
    if channel is Channel.RUJUKAN and not fields.get("origin"):
        raise IntakeProblem("origin")
    return Intake(
        channel,
        name,
        "\n".join(summary).strip()[:MAX_SUMMARY],
        fields.get("origin", ""),
        fields.get("number", ""),
        letter_date,
    )


def _a_year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)
