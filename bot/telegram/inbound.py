"""What arrives from Telegram, turned into use cases: the hotline (clients in private chats), the
admin group (topics, replies, commands, buttons) and the counselors' private chats.

Handlers only translate: who is acting (staff by configured id, everyone else a client), which
conversation (topic, replied-to post, or the selected case), and what they asked. The core
checks every permission again. Every answer goes through the outbox; only callback answers
(the small notice under a button) are direct.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable
from pathlib import Path

from telegram import Message, Update, User
from telegram.ext import Application, CallbackQueryHandler, ContextTypes, MessageHandler, filters

from bot.telegram.render import esc
from bot.telegram.staff_directory import StaffDirectory
from bot.wiring import App
from storage.telegram_maps import TelegramMaps
from triage import casework, notices
from triage.catalog import Lang, text
from triage.errors import AccessDenied, NotFound, TransitionNotAllowed
from triage.ingest import ingest
from triage.model import Actor, Attachment, Channel, InboundMessage, Outcome, Role, State
from triage.notices import Kind
from triage.outbox import OutboxItem, Target
from triage.replies import add_note, reply_to_client

log = logging.getLogger(__name__)

STAFF_COMMANDS = frozenset(
    {"serahkan", "tutup", "identitas", "catatan", "bantuan", "kasus", "lepas", "ambil"}
)
SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def split_internal(body: str) -> tuple[str, str]:
    """(what goes to the client, the internal note): lines starting with // stay internal."""
    public, internal = [], []
    for line in body.splitlines():
        if line.lstrip().startswith("//"):
            internal.append(line.lstrip()[2:].strip())
        else:
            public.append(line)
    return "\n".join(public).strip(), "\n".join(internal).strip()


