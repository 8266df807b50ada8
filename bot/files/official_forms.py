"""The official forms beside the monthly report, as XLSX a head can submit: Satyagatra's (PPKS)
R/I register and K/0 card, the psychoeducation sessions, and an optional SIMFONI-PPA sheet.

Public sources give the forms' purpose but not every column, so each form is a template an
office edits without code (bot.files.form_templates): the columns in order, each filled from one
field (or left blank for staff), with a title, a totals row and a place to sign; or the Dinas's
own blank form (.xlsx), whose first sheet gets the rows from `first_row`, each column at its
`column` letter.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import column_index_from_string

from bot.config.settings import Settings
from bot.files.cells import cell
from bot.files.form_templates import Form, forms
from triage.domain import psychoeducation
from triage.domain.reports import CaseRow, MonthReport, age_group
from triage.domain.workflow import CaseFile
from triage.texts.catalog import Lang, text

log = logging.getLogger(__name__)

PROBLEMS = "formulir-bermasalah.txt"
TARGET_GROUP = {"balita": "Keluarga balita", "remaja": "Remaja", "lansia": "Lansia",
                "pranikah": "Calon pengantin", "kekerasan": "Keluarga rentan"}  # fmt: skip


@dataclass(frozen=True)
class Context:
    report: MonthReport
    settings: Settings
    staff: Mapping[int, str]
    lang: Lang

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.settings.office.timezone)

    def when(self, at: datetime | None) -> object:
        return at.astimezone(self.zone).replace(tzinfo=None).date() if at else ""


def _case_fields(row: CaseRow, n: int, c: Context) -> dict[str, object]:
    answers, lang = row.answers, c.lang
    seen = c.report.referred.get(row.conversation_id)
    age = answers.get("usia") or ""
    if row.outcome == "rujukan":
        service = text("form.service.rujukan", lang)
    elif row.counselor_id or row.steps.claimed:
        service = text("form.service.konseling", lang)
    elif row.category == "informasi":
        service = text("form.service.informasi", lang)
    else:
        service = text("form.service.konsultasi", lang)
    return {
        "no": n,
        "tanggal": c.when(row.opened_at),
        "nomor_register": row.register_no or "",
        "nama": row.client_name,
        "usia": int(age) if age.isdigit() else age,
        "kelompok_usia": age_group(age or None),
        "jenis_kelamin": (answers.get("jenis_kelamin") or "").upper()[:1],
        "domisili": answers.get("domisili") or "",
        "saluran": text(f"channel.{row.channel}", lang),
        "kategori": text(f"category.{row.category or 'lainnya'}", lang),
        "sasaran": TARGET_GROUP.get(row.category or "", "Keluarga"),
        "jenis_layanan": service,
        "mendesak": text("form.yes", lang) if row.urgent else "",
        "rujukan_ke": (
            seen.addressee
            if seen and seen.addressee
            else text(f"referral.target.{row.referral_target}", lang)
            if row.referral_target
            else ""
        ),  # fmt: skip
        "konselor": c.staff.get(row.counselor_id or 0, ""),
        "tanggal_rujukan": c.when(seen.at) if seen else "",
        "rujukan_diterima": c.when(seen.received_at) if seen else "",
        "penerima_rujukan": seen.received if seen else "",
    }


def _session_fields(cf: CaseFile, n: int, c: Context) -> dict[str, object]:
    facts, data = cf.facts, cf.data
    day = psychoeducation.stored_date(data.get("session") or data.get("date"))
    return {
        "no": n,
        "tanggal_permohonan": c.when(cf.opened_at),
        "institusi": facts.get("institusi", ""),
        "narahubung": facts.get("narahubung", ""),
        "topik": facts.get("topik", ""),
        "peserta_diminta": facts.get("peserta", ""),
        "tanggal_kegiatan": day or "",
        "status": text(f"casefile.status.{cf.status}", c.lang),
        "peserta_hadir": data.get("participants", ""),
    }


def _sessions(c: Context, start: datetime, end: datetime) -> list[CaseFile]:
    """Requests received in the month, and sessions whose day (office time) falls in it."""
    first, last = start.astimezone(c.zone).date(), end.astimezone(c.zone).date()

    def in_month(cf: CaseFile) -> bool:
        day = psychoeducation.stored_date(cf.data.get("session"))
        return start <= cf.opened_at < end or (day is not None and first <= day < last)

    return sorted((f for f in c.report.psychoeducation if in_month(f)), key=lambda f: f.opened_at)


def _office_items(c: Context, start: datetime, end: datetime) -> dict[str, object]:
    s, report = c.settings, c.report
    roles = [member.role for member in s.staff]
    held = psychoeducation.figures(report.psychoeducation, start, end, c.zone).held
    instagram = s.instagram is not None or s.instagram_graph is not None
    channels = [text(f"channel.{name}", c.lang) for name, on in
                (("email", s.email is not None), ("instagram", instagram),
                 ("hotline", s.telegram is not None), ("whatsapp", s.whatsapp is not None),
                 ("messenger", s.messenger is not None)) if on]  # fmt: skip
    hours = "; ".join(f"{day} {' '.join(spans)}" for day, spans in s.office.hours.items())
    return {
        "nama_kantor": s.office.name,
        "alamat": s.office.address,
        "telepon": s.office.phone,
        "jam_layanan": hours,
        "saluran_layanan": ", ".join(channels),
        "jumlah_ketua": roles.count("ketua"),
        "jumlah_konselor": roles.count("konselor"),
        "jumlah_admin": roles.count("admin"),
        "kontak_bulan_ini": len(report.register),
        "konseling_bulan_ini": sum(
            bool(r.counselor_id or r.steps.claimed) for r in report.register
        ),  # fmt: skip
        "rujukan_bulan_ini": report.referrals,
        "psikoedukasi_terlaksana": held,
    }


def rows_of(form: Form, c: Context, start: datetime, end: datetime) -> list[dict[str, object]]:
    if form.rows == "register":
        return [_case_fields(r, n, c) for n, r in enumerate(c.report.register, start=1)]
    if form.rows == "kekerasan":
        violence = [r for r in c.report.register if r.category == "kekerasan"]
        return [_case_fields(r, n, c) for n, r in enumerate(violence, start=1)]
    if form.rows == "psikoedukasi":
        found = _sessions(c, start, end)
        return [_session_fields(f, n, c) for n, f in enumerate(found, start=1)]
    items = _office_items(c, start, end)
    return [{"no": n, "uraian": text(f"form.item.{item}", c.lang), "isi": items[item]}
            for n, item in enumerate(form.items, start=1)]  # fmt: skip


def write(report: MonthReport, out: Path, settings: Settings, staff: Mapping[int, str],
          bounds: tuple[datetime, datetime], title: str) -> list[Path]:  # fmt: skip
    """Each usable form as out/<name>-<month>.xlsx. A form that cannot be made (a broken
    template, a blank form it cannot be written into) is logged, named in out/PROBLEMS (which
    goes to the head with the report) and skipped, never stopping the month's report."""
    lang: Lang = settings.language  # type: ignore[assignment]
    context = Context(report, settings, staff, lang)
    found, problems = forms(settings)
    paths = []
    for form in found:
        path = out / f"{form.name}-{report.month}.xlsx"
        try:
            rows = rows_of(form, context, *bounds)
            (_fill_blank if form.blank else _new_book)(form, rows, path, title, context, bounds)
        except Exception as exc:  # noqa: BLE001 - e.g. a merged cell where rows go
            path.unlink(missing_ok=True)
            problems.append(text("form.error.write", lang, file=str(form.path),
                                 error=type(exc).__name__))  # fmt: skip
            continue
        paths.append(path)
    for problem in problems:
        log.warning("formulir resmi dilewati: %s", problem)
    told = out / PROBLEMS
    told.unlink(missing_ok=True)  # an earlier run's, its templates since mended
    if problems:
        told.write_text("\n".join(problems) + "\n", encoding="utf-8")
        paths.append(told)
    return paths


