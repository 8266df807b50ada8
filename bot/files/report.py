"""The monthly report's files: XLSX (openpyxl) with the summary, the
register book and SLA compliance; the same tables as CSV (UTF-8 with a BOM, so spreadsheet
programs read it right); PNG charts (matplotlib). In the office's language."""

from __future__ import annotations

import csv
import re
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

import matplotlib

from triage.domain import notices
from triage.effects import notify

matplotlib.use("Agg")  # files only, no display

import matplotlib.pyplot as plt  # noqa: E402
from openpyxl import Workbook  # noqa: E402
from openpyxl.styles import Font  # noqa: E402

from bot.app import App  # noqa: E402
from bot.config.roster import timer_setup
from bot.config.settings import Settings
from bot.files.cells import cell
from triage.domain.referral import TARGETS
from triage.domain.reports import UNKNOWN, MonthReport, age_labels, month_report
from triage.domain.survey import QUESTIONS, SurveyResult, summarise
from triage.domain.triage_checks import accuracy
from triage.texts.catalog import Lang, text

MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")  # "2026-11": what --month and /laporan take


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
    survey = summarise(asked, answered)
    return month_report(month, rows, timers.targets, timers.calendar, survey, checks)


def _t(key: str, lang: Lang, **values: object) -> str:
    return text(f"report.{key}", lang, **values)


def summary_rows(report: MonthReport, lang: Lang) -> list[list[object]]:
    rows: list[list[object]] = [[_t("total", lang), report.total]]
    sections = (
        ("channel", report.by_channel, None),
        ("category", report.by_category, None),
        ("gender", report.by_gender, None),
        ("age", report.by_age, age_labels()),
        ("outcome", report.by_outcome, None),
    )
    for name, counts, order in sections:
        rows.append([])
        rows.append([_t(name, lang), _t("count", lang)])
        for key in order or sorted(counts):
            if key in counts or order:
                rows.append([key, counts.get(key, 0)])
    rows += [[], [_t("urgent", lang), report.urgent], [_t("referrals", lang), report.referrals]]
    for target in TARGETS:
        if target in report.by_referral:
            rows.append([text(f"referral.target.{target}", lang), report.by_referral[target]])
    if UNKNOWN in report.by_referral:  # referred before targets were recorded
        rows.append([f"{_t('referrals', lang)}: {UNKNOWN}", report.by_referral[UNKNOWN]])
    return rows + survey_rows(report.survey, lang)


def survey_rows(result: SurveyResult | None, lang: Lang) -> list[list[object]]:
    """The satisfaction survey's section of the summary (SKM: mean score per question, the
    index 25–100 and its grade)."""
    if result is None:
        return []
    rate = result.response_rate
    rows: list[list[object]] = [
        [],
        [_t("survey", lang), _t("count", lang)],
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
            r.opened_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
            r.client_name,
            r.answers.get("usia") or "",
            r.answers.get("jenis_kelamin") or "",
            r.answers.get("domisili") or "",
            r.channel,
            r.category or "lainnya",
            "ya" if r.urgent else "",
            r.state,
            r.outcome or "",
            text(f"referral.target.{r.referral_target}", lang) if r.referral_target else "",
            staff.get(r.counselor_id, "") if r.counselor_id else "",
        ]
        for n, r in enumerate(report.register, start=1)
    ]
    return [head, *body]


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
    rows += [[level, right, of] for level, (right, of) in found.by_level.items()]
    return rows


def sla_rows(report: MonthReport, lang: Lang) -> list[list[object]]:
    head = [
        _t(f"sla.{c}", lang)
        for c in ("step", "target", "cases", "within", "share", "median", "p90")
    ]
    body = [
        [
            _t(f"step.{s.step}", lang),
            s.target_minutes,
            s.measured,
            s.within,
            round(100 * s.share_within, 1) if s.share_within is not None else "",
            s.median_minutes if s.median_minutes is not None else "",
            s.p90_minutes if s.p90_minutes is not None else "",
        ]
        for s in report.sla
    ]
    return [head, *body]


