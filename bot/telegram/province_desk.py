"""The provincial heads (a province file's `role = "provinsi"`) in their private chat with the
reporting office's bot: they get the province's figures added up over the offices, never a
case, and nothing they write is taken for a client's message."""

from __future__ import annotations

from telegram import Message, User

from bot.files import province_report
from bot.files import report as report_files
from bot.telegram.desk import Desk
from bot.telegram.parsing import command_of
from triage.domain import notices
from triage.texts.catalog import text

ASKS = frozenset({"laporan", "laporan_provinsi", "report"})


def is_provincial_head(desk: Desk, user_id: int) -> bool:
    offices = desk.app.offices
    return offices is not None and offices.tells_province(desk.app) and (
        user_id in offices.province.heads)  # fmt: skip


async def on_message(desk: Desk, message: Message, user: User) -> None:
    """/laporan [YYYY-MM] (last month by default): the province's file to this head; anything
    else: what they may ask."""
    offices = desk.app.offices
    lang = offices.province.lang
    key = f"tg:{message.chat_id}:{message.message_id}"
    where = notices.staff(user.id)
    command = command_of(message)
    if command is None or command[0] not in ASKS:
        said = text("province.tg.help", lang, name=offices.province.heads.get(user.id, ""))
        await desk.tell(f"{key}:help", where, said)
        return
    words = command[1].split()
    month = words[0] if words else report_files.office_last_month(desk.app)
    if not report_files.MONTH.fullmatch(month):
        await desk.tell(f"{key}:month", where, text("report.month_form", lang))
        return
    await desk.run(province_report.send_to_heads, offices, month, f"province:{key}",
                   to=[user.id])  # fmt: skip
    desk.wake()