def _closing(form: Form, rows: list[dict[str, object]], c: Context,
             bounds: tuple[datetime, datetime]) -> list[list[object]]:  # fmt: skip
    lines: list[list[object]] = []
    if form.totals:
        lines.append([text("form.total", c.lang), len(rows)])
        if form.rows == "psikoedukasi":
            made = psychoeducation.figures(c.report.psychoeducation, *bounds, c.zone)
            for key in ("requested", "accepted", "declined", "held", "participants"):
                lines.append([text(f"form.sessions.{key}", c.lang), getattr(made, key)])
    if form.signature:
        lines += [[], [text("form.signed", c.lang, office=c.settings.office.name)], [], [],
                  ["( ........................................ )"]]  # fmt: skip
    return lines


def _new_book(form: Form, rows: list[dict[str, object]], path: Path, title: str, c: Context,
              bounds: tuple[datetime, datetime]) -> None:  # fmt: skip
    book = Workbook()
    sheet = book.active
    sheet.title = form.name[:31]
    sheet.append([cell(form.title or form.name)])
    sheet.append([cell(title)])
    sheet.append([])
    sheet.append([cell(col.header) for col in form.columns])
    for row in rows:
        sheet.append([cell(row.get(col.value, "")) if col.value else "" for col in form.columns])
    sheet.append([])
    for line in _closing(form, rows, c, bounds):
        sheet.append([cell(v) for v in line])
    for ref in ("A1", "A2"):
        sheet[ref].font = Font(bold=True)
    for header in sheet[4]:
        header.font = Font(bold=True)
    for n, col in enumerate(form.columns, start=1):
        sheet.column_dimensions[sheet.cell(4, n).column_letter].width = max(8, len(col.header) + 4)
    book.save(path)


def _fill_blank(form: Form, rows: list[dict[str, object]], path: Path, title: str, c: Context,
                bounds: tuple[datetime, datetime]) -> None:  # fmt: skip
    """Into the Dinas's own blank form: its first sheet, from `first_row`, each column at its
    letter (or the next one)."""
    assert form.blank is not None
    book = load_workbook(form.blank)
    sheet = book.worksheets[0]
    places = []
    at = 1
    for col in form.columns:
        at = column_index_from_string(col.letter) if col.letter else at
        places.append(at)
        at += 1
    first = form.first_row or sheet.max_row + 1
    for n, row in enumerate(rows):
        for col, place in zip(form.columns, places, strict=True):
            if col.value:
                sheet.cell(first + n, place, cell(row.get(col.value, "")))
    for n, line in enumerate(_closing(form, rows, c, bounds)):
        for k, value in enumerate(line):
            sheet.cell(first + len(rows) + 1 + n, places[0] + k, cell(value))
    book.save(path)