def write(report: MonthReport, out: Path, settings: Settings, staff: dict[int, str]) -> list[Path]:
    """Every file of the month's report into `out`; returns their paths."""
    lang: Lang = settings.language  # type: ignore[assignment]
    zone = ZoneInfo(settings.office.timezone)
    out.mkdir(parents=True, exist_ok=True)
    tables = {
        "ringkasan": summary_rows(report, lang),
        "buku-register": register_rows(report, lang, zone, staff),
        "sla": sla_rows(report, lang),
        "ketepatan-triase": triage_rows(report, lang),
    }
    paths = []
    book = Workbook()
    book.remove(book.active)
    title = _t("title", lang, office=settings.office.name, month=report.month)
    for name, table in tables.items():
        rows = [[cell(value) for value in row] for row in table]  # client text stays text
        sheet = book.create_sheet(_t(f"sheet.{name}", lang))
        sheet.append([cell(title)])
        sheet["A1"].font = Font(bold=True)
        sheet.append([])
        for row in rows:
            sheet.append(row)
        path = out / f"laporan-{report.month}-{name}.csv"
        with path.open("w", newline="", encoding="utf-8-sig") as handle:
            csv.writer(handle).writerows(rows)
        paths.append(path)
    xlsx = out / f"laporan-{report.month}.xlsx"
    book.save(xlsx)
    paths.insert(0, xlsx)
    paths += _charts(report, out, lang, title)
    return paths


def _bar(path: Path, title: str, counts: dict[str, float], xlabel: str) -> Path:
    labels = list(counts)
    fig, ax = plt.subplots(figsize=(8, max(3.0, 0.45 * len(labels) + 1.5)), dpi=110)
    ax.barh(labels, [counts[k] for k in labels], color="#2b7a78")
    ax.invert_yaxis()
    ax.set_xlim(0, max([*counts.values(), 1]) * 1.15)  # room for the figures at the bars' ends
    ax.set_title(title, fontsize=11)
    ax.set_xlabel(xlabel)
    for y, value in enumerate(counts[k] for k in labels):
        ax.text(value, y, f" {value:g}", va="center", fontsize=9)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def _charts(report: MonthReport, out: Path, lang: Lang, title: str) -> list[Path]:
    count = _t("count", lang)
    by_category = dict(sorted(report.by_category.items(), key=lambda kv: -kv[1]))
    share = {
        _t(f"step.{s.step}", lang): round(100 * s.share_within, 1)
        for s in report.sla
        if s.share_within is not None
    }
    return [
        _bar(
            out / f"laporan-{report.month}-kategori.png",
            f"{title}\n{_t('category', lang)}",
            by_category,
            count,
        ),  # fmt: skip
        _bar(
            out / f"laporan-{report.month}-kanal.png",
            f"{title}\n{_t('channel', lang)}",
            dict(report.by_channel),
            count,
        ),  # fmt: skip
        _bar(
            out / f"laporan-{report.month}-sla.png",
            f"{title}\n{_t('sla.title', lang)}",
            share,
            _t("sla.share", lang),
        ),  # fmt: skip
    ]


def last_month(today: date) -> str:
    first = today.replace(day=1)
    year, month = (first.year, first.month - 1) if first.month > 1 else (first.year - 1, 12)
    return f"{year:04d}-{month:02d}"


def send_to_heads(app: App, month: str, key: str, heads: list[int]) -> int:
    """Make the month's files (kept under data_dir/laporan) and queue them to each head's
    private chat (the register book holds personal data: never to a group). Returns how many
    files were queued. `key` makes a repeated request queue nothing twice."""

    settings = app.settings
    staff = {s.telegram_id: s.name for s in settings.staff}
    paths = write(build(app, month), settings.data_dir / "laporan" / month, settings, staff)
    now = app.clock()
    lang: Lang = settings.language  # type: ignore[assignment]
    caption = _t("title", lang, office=settings.office.name, month=month)
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
