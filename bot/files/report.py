"""The monthly report's files: XLSX (openpyxl) with the summary, the
register book, SLA compliance and charts, and the official forms beside it
(bot.files.official_forms); the same tables as CSV (UTF-8 with a BOM, so spreadsheet
programs read it right); PNG charts (bot.files.report_charts). In the office's language, in
the words a head reports with: labels, not codes; month names; dates a spreadsheet can sort and
filter."""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot.app import App
from bot.config.roster import timer_setup
from bot.config.settings import Settings
from bot.files import official_forms, report_charts
from bot.files.cells import cell
from triage.domain import complaint, notices
from triage.domain.appointments import STATUSES as SESSION_STATUSES
from triage.domain.referral import RECEIVED_STEP, TARGETS
from triage.domain.reports import (
    OPEN,
    UNKNOWN,
    MonthReport,
    ReferralSeen,
    age_labels,
    month_report,
)
from triage.domain.survey import QUESTIONS, SurveyResult, summarise
from triage.domain.triage_checks import accuracy
from triage.effects import notify
from triage.ports import UnitOfWork
from triage.texts.catalog import Lang, text, texts

MONTH = re.compile(r"(?:19|2\d)\d\d-(0[1-9]|1[0-2])")  # "2026-11": what --month and /laporan take


def month_label(month: str, lang: Lang) -> str:
    """ "2026-11" → "November 2026" (Indonesian month names in Indonesian)."""
    year, number = (int(part) for part in month.split("-"))
    return format_date(date(year, number, 1), "LLLL y", locale=lang)


def not_yet(month: str, today: date) -> bool:
    """A month that has not begun on `today` (the office's date): nothing to report yet."""
    return month > today.strftime("%Y-%m")


