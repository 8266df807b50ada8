"""The official forms' templates (bot.files.official_forms lays them out): TOML files an office
edits without code. The defaults are in bot/files/forms/; a file of the same name in
data_dir/formulir/ replaces one, a new name adds a form. Everything a template says is checked
here, so a mistake is told by `puspaga check` and beside the report (which file, which key, how
to fix it) and never stops the month's report."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string

from bot.config.settings import Settings
from triage.texts.catalog import Lang, text

DEFAULTS = Path(__file__).parent / "forms"
SOURCES = ("register", "kekerasan", "psikoedukasi", "kantor")
MAX_ROW = 1_048_576  # a worksheet's last row
MAX_COLUMN = 16_384  # XFD
RESERVED = "laporan"  # the monthly report's own files start so


class FormError(ValueError):
    """A template that cannot be used: the message names the file, the key and the fix."""


@dataclass(frozen=True)
class Column:
    header: str
    value: str  # a field of the form's rows; "" for a column staff fill in by hand
    letter: str = ""  # where it goes on a blank form ("C"); "" for the next column


@dataclass(frozen=True)
class Form:
    path: Path
    name: str
    title: str
    rows: str
    columns: tuple[Column, ...]
    items: tuple[str, ...] = ()
    totals: bool = False
    signature: bool = False
    blank: Path | None = None
    first_row: int = 0  # on a blank form; 0: below what it holds


_CASE = frozenset({
    "no", "tanggal", "nomor_register", "nama", "usia", "kelompok_usia", "jenis_kelamin",
    "domisili", "saluran", "kategori", "sasaran", "jenis_layanan", "mendesak", "rujukan_ke",
    "konselor", "tanggal_rujukan", "rujukan_diterima", "penerima_rujukan",
})  # fmt: skip
_SESSIONS = frozenset({
    "no", "tanggal_permohonan", "institusi", "narahubung", "topik", "peserta_diminta",
    "tanggal_kegiatan", "status", "peserta_hadir",
})  # fmt: skip
FIELDS: Mapping[str, frozenset[str]] = {  # what a column's `value` may name, by `rows`
    "register": _CASE, "kekerasan": _CASE, "psikoedukasi": _SESSIONS,
    "kantor": frozenset({"no", "uraian", "isi"}),
}  # fmt: skip
ITEMS = frozenset({
    "nama_kantor", "alamat", "telepon", "jam_layanan", "saluran_layanan", "jumlah_ketua",
    "jumlah_konselor", "jumlah_admin", "kontak_bulan_ini", "konseling_bulan_ini",
    "rujukan_bulan_ini", "psikoedukasi_terlaksana",
})  # fmt: skip


def parse(path: Path, folder: Path, lang: Lang = "id") -> Form | None:
    """The template at `path` (None when it is switched off), or FormError saying what to fix."""
    where = str(path)

    def wrong(problem: str, **values: object) -> FormError:
        return FormError(text(f"form.error.{problem}", lang, file=where, **values))

    try:
        raw: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise wrong("read", error=exc) from None
    for key, kind in (("enabled", bool), ("totals", bool), ("signature", bool), ("name", str),
                      ("title", str), ("blank", str), ("first_row", int), ("columns", list),
                      ("items", list)):  # fmt: skip
        value = raw.get(key)
        wrong_kind = not isinstance(value, kind) or (kind is not bool and isinstance(value, bool))
        if key in raw and wrong_kind:
            raise wrong("type", key=key, kind=text(f"form.kind.{kind.__name__}", lang))
    if raw.get("enabled", True) is False:
        return None
    rows = raw.get("rows")
    if rows not in SOURCES:
        raise wrong("rows", value=rows, allowed=", ".join(SOURCES))
    columns = tuple(_column(n, c, FIELDS[rows], wrong)
                    for n, c in enumerate(raw.get("columns", []), start=1))  # fmt: skip
    if not columns:
        raise wrong("columns")
    items = tuple(str(i) for i in raw.get("items", []))
    if unknown := [i for i in items if i not in ITEMS]:
        raise wrong("items", value=", ".join(unknown), allowed=", ".join(sorted(ITEMS)))
    first_row = raw.get("first_row", 0)
    if not 0 <= first_row <= MAX_ROW:
        raise wrong("first_row", value=first_row)
    blank = _blank(raw.get("blank", ""), folder, wrong)
    name = "".join(ch for ch in raw.get("name") or path.stem if ch.isascii() and
                   (ch.isalnum() or ch in "-_"))[:60] or "formulir"  # fmt: skip
    if name.lower().startswith(RESERVED):
        name = f"formulir-{name}"
    return Form(path, name, raw.get("title", ""), rows, columns, items, raw.get("totals", False),
                raw.get("signature", False), blank, first_row)  # fmt: skip


def _column(n: int, column: object, names: frozenset[str], wrong: Any) -> Column:
    if not isinstance(column, dict) or not isinstance(column.get("header"), str):
        raise wrong("column", n=n)
    value = column.get("value", "")
    if not isinstance(value, str) or (value and value not in names):
        raise wrong("value", n=n, value=value, allowed=", ".join(sorted(names)))
    letter = column.get("column", "")
    if not isinstance(letter, str) or (letter and not _letter_ok(letter.upper())):
        raise wrong("letter", n=n, value=letter)
    return Column(column["header"], value, letter.upper())


def _letter_ok(letter: str) -> bool:
    if not (letter.isascii() and letter.isalpha() and len(letter) <= 3):
        return False
    return column_index_from_string(letter) <= MAX_COLUMN


def _blank(named: str, folder: Path, wrong: Any) -> Path | None:
    """The Dinas's blank form: an .xlsx inside the forms folder that opens."""
    if not named:
        return None
    blank = (folder / named).resolve()
    if not blank.is_relative_to(folder.resolve()) or blank.suffix.lower() != ".xlsx":
        raise wrong("blank_where", blank=named)
    if not blank.is_file():
        raise wrong("blank", blank=named)
    try:
        load_workbook(blank, read_only=True).close()
    except Exception as exc:  # noqa: BLE001 - any reason it is no workbook: say it
        raise wrong("blank_open", blank=named, error=type(exc).__name__) from None
    return blank


def forms(settings: Settings) -> tuple[list[Form], list[str]]:
    """The office's forms (its own files replace the defaults of the same name) and what is
    wrong with any that cannot be used."""
    lang: Lang = settings.language  # type: ignore[assignment]
    own = settings.data_dir / "formulir"
    chosen = {p.name: p for p in sorted(DEFAULTS.glob("*.toml"))}
    if own.is_dir():
        chosen |= {p.name: p for p in sorted(own.glob("*.toml"))}
    found: list[Form] = []
    problems = []
    for path in chosen.values():
        try:
            form = parse(path, own, lang)
        except FormError as exc:
            problems.append(str(exc))
            continue
        if form is None:
            continue
        if any(f.name.lower() == form.name.lower() for f in found):
            problems.append(text("form.error.twice", lang, file=str(path), name=form.name))
            continue
        found.append(form)
    return found, problems
