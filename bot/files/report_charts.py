"""The monthly report's charts, twice: PNG files (matplotlib) to paste into a letter, and the
workbook's own bar charts (openpyxl), which Excel and LibreOffice redraw from the sheet's
figures. Counts are whole numbers on every axis; an empty month says so instead of an empty
plot."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, no display

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402
from openpyxl.chart import BarChart, Reference  # noqa: E402
from openpyxl.styles import Font  # noqa: E402
from openpyxl.workbook import Workbook  # noqa: E402

from bot.files.cells import cell  # noqa: E402


@dataclass(frozen=True)
class Chart:
    name: str  # the PNG file's suffix: laporan-2026-11-<name>.png
    title: str
    values: Mapping[str, float]  # label → value, in the order drawn
    axis: str  # what the values are ("Jumlah", "% dalam target")
    whole: bool  # counts: whole numbers on the axis
    empty: str | None = None  # what to say when there are no values (else the empty month's)


def png(chart: Chart, path: Path, heading: str, no_data: str) -> Path:
    labels = list(chart.values)
    fig, ax = plt.subplots(figsize=(8, max(3.0, 0.45 * len(labels) + 1.5)), dpi=110)
    ax.set_title(f"{heading}\n{chart.title}", fontsize=11)
    if not labels:
        ax.set_axis_off()
        said = chart.empty or no_data
        ax.text(0.5, 0.5, said, ha="center", va="center", fontsize=12, transform=ax.transAxes)
    else:
        ax.barh(labels, [chart.values[k] for k in labels], color="#2b7a78")
        ax.invert_yaxis()
        ax.set_xlim(0, max([*chart.values.values(), 1]) * 1.15)  # room for the figures
        ax.set_xlabel(chart.axis)
        if chart.whole:
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        for y, value in enumerate(chart.values[k] for k in labels):
            ax.text(value, y, f" {value:g}", va="center", fontsize=9)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def sheet(book: Workbook, name: str, heading: str, charts: list[Chart], no_data: str) -> None:
    """A sheet with each chart's figures and, beside them, the chart drawn from them."""
    ws = book.create_sheet(name)
    ws.append([cell(heading)])
    ws["A1"].font = Font(bold=True)
    ws.column_dimensions["A"].width = 44
    ws.column_dimensions["B"].width = 14
    row = 3
    for chart in charts:
        ws.cell(row, 1, cell(chart.title)).font = Font(bold=True)
        if not chart.values:
            ws.cell(row + 1, 1, chart.empty or no_data)
            row += 4
            continue
        ws.cell(row, 2, chart.axis).font = Font(bold=True)
        for n, (label, value) in enumerate(chart.values.items(), start=1):
            ws.cell(row + n, 1, cell(label))
            ws.cell(row + n, 2, value)
        last = row + len(chart.values)
        bars = BarChart()
        bars.type = "bar"  # horizontal: long Indonesian labels stay readable
        bars.title = chart.title
        bars.legend = None
        bars.add_data(Reference(ws, min_col=2, min_row=row, max_row=last), titles_from_data=True)
        bars.set_categories(Reference(ws, min_col=1, min_row=row + 1, max_row=last))
        bars.x_axis.scaling.orientation = "maxMin"  # the first label on top, as in the table
        bars.x_axis.delete = False  # openpyxl hides both axes unless told
        bars.y_axis.delete = False
        bars.y_axis.title = chart.axis
        bars.y_axis.scaling.min = 0
        if chart.whole:
            top = max(chart.values.values())
            bars.y_axis.majorUnit = max(1, -(-top // 10))  # whole steps, at most ten of them
            bars.y_axis.number_format = "0"
        bars.width, bars.height = 16, max(6.0, 0.7 * len(chart.values) + 3)
        ws.add_chart(bars, f"D{row}")
        row = max(last + 2, row + int(bars.height * 2) + 2)  # the next chart below this one
