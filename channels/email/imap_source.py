"""Receiving mail: every message after the durable cursor (UIDVALIDITY and last UID of one
folder), fetched with BODY.PEEK[] so nothing is marked read unless configured.

Exactly once: the cursor moves in the same commit as the message (the `deliver` contract), and
a message's inbox id is its Message-ID, so a resync after a UIDVALIDITY change (the server
renumbered the folder) stores nothing twice."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from imapclient import IMAPClient

from channels.email.account import MailAccount
from channels.email.imap import connect
from channels.email.parse import ParsedMail, parse_mail
from channels.file_quota import FileQuota, Refusal
from triage.domain.model import Attachment, Channel, InboundMessage
from triage.ports import Deliver
from triage.texts.catalog import Lang
from triage.texts.catalog import text as catalog_text

log = logging.getLogger(__name__)
BATCH = 25
SEEN = b"\\Seen"


@dataclass(frozen=True)
class FolderCursor:
    """Where we are in one folder: `validity:last_uid:YYYY-MM-DD` (the day of the last mail,
    so a renumbered folder is searched again from shortly before it)."""

    validity: int
    last_uid: int
    day: date

    def __str__(self) -> str:
        return f"{self.validity}:{self.last_uid}:{self.day.isoformat()}"

    @classmethod
    def parse(cls, value: str | None) -> FolderCursor | None:
        try:
            validity, uid, day = (value or "").split(":")
            return cls(int(validity), int(uid), date.fromisoformat(day))
        except ValueError:
            return None


@dataclass
class ImapSource:
    """The email channel's receiving side (a `ChannelSource`)."""

    account: MailAccount
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    quota: FileQuota | None = None  # how much one sender's mail may keep on disk
    _warned: set[int] = field(default_factory=set)  # renumberings already logged

    @property
    def cursor_key(self) -> str:
        return self.account.key

    def poll_once(self, deliver: Deliver, cursor: str | None) -> int:
        client = connect(self.account)
        try:
            return self._poll(client, deliver, FolderCursor.parse(cursor))
        finally:
            try:
                client.logout()
            except Exception:  # noqa: BLE001 - the connection may already be gone
                client.shutdown()

    def _poll(self, client: IMAPClient, deliver: Deliver, cursor: FolderCursor | None) -> int:
        info = client.select_folder(self.account.folder, readonly=not self.account.mark_seen)
        validity = int(info[b"UIDVALIDITY"])
        # Mail arriving after this SELECT gets a UID >= UIDNEXT: safe to skip to UIDNEXT - 1.
        uid_next = int(info.get(b"UIDNEXT") or 0)
        resync = cursor is None or cursor.validity != validity
        if not resync:
            assert cursor is not None
            # `n:*` always includes the highest UID, even below n (RFC 3501): filter here.
            uids = client.search(["UID", f"{cursor.last_uid + 1}:*"])
            uids = [u for u in uids if u > cursor.last_uid]
        elif cursor is not None:
            if cursor.validity not in self._warned:
                self._warned.add(cursor.validity)
                log.warning(
                    "%s dinomori ulang (UIDVALIDITY berubah): dibaca ulang",
                    self.cursor_key,
                )
            uids = client.search(["SINCE", cursor.day - timedelta(days=1)])
        else:  # the very first start: recent mail only, not years of the office's history
            since = self.clock().date() - timedelta(days=self.account.backfill_days)
            uids = client.search(["SINCE", since])
        delivered = 0
        day = cursor.day if cursor is not None else self.clock().date()
        last = cursor.last_uid if not resync and cursor is not None else 0
        for start in range(0, len(uids), BATCH):
            batch = sorted(uids)[start : start + BATCH]
            fetched = client.fetch(batch, ["BODY.PEEK[]", "INTERNALDATE"])
            for uid in batch:
                data = fetched.get(uid)
                if data is None or b"BODY[]" not in data:
                    continue  # expunged between search and fetch
                arrived = _utc(data.get(b"INTERNALDATE")) or self.clock()
                day = max(day, arrived.date())
                last = max(last, uid)
                message = self.inbound(bytes(data[b"BODY[]"]), arrived)
                deliver(message, str(FolderCursor(validity, uid, day)))
                delivered += 1
            if self.account.mark_seen:
                client.add_flags(batch, [SEEN], silent=True)
        if resync and uid_next - 1 > last:
            # Older mail the server renumbered above what we took must not come in as new.
            deliver(None, str(FolderCursor(validity, uid_next - 1, day)))
        return delivered

    def inbound(self, raw: bytes, arrived: datetime) -> InboundMessage:
        """One raw mail as an inbox message; its files and the raw mail kept on disk."""
        mail = parse_mail(raw, max_file_bytes=self.account.max_file_bytes)
        if mail.problems:
            log.info("satu surel bermasalah: %s", ", ".join(mail.problems))
        identity = mail.identity(raw)
        # Named by the bytes: another mail can never overwrite this one's files.
        folder = self.account.files_dir / hashlib.sha256(raw).hexdigest()[:32]
        sender = mail.from_address or f"unknown:{identity[-16:]}"
        attachments, notes = self._keep_files(mail, raw, folder, sender)
        lang = self.account.language
        body = mail.text or catalog_text("email.empty", lang)  # type: ignore[arg-type]
        if mail.automatic:
            notes.insert(0, catalog_text("email.automatic", lang, why=mail.automatic))  # type: ignore[arg-type]
        return InboundMessage(
            channel=Channel.EMAIL,
            external_id=identity,
            # No sender address: a client of its own, never merged with other such mail.
            sender_id=sender,
            sender_name=mail.from_name or mail.from_address,
            text="\n".join([*notes, body]) if notes else body,
            received_at=arrived,
            attachments=tuple(attachments),
            subject=mail.subject,
            in_reply_to=mail.in_reply_to,
            # Also as this sender's own inbox ids, so a follow-up to one's own mail threads.
            references=(
                *mail.references,
                *(mail.sender_key(r) for r in (*mail.references, mail.in_reply_to) if r),
            ),
            auto_generated=mail.automatic is not None,
        )

    def _keep_files(
        self, mail: ParsedMail, raw: bytes, folder: Path, sender: str
    ) -> tuple[list[Attachment], list[str]]:
        lang: Lang = self.account.language  # type: ignore[assignment]
        original = folder / "pesan-asli.eml"
        names = _names(mail)
        refused = self._refused(sender, original, len(raw))
        if refused is not None:  # the raw mail holds its files: none is kept, one note
            shown = ", ".join(["pesan-asli.eml", *names])
            assert self.quota is not None
            note = self.quota.note(refused, shown, "email", lang)
            kept = [Attachment("pesan-asli.eml", "message/rfc822", len(raw), None)]
            files = zip(names, mail.files, strict=True)
            kept += [Attachment(n, f.content_type, f.size, None) for n, f in files]
            return kept, [note]
        folder.mkdir(parents=True, exist_ok=True)
        original.write_bytes(raw)  # the same path on a retry: rewriting it is harmless
        kept = [Attachment("pesan-asli.eml", "message/rfc822", len(raw), str(original))]
        notes: list[str] = []
        for name, file in zip(names, mail.files, strict=True):
            path = folder / name
            refused = None if file.data is None else self._refused(sender, path, file.size)
            if file.data is None:
                limit = f"{self.account.max_file_bytes // 1024} KB"
                notes.append(
                    catalog_text(
                        "email.file_too_big",
                        lang,
                        name=name,
                        size=f"{file.size // 1024} KB",
                        limit=limit,
                    )
                )
            elif refused is not None and self.quota is not None:
                notes.append(self.quota.note(refused, name, "email", lang))
            else:
                path.write_bytes(file.data)
                kept.append(Attachment(name, file.content_type, file.size, str(path)))
                continue
            kept.append(Attachment(name, file.content_type, file.size, None))
        return kept, notes

    def _refused(self, sender: str, path: Path, size: int) -> Refusal | None:
        # mail without a sender address shares one allowance (each is a client of its own)
        who = "unknown" if sender.startswith("unknown:") else sender
        return None if self.quota is None else self.quota.take("email", who, str(path), size)


def _names(mail: ParsedMail) -> list[str]:
    """Each file's name in the mail's folder, made unique beside the raw mail's."""
    used: set[str] = {"pesan-asli.eml"}
    names = []
    for n, file in enumerate(mail.files, start=1):
        name = file.filename if file.filename not in used else f"{n}-{file.filename}"
        used.add(name)
        names.append(name)
    return names


def _utc(value: object) -> datetime | None:
    if not isinstance(value, datetime):
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
