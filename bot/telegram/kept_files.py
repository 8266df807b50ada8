"""Files staff keep with a case of a client met offline: the chronology and letter an incoming
referral came with, a complaint letter, a form signed on paper. Sent into the case's topic (or
the private chat, for the selected case), each is sealed with the office key on disk
(data_dir/rujukan/masuk-<case>/, so a key rotation reseals it with the letters) and recorded as a
staff note with the file attached, so erasure and the attachments' retention remove it like any
other attachment. /berkas sends them back to the asker's private chat, audited."""

from __future__ import annotations

import hashlib
import logging
import re

from telegram import Message
from telegram.error import BadRequest, Forbidden

from bot.telegram.desk import Desk
from triage.domain import notices
from triage.domain.intake import OFFLINE
from triage.domain.model import Actor, Attachment
from triage.effects import notify
from triage.texts.catalog import text
from triage.usecases.referral import kept_files
from triage.usecases.replies import add_note

log = logging.getLogger(__name__)

SAFE_NAME = re.compile(r"[^\w.\-]+")
MAX_BYTES = 20 * 1024 * 1024  # what the Bot API's getFile hands over


def offline(desk: Desk, conv: int) -> bool:
    with desk.app.uows() as uow:
        found = uow.conversations.get(conv)
        contact = uow.contacts.get(found.reply_contact_id) if found is not None else None
    return contact is not None and contact.channel in OFFLINE


async def keep(desk: Desk, actor: Actor, conv: int, message: Message, key: str) -> str:
    """Seal and keep the message's file with the case; what to tell the staff member."""
    lang = desk.lang
    media = message.document or (message.photo[-1] if message.photo else None)
    if media is None:  # a voice note, a sticker, a video: send it as a document
        return text("staff.file_kind", lang)
    name = getattr(media, "file_name", None) or "foto.jpg"
    stem, dot, suffix = SAFE_NAME.sub("_", name).strip("._").rpartition(".")
    safe = (f"{stem[:70]}.{suffix[:10]}" if dot and stem else suffix[:80]) or "berkas"
    size = int(getattr(media, "file_size", 0) or 0)
    if size > MAX_BYTES:
        return text("staff.file_too_big", lang, name=safe, limit=MAX_BYTES // (1024 * 1024))
    try:
        content = bytes(await (await media.get_file()).download_as_bytearray())
    except (BadRequest, Forbidden) as exc:
        log.warning("berkas staf tidak dapat diambil dari Telegram (%s)", type(exc).__name__)
        return text("staff.file_failed", lang, name=safe)
    app = desk.app
    folder = app.settings.data_dir / "rujukan" / f"masuk-{conv}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{hashlib.sha256(key.encode()).hexdigest()[:12]}.sealed"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(app.sealer.seal(content), encoding="ascii")
    tmp.replace(path)
    mime = getattr(media, "mime_type", None) or "image/jpeg"
    said = " ".join((message.caption or "").split())
    note = text("staff.file_note", lang, name=safe) + (f" {said}" if said else "")
    attached = (Attachment(safe, mime, len(content), str(path)),)
    try:
        await desk.run(add_note, conv, note, actor=actor, idempotency_key=f"file:{key}",
                       uow_factory=app.uows, now=app.clock(), attachments=attached)  # fmt: skip
    except Exception:  # refused (the case closed, or with a counselor): no file without its row
        path.unlink(missing_ok=True)
        raise
    return text("staff.file_kept", lang, name=safe, conv=conv)


def send(desk: Desk, actor: Actor, conv: int, key: str) -> int:
    """/berkas: the case's kept files to the asker's private chat (sealed; opened to be sent)."""
    app = desk.app
    files = kept_files(conv, actor=actor, uow_factory=app.uows, now=app.clock())
    with app.uows() as uow:
        case = uow.conversations.get(conv)  # erasing the case reaches a file still waiting
        for n, kept in enumerate(files):
            notify.queue(uow, key=f"{key}:{n}", recipient=notices.staff(actor.staff_id),
                         kind=notices.Kind.DOCUMENT, now=app.clock(),
                         text=text("staff.file_caption", desk.lang, conv=conv),
                         path=str(kept.stored_path), sealed="1", conv=case,
                         filename=kept.filename)  # fmt: skip
        uow.commit()
    app.wake.set()
    return len(files)