def month_bounds(month: str, zone: tzinfo) -> tuple[datetime, datetime]:
    """The month's first and the next month's first instant, in the office's zone, as UTC."""
    year, number = (int(part) for part in month.split("-"))
    start = datetime(year, number, 1, tzinfo=zone)
    end = datetime(year + (number == 12), number % 12 + 1, 1, tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def build(app: App, month: str) -> MonthReport:
    settings = app.settings
    zone = ZoneInfo(settings.office.timezone)
    start, end = month_bounds(month, zone)
    timers = timer_setup(settings, start.date())
    with app.uows() as uow:
        rows = uow.reports.cases_received(start, end)
        asked, answered = uow.reports.surveys(start, end)
        checks = accuracy(uow.reports.triage_checks(start, end))
        files = uow.casefiles.of_kind("pengaduan")
        complaints = complaint.figures(files, start, end, now=app.clock())
        sessions = uow.casefiles.of_kind("psikoedukasi")
        met = Counter(a.status for a in uow.appointments.between(start, end))
        referred = {r.conversation_id: seen for r in rows if r.referral_target
                    if (seen := referral_seen(uow, r.conversation_id, r.round))}  # fmt: skip
    survey = summarise(asked, answered)
    report = month_report(month, rows, timers.targets, timers.calendar, survey, checks)
    return replace(report, complaints=complaints, psychoeducation=sessions, referred=referred,
                   sessions=dict(met))  # fmt: skip


def referral_seen(uow: UnitOfWork, conv_id: int, round_: int) -> ReferralSeen | None:
    """The round's referral and the receiving body's confirmation, if staff recorded one."""
    made = uow.referrals.get(conv_id, round_)
    if made is None:
        return None
    got = [s for s in uow.steps.for_conversation(conv_id)
           if s.step == RECEIVED_STEP and s.round == round_]  # fmt: skip
    last = max(got, key=lambda s: s.at) if got else None
    return ReferralSeen(made.target, made.addressee, made.at, last.at if last else None,
                        (last.detail or "") if last else "")  # fmt: skip


def _t(key: str, lang: Lang, **values: object) -> str:
    return text(f"report.{key}", lang, **values)


def label(kind: str, code: str, lang: Lang) -> str:
    """A code of the database as staff say it: channel, category, gender, outcome, state or
    risk level ("with_admin" → "Ditangani admin"); one the catalogue lacks stays as it is."""
    if code in (UNKNOWN, OPEN):
        return _t("unknown" if code == UNKNOWN else "open", lang)
    key = f"{kind}.{code}"
    return text(key, lang) if key in texts() else code


def summary_rows(report: MonthReport, lang: Lang) -> list[list[object]]:
    rows: list[list[object]] = [[_t("total", lang), report.total]]
    sections = (  # each section's name is also its codes' kind in the catalogue
        ("channel", report.by_channel, None),
        ("category", report.by_category, None),
        ("gender", report.by_gender, None),
        ("age", report.by_age, age_labels()),
        ("outcome", report.by_outcome, None),
    )
    for kind, counts, order in sections:
        rows.append([])
        rows.append([_t(kind, lang), _t("count", lang)])
        if order:  # age groups in their own order, every group shown
            rows += [[label(kind, key, lang), counts.get(key, 0)] for key in order]
        else:  # as a head reads them: by name
            rows += sorted([label(kind, key, lang), n] for key, n in counts.items())
    rows += [[], [_t("sessions", lang), _t("count", lang)]]
    rows += [[_t(f"sessions.{status}", lang), report.sessions.get(status, 0)]
             for status in SESSION_STATUSES]  # fmt: skip
    rows += [[], [_t("urgent", lang), report.urgent], [_t("referrals", lang), report.referrals]]
    for target in TARGETS:
        if target in report.by_referral:
            rows.append([text(f"referral.target.{target}", lang), report.by_referral[target]])
    if UNKNOWN in report.by_referral:  # referred before targets were recorded
        unknown = f"{_t('referrals', lang)}: {_t('unknown', lang)}"
        rows.append([unknown, report.by_referral[UNKNOWN]])
    return rows + survey_rows(report.survey, lang)


def complaint_rows(report: MonthReport, lang: Lang, days: int) -> list[list[object]]:
    """The complaint standard's figures: received, settled, within their `days` working days,
    open past the deadline, by object and by division."""
    found = report.complaints
    if found is None:
        return []
    on_time = round(100 * found.on_time / found.settled, 1) if found.settled else ""
    rows: list[list[object]] = [
        [_t("complaints", lang), _t("count", lang)],
        [_t("complaints.received", lang), found.received],
        [_t("complaints.anonymous", lang), found.anonymous],
        [_t("complaints.settled", lang), found.settled],
        [_t("complaints.on_time", lang, days=days), found.on_time],
        [_t("complaints.on_time_pct", lang, days=days), on_time],
        [_t("complaints.outside_remit", lang), found.outside_remit],
        [_t("complaints.overdue", lang, days=days), found.overdue_open],
    ]
    for kind, counts in (("object", found.by_object), ("division", found.by_division)):
        rows += [[], [_t(f"complaints.{kind}", lang), _t("count", lang)]]
        rows += sorted([name, n] for name, n in counts.items())
    return rows


def survey_rows(result: SurveyResult | None, lang: Lang) -> list[list[object]]:
    """The satisfaction survey's section of the summary (SKM: mean score per question, the
    index 25–100 and its grade)."""
    if result is None:
        return []
    rate = result.response_rate
    rows: list[list[object]] = [
        [],
        [_t("survey", lang), _t("value", lang)],
        [_t("survey.asked", lang), result.asked],
        [_t("survey.answered", lang), result.answered],
        [_t("survey.rate", lang), round(100 * rate, 1) if rate is not None else ""],
    ]
    for question in QUESTIONS:
        mean = result.mean_by_question.get(question)
        rows.append([_t(f"survey.q.{question}", lang), mean if mean is not None else ""])
    rows.append([_t("survey.index", lang), result.index if result.index is not None else ""])
    rows.append([_t("survey.grade", lang), result.grade or ""])
    return rows


def register_rows(report: MonthReport, lang: Lang, zone: tzinfo, staff: dict[int, str]):  # noqa: ANN201
    head = [_t(f"col.{c}", lang) for c in REGISTER_COLUMNS]
    body = [
        [
            n,
            r.register_no or "",
            r.opened_at.astimezone(zone).replace(tzinfo=None, second=0, microsecond=0),
            r.client_name,
            _number(r.answers.get("usia")),
            label("gender", g, lang) if (g := r.answers.get("jenis_kelamin")) else "",
            r.answers.get("domisili") or "",
            label("channel", r.channel, lang),
            label("category", r.category or "lainnya", lang),
            _t("yes", lang) if r.urgent else "",
            label("state", r.state, lang),
            label("outcome", r.outcome, lang) if r.outcome else "",
            text(f"referral.target.{r.referral_target}", lang) if r.referral_target else "",
            staff.get(r.counselor_id, "") if r.counselor_id else "",
        ]
        for n, r in enumerate(report.register, start=1)
    ]
    return [head, *body]


def _number(answer: str | None) -> object:
    """An age the form took as a number is a number cell (sorts 8 before 70); else the text."""
    return int(answer) if answer and answer.isdigit() else (answer or "")


REGISTER_COLUMNS = (
    "no", "register", "date", "name", "age", "gender", "domicile", "channel", "category",
    "urgent", "state", "outcome", "referral", "counselor",
)  # fmt: skip


def triage_rows(report: MonthReport, lang: Lang) -> list[list[object]]:
    """How often triage's own level and category were right, from staff's confirmations at
    closing (codes and counts only: no message text leaves the database)."""
    found = report.triage
    if found is None or not found.confirmed:
        return [[_t("triage.none", lang)]]
    rows: list[list[object]] = [
        [_t("triage.confirmed", lang), found.confirmed],
        [_t("triage.risk_right", lang), found.risk_right, found.share(found.risk_right)],
        [
            _t("triage.category_right", lang),
            found.category_right,
            found.share(found.category_right),
        ],
        [],
        [_t("triage.level", lang), _t("triage.right", lang), _t("count", lang)],
    ]
    for level, (right, of) in found.by_level.items():
        rows.append([label("risk", level, lang), right, of])
    return rows


def sla_rows(report: MonthReport, lang: Lang) -> list[list[object]]:
    head = [
        _t(f"sla.{c}", lang)
        for c in ("step", "target", "cases", "within", "share", "median", "p90")
    ]
    body = [
        [
            _t(f"step.{s.step}", lang),
            int(s.target_minutes) if s.target_minutes.is_integer() else s.target_minutes,
            s.measured,
            s.within,
            round(100 * s.share_within, 1) if s.share_within is not None else "",
            s.median_minutes if s.median_minutes is not None else "",
            s.p90_minutes if s.p90_minutes is not None else "",
        ]
        for s in report.sla
    ]
    return [head, *body]


def write(
    report: MonthReport,
    out: Path,
    settings: Settings,
    staff: dict[int, str],
    today: date | None = None,
) -> list[Path]:
    """Every file of the month's report into `out`; returns their paths. `today` (the office's
    date): a report of the month still running says it is provisional."""
    lang: Lang = settings.language  # type: ignore[assignment]
    zone = ZoneInfo(settings.office.timezone)
    out.mkdir(parents=True, exist_ok=True)
    tables = {
        "ringkasan": summary_rows(report, lang),
        "buku-register": register_rows(report, lang, zone, staff),
        "sla": sla_rows(report, lang),
        "ketepatan-triase": triage_rows(report, lang),
        "pengaduan": complaint_rows(report, lang, settings.sla.complaint_working_days),
    }
    notes = {  # below a table in the workbook; the CSV files hold only the tables
        "buku-register": [] if report.register else [_t("no_data", lang)],
        "sla": [_t("sla.note", lang)],
    }
    paths = []
    book = Workbook()
    book.remove(book.active)
    title = _title(report.month, settings, today)
    for name, table in tables.items():
        rows = [[cell(value) for value in row] for row in table]  # client text stays text
        sheet = book.create_sheet(_t(f"sheet.{name}", lang))
        sheet.append([cell(title)])
        sheet["A1"].font = Font(bold=True)
        sheet.append([])
        for row in rows:
            sheet.append(row)
        _lay_out(sheet, name, len(rows))
        for note in notes.get(name, []):
            sheet.append([])
            sheet.append([note])
        path = out / f"laporan-{report.month}-{name}.csv"
        with path.open("w", newline="", encoding="utf-8-sig") as handle:
            csv.writer(handle).writerows([[_csv(value) for value in row] for row in rows])
        paths.append(path)
    paths += official_forms.write(report, out, settings, staff, month_bounds(report.month, zone),
                                  title)  # fmt: skip
    charts = _charts(report, lang)
    no_data = _t("no_data", lang)
    report_charts.sheet(book, _t("sheet.grafik", lang), title, charts, no_data)
    xlsx = out / f"laporan-{report.month}.xlsx"
    book.save(xlsx)
    paths.insert(0, xlsx)
    for chart in charts:
        png = out / f"laporan-{report.month}-{chart.name}.png"
        paths.append(report_charts.png(chart, png, title, no_data))
    return paths


TABLES = ("buku-register", "sla")  # one header row on row 3: frozen, with filters


def _title(month: str, settings: Settings, today: date | None) -> str:
    lang: Lang = settings.language  # type: ignore[assignment]
    title = _t("title", lang, office=settings.office.name, month=month_label(month, lang))
    if today is not None and today.strftime("%Y-%m") == month:
        day = format_date(today, "d MMMM y", locale=lang)
        return _t("partial", lang, title=title, day=day)
    return title


def _lay_out(sheet: Worksheet, name: str, rows: int) -> None:
    """Widths from the longest value in each column of the table (its `rows` from row 3); real
    dates shown as dates; the header of a table frozen with filters on it, so a head can sort
    and pick."""
    widths: dict[int, int] = {}
    for row in sheet.iter_rows(min_row=3, max_row=2 + rows):
        for c in row:
            if isinstance(c.value, datetime):
                c.number_format = "dd/mm/yyyy hh:mm"
                length = 16
            else:
                length = len(str(c.value)) if c.value is not None else 0
            widths[c.column] = max(widths.get(c.column, 0), length)
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(max(width + 2, 8), 60)
    if name in TABLES:
        for c in sheet[3]:
            c.font = Font(bold=True)
        sheet.freeze_panes = "A4"
        if rows > 1:  # a header and at least one row
            sheet.auto_filter.ref = f"A3:{get_column_letter(sheet.max_column)}{2 + rows}"


def _csv(value: object) -> object:
    return value.strftime("%Y-%m-%d %H:%M") if isinstance(value, datetime) else value


def _charts(report: MonthReport, lang: Lang) -> list[report_charts.Chart]:
    count = _t("count", lang)
    by_category = sorted(report.by_category.items(), key=lambda kv: -kv[1])
    by_channel = sorted(report.by_channel.items(), key=lambda kv: -kv[1])
    share = {
        _t(f"step.{s.step}", lang): round(100 * s.share_within, 1)
        for s in report.sla
        if s.share_within is not None
    }
    return [
        report_charts.Chart(
            "kategori",
            _t("category", lang),
            {label("category", k, lang): v for k, v in by_category},
            count,
            whole=True,
        ),
        report_charts.Chart(
            "kanal",
            _t("channel", lang),
            {label("channel", k, lang): v for k, v in by_channel},
            count,
            whole=True,
        ),
        report_charts.Chart(
            "sla",
            _t("sla.title", lang),
            share,
            _t("sla.share", lang),
            whole=False,
            empty=_t("sla.none", lang) if report.total else None,  # cases, none reached a step
        ),
    ]


def last_month(today: date) -> str:
    first = today.replace(day=1)
    year, month = (first.year, first.month - 1) if first.month > 1 else (first.year - 1, 12)
    return f"{year:04d}-{month:02d}"


def office_last_month(app: App) -> str:
    """Last month as the office's calendar has it now (its time zone, its clock)."""
    return last_month(app.clock().astimezone(ZoneInfo(app.settings.office.timezone)).date())


def send_to_heads(app: App, month: str, key: str, heads: list[int]) -> int:
    """Make the month's files (kept under data_dir/laporan) and queue them to each head's
    private chat (the register book holds personal data: never to a group). Returns how many
    files were queued. `key` makes a repeated request queue nothing twice."""

    settings = app.settings
    staff = {s.telegram_id: s.name for s in settings.staff}
    now = app.clock()
    today = now.astimezone(ZoneInfo(settings.office.timezone)).date()
    paths = write(build(app, month), settings.data_dir / "laporan" / month, settings, staff, today)
    caption = _title(month, settings, today)
    queued = 0
    with app.uows() as uow:
        for head in heads:
            for n, path in enumerate(paths):
                if path.suffix == ".csv":
                    continue  # the same tables as the workbook: kept on disk for other tools
                notify.queue(
                    uow,
                    key=f"{key}:{head}:{n}",
                    recipient=notices.staff(head),
                    kind=notices.Kind.DOCUMENT,
                    now=now,
                    text=caption if n == 0 else "",
                    path=str(path),
                )
                queued += 1
        uow.commit()
    app.wake.set()
    return queued
