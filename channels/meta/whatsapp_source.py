"""Receiving WhatsApp: the drain of the posts the webhook receiver committed (a ChannelSource
like the others, so leases, set-aside and `puspaga poll` work the same). Its cursor,
"<post id>:<item>", says how far into the oldest undrained post it got; a drained post is
finished (its body goes). Media are fetched at once: WhatsApp's links last minutes."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from channels.email.parse import safe_filename
from channels.file_quota import FileQuota, keep
from channels.meta.graph import Graph
from channels.meta.whatsapp_parse import UNKNOWN_TIME, Media, WaMessage, WaStatus, items
from triage.domain.model import Attachment, Channel, InboundMessage
from triage.ports import Deliver, WebhookEvents
from triage.texts.catalog import Lang, text

log = logging.getLogger(__name__)
BATCH = 100  # posts read per pass
KEPT = timedelta(days=8)  # a drained post's digest: Meta retries for seven days at most
NAMES = {"image": "foto", "video": "video", "audio": "audio", "document": "dokumen",
         "sticker": "stiker"}  # fmt: skip
LABELS = {"image": "media.photo", "video": "media.video", "audio": "media.audio",
          "document": "media.document", "sticker": "wa.sticker"}  # fmt: skip


@dataclass
class WhatsAppSource:
    events: WebhookEvents
    phone_number_id: str
    graph: Graph
    files_dir: Path
    language: str = "id"
    mark_read: bool = True
    max_file_bytes: int = 16 * 1024 * 1024
    quota: FileQuota | None = None
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    purged: datetime | None = None
    # a reply WhatsApp accepted and reports later as not delivered: (our remote id, our item
    # id or None, WhatsApp's error codes); the shell fails the item and tells staff. False:
    # not yet (the send is still being recorded): the drain stops there and asks again
    on_failed: Callable[[str, int | None, tuple[int, ...]], bool] | None = None

    @property
    def cursor_key(self) -> str:
        return f"whatsapp:{self.phone_number_id}"

    def poll_once(self, deliver: Deliver, cursor: str | None) -> int:
        done_post, done_item = _read(cursor)
        count = 0
        for post_id, body in self.events.pending(self.cursor_key, BATCH):
            try:
                found = items(body, self.phone_number_id)
            except ValueError:
                log.warning("kiriman webhook WhatsApp #%d bukan JSON WhatsApp; dilewati", post_id)
                found = []
            for n, item in enumerate(found):
                if post_id == done_post and n <= done_item:
                    continue  # stored before a stop, the post not yet finished
                mark = f"{post_id}:{n}"
                if isinstance(item, WaStatus):
                    if item.status == "failed" and self.on_failed is not None:
                        codes = ",".join(str(c) for c in item.errors) or "?"
                        log.warning("WhatsApp melaporkan pesan keluar gagal (kode %s)", codes)
                        ours = item.callback.removeprefix("outbox:")
                        item_id = int(ours) if ours.isdigit() else None
                        if not self.on_failed(f"wa:{item.id}", item_id, item.errors):
                            return count  # the post stays; the next pass asks again
                    deliver(None, mark)
                    continue
                try:
                    message = self._inbound(item)
                except Exception as exc:  # noqa: BLE001 - one odd message never blocks intake
                    log.warning("pesan WhatsApp tidak terbaca utuh (%s); disimpan sebagai catatan",
                                type(exc).__name__)  # fmt: skip
                    message = self._inbound(replace(item, kind="unreadable", text="", media=None))
                deliver(message, mark)
                count += 1
                self._read_receipt(item)
            self.events.finish(post_id)
        now = self.clock()
        if self.purged is None or now - self.purged > timedelta(hours=1):
            self.events.purge(now - KEPT)
            self.purged = now
        return count

    def _inbound(self, item: WaMessage) -> InboundMessage:
        lang: Lang = self.language  # type: ignore[assignment]
        body = item.text
        attachments: tuple[Attachment, ...] = ()
        if item.media is not None:
            key = "media.voice" if item.media.voice else LABELS[item.media.kind]
            label = f"[{text(key, lang)}]"
            attachment, note = self._fetch(item.media, item.id, item.sender)
            attachments = (attachment,)
            body = f"{label} {body}".strip()
            body = f"{note}\n{body}" if note else body
        elif not body:
            body = f"[{text('wa.unsupported', lang)}: {item.kind}]"
        at = item.at if item.at != UNKNOWN_TIME else self.clock()
        return InboundMessage(
            channel=Channel.WHATSAPP,
            external_id=f"wa:{item.id}",
            sender_id=item.sender,
            sender_name=item.name or f"+{item.sender}",
            text=body,
            received_at=at,
            attachments=attachments,
        )

    def _fetch(self, media: Media, wamid: str, sender: str) -> tuple[Attachment, str | None]:
        """The file, within the size cap and the sender's quota; a file not kept is said in
        the message (the client still has it), never fatal."""
        lang: Lang = self.language  # type: ignore[assignment]
        suffix = media.mime_type.split("/")[-1].split(";")[0][:8] or "bin"
        name = safe_filename(media.filename or f"{NAMES[media.kind]}.{suffix}", media.mime_type)
        target = self.files_dir / safe_filename(f"{wamid[-40:]}-{name}")
        try:
            where = self.graph.get(media.id)
            data = self.graph.download(str(where["url"]), self.max_file_bytes)
        except Exception as exc:  # noqa: BLE001 - the message matters more than its file
            log.warning("berkas WhatsApp tidak dapat diambil (%s)", type(exc).__name__)
            note = text("files.not_fetched", lang, name=name)
            return Attachment(name, media.mime_type, 0, None), note
        if data is None:
            limit = f"{self.max_file_bytes // 1024} KB"
            note = text("files.too_big", lang, name=name, limit=limit)
            return Attachment(name, media.mime_type, self.max_file_bytes, None), note
        try:
            return keep(self.quota, "whatsapp", sender, target, data, name, media.mime_type, lang)
        except OSError as exc:
            log.warning("berkas WhatsApp tidak dapat disimpan (%s)", type(exc).__name__)
            return Attachment(name, media.mime_type, len(data), None), text(
                "files.not_fetched", lang, name=name
            )

    def _read_receipt(self, item: WaMessage) -> None:
        if not self.mark_read:
            return
        try:
            self.graph.post(
                f"{self.phone_number_id}/messages",
                {"messaging_product": "whatsapp", "status": "read", "message_id": item.id},
            )
        except Exception as exc:  # noqa: BLE001 - a receipt is a courtesy: never holds intake
            log.info("tanda dibaca WhatsApp tidak terkirim (%s)", type(exc).__name__)


def _read(cursor: str | None) -> tuple[int, int]:
    try:
        post, item = (cursor or "").split(":")
        return int(post), int(item)
    except ValueError:
        return -1, -1
