"""Receiving WhatsApp, Messenger and Instagram (Messaging API): the drain of the posts the
webhook receiver committed for one account (a ChannelSource like the others, so leases,
set-aside and `puspaga poll` work the same). Its cursor, "<post id>:<item>", says how far into
the oldest undrained post it got; a drained post is finished (its body goes). Files are
fetched at once: their links last minutes. What differs between the three is a `Flavour`."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from channels.email.parse import safe_filename
from channels.file_quota import FileQuota, keep
from channels.meta import messaging_parse, whatsapp_parse
from channels.meta.graph import Graph
from channels.meta.items import OBJECTS, UNKNOWN_TIME, Media, Message, Status
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


@dataclass(frozen=True)
class Flavour:
    """What one Meta channel does its own way."""

    channel: Channel
    key: str  # the cursor key's head: channels.meta.items.OBJECTS of the posts' object
    prefix: str  # of the external ids of its messages and of our sends
    label: str  # in log lines
    read: Callable[[str, str], list[Message | Status]]  # (post body, account id) -> items
    receipt: Callable[[Message], dict]  # the read receipt's body for a client's message
    profile: str = ""  # the fields that name a sender (Graph API), when the post does not
    sends_as: str = ""  # the id sends go to, when not the account's own ("me": the token's)

    def sends_to(self, account: str) -> str:
        """Whose `/messages` our sends and receipts are posted to."""
        return self.sends_as or account


WHATSAPP = Flavour(
    Channel.WHATSAPP,
    OBJECTS["whatsapp_business_account"],
    "wa",
    "WhatsApp",
    whatsapp_parse.items,  # type: ignore[arg-type]
    lambda m: {"messaging_product": "whatsapp", "status": "read", "message_id": m.id},
)


def _messaging(channel: Channel, kind: str, prefix: str, profile: str, sends_as: str = ""
               ) -> Flavour:  # fmt: skip
    """Messenger's and Instagram's: one API, told apart by the post's object (`kind`)."""
    return Flavour(
        channel, OBJECTS[kind], prefix, channel.value.capitalize(),
        lambda body, account: messaging_parse.items(body, account, kind),  # type: ignore[arg-type,return-value]
        lambda m: {"recipient": {"id": m.sender}, "sender_action": "mark_seen"},
        profile, sends_as,
    )  # fmt: skip


MESSENGER = _messaging(Channel.MESSENGER, "page", "fb", "first_name,last_name")
# Instagram's sends go to "me": the linked Page with a Page token (Facebook Login), the account
# itself with an Instagram Login token; never to the account's id on graph.facebook.com
INSTAGRAM = _messaging(Channel.INSTAGRAM, "instagram", "igm", "name,username", "me")


