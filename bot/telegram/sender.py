"""Outbox senders for Telegram: staff notices (Target.TELEGRAM) and hotline replies
(Target.HOTLINE). Both pace themselves with `SendBudget` and defer (`NotYet`) rather than
provoke a 429; a 429 that still comes is retried after its retry_after.

A conversation's place in the admin group is made on its first post: a forum topic named with
the channel's icon, the client's name and the number (created before the budget check, so a
burst of new conversations is visible in the topic list at once), or in a plain group the first
post itself, which later posts reply to.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import tzinfo
from pathlib import Path

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, ReplyParameters
from telegram.constants import MessageLimit, ParseMode

from bot.telegram.budget import SendBudget
from bot.telegram.gateway import Gateway
from bot.telegram.render import Keyboard, Post, render, split_html, topic_title
from bot.telegram.summary import open_button, summarised
from storage.telegram_maps import TelegramMaps, Topic
from triage.domain import notices
from triage.domain.notices import GENERAL, Kind
from triage.domain.outbox import SEALED_TEXT, OutboxItem, parts
from triage.ports import NotYet, SendError, SendResult
from triage.texts.catalog import Lang, text
from triage.usecases.board import BOARD

log = logging.getLogger(__name__)


def markup(keyboard: Keyboard | None) -> InlineKeyboardMarkup | None:
    if not keyboard:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(label, callback_data=data) for label, data in row]
            for row in keyboard
        ]
    )


def _remote(message: Message) -> SendResult:
    return SendResult(f"{message.chat_id}:{message.message_id}")


class StaffSender:
    """Target.TELEGRAM: recipients "group:<conv>", "group:general" and "staff:<telegram id>"."""

    def __init__(
        self,
        gateway: Gateway,
        maps: TelegramMaps,
        budget: SendBudget,
        *,
        admin_chat_id: int,
        lang: Lang,
        tz: tzinfo,
        unseal: Callable[[str], bytes] | None = None,
        summary: bool = False,
    ) -> None:
        self.unseal = unseal  # opens what is sealed with the office key (a letter, an answer)
        self.summary = summary  # the group sees summaries only (bot.telegram.summary)
        self.gateway = gateway
        self.maps = maps
        self.budget = budget
        self.admin_chat_id = admin_chat_id
        self.lang = lang
        self.tz = tz

    def already_sent(self, item: OutboxItem) -> SendResult | None:
        return None  # the Bot API cannot look a message up: see docs/OUTBOX.md

    def send(self, item: OutboxItem) -> SendResult:
        try:
            return self._deliver(item)
        except SendError as exc:
            if exc.retry_after:  # a 429: the chat rests before anything else goes to it
                staff_id = notices.staff_id_of(item.recipient)
                self.budget.hold(staff_id or self.admin_chat_id, exc.retry_after)
            raise

    def _deliver(self, item: OutboxItem) -> SendResult:
        if item.options.get(SEALED_TEXT):  # opened in memory only, for this send
            item = replace(item, text=self._opened(item.text).decode())
        recipient = item.recipient
        if recipient.startswith("staff:"):
            chat_id = int(recipient.removeprefix("staff:"))
            if item.options.get("kind") == Kind.DOCUMENT:
                return self._document(item, chat_id)
            return self._post(item, chat_id, None, None, group=False)
        if self.summary and (recipient == GENERAL or recipient.startswith("group:")):
            item = summarised(item)
        if recipient == GENERAL:
            return self._post(item, self.admin_chat_id, None, None, group=True)
        if recipient == BOARD:
            return self._board(item)
        if not recipient.startswith("group:"):
            raise SendError(f"unknown Telegram recipient {recipient!r}", transient=False)
        conv_id = int(recipient.removeprefix("group:"))
        if item.options.get("action") == "delete":
            return self._delete_topic(conv_id)
        topic = self._place(item, conv_id)
        if item.options.get("kind") == Kind.TOPIC:
            return self._topic_action(item, topic)
        return self._post(
            item, topic.chat_id, topic.thread_id, topic.header_message_id, group=True, topic=topic
        )

    def _opened(self, sealed: str) -> bytes:
        if self.unseal is None:
            raise SendError("no key to open a sealed text", transient=False)
        try:
            return self.unseal(sealed)
        except ValueError:  # sealed with a key no longer held: retrying cannot help
            raise SendError(
                "sealed content cannot be opened with the key", transient=False
            ) from None

    def _document(self, item: OutboxItem, chat_id: int) -> SendResult:
        """A file for one staff member (the monthly report, a referral letter). A sealed file
        is opened in memory only. A file gone from disk (erased) is a permanent failure, shown
        to staff like any other."""
        path = Path(item.options.get("path", ""))
        if not path.is_file():
            raise SendError(f"file {path.name} is no longer there", transient=False)
        name = path.name
        if item.options.get("sealed"):
            content: bytes = self._opened(path.read_text(encoding="ascii"))
            name = item.options.get("filename") or name.removesuffix(".sealed")
        else:
            content = path.read_bytes()
        self._wait(chat_id, group=False)
        message = self.gateway.call(
            self.gateway.bot.send_document(
                chat_id, document=content, filename=name, caption=item.text[:1000] or None
            )
        )
        return _remote(message)

    def _board(self, item: OutboxItem) -> SendResult:
        """The queue board: one post in the admin group, edited in place and pinned. If the
        process dies between sending a new board and remembering it, the next refresh posts
        another one (the old one stays, unedited): the only double this allows."""
        chat = self.admin_chat_id
        post = render(item, self.lang, self.tz)
        self._wait(chat, group=True)
        known = self.maps.board(chat)
        if known is not None:
            try:
                self.gateway.call(
                    self.gateway.bot.edit_message_text(
                        post.text, chat_id=chat, message_id=known, parse_mode=ParseMode.HTML
                    )
                )
                return SendResult(f"{chat}:{known}")
            except SendError as exc:
                said = str(exc).lower()
                if "not modified" in said:
                    return SendResult(f"{chat}:{known}")
                if "not found" not in said and "can't be edited" not in said:
                    raise
        message = self._send(post, chat, None, None)
        self.maps.save_board(chat, message.message_id)
        try:
            self.gateway.call(
                self.gateway.bot.pin_chat_message(
                    chat, message.message_id, disable_notification=True
                )
            )
        except SendError as exc:  # the bot may lack the right to pin: the board still works
            log.warning("papan antrean gagal disematkan (%s)", str(exc)[:100])
        return _remote(message)

    # --- the conversation's place in the admin group -----------------------------------------

    def _place(self, item: OutboxItem, conv_id: int) -> Topic:
        topic = self.maps.topic(conv_id)
        forum = self.gateway.is_forum(self.admin_chat_id)
        if topic is None:
            if not forum:
                return Topic(conv_id, self.admin_chat_id, None, None, False)
            self._wait_topic()
            created = self.gateway.call(
                self.gateway.bot.create_forum_topic(
                    self.admin_chat_id, topic_title(item, self.lang)
                )
            )
            topic = Topic(conv_id, self.admin_chat_id, created.message_thread_id, None, False)
            self.maps.save_topic(topic)
        elif topic.closed and item.options.get("kind") == Kind.CARD and topic.thread_id:
            self._wait_topic()
            self._reopen(topic)
            topic = replace(topic, closed=False)
            self.maps.save_topic(topic)
        return topic

    def _reopen(self, topic: Topic) -> None:
        try:
            self.gateway.call(
                self.gateway.bot.reopen_forum_topic(topic.chat_id, topic.thread_id)  # type: ignore[arg-type]
            )
        except SendError as exc:
            if "TOPIC_NOT_MODIFIED" not in str(exc):
                raise

    def _delete_topic(self, conv_id: int) -> SendResult:
        """Erasure: the conversation's topic goes with every post in it (deleteForumTopic).
        A plain group has no topic to delete: its posts stay (the operator guide says so)."""
        topic = self.maps.topic(conv_id)
        if topic is not None and topic.thread_id is not None:
            self._wait_topic()
            try:
                self.gateway.call(
                    self.gateway.bot.delete_forum_topic(topic.chat_id, topic.thread_id)
                )
            except SendError as exc:
                if "TOPIC_ID_INVALID" not in str(exc):  # deleted by hand already
                    raise
        if topic is not None:
            self.maps.forget_topic(conv_id)
        return SendResult(f"topic-deleted:{conv_id}")

    def _topic_action(self, item: OutboxItem, topic: Topic) -> SendResult:
        if item.options.get("action") == "rename":  # the client answered: their name shows
            return self._rename(item, topic)
        closing = item.options.get("action") == "close"
        if topic.thread_id is not None and topic.closed != closing:
            self._wait_topic()
            bot = self.gateway.bot
            call = bot.close_forum_topic if closing else bot.reopen_forum_topic
            try:
                self.gateway.call(call(topic.chat_id, topic.thread_id))
            except SendError as exc:
                if "TOPIC_NOT_MODIFIED" not in str(exc):
                    raise
        self.maps.save_topic(replace(topic, closed=closing))
        return SendResult(f"{topic.chat_id}:topic:{topic.thread_id}")

    def _rename(self, item: OutboxItem, topic: Topic) -> SendResult:
        if topic.thread_id is not None:
            self._wait_topic()
            name = topic_title(item, self.lang)
            try:
                self.gateway.call(
                    self.gateway.bot.edit_forum_topic(topic.chat_id, topic.thread_id, name=name)
                )
            except SendError as exc:  # the same name, or a topic staff deleted: nothing to do
                if "TOPIC_NOT_MODIFIED" not in str(exc) and "TOPIC_ID_INVALID" not in str(exc):
                    raise
        return SendResult(f"{topic.chat_id}:topic:{topic.thread_id}")

    # --- posts ------------------------------------------------------------------------------

    def _wait(self, chat_id: int | None, *, group: bool) -> None:
        wait = self.budget.take(chat_id, group=group)
        if wait > 0:
            raise NotYet(wait)

    def _wait_topic(self) -> None:
        """A topic's creation, reopening, closing or renaming: the overall window, and the
        group's rest after a 429 (Telegram may count these against the group's minute)."""
        wait = self.budget.resting(self.admin_chat_id) or self.budget.take(None, group=False)
        if wait > 0:
            raise NotYet(wait)

    def _post(
        self,
        item: OutboxItem,
        chat_id: int,
        thread_id: int | None,
        reply_to: int | None,
        *,
        group: bool,
        topic: Topic | None = None,
    ) -> SendResult:
        post: Post = render(item, self.lang, self.tz)
        opening = open_button(item, self.lang) if item.options.get("summary") else None
        if opening is not None:
            post = Post(post.text, [*(post.keyboard or []), opening])
        texts = split_html(post.text, MessageLimit.MAX_TEXT_LENGTH)
        if not texts:
            raise SendError("empty message", transient=False)
        if len(texts) > 1 and not self.budget.fits(chat_id, group=group, count=len(texts)):
            raise NotYet(5.0)  # all the parts must fit in the group's minute: none sent yet
        self._wait(chat_id, group=group)  # nothing sent yet: the item may wait its turn
        remember = item.conversation_id is not None and item.options.get("kind") != Kind.INFO
        first: Message | None = None
        for n, part in enumerate(texts, start=1):  # the buttons go with the last part
            last = n == len(texts)
            if n > 1:
                self.budget.wait_for(chat_id, group=group)
            try:
                message = self._send(
                    Post(part, post.keyboard if last else None), chat_id, thread_id, reply_to
                )
            except SendError as exc:
                if topic is not None and "thread not found" in str(exc).lower():
                    # someone deleted the topic: the next attempt opens a new one
                    self.maps.forget_topic(topic.conversation_id)
                    raise SendError(str(exc), transient=True) from None
                raise
            if remember:
                # a reply to this post goes to its case; a command's answer is linked to a case
                # only so that erasure reaches it, and a reply to it follows the selected case
                self.maps.remember_post(message.chat_id, message.message_id, item.conversation_id)
            first = first or message
        if topic is not None and topic.thread_id is None and topic.header_message_id is None:
            # a plain group: the first post is the conversation's header
            assert first is not None
            self.maps.save_topic(replace(topic, header_message_id=first.message_id))
        return _remote(message)

    def _send(
        self, post: Post, chat_id: int, thread_id: int | None, reply_to: int | None
    ) -> Message:
        return self.gateway.call(
            self.gateway.bot.send_message(
                chat_id,
                post.text,
                parse_mode=ParseMode.HTML,
                message_thread_id=thread_id,
                reply_parameters=(
                    ReplyParameters(reply_to, allow_sending_without_reply=True)
                    if reply_to
                    else None
                ),
                reply_markup=markup(post.keyboard),
            )
        )


class HotlineSender:
    """Target.HOTLINE: a reply to a client in their private chat with the bot (plain text, no
    parse mode, so nothing a client or an admin typed can be taken as markup)."""

    def __init__(self, gateway: Gateway, budget: SendBudget, lang: Lang) -> None:
        self.gateway = gateway
        self.budget = budget
        self.lang = lang

    def already_sent(self, item: OutboxItem) -> SendResult | None:
        return None

    def send(self, item: OutboxItem) -> SendResult:
        chat_id = int(item.recipient)
        wait = self.budget.take(chat_id, group=False)
        if wait > 0:
            raise NotYet(wait)
        keyboard: Keyboard | None = None
        buttons = item.options.get("buttons")
        if buttons in ("consent", "withdraw"):  # the client's answer, as hotline.py takes it
            keyboard = [
                [
                    (text(f"hotline.{buttons}_yes", self.lang), f"{buttons}:yes"),
                    (text(f"hotline.{buttons}_no", self.lang), f"{buttons}:no"),
                ]
            ]
        texts = parts(item.text, MessageLimit.MAX_TEXT_LENGTH)
        for n, part in enumerate(texts, start=1):
            if n > 1:
                self.budget.wait_for(chat_id, group=False)
            message = self.gateway.call(
                self.gateway.bot.send_message(
                    chat_id, part, reply_markup=markup(keyboard) if n == len(texts) else None
                )
            )
        return _remote(message)
