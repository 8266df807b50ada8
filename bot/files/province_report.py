"""The provincial heads' monthly report: each office's figures side by side and added up
(clients, urgent cases, referrals, categories, the share within each SOP target). Counts only:
no name, no register row, no case (bot/config/province.py)."""

from __future__ import annotations

import csv
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.styles import Font

from bot.files.cells import cell
from bot.files.report import label, month_label
from triage.domain.reports import MonthReport
from triage.texts.catalog import Lang, text

if TYPE_CHECKING:
    from bot.service.offices import Offices

log = logging.getLogger("puspaga")


def _t(key: str, lang: Lang, **values: object) -> str:
    return text(f"report.{key}", lang, **values)


def rows(reports: list[tuple[str, MonthReport]], lang: Lang) -> list[list[object]]:
    """One row an office and the province's total; the SLA share over every office's cases."""
    categories = sorted({code for _, r in reports for code in r.by_category})
    steps = [s.step for s in reports[0][1].sla] if reports else []
    head: list[object] = [
        text("province.report.office", lang), _t("total", lang), _t("urgent", lang),
        _t("referrals", lang), *(label("category", c, lang) for c in categories),
        *(f"{_t(f'step.{step}', lang)}: {_t('sla.share', lang)}" for step in steps),
    ]  # fmt: skip
    body: list[list[object]] = []
    within = {step: [0, 0] for step in steps}
    for name, report in reports:
        shares: list[object] = []
        for step in steps:
            got = next((s for s in report.sla if s.step == step), None)
            if got is not None:
                within[step][0] += got.within
                within[step][1] += got.measured
            share = got.share_within if got is not None else None
            shares.append(round(100 * share, 1) if share is not None else "")
        body.append([name, report.total, report.urgent, report.referrals,
                     *(report.by_category.get(c, 0) for c in categories), *shares])  # fmt: skip
    total: list[object] = [
        text("province.report.total", lang),
        sum(r.total for _, r in reports), sum(r.urgent for _, r in reports),
        sum(r.referrals for _, r in reports),
        *(sum(r.by_category.get(c, 0) for _, r in reports) for c in categories),
        *(round(100 * w / m, 1) if m else "" for w, m in within.values()),
    ]  # fmt: skip
    return [head, *body, total]


def write(reports: list[tuple[str, MonthReport]], out: Path, province: str, month: str,
          lang: Lang) -> list[Path]:  # fmt: skip
    """The XLSX (one sheet) and its CSV into `out`; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    table = rows(reports, lang)
    title = _t("title", lang, office=province, month=month_label(month, lang))
    book = Workbook()
    sheet = book.active
    sheet.title = text("province.report.sheet", lang)
    sheet.append([cell(title)])
    sheet["A1"].font = Font(bold=True)
    sheet.append([])
    for row in table:
        sheet.append([cell(value) for value in row])
    xlsx = out / f"provinsi-{month}.xlsx"
    book.save(xlsx)
    path = out / f"provinsi-{month}.csv"
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        csv.writer(handle).writerows(table)
    return [xlsx, path]


def send_to_heads(offices: Offices, month: str, key: str, to: list[int] | None = None) -> int:
    """The month's province figures, made from every office running now, kept under the
    reporting office's data_dir/laporan and queued (sealed, once per `key`) to the provincial
    heads' private chats with its bot. An office not running yet is named in the caption, not
    counted. `to`: some of the heads only (one who asked). Returns how many heads it was queued
    to (0 when no office reports)."""
    from bot.files import report as report_files
    from bot.files import sealed

    host = offices.app(offices.province.report_office)
    province = offices.province
    if host is None or not province.heads:
        return 0
    reports, missing = [], [offices.names[k] for k in offices.names if offices.app(k) is None]
    for key, app in offices.started():
        try:
            reports.append((app.settings.office.name, report_files.build(app, month)))
        except Exception as exc:  # noqa: BLE001 - its database away: named, the others counted
            log.error("angka kantor %s untuk laporan provinsi gagal dibaca (%s)", key,
                      type(exc).__name__)  # fmt: skip
            missing.append(offices.names[key])
    made = write(reports, host.settings.data_dir / "laporan" / month, province.name, month,
                 province.lang)  # fmt: skip
    caption = text("province.tg.caption", province.lang, province=province.name,
                   month=month_label(month, province.lang))  # fmt: skip
    if missing:
        caption += "\n" + text("province.tg.missing", province.lang, offices=", ".join(missing))
    return sealed.send(host, made[0].read_bytes(), folder="provinsi", name=made[0].name,
                       caption=caption, to=to or list(province.heads), key=key,
                       now=host.clock())  # fmt: skip
