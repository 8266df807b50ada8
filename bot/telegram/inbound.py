"""What arrives from Telegram, sorted by who is acting and where: a client in a private chat
(the hotline), staff in the admin group, staff in their private chat, a tapped button.

Staff are the configured Telegram ids; everyone else is a client and never reaches a staff
action. A handler that fails on bad input answers the staff member and finishes the update;
one that fails because the database or Telegram is away raises, and the polling loop hands the
update over again later (runtime.py).
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Awaitable, Callable
from pathlib import Path

from telegram import CallbackQuery, Update
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError
from telegram.ext import Application, CallbackQueryHandler, ContextTypes, MessageHandler, filters

from bot.app import App
from bot.telegram import province_desk
from bot.telegram.desk import Desk
from bot.telegram.hotline import Hotline
from bot.telegram.membership import Membership
from bot.telegram.parsing import command_of
from bot.telegram.staff_directory import StaffDirectory
from bot.telegram.staff_side import StaffSide
from storage.db import is_database_outage
from storage.telegram_maps import TelegramMaps
from triage.domain import notices
from triage.domain.model import Channel
from triage.texts.catalog import Lang, text

log = logging.getLogger(__name__)


def is_outage(exc: BaseException) -> bool:
    """The database or Telegram is away (worth handling the same update again later, however
    long it takes), as opposed to a request Telegram refused or a bug."""
    if isinstance(exc, BadRequest | Forbidden | InvalidToken):  # NetworkError's subclasses
        return False
    if isinstance(exc, NetworkError | ConnectionError | TimeoutError):
        return True
    return is_database_outage(exc)


class TelegramInbound:
    def __init__(
        self,
        app: App,
        maps: TelegramMaps,
        staff: StaffDirectory,
        *,
        admin_chat_id: int,
        lang: Lang,
        wake: Callable[[], None],
        media_dir: Path,
        max_media_bytes: int,
        greeting: Callable[[], str],
        sign_with_name: bool = False,
    ) -> None:
        summary = app.settings.consent.group_view == "ringkas"  # bot.telegram.summary
        self.desk = Desk(app, maps, staff, admin_chat_id, lang, wake, summary)
        self.hotline = Hotline(
            self.desk, media_dir=media_dir, max_media_bytes=max_media_bytes, greeting=greeting
        )
        self.staff_side = StaffSide(self.desk, sign_with_name=sign_with_name)
        self.membership = Membership(self.desk)

    @property
    def staff(self) -> StaffDirectory:
        return self.desk.staff

    def install(self, application: Application) -> None:
        application.add_handler(self.membership.handler())
        application.add_handler(CallbackQueryHandler(self.on_button))
        application.add_handler(
            MessageHandler(
                filters.Chat(self.desk.admin_chat_id) & ~filters.StatusUpdate.ALL, self.on_group
            )
        )
        application.add_handler(
            MessageHandler(filters.ChatType.PRIVATE & ~filters.StatusUpdate.ALL, self.on_private)
        )

    async def _staff_guard(self, where: str, key: str, work: Awaitable[None]) -> None:
        """Bad input from staff gets an answer, not an endless retry; an outage is raised."""
        try:
            await work
        except Exception as exc:
            if is_outage(exc):
                raise
            log.error("permintaan petugas gagal (%s); dijawab: gagal", type(exc).__name__)
            await self.desk.tell(f"{key}:error", where, text("staff.error", self.desk.lang))

    async def on_private(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message, user = update.effective_message, update.effective_user
        if message is None or user is None or user.is_bot:
            return
        actor = self.desk.staff.get(user.id)
        key = f"tg:{message.chat_id}:{message.message_id}"
        if actor is None and self.desk.staff.is_inactive(user.id):  # not a client: say why
            said, where = self._inactive(), notices.staff(user.id)
            await self.desk.tell(f"{key}:inactive", where, said, deactivated="1")
            return
        if actor is None and province_desk.is_provincial_head(self.desk, user.id):
            await province_desk.on_message(self.desk, message, user)  # never a client
            return
        other = self.desk.app.offices.elsewhere(user.id, self.desk.app) if (
            actor is None and self.desk.app.offices is not None) else None  # fmt: skip
        if other is not None:  # staff of another office, or a provincial head: never a client
            said = text("tg.other_office_bot", self.desk.lang, office=html.escape(other),
                        here=html.escape(self.desk.app.settings.office.name))  # fmt: skip
            await self.desk.tell(f"{key}:other-office", notices.staff(user.id), said)
            return
        if actor is None and self._hotline_elsewhere() and not await self.desk.run(
                self._known_here, user.id):  # fmt: skip
            said = self._elsewhere_text()  # a new client: sent on, nothing stored here
            await self.desk.tell(f"{key}:elsewhere", notices.staff(user.id), said)
            return
        if actor is None:
            await self.hotline.on_message(message, user, edited=update.edited_message is not None)
            return
        where = notices.staff(actor.staff_id)
        if update.edited_message is not None:
            await self.desk.tell(f"{key}:edit:{message.edit_date}", where, self._edits_note())
            return
        conv = await self.desk.run(self.staff_side.conversation_in_private, actor, message)
        await self._staff_guard(
            where, key, self.staff_side.on_message(actor, message, conv, where, key)
        )

    async def on_group(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message, user = update.effective_message, update.effective_user
        if message is None:
            return
        conv = await self.desk.run(self.staff_side.conversation_in_group, message)
        where = notices.group(conv) if conv is not None else notices.GENERAL
        key = f"tg:{message.chat_id}:{message.message_id}"
        if message.sender_chat is not None and message.sender_chat.id == message.chat_id:
            if conv is not None:  # an admin writing anonymously: we cannot tell who
                await self.desk.tell(f"{key}:anon", where, text("staff.anonymous", self.desk.lang))
            return
        if user is None or user.is_bot:
            return
        actor = self.desk.staff.get(user.id)
        if actor is None:
            if command_of(message) is not None or (
                conv is not None and self.desk.staff.is_inactive(user.id)
            ):  # a deactivated member writing in a topic: nothing reaches the client
                inactive = self.desk.staff.is_inactive(user.id)
                said = self._inactive() if inactive else text("staff.not_staff", self.desk.lang)
                await self.desk.tell(f"{key}:refuse", where, said)
            return  # a non-staff member's chatter in the admin group is not ours to act on
        if update.edited_message is not None:
            if conv is not None:
                await self.desk.tell(f"{key}:edit:{message.edit_date}", where, self._edits_note())
            return
        await self._staff_guard(
            where, key, self.staff_side.on_message(actor, message, conv, where, key)
        )

    def _hotline_elsewhere(self) -> bool:
        """Another office's bot is the province's hotline: this one is for staff only."""
        offices = self.desk.app.offices
        districts = offices.districts if offices is not None else None
        return districts is not None and districts.hub != self.desk.app.office_key

    def _known_here(self, user_id: int) -> bool:
        """A client who wrote to this office's own bot before the hotline was shared."""
        with self.desk.app.uows() as uow:
            return uow.contacts.find(Channel.HOTLINE, str(user_id)) is not None

    def _elsewhere_text(self) -> str:
        app = self.desk.app
        hub = app.offices.app(app.offices.districts.hub)
        phone = f" ({hub.settings.office.phone})" if hub and hub.settings.office.phone else ""
        name = app.offices.names[app.offices.districts.hub]
        return text("hotline.shared_elsewhere", self.desk.lang,
                    office=html.escape(app.settings.office.name), hub=html.escape(name),
                    phone=html.escape(phone))  # fmt: skip

    def _inactive(self) -> str:
        return text("staff.inactive", self.desk.lang)

    def _edits_note(self) -> str:
        return text("staff.edit_not_sent", self.desk.lang)

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None or query.from_user is None:
            return
        user = query.from_user
        actor = self.desk.staff.get(user.id)
        data = query.data or ""
        if actor is None:
            if data in ("consent:yes", "consent:no"):
                await self.hotline.on_consent(query.id, user, data == "consent:yes")
                await _answer(query)
            elif data in ("withdraw:yes", "withdraw:no"):
                await self.hotline.on_withdraw(query.id, user, data == "withdraw:yes")
                await _answer(query)
            else:
                inactive = self.desk.staff.is_inactive(user.id)
                said = self._inactive() if inactive else text("staff.not_staff", self.desk.lang)
                await _answer(query, said, alert=True)
            return
        try:
            answer = await self.staff_side.on_button(actor, query)
        except Exception as exc:
            if is_outage(exc):
                raise
            log.error("tombol gagal diproses (%s); dijawab: gagal", type(exc).__name__)
            answer = text("staff.error", self.desk.lang)
        alert = bool(answer) and answer != text("staff.done", self.desk.lang)
        await _answer(query, answer, alert=alert)


async def _answer(query: CallbackQuery, markup: str = "", *, alert: bool = False) -> None:
    """The small notice under a button. Best effort: a late answer (the query is too old
    after a restart) must not keep the update from being finished."""
    try:
        await query.answer(_plain(markup) or None, show_alert=alert)
    except BadRequest:
        log.info("jawaban tombol terlambat untuk Telegram")


def _plain(markup: str) -> str:
    """Callback answers are plain text (no parse mode), at most 200 characters."""
    return html.unescape(re.sub(r"<[^>]+>", "", markup))[:200]
