"""/laporan [YYYY-MM]: the month's report files to the head's private chat (last month by
default)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.telegram.commands.registry import HEADS, Command, Request, off_loop
from bot.telegram.render import esc
from triage.domain.model import Role
from triage.texts.catalog import text


def laporan(request: Request) -> str:
    from bot.files import report as report_files  # openpyxl and matplotlib: only when asked

    app, lang, actor = request.desk.app, request.lang, request.actor
    if actor.role is not Role.HEAD:
        return text("staff.report_head_only", lang)
    today = app.clock().astimezone(ZoneInfo(app.settings.office.timezone)).date()
    month = request.arg.strip() or report_files.last_month(today)
    if not report_files.MONTH.fullmatch(month):
        return text("staff.report_usage", lang)
    named = esc(report_files.month_label(month, lang))
    if report_files.not_yet(month, today):
        return text("report.not_yet", lang, month=named)
    files = report_files.send_to_heads(app, month, f"report:{request.key}", [actor.staff_id])
    return text("staff.report_sent", lang, month=named, files=files)


COMMANDS = [Command("laporan", off_loop(laporan, "report"), HEADS)]