def command_of(message: Message) -> tuple[str, str] | None:
    """("tutup", "tuntas") for "/tutup@bot tuntas"; None when not a command."""
    body = message.text or ""
    if not body.startswith("/"):
        return None
    head, _, rest = body[1:].partition(" ")
    return head.split("@", 1)[0].lower(), rest.strip()


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
        self.app = app
        self.maps = maps
        self.staff = staff
        self.admin_chat_id = admin_chat_id
        self.lang = lang
        self.wake = wake
        self.media_dir = media_dir
        self.max_media_bytes = max_media_bytes
        self.greeting = greeting
        self.sign_with_name = sign_with_name  # replies go out as the office unless configured

    def install(self, application: Application) -> None:
        application.add_handler(CallbackQueryHandler(self.on_button))
        application.add_handler(
            MessageHandler(
                filters.Chat(self.admin_chat_id) & ~filters.StatusUpdate.ALL, self.on_group
            )
        )
        application.add_handler(
            MessageHandler(filters.ChatType.PRIVATE & ~filters.StatusUpdate.ALL, self.on_private)
        )

    # --- running the core off the event loop ------------------------------------------------

    async def _run(self, fn: Callable[..., object], *args: object, **kwargs: object) -> object:
        return await asyncio.to_thread(fn, *args, **kwargs)

    def _queue(
        self,
        item_key: str,
        recipient: str,
        html: str,
        target: Target = Target.TELEGRAM,
        **options: str,
    ) -> None:
        now = self.app.clock()
        with self.app.uows() as uow:
            uow.outbox.add(
                OutboxItem(
                    id=None,
                    idempotency_key=item_key,
                    target=target,
                    recipient=recipient,
                    text=html,
                    created_at=now,
                    next_attempt_at=now,
                    options={"kind": Kind.INFO.value, **options}
                    if target is Target.TELEGRAM
                    else options,
                )
            )
            uow.commit()

    async def _tell(
        self, key: str, recipient: str, html: str, target: Target = Target.TELEGRAM, **options: str
    ) -> None:
        await self._run(self._queue, key, recipient, html, target, **options)
        self.wake()

    # --- the hotline: clients in their private chat with the bot ----------------------------

    async def on_private(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message, user = update.effective_message, update.effective_user
        if message is None or user is None or user.is_bot:
            return
        actor = self.staff.get(user.id)
        if actor is not None:
            await self.on_staff_private(update, actor, message)
            return
        command = command_of(message)
        if command is not None and command[0] == "start":
            await self._tell(
                f"start:{message.chat_id}:{message.message_id}",
                str(user.id),
                self.greeting(),
                Target.HOTLINE,
                buttons="consent",
            )
            return
        if command is not None and command[0] in STAFF_COMMANDS:
            await self._tell(
                f"refuse:{message.chat_id}:{message.message_id}",
                str(user.id),
                text("staff.not_staff", self.lang),
                Target.HOTLINE,
            )
            return
        inbound = await self._inbound(message, user, edited=update.edited_message is not None)
        await self._run(self._ingest, inbound)
        self.wake()

    def _ingest(self, inbound: InboundMessage) -> None:
        ingest(
            inbound,
            uow_factory=self.app.uows,
            now=self.app.clock(),
            reopen_window=self.app.reopen_window,
        )

    async def _inbound(self, message: Message, user: User, *, edited: bool) -> InboundMessage:
        attachments, notes = await self._media(message)
        body = message.text or message.caption or ""
        external_id = f"{message.chat_id}:{message.message_id}"
        if edited:  # a changed message is news for staff: stored as its own message
            stamp = int(message.edit_date.timestamp()) if message.edit_date else 0
            external_id = f"{external_id}:edit:{stamp}"
            body = text("hotline.edited", self.lang) + " " + body
        body = "\n".join(part for part in (body, *notes) if part)
        return InboundMessage(
            channel=Channel.HOTLINE,
            external_id=external_id,
            sender_id=str(user.id),
            sender_name=user.full_name or str(user.id),
            text=body,
            received_at=(message.edit_date if edited else message.date) or self.app.clock(),
            attachments=tuple(attachments),
        )

    def _other_content(self, message: Message) -> list[str]:
        """What cannot be stored as a file still shows up for staff, described."""
        notes = []
        if message.sticker:
            notes.append(text("hotline.sticker", self.lang, emoji=message.sticker.emoji or ""))
        if message.location:
            loc = message.location
            notes.append(text("hotline.location", self.lang, lat=loc.latitude, lon=loc.longitude))
        if message.contact:
            c = message.contact
            notes.append(
                text(
                    "hotline.contact",
                    self.lang,
                    name=" ".join(p for p in (c.first_name, c.last_name) if p),
                    phone=c.phone_number,
                )
            )
        return notes

    async def _media(self, message: Message) -> tuple[list[Attachment], list[str]]:
        """Photos, documents and voice notes, downloaded up to the size cap."""
        found: list[tuple[str, object, str, str]] = []
        if message.photo:
            found.append(("photo", message.photo[-1], "image/jpeg", "foto.jpg"))
        if message.document:
            doc = message.document
            found.append(
                (
                    "document",
                    doc,
                    doc.mime_type or "application/octet-stream",
                    doc.file_name or "dokumen",
                )
            )
        if message.voice:
            found.append(
                ("voice", message.voice, message.voice.mime_type or "audio/ogg", "pesan-suara.ogg")
            )
        for kind, default_name in (
            ("video", "video.mp4"),
            ("video_note", "video.mp4"),
            ("audio", "audio.mp3"),
            ("animation", "animasi.mp4"),
        ):
            media = getattr(message, kind)
            if media is not None:
                name = getattr(media, "file_name", None) or default_name
                found.append((kind, media, getattr(media, "mime_type", None) or "", name))
        attachments: list[Attachment] = []
        notes: list[str] = self._other_content(message)
        for kind, media, mime, name in found:
            safe = SAFE_NAME.sub("_", name).strip("._")[:80] or kind
            size = int(getattr(media, "file_size", 0) or 0)
            if size > self.max_media_bytes:
                notes.append(
                    text(
                        "hotline.file_too_big",
                        self.lang,
                        name=safe,
                        size=f"{size // 1024} KB",
                        limit=f"{self.max_media_bytes // 1024} KB",
                    )
                )
                attachments.append(Attachment(safe, mime, size, None))
                continue
            target = self.media_dir / f"{message.chat_id}-{message.message_id}-{safe}"
            target.parent.mkdir(parents=True, exist_ok=True)
            telegram_file = await media.get_file()  # type: ignore[attr-defined]
            await telegram_file.download_to_drive(target)
            size = target.stat().st_size
            if size > self.max_media_bytes:  # the announced size was missing or wrong
                target.unlink()
                notes.append(
                    text(
                        "hotline.file_too_big",
                        self.lang,
                        name=safe,
                        size=f"{size // 1024} KB",
                        limit=f"{self.max_media_bytes // 1024} KB",
                    )
                )
                attachments.append(Attachment(safe, mime, size, None))
                continue
            attachments.append(Attachment(safe, mime, size, str(target)))
            if not (message.text or message.caption):
                notes.append(
                    text("hotline.media", self.lang, kind=text(f"media.{kind}", self.lang))
                )
        return attachments, notes

    # --- the admin group ---------------------------------------------------------------------

    async def on_group(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message, user = update.effective_message, update.effective_user
        if message is None or user is None or user.is_bot:
            return
        actor = self.staff.get(user.id)
        conv = await self._run(self._conversation_in_group, message)
        where = notices.group(conv) if conv is not None else notices.GENERAL  # type: ignore[arg-type]
        key = f"tg:{message.chat_id}:{message.message_id}"
        command = command_of(message)
        if actor is None:
            if command is not None:
                await self._tell(f"{key}:refuse", where, text("staff.not_staff", self.lang))
            return  # a non-staff member's chatter in the admin group is not ours to act on
        if command is not None:
            await self._staff_command(actor, command, conv, where, key)  # type: ignore[arg-type]
            return
        if conv is None:
            return  # staff talking among themselves outside any conversation: not for us
        await self._staff_text(actor, conv, message, where, key)  # type: ignore[arg-type]

    def _conversation_in_group(self, message: Message) -> int | None:
        if message.is_topic_message and message.message_thread_id:
            conv = self.maps.conversation_of_thread(message.chat_id, message.message_thread_id)
            if conv is not None:
                return conv
        reply = message.reply_to_message
        if reply is not None:
            return self.maps.conversation_of_post(message.chat_id, reply.message_id)
        return None

    # --- the counselors' (and any staff member's) private chat ------------------------------

    async def on_staff_private(self, update: Update, actor: Actor, message: Message) -> None:
        key = f"tg:{message.chat_id}:{message.message_id}"
        where = notices.staff(actor.staff_id)
        conv = await self._run(self._conversation_in_private, actor, message)
        command = command_of(message)
        if command is not None:
            await self._staff_command(actor, command, conv, where, key)  # type: ignore[arg-type]
            return
        if conv is None:
            await self._tell(f"{key}:where", where, text("staff.no_case", self.lang))
            return
        await self._staff_text(actor, conv, message, where, key)  # type: ignore[arg-type]

    def _conversation_in_private(self, actor: Actor, message: Message) -> int | None:
        reply = message.reply_to_message
        if reply is not None:
            conv = self.maps.conversation_of_post(message.chat_id, reply.message_id)
            if conv is not None:
                self.maps.set_focus(actor.staff_id, conv)
                return conv
        return self.maps.focus(actor.staff_id)

    # --- what staff write ---------------------------------------------------------------------

    async def _staff_text(
        self, actor: Actor, conv: int, message: Message, where: str, key: str
    ) -> None:
        body = message.text or message.caption or ""
        if message.effective_attachment is not None:
            await self._tell(f"{key}:text-only", where, text("staff.text_only", self.lang))
            if not body:
                return
        public, internal = split_internal(body)
        try:
            if internal:
                await self._run(self._note, actor, conv, internal, f"note:{key}")
            if public:
                await self._run(self._reply, actor, conv, public, key)
        except (AccessDenied, TransitionNotAllowed, NotFound) as exc:
            await self._refusal(exc, actor, conv, where, key)
            return
        self.wake()

    def _reply(self, actor: Actor, conv: int, body: str, key: str) -> None:
        if self.sign_with_name and actor.name:
            body = f"{body}\n\n— {actor.name}"
        self._write(reply_to_client, actor, conv, body, key)

    def _note(self, actor: Actor, conv: int, body: str, key: str) -> None:
        self._write(add_note, actor, conv, body, key)

    def _write(
        self, use_case: Callable[..., object], actor: Actor, conv: int, body: str, key: str
    ) -> None:
        now = self.app.clock()
        use_case(conv, body, actor=actor, idempotency_key=key, uow_factory=self.app.uows, now=now)

    async def _staff_command(
        self, actor: Actor, command: tuple[str, str], conv: int | None, where: str, key: str
    ) -> None:
        name, arg = command
        try:
            if name in ("bantuan", "start", "help"):
                help_key = (
                    "staff.help_admin" if actor.role is Role.ADMIN else "staff.help_counselor"
                )
                await self._tell(f"{key}:help", where, text(help_key, self.lang))
                return
            if name == "kasus":
                await self._select(actor, arg, where, key)
                return
            if (
                name in ("lepas", "tutup", "ambil")
                and arg.split()[-1:]
                and arg.split()[-1].lstrip("#").isdigit()
            ):
                conv = int(arg.split()[-1].lstrip("#"))
                arg = " ".join(arg.split()[:-1])
            if conv is None:
                await self._tell(f"{key}:where", where, text("staff.no_case", self.lang))
                return
            if name == "serahkan":
                await self._run(self._transition, "hand_off", actor, conv)
                await self._warn_if_nobody(where, key, conv)
            elif name == "ambil":
                await self._run(self._transition, "claim", actor, conv)
                await self._tell(
                    f"{key}:claimed", where, text("staff.claimed", self.lang, conv=conv)
                )
            elif name == "lepas":
                await self._run(self._transition, "release", actor, conv)
            elif name == "tutup":
                try:
                    outcome = Outcome(arg.strip().lower())
                except ValueError:
                    await self._tell(f"{key}:usage", where, text("staff.close_usage", self.lang))
                    return
                await self._run(self._transition, "close", actor, conv, outcome)
            elif name == "catatan":
                if arg:
                    await self._run(self._note, actor, conv, arg, f"note:{key}")
                    await self._tell(f"{key}:noted", where, text("staff.note_saved", self.lang))
            elif name == "identitas":
                await self._tell(f"{key}:id", where, await self._run(self._identity, conv))  # type: ignore[arg-type]
            else:
                await self._tell(f"{key}:help", where, text("staff.help_admin", self.lang))
                return
        except (AccessDenied, TransitionNotAllowed, NotFound) as exc:
            await self._refusal(exc, actor, conv, where, key)
            return
        if name in ("serahkan", "lepas", "tutup") and where.startswith("staff:"):
            await self._tell(f"{key}:done", where, text("staff.done", self.lang))
        self.wake()

    async def _warn_if_nobody(self, where: str, key: str, conv: int) -> None:
        if not self.staff.counselors:
            await self._tell(
                f"{key}:nobody", where, text("staff.no_counselors", self.lang, conv=conv)
            )

    def _transition(self, what: str, actor: Actor, conv: int, outcome: Outcome | None = None):
        common = {"actor": actor, "uow_factory": self.app.uows, "now": self.app.clock()}
        if what == "hand_off":
            return casework.hand_off(conv, counselors=self.staff.counselors, **common)
        if what == "release":
            return casework.release(conv, counselors=self.staff.counselors, **common)
        if what == "claim":
            result = casework.claim(conv, counselors=self.staff.counselors, **common)
            self.maps.set_focus(actor.staff_id, conv)
            return result
        if what == "urgent":
            return casework.mark_urgent(conv, **common)
        assert outcome is not None
        return casework.close(conv, outcome, **common)

    async def _select(self, actor: Actor, arg: str, where: str, key: str) -> None:
        if arg.strip().lstrip("#").isdigit():
            conv_id = int(arg.strip().lstrip("#"))
            conv = await self._run(self._load, conv_id)
            if conv is None or (
                actor.role is not Role.HEAD and conv.counselor_id != actor.staff_id
            ):  # type: ignore[attr-defined]
                await self._tell(
                    f"{key}:denied", where, text("staff.denied", self.lang, conv=conv_id)
                )
                return
            await self._run(self.maps.set_focus, actor.staff_id, conv_id)
            name = await self._run(self._client_name, conv_id)
            await self._tell(
                f"{key}:focus", where, text("staff.focus", self.lang, conv=conv_id, name=esc(name))
            )
            return
        mine = await self._run(self._cases_of, actor)
        body = (
            text("staff.my_cases", self.lang, cases=", ".join(f"#{c}" for c in mine))  # type: ignore[union-attr]
            if mine
            else text("staff.no_cases", self.lang)
        )
        await self._tell(f"{key}:cases", where, body)

    def _load(self, conv_id: int):  # noqa: ANN202
        with self.app.uows() as uow:
            return uow.conversations.get(conv_id)

    def _client_name(self, conv_id: int) -> str:
        with self.app.uows() as uow:
            conv = uow.conversations.get(conv_id)
            client = uow.clients.get(conv.client_id) if conv else None
            return client.display_name if client else "?"

    def _cases_of(self, actor: Actor) -> list[int]:
        with self.app.uows() as uow:
            return [
                c.id
                for c in uow.conversations.all()
                if c.id is not None
                and c.state is State.WITH_COUNSELOR
                and c.counselor_id == actor.staff_id
            ]

    def _identity(self, conv_id: int) -> str:
        with self.app.uows() as uow:
            conv = uow.conversations.get(conv_id)
            if conv is None:
                raise NotFound(f"conversation {conv_id}")
            client = uow.clients.get(conv.client_id)
            contacts = uow.contacts.for_client(conv.client_id)
        listed = ", ".join(
            f"{text(f'channel.{c.channel.value}', self.lang)} {c.external_id}" for c in contacts
        )
        return text(
            "staff.identity",
            self.lang,
            conv=conv_id,
            name=esc(client.display_name if client else "?"),
            contacts=esc(listed),
            state=esc(text(f"state.{conv.state.value}", self.lang)),
        )

    async def _refusal(
        self, exc: Exception, actor: Actor, conv: int | None, where: str, key: str
    ) -> None:
        await self._tell(f"{key}:refused", where, await self._run(self._why, exc, conv))  # type: ignore[arg-type]

    def _why(self, exc: Exception, conv: int | None) -> str:
        if isinstance(exc, NotFound) or conv is None:
            return text("staff.no_case", self.lang)
        if isinstance(exc, AccessDenied):
            return text("staff.denied", self.lang, conv=conv)
        current = self._load(conv)
        if (
            current is not None
            and current.counselor_id is not None
            and current.state in (State.WITH_COUNSELOR,)
        ):
            return text(
                "staff.taken_by",
                self.lang,
                conv=conv,
                by=esc(self.staff.name(current.counselor_id)),
            )
        state = text(f"state.{current.state.value}", self.lang) if current else "?"
        return text("staff.not_now", self.lang, conv=conv, state=esc(state))

    # --- buttons --------------------------------------------------------------------------------

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None or query.from_user is None:
            return
        data = query.data or ""
        user = query.from_user
        actor = self.staff.get(user.id)
        if data.startswith("consent:") and actor is None:
            await self._consent(query.id, user, data == "consent:yes", query.message)
            await query.answer()
            return
        if actor is None:
            await query.answer(text("staff.not_staff", self.lang), show_alert=True)
            return
        action, _, rest = data.partition(":")
        conv_text, _, extra = rest.partition(":")
        if not conv_text.isdigit():
            await query.answer()
            return
        conv = int(conv_text)
        where = (
            notices.staff(actor.staff_id)
            if query.message and query.message.chat.type == "private"
            else notices.group(conv)
        )
        key = f"cb:{query.id}"
        answer = text("staff.done", self.lang)
        try:
            if action == "handoff":
                await self._run(self._transition, "hand_off", actor, conv)
                await self._warn_if_nobody(where, key, conv)
            elif action == "claim":
                await self._run(self._transition, "claim", actor, conv)
                answer = text("staff.claimed", self.lang, conv=conv)
            elif action == "urgent":
                await self._run(self._transition, "urgent", actor, conv)
            elif action == "close":
                await self._run(self._transition, "close", actor, conv, Outcome(extra))
            elif action == "form":
                await self._tell(f"{key}:id", where, await self._run(self._identity, conv))  # type: ignore[arg-type]
            else:
                await query.answer()
                return
        except (AccessDenied, TransitionNotAllowed, NotFound, ValueError) as exc:
            why = await self._run(self._why, exc, conv)
            await query.answer(_plain(str(why)), show_alert=True)
            return
        self.wake()
        await query.answer(_plain(answer))

    async def _consent(self, query_id: str, user: User, agreed: bool, message: object) -> None:
        now = self.app.clock()
        inbound = InboundMessage(
            channel=Channel.HOTLINE,
            external_id=f"consent:{user.id}:{query_id}",
            sender_id=str(user.id),
            sender_name=user.full_name or str(user.id),
            text=text("hotline.consent_given" if agreed else "hotline.consent_refused", self.lang),
            received_at=now,
        )
        await self._run(self._ingest, inbound)
        await self._tell(
            f"consent-reply:{user.id}:{query_id}",
            str(user.id),
            text("hotline.thanks_yes" if agreed else "hotline.thanks_no", self.lang),
            Target.HOTLINE,
        )


def _plain(html: str) -> str:
    """Callback answers are plain text (no parse mode), at most 200 characters."""
    return (
        re.sub(r"<[^>]+>", "", html)
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")[:200]
    )
