"""The chat hotline: a client's private chat with the bot. /start greets and asks consent; every
message (text, photos, documents, voice, video, stickers, locations, edits) becomes an inbound
message of the unified inbox, stored once whatever Telegram redelivers."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from telegram import Message, User
from telegram.error import BadRequest, Forbidden

from bot.service import switchboard
from bot.telegram.commands.registered import REGISTRY
from bot.telegram.desk import Desk
from bot.telegram.parsing import command_of
from triage.domain.model import CONSENT_MARK, Attachment, Channel, InboundMessage
from triage.domain.outbox import Target
from triage.texts.catalog import text
from triage.usecases.ingest import ingest

log = logging.getLogger(__name__)

# A client typing one of these staff commands is told it is for staff (commands/registry.py says
# which); anything else, /bantuan and /help too, is a message for the office to answer.
STAFF_COMMANDS = REGISTRY.refused_to_clients()
SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
FILE_KINDS = (  # (attribute, default file name)
    ("document", "dokumen"),
    ("voice", "pesan-suara.ogg"),
    ("video", "video.mp4"),
    ("video_note", "video.mp4"),
    ("audio", "audio.mp3"),
    ("animation", "animasi.mp4"),
)


class Hotline:
    def __init__(
        self, desk: Desk, *, media_dir: Path, max_media_bytes: int, greeting: Callable[[], str]
    ) -> None:
        self.desk = desk
        self.media_dir = media_dir
        self.max_media_bytes = max_media_bytes
        self.greeting = greeting

    async def on_message(self, message: Message, user: User, *, edited: bool) -> None:
        desk = self.desk
        key = f"{message.chat_id}:{message.message_id}"
        command = command_of(message)
        if command is not None and command[0] == "start":
            await desk.tell(
                f"start:{key}", str(user.id), self.greeting(), Target.HOTLINE, buttons="consent"
            )
            return
        if command is not None and command[0] == "saya":  # a new staff member setting up
            said = text("tg.my_id", desk.lang, id=user.id)  # their own id: it opens no case
            await desk.tell(f"saya:{key}", str(user.id), said, Target.HOTLINE)
            return
        if command is not None and command[0] in STAFF_COMMANDS:
            text_ = text("staff.not_staff", desk.lang)
            await desk.tell(f"refuse:{key}", str(user.id), text_, Target.HOTLINE)
            return
        inbound = await self._inbound(message, user, edited=edited)
        await self._take(inbound, key)

    async def on_consent(self, query_id: str, user: User, agreed: bool) -> None:
        """The answer to the greeting's question, kept in the conversation as the client's own
        message (who agreed, when), then thanked."""
        desk = self.desk
        inbound = InboundMessage(
            channel=Channel.HOTLINE,
            external_id=f"{CONSENT_MARK}{user.id}:{query_id}",
            sender_id=str(user.id),
            sender_name=user.full_name or str(user.id),
            text=text("hotline.consent_given" if agreed else "hotline.consent_refused", desk.lang),
            received_at=desk.app.clock(),
        )
        await self._take(inbound, f"consent:{user.id}:{query_id}")
        if agreed:  # the identity form's first question follows from the relay (form_flow)
            return
        thanks = text("hotline.thanks_no", desk.lang)
        await desk.tell(f"consent-reply:{user.id}:{query_id}", str(user.id), thanks, Target.HOTLINE)

    async def on_withdraw(self, query_id: str, user: User, confirmed: bool) -> None:
        """The answer to "stop processing my data?" (triage.effects.withdrawal): a yes is kept
        as the client's own message, which the relay acts on; a no changes nothing."""
        desk = self.desk
        if not await desk.run(self._open, str(user.id)):
            return  # a tap on an old question: the case is closed already, nothing to stop
        if not confirmed:
            kept = text("hotline.withdraw_kept", desk.lang)
            await desk.tell(f"withdraw-no:{user.id}:{query_id}", str(user.id), kept, Target.HOTLINE)
            return
        inbound = InboundMessage(
            channel=Channel.HOTLINE,
            external_id=f"{CONSENT_MARK}withdraw:{user.id}:{query_id}",
            sender_id=str(user.id),
            sender_name=user.full_name or str(user.id),
            text=text("hotline.withdraw_confirmed", desk.lang),
            received_at=desk.app.clock(),
        )
        await self._take(inbound, f"withdraw:{user.id}:{query_id}")

    async def _take(self, inbound: InboundMessage, key: str) -> None:
        """Stored in the inbox; with a hotline shared by several offices, in the client's
        office, or held while they are asked where they live (bot/service/switchboard.py)."""
        desk = self.desk
        asked = await desk.run(self._ingest, inbound)
        if asked:
            await desk.tell(f"where:{key}", inbound.sender_id, asked, Target.HOTLINE)
        desk.wake()

    def _shared(self) -> bool:
        offices = self.desk.app.offices
        districts = offices.districts if offices is not None else None
        return districts is not None and districts.hub == self.desk.app.office_key

    def _open(self, user_id: str) -> bool:
        app = self.desk.app
        if self._shared():
            office = app.offices.app(switchboard.office_of(app, user_id))
            if office is None:  # not running yet: the update is handled again later
                raise ConnectionError("the client's office is not running")
            app = office
        with app.uows() as uow:
            found = uow.contacts.find_for_ingest(Channel.HOTLINE, user_id)
        return found is not None and found[1] is not None

    def _ingest(self, inbound: InboundMessage) -> str:
        """What to ask the client ("" when nothing)."""
        app = self.desk.app
        if not self._shared():
            ingest(inbound, uow_factory=app.uows, now=app.clock(),
                   reopen_window=app.reopen_window)  # fmt: skip
            return ""
        urgent = app.triage is not None and app.triage.decide(inbound.text).risk != "biasa"
        if not switchboard.deliver(app, inbound, urgent).ask:
            return ""
        names = app.offices.names
        listed = "\n".join(f"{n}. {names[k]}" for n, k in
                           enumerate(app.offices.districts.words, start=1))  # fmt: skip
        return text("hotline.where", self.desk.lang, offices=listed)

    async def _inbound(self, message: Message, user: User, *, edited: bool) -> InboundMessage:
        lang = self.desk.lang
        attachments, notes = await self._files(message)
        notes = self._described(message) + notes
        body = message.text or message.caption or ""
        external_id = original = f"{message.chat_id}:{message.message_id}"
        if edited:  # a changed message is news for staff: stored as its own message
            stamp = int(message.edit_date.timestamp()) if message.edit_date else 0
            external_id = f"{original}:edit:{stamp}"
            body = text("hotline.edited", lang) + " " + body
        return InboundMessage(
            channel=Channel.HOTLINE,
            external_id=external_id,
            sender_id=str(user.id),
            sender_name=user.full_name or str(user.id),
            text="\n".join(part for part in (body, *notes) if part),
            received_at=(message.edit_date if edited else message.date) or self.desk.app.clock(),
            attachments=tuple(attachments),
            edit_of=original if edited else None,
        )

    def _described(self, message: Message) -> list[str]:
        """What is not a file still shows up for staff, described."""
        lang, notes = self.desk.lang, []
        if message.sticker:
            notes.append(text("hotline.sticker", lang, emoji=message.sticker.emoji or ""))
        if message.location:
            loc = message.location
            notes.append(text("hotline.location", lang, lat=loc.latitude, lon=loc.longitude))
        if message.contact:
            c = message.contact
            name = " ".join(p for p in (c.first_name, c.last_name) if p)
            notes.append(text("hotline.contact", lang, name=name, phone=c.phone_number))
        return notes

    async def _files(self, message: Message) -> tuple[list[Attachment], list[str]]:
        found: list[tuple[str, Any, str]] = []
        if message.photo:
            found.append(("photo", message.photo[-1], "foto.jpg"))
        for kind, default_name in FILE_KINDS:
            media = getattr(message, kind)
            if media is not None:
                found.append((kind, media, getattr(media, "file_name", None) or default_name))
        attachments, notes = [], []
        for kind, media, name in found:
            attachment, note = await self._download(message, kind, media, name)
            attachments.append(attachment)
            if note:
                notes.append(note)
            elif not (message.text or message.caption):
                kind_name = text(f"media.{kind}", self.desk.lang)
                notes.append(text("hotline.media", self.desk.lang, kind=kind_name))
        return attachments, notes

    async def _download(
        self, message: Message, kind: str, media: Any, name: str
    ) -> tuple[Attachment, str | None]:
        """The file saved under the data directory, or a note why not (too big, or Telegram
        would not hand it over): the message itself is never lost over its file."""
        lang = self.desk.lang
        safe = SAFE_NAME.sub("_", name).strip("._")[:80] or kind
        mime = getattr(media, "mime_type", None) or ("image/jpeg" if kind == "photo" else "")
        size = int(getattr(media, "file_size", 0) or 0)
        limit = f"{self.max_media_bytes // 1024} KB"
        if size > self.max_media_bytes:
            note = text(
                "hotline.file_too_big", lang, name=safe, size=f"{size // 1024} KB", limit=limit
            )
            return Attachment(safe, mime, size, None), note
        edit = f"-e{int(message.edit_date.timestamp())}" if message.edit_date else ""
        target = self.media_dir / f"{message.chat_id}-{message.message_id}{edit}-{safe}"
        quota = self.desk.app.file_quota
        who = ("hotline", str(message.chat_id), str(target))
        refused = quota.take(*who, size) if quota else None
        if refused is not None and quota is not None:  # it stays on Telegram's side
            return Attachment(safe, mime, size, None), quota.note(refused, safe, "hotline", lang)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            telegram_file = await media.get_file()
            await telegram_file.download_to_drive(target)
        except (BadRequest, Forbidden) as exc:  # e.g. over getFile's 20 MB; network errors retry
            log.warning("berkas klien tidak dapat diambil dari Telegram (%s)", type(exc).__name__)
            target.unlink(missing_ok=True)
            if quota is not None:
                quota.settle(*who, None)
            return Attachment(safe, mime, size, None), text("hotline.file_failed", lang, name=safe)
        size = target.stat().st_size
        if size > self.max_media_bytes:  # the announced size was missing or wrong
            target.unlink()
            if quota is not None:
                quota.settle(*who, None)
            note = text(
                "hotline.file_too_big", lang, name=safe, size=f"{size // 1024} KB", limit=limit
            )
            return Attachment(safe, mime, size, None), note
        refused = quota.settle(*who, size) if quota else None
        if refused is not None and quota is not None:  # the real size did not fit
            target.unlink()
            return Attachment(safe, mime, size, None), quota.note(refused, safe, "hotline", lang)
        return Attachment(safe, mime, size, str(target)), None
