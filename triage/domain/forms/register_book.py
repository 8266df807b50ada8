"""Moving from paper: the open cases of an office's register book (an Excel sheet, one row per
case) read into what /klien_baru and /identitas would record. Offices name their columns in
their own words, so a column is known by its header: the case's own (register number, date,
way of coming, status, counselor, category, summary) here, the identity form's by the form's
labels and aliases (triage.domain.forms.spec.read_lines). A closed case is left on paper."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from triage.domain.forms.spec import FormSpec
from triage.domain.intake import MAX_NAME, MAX_SUMMARY, WAYS
from triage.domain.model import Channel
from triage.domain.rules.classify import CATEGORIES
from triage.domain.schedule.dates import parse_date

# header words (lower case, no dots, spaces single) -> what the column holds for the case itself
COLUMNS = {
    "no register": "register", "nomor register": "register", "no reg": "register",
    "register": "register", "no registrasi": "register", "nomor registrasi": "register",
    "register number": "register",
    "tanggal": "date", "tgl": "date", "tanggal datang": "date", "tgl datang": "date",
    "tanggal masuk": "date", "tgl masuk": "date", "date": "date",
    "nama": "name", "nama klien": "name", "nama lengkap": "name", "name": "name",
    "cara datang": "way", "kanal": "way", "layanan": "way", "datang melalui": "way",
    "channel": "way", "way": "way",
    "status": "status", "status kasus": "status", "keadaan": "status", "case status": "status",
    "konselor": "counselor", "psikolog": "counselor", "petugas": "counselor",
    "counselor": "counselor",
    "kategori": "category", "jenis layanan": "category", "category": "category",
    "ringkasan": "summary", "keterangan": "summary", "catatan": "summary",
    "permasalahan": "summary", "keluhan": "summary", "summary": "summary",
}  # fmt: skip
CLOSED = frozenset({"selesai", "tuntas", "tutup", "ditutup", "closed", "dirujuk", "rujuk",
                    "done", "finished", "referred", "batal"})  # fmt: skip
NOT_YET = frozenset({"belum", "blm", "tidak", "not", "bukan"})  # "belum selesai" is open
MORE_WAYS = {"tatap": Channel.LANGSUNG, "wa": Channel.TELEPON, "whatsapp": Channel.TELEPON,
             "sms": Channel.TELEPON}  # fmt: skip
MAX_ROWS = 100_000
EMPTY = frozenset({"", "-", "--", "—", "–", "n/a", "na"})
EXCEL_EPOCH = date(1899, 12, 30)  # a date cell read as a number counts days from here


@dataclass(frozen=True)
class BookRow:
    """One open case of the register book, as read."""

    line: int  # the sheet's row number, for staff to find it
    name: str
    channel: Channel
    summary: str
    register_no: str = ""
    came: date | None = None
    counselor: str = ""
    category: str = ""
    form_lines: str = ""  # "Label: value" lines for the identity form


@dataclass(frozen=True)
class Reading:
    rows: tuple[BookRow, ...] = ()
    closed: tuple[int, ...] = ()  # the sheet's rows left on paper (closed cases)
    problems: tuple[tuple[int, str, str], ...] = ()  # (row, catalogue key, the value)
    unknown_headers: tuple[str, ...] = ()  # columns nobody reads: said, never silently lost
    missing: tuple[str, ...] = field(default=())  # what the header row lacks
    too_long: bool = False  # more rows than MAX_ROWS: nothing is read (split the book)


def _header(cell: object) -> str:
    """ "No. Register:", "Tgl.\nDatang" -> "no register", "tgl datang"."""
    return " ".join(str(cell or "").replace(":", " ").replace(".", " ").casefold().split())


def read(sheet: Sequence[Sequence[object]], form_labels: frozenset[str], today: date) -> Reading:
    """The first row whose cells name a case's name column is the header row; every row below
    it with a name is a case (open unless its status says closed)."""
    if len(sheet) > MAX_ROWS + 20:
        return Reading(too_long=True)
    rows = [list(r) for r in sheet]
    at = next(
        (n for n, r in enumerate(rows[:20]) if any(COLUMNS.get(_header(c)) == "name" for c in r)),
        None,
    )
    if at is None:
        return Reading(missing=("nama",))
    headers = [_header(c) for c in rows[at]]
    unknown = tuple(h for h in headers if h and h not in COLUMNS and h not in form_labels)
    found: list[BookRow] = []
    closed: list[int] = []
    problems: list[tuple[int, str, str]] = []
    numbers: set[str] = set()
    for n, row in enumerate(rows[at + 1 :], start=at + 2):
        cells: dict[str, str] = {}
        for h, v in zip(headers, row, strict=False):
            if h and h not in cells:  # a second "Nama" (the reported party's) is not the client's
                cells[h] = "" if _text(v).casefold() in EMPTY else _text(v)
        own = {COLUMNS[h]: v for h, v in cells.items() if h in COLUMNS and v}
        if not any(cells.values()):
            continue  # an empty line between blocks
        if not own.get("name"):
            problems.append((n, "import.no_name", ""))
            continue
        if _closed(own.get("status", "")):
            closed.append(n)
            continue
        way = own.get("way", "langsung").casefold().replace("-", " ").split()
        channel = (WAYS.get(way[0]) or MORE_WAYS.get(way[0])) if way else Channel.LANGSUNG
        if channel is None:
            problems.append((n, "import.way", own["way"]))
            continue
        number = own.get("register", "")[:40]
        if number and number in numbers:
            problems.append((n, "import.register_twice", number))
            continue
        numbers.add(number)
        came = _date(row, headers, today)
        if came is False:
            problems.append((n, "import.date", own.get("date", "")))
            continue
        lines = [
            f"{h}: {v}" for h, v in cells.items() if v and h not in COLUMNS and h in form_labels
        ]
        found.append(
            BookRow(
                line=n,
                name=" ".join(own["name"].split())[:MAX_NAME],
                channel=channel,
                summary=own.get("summary", "")[:MAX_SUMMARY],
                register_no=number,
                came=came if isinstance(came, date) else None,
                counselor=own.get("counselor", ""),
                category=category_of(own.get("category", "")),
                form_lines="\n".join([f"nama: {own['name']}", *lines]),
            )
        )
    return Reading(tuple(found), tuple(closed), tuple(problems), unknown)


SYNONYMS = {"kdrt": "kekerasan", "keluarga": "keluarga_harmonis", "kb": "kb_kespro",
            "kespro": "kb_kespro", "anak": "balita", "info": "informasi"}  # fmt: skip


def category_of(words: str) -> str:
    """A category code for the office's words: the code itself, "Keluarga harmonis", a unique
    beginning, or a common short name ("KDRT"); "" when none fits."""
    word = "_".join(words.casefold().replace("-", " ").split())
    if not word:
        return ""
    if word in CATEGORIES:
        return word
    if word in SYNONYMS:
        return SYNONYMS[word]
    starts = [c for c in CATEGORIES if c.startswith(word)]
    return starts[0] if len(starts) == 1 else ""


def _closed(status: str) -> bool:
    """ "Selesai.", "Sudah selesai", "Selesai (dirujuk UPTD)": closed; "belum selesai": open."""
    words = set("".join(c if c.isalnum() else " " for c in status.casefold()).split())
    return bool(words & CLOSED) and not words & NOT_YET


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # 34.0 from a number cell is 34
    if isinstance(value, datetime):
        return value.date().isoformat()
    return " ".join(str(value).split())


def _date(row: Sequence[object], headers: Sequence[str], today: date) -> date | bool:
    """The date the client came: a date cell, or words parse_date reads; False when it cannot
    be read or is in the future; True (no date) when the column is empty or missing."""
    for h, value in zip(headers, row, strict=False):
        if COLUMNS.get(h) != "date" or value in (None, ""):
            continue
        if isinstance(value, datetime):
            value = value.date()
        if isinstance(value, int | float):  # a date cell read as its serial number
            if not 30_000 <= value < 2_958_466:  # before 1982 or no date at all: "2026"
                return False
            value = EXCEL_EPOCH + timedelta(days=int(value))
        if not isinstance(value, date) and _text(value).casefold() in EMPTY:
            return True
        day = value if isinstance(value, date) else parse_date(str(value), today)
        return day if day is not None and day <= today else False
    return True


def form_labels(form: FormSpec) -> frozenset[str]:
    """The identity form's labels as a header would write them."""
    return frozenset(
        _header(label) for f in form.fields for label in (f.name.replace("_", " "), *f.aliases)
    )
