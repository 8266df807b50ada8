"""Who joins the admin group: the group sees every client's intake, so each new member is told
to the heads in private, and loudly when the member is not in `[[staff]]`. Telegram sends these
`chat_member` updates only to a bot that is an administrator of the group and asks for them
(runtime.py's `allowed_updates`)."""

from __future__ import annotations

import html

from telegram import ChatMember, Update
from telegram.ext import ChatMemberHandler, ContextTypes

from bot.telegram.desk import Desk
from triage.domain import notices
from triage.texts.catalog import text

OUT = {ChatMember.LEFT, ChatMember.BANNED}


class Membership:
    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    def handler(self) -> ChatMemberHandler:
        return ChatMemberHandler(self.on_change, ChatMemberHandler.CHAT_MEMBER)

    async def on_change(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        change = update.chat_member
        if change is None or change.chat.id != self.desk.admin_chat_id:
            return
        was, now = change.old_chat_member.status, change.new_chat_member.status
        if was not in OUT or now in OUT:
            return  # only a join (a promotion or a leave is not a new pair of eyes)
        user = change.new_chat_member.user
        known = self.desk.staff.get(user.id)
        by = change.from_user
        values = {
            "name": html.escape(user.full_name or "?"),
            "id": user.id,
            "by": html.escape(by.full_name if by and by.id != user.id else "-"),
        }
        key = "tg.member_joined_staff" if known is not None else "tg.member_joined_stranger"
        body = text(key, self.desk.lang, **values)
        for head in self.desk.staff.heads:
            await self.desk.tell(
                f"member:{change.chat.id}:{user.id}:{update.update_id}:{head}",
                notices.staff(head),
                body,
            )
