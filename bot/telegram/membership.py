"""Who joins the admin group: the group sees every client's intake, so each new member is told
to the heads in private, and loudly when the member is not in `[[staff]]`. Telegram sends these
`chat_member` updates only to a bot that is an administrator of the group and asks for them
(runtime.py's `allowed_updates`)."""

from __future__ import annotations

import html
import logging

from telegram import ChatMember, Update
from telegram.ext import ChatMemberHandler, ContextTypes

from bot.telegram.desk import Desk
from triage.domain import notices
from triage.texts.catalog import text

INSIDE = {ChatMember.MEMBER, ChatMember.ADMINISTRATOR, ChatMember.OWNER}
log = logging.getLogger(__name__)


def inside(member: ChatMember) -> bool:
    """In the group, reading it: a restricted member too (`is_member`), not one who left."""
    return member.status in INSIDE or bool(getattr(member, "is_member", False))


class Membership:
    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    def handler(self) -> ChatMemberHandler:
        return ChatMemberHandler(self.on_change, ChatMemberHandler.CHAT_MEMBER)

    async def on_change(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        change = update.chat_member
        if change is None or change.chat.id != self.desk.admin_chat_id:
            return
        if inside(change.old_chat_member) or not inside(change.new_chat_member):
            return  # only a join (a promotion or a leave is not a new pair of eyes)
        user = change.new_chat_member.user
        known = self.desk.staff.get(user.id)
        by = change.from_user
        how = (
            text("tg.member_added_by", self.desk.lang, by=html.escape(by.full_name))
            if by and by.id != user.id
            else text("tg.member_by_link", self.desk.lang)
        )
        values = {"name": html.escape(user.full_name or "?"), "id": user.id, "how": how}
        key = "tg.member_joined_staff" if known is not None else "tg.member_joined_stranger"
        body = text(key, self.desk.lang, **values)
        if not self.desk.staff.heads:
            log.warning(
                "anggota baru di grup admin; tidak ada ketua di [[staff]] untuk diberi tahu"
            )
        for head in self.desk.staff.heads:
            await self.desk.tell(
                f"member:{change.chat.id}:{user.id}:{update.update_id}:{head}",
                notices.staff(head),
                body,
            )
