"""The staff side: admins in the forum group (topics, replies, commands, the card's buttons) and
counselors (and the head) in their private chat with the bot (offers, the selected case).

Which conversation a staff message is about comes from its topic, the bot post it replies to,
or the case the counselor selected; the core checks every permission again. Each request
carries its Telegram key, so an update handled twice (after a crash) acts once.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from telegram import CallbackQuery, Message

from bot.telegram import kept_files, staff_ops
from bot.telegram.commands.registered import REGISTRY
from bot.telegram.commands.registry import Registry, Request
from bot.telegram.desk import Desk
from bot.telegram.parsing import (
    Button,
    button_of,
    command_of,
    resend_of,
    split_internal,
)
from triage.domain import access, notices
from triage.domain.errors import AccessDenied, NotFound
from triage.domain.model import Actor, Outcome
from triage.texts.catalog import text
from triage.usecases.assessment import confirm_assessment
from triage.usecases.dispatch import resend
from triage.usecases.inbox import open_privately
from triage.usecases.replies import add_note, reply_to_client


class StaffSide:
    def __init__(
        self, desk: Desk, *, sign_with_name: bool = False, registry: Registry = REGISTRY
    ) -> None:
        self.desk = desk
        self.registry = registry
        self.sign_with_name = sign_with_name  # replies go out as the office unless configured

    # --- where a message belongs ----------------------------------------------------------

    def conversation_in_group(self, message: Message) -> int | None:
        maps = self.desk.maps
        if message.is_topic_message and message.message_thread_id:
            conv = maps.conversation_of_thread(message.chat_id, message.message_thread_id)
            if conv is not None:
                return conv
        reply = message.reply_to_message
        if reply is not None:
            return maps.conversation_of_post(message.chat_id, reply.message_id)
        return None

    def conversation_in_private(self, actor: Actor, message: Message) -> int | None:
        """The case a reply answers (and selected from now on, if it is the actor's), else the
        case the actor selected."""
        maps = self.desk.maps
        reply = message.reply_to_message
        if reply is not None:
            conv = maps.conversation_of_post(message.chat_id, reply.message_id)
            if conv is not None:
                found = staff_ops.load(self.desk, conv)
                if found is not None and access.may_reply(actor, found):
                    maps.set_focus(actor.staff_id, conv)
                return conv
        return maps.focus(actor.staff_id)

    # --- messages ---------------------------------------------------------------------------

    async def on_message(
        self, actor: Actor, message: Message, conv: int | None, where: str, key: str
    ) -> None:
        command = command_of(message)
        if command is not None:
            await self.command(actor, command, conv, where, key)
        elif conv is None:
            if where.startswith("staff:"):  # in the group: staff talking among themselves
                await self.desk.tell(f"{key}:where", where, text("staff.no_case", self.desk.lang))
        else:
            await self.write(actor, conv, message, where, key)

    async def write(self, actor: Actor, conv: int, message: Message, where: str, key: str):
        desk = self.desk
        if desk.summary:  # what is said back may name a file or the client: not in the group
            where = notices.staff(actor.staff_id)
        body = message.text or message.caption or ""
        if message.effective_attachment is not None:
            if kept_files.offline(desk, conv):  # a paper the case came with: kept sealed
                try:
                    said = await kept_files.keep(desk, actor, conv, message, key)
                except staff_ops.REFUSALS as exc:
                    await staff_ops.refuse(desk, exc, conv, where, key)
                    return
                await desk.tell(f"{key}:kept", where, said, conv=conv)
                return
            await desk.tell(f"{key}:text-only", where, text("staff.text_only", desk.lang))
            if not body:
                return
        public, internal = split_internal(body)
        try:
            if internal:
                await desk.run(
                    staff_ops.write, desk, add_note, actor, conv, internal, f"note:{key}"
                )
            if public:
                if self.sign_with_name and actor.name:
                    public = f"{public}\n\n— {actor.name}"
                done = await desk.run(
                    staff_ops.write, desk, reply_to_client, actor, conv, public, key
                )
                if done.outbox_id == 0 and not done.duplicate:  # a client met offline: a note
                    said = text("staff.offline_note", desk.lang)
                    await desk.tell(f"offline-note:{conv}", where, said, conv=conv)  # once
                if done.later is not None:  # the client's safe hours (/kontak)
                    zone = ZoneInfo(desk.app.settings.office.timezone)
                    when = done.later.astimezone(zone).strftime("%d-%m-%Y %H.%M")
                    said = text("staff.contact_later", desk.lang, when=when)
                    await desk.tell(f"{key}:later", where, said, conv=conv)
        except staff_ops.REFUSALS as exc:
            await staff_ops.refuse(desk, exc, conv, where, key)
            return
        desk.wake()

    async def command(
        self, actor: Actor, command: tuple[str, str], conv: int | None, where: str, key: str
    ) -> None:
        """One staff command, done by its function in bot/telegram/commands/ (an unknown one
        gets the writer's /bantuan)."""
        name, arg = command
        found = self.registry.get(name) or self.registry.get("bantuan")
        assert found is not None
        await found.run(Request(self.desk, self.registry, actor, name, arg, conv, where, key))

    # --- buttons ------------------------------------------------------------------------------

    async def on_button(self, actor: Actor, query: CallbackQuery) -> str:
        """Act on a tapped button; returns the short answer shown to the staff member."""
        desk, lang = self.desk, self.desk.lang
        item = resend_of(query.data or "")
        if item is not None:
            return await self._resend(actor, item)
        button: Button | None = button_of(query.data or "")
        if button is None:
            return ""
        conv = button.conv
        current = await desk.run(staff_ops.load, desk, conv)
        if current is None:
            return text("staff.no_case", lang)
        if button.round is not None and button.round != current.round:
            return text("staff.old_button", lang, conv=conv)
        private = query.message is not None and query.message.chat.type == "private"
        where = notices.staff(actor.staff_id) if private or desk.summary else notices.group(conv)
        key = f"cb:{query.id}"
        try:
            if button.action == "open":  # minimal disclosure: the story, to this admin only
                app = desk.app
                await desk.run(lambda: open_privately(conv, actor=actor, uow_factory=app.uows,
                                                      now=app.clock(), key=key))  # fmt: skip
                desk.maps.set_focus(actor.staff_id, conv)  # a message without a reply goes here
                desk.wake()
                return text("staff.opened_private", lang)
            if button.action == "form":
                card = await desk.run(staff_ops.identity_card, desk, actor, conv)
                await desk.tell(f"{key}:id", where, card, conv=conv)
                return text("staff.done", lang)
            if button.action == "confirm":  # triage's reading confirmed at closing
                app = desk.app
                done = await desk.run(
                    lambda: confirm_assessment(
                        conv, actor=actor, uow_factory=app.uows, now=app.clock()
                    )
                )
                return text("staff.triage_confirmed" if done else "staff.triage_already", lang)
            if button.outcome is Outcome.RUJUKAN:  # a referral needs where to: the command
                await desk.tell(f"{key}:refer", where, text("staff.refer_usage", lang))
                return text("staff.refer_how", lang)
            what = {"handoff": "hand_off", "claim": "claim", "urgent": "urgent", "close": "close"}
            await desk.run(
                staff_ops.transition, desk, what[button.action], actor, conv, key, button.outcome
            )
        except staff_ops.REFUSALS as exc:
            return await desk.run(staff_ops.why, desk, exc, conv)
        if button.action == "handoff":
            await staff_ops.warn_if_nobody(desk, where, key, conv)
        desk.wake()
        if button.action == "claim":
            return text("staff.claimed", lang, conv=conv)
        return text("staff.done", lang)

    async def _resend(self, actor: Actor, item_id: int) -> str:
        """The button on a notice of a message that failed for good: due again now."""
        desk, app = self.desk, self.desk.app
        try:
            again = await desk.run(
                lambda: resend(item_id, actor=actor, uow_factory=app.uows, now=app.clock())
            )
        except AccessDenied:
            return text("staff.resend_denied", desk.lang)
        except NotFound:
            return text("staff.resend_stale", desk.lang)
        if not again:
            return text("staff.resend_stale", desk.lang)
        desk.wake()
        return text("staff.resent", desk.lang)