@dataclass
class MetaSource:
    events: WebhookEvents
    account: str  # the phone number id, the Page id or the Instagram account id
    graph: Graph
    files_dir: Path
    language: str = "id"
    mark_read: bool = True
    max_file_bytes: int = 16 * 1024 * 1024
    quota: FileQuota | None = None
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    purged: datetime | None = None
    flavour: Flavour = WHATSAPP
    names: dict[str, str] = field(default_factory=dict)  # sender -> name asked of the Graph
    # a reply WhatsApp accepted and reports later as not delivered: (our remote id, our item
    # id or None, WhatsApp's error codes); the shell fails the item and tells staff. False:
    # not yet (the send is still being recorded): the drain stops there and asks again
    on_failed: Callable[[str, int | None, tuple[int, ...]], bool] | None = None

    @property
    def cursor_key(self) -> str:
        return f"{self.flavour.key}:{self.account}"

    def poll_once(self, deliver: Deliver, cursor: str | None) -> int:
        done_post, done_item = _read(cursor)
        count = 0
        for post_id, body in self.events.pending(self.cursor_key, BATCH):
            try:
                found = self.flavour.read(body, self.account)
            except ValueError:
                log.warning("kiriman webhook %s #%d tidak terbaca; dilewati", self.flavour.label,
                            post_id)  # fmt: skip
                found = []
            for n, item in enumerate(found):
                if post_id == done_post and n <= done_item:
                    continue  # stored before a stop, the post not yet finished
                mark = f"{post_id}:{n}"
                if isinstance(item, Status):
                    if item.status == "failed" and self.on_failed is not None:
                        codes = ",".join(str(c) for c in item.errors) or "?"
                        log.warning("%s melaporkan pesan keluar gagal (kode %s)",
                                    self.flavour.label, codes)  # fmt: skip
                        ours = item.callback.removeprefix("outbox:")
                        item_id = int(ours) if ours.isdigit() else None
                        remote = f"{self.flavour.prefix}:{item.id}"
                        if not self.on_failed(remote, item_id, item.errors):
                            return count  # the post stays; the next pass asks again
                    deliver(None, mark)
                    continue
                try:
                    message = self._inbound(item)
                except Exception as exc:  # noqa: BLE001 - one odd message never blocks intake
                    log.warning("pesan %s tidak terbaca utuh (%s); disimpan sebagai catatan",
                                self.flavour.label, type(exc).__name__)  # fmt: skip
                    message = self._inbound(replace(item, kind="unreadable", text="", media=()))
                deliver(message, mark)
                count += 1
                self._read_receipt(item)
            self.events.finish(post_id)
        now = self.clock()
        if self.purged is None or now - self.purged > timedelta(hours=1):
            self.events.purge(now - KEPT)
            self.purged = now
        return count

    def _inbound(self, item: Message) -> InboundMessage:
        lang: Lang = self.language  # type: ignore[assignment]
        body = item.text
        attachments: list[Attachment] = []
        labels, notes = [], []
        for n, media in enumerate(item.media):
            key = "media.voice" if media.voice else LABELS[media.kind]
            labels.append(f"[{text(key, lang)}]")
            attachment, note = self._fetch(media, f"{item.id}{n or ''}", item.sender)
            attachments.append(attachment)
            notes += [note] if note else []
        if labels:
            body = f"{' '.join(labels)} {body}".strip()
            body = "\n".join([*notes, body])
        elif not body:
            body = f"[{text('meta.unsupported', lang, channel=self.flavour.label)}: {item.kind}]"
        at = item.at if item.at != UNKNOWN_TIME else self.clock()
        return InboundMessage(
            channel=self.flavour.channel,
            external_id=f"{self.flavour.prefix}:{item.id}",
            sender_id=item.sender,
            sender_name=item.name or self._name(item.sender),
            text=body,
            received_at=at,
            attachments=tuple(attachments),
        )

    def _name(self, sender: str) -> str:
        """The sender's name as the Graph API gives it to the Page or account (once per
        sender and process); their number or the end of their id when it will not."""
        if not self.flavour.profile:
            return f"+{sender}" if sender.isdigit() else sender
        if sender not in self.names:
            try:
                found = self.graph.get(f"{sender}?fields={self.flavour.profile}")
                whole = " ".join(str(found.get(k) or "") for k in ("first_name", "last_name"))
                named = str(found.get("name") or whole.strip() or found.get("username") or "")
            except Exception as exc:  # noqa: BLE001 - a name is a courtesy: never holds intake
                log.info("nama pengirim %s tidak dapat diambil (%s)", self.flavour.label,
                         type(exc).__name__)  # fmt: skip
                named = ""
            self.names[sender] = named or f"{self.flavour.label} …{sender[-4:]}"
        return self.names[sender]

    def _fetch(self, media: Media, wamid: str, sender: str) -> tuple[Attachment, str | None]:
        """The file, within the size cap and the sender's quota; a file not kept is said in
        the message (the client still has it), never fatal."""
        lang: Lang = self.language  # type: ignore[assignment]
        suffix = media.mime_type.split("/")[-1].split(";")[0][:8] or "bin"
        where = self.flavour.label
        name = safe_filename(media.filename or f"{NAMES[media.kind]}.{suffix}", media.mime_type)
        target = self.files_dir / safe_filename(f"{wamid[-40:]}-{name}")
        try:
            if media.url:  # in the post: a link of Meta's file servers, without our token
                data = self.graph.download(media.url, self.max_file_bytes, signed=False)
            else:  # asked for with the token, fetched with it
                url = str(self.graph.get(media.id)["url"])
                data = self.graph.download(url, self.max_file_bytes)
        except Exception as exc:  # noqa: BLE001 - the message matters more than its file
            log.warning("berkas %s tidak dapat diambil (%s)", where, type(exc).__name__)
            note = text("files.not_fetched", lang, name=name)
            return Attachment(name, media.mime_type, 0, None), note
        if data is None:
            limit = f"{self.max_file_bytes // 1024} KB"
            note = text("files.too_big", lang, name=name, limit=limit)
            return Attachment(name, media.mime_type, self.max_file_bytes, None), note
        try:
            return keep(self.quota, self.flavour.channel.value, sender, target, data, name,
                        media.mime_type, lang)  # fmt: skip
        except OSError as exc:
            log.warning("berkas %s tidak dapat disimpan (%s)", where, type(exc).__name__)
            return Attachment(name, media.mime_type, len(data), None), text(
                "files.not_fetched", lang, name=name
            )

    def _read_receipt(self, item: Message) -> None:
        if not self.mark_read:
            return
        try:
            to = self.flavour.sends_to(self.account)
            self.graph.post(f"{to}/messages", self.flavour.receipt(item))
        except Exception as exc:  # noqa: BLE001 - a receipt is a courtesy: never holds intake
            log.info("tanda dibaca %s tidak terkirim (%s)", self.flavour.label,
                     type(exc).__name__)  # fmt: skip


def _read(cursor: str | None) -> tuple[int, int]:
    try:
        post, item = (cursor or "").split(":")
        return int(post), int(item)
    except ValueError:
        return -1, -1
