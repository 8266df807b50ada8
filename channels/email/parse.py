"""One raw mail to what the inbox needs, as a pure function that never raises: broken MIME,
unknown or wrong charsets, HTML-only bodies and huge mails all give a readable result, and
what was odd is listed in `problems` (for the log; no personal data in it)."""

from __future__ import annotations

import codecs
import email
import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.header import decode_header, make_header
from email.message import Message
from email.policy import compat32
from email.utils import getaddresses, parsedate_to_datetime

from channels.email.automatic import automatic_reason
from channels.email.flowed import unflow
from channels.email.html_text import html_to_text
from channels.email.quotes import latest_reply

MAX_TEXT_CHARS = 50_000  # more is cut for display; the raw mail is kept whole
MAX_QUOTE_SCAN = 20_000  # quote stripping (regular expressions) looks at this much at most
MSGID = re.compile(r"<[^<>\s]+>")
UNSAFE_NAME = re.compile(r"[^\w.\- ()]+")
C1_BYTES = re.compile(rb"[\x80-\x9f]")
LATIN_LABELS = {"us-ascii", "ascii", "iso-8859-1", "latin-1", "latin1", "windows-1252", "cp1252"}


@dataclass(frozen=True)
class MailFile:
    filename: str  # sanitised: safe as a file name, no path
    original_name: str
    content_type: str
    data: bytes | None  # None when over the size cap
    size: int


@dataclass(frozen=True)
class ParsedMail:
    message_id: str | None
    from_address: str
    from_name: str
    subject: str | None
    date: datetime | None
    in_reply_to: str | None
    references: tuple[str, ...]
    automatic: str | None  # why it is automatic mail (never answered), or None
    text: str  # for display: the quoted history stripped, capped
    full_text: str  # the whole body as text, capped
    files: tuple[MailFile, ...]
    problems: tuple[str, ...]

    def identity(self, raw: bytes) -> str:
        """The mail's unique id in the inbox: its Message-ID with a digest of its sender (two
        senders' mails that share a Message-ID are both kept; the same mail read again after
        a folder was renumbered is still one), or a digest of its bytes when it has none."""
        if self.message_id is None:
            return "sha256:" + hashlib.sha256(raw).hexdigest()
        return self.sender_key(self.message_id)

    def sender_key(self, message_id: str) -> str:
        return f"{message_id}#{hashlib.sha256(self.from_address.encode()).hexdigest()[:10]}"


def parse_mail(raw: bytes, *, max_file_bytes: int = 10 * 1024 * 1024) -> ParsedMail:
    try:
        return _parse(raw, max_file_bytes)
    except Exception as exc:  # noqa: BLE001 - one unreadable mail must never block the mailbox
        return _unreadable(raw, type(exc).__name__)


def _unreadable(raw: bytes, why: str) -> ParsedMail:
    """The last resort: the bytes as text, the sender if a From line can be seen; the
    original is kept whole by the adapter, so staff can still open it."""
    text = raw[:MAX_TEXT_CHARS].decode("utf-8", errors="replace")
    found = re.search(r"^From:.*?([\w.+-]+@[\w-]+(?:\.[\w-]+)+)", text, re.M | re.I)
    return ParsedMail(
        message_id=None,
        from_address=found.group(1).lower() if found else "",
        from_name="",
        subject=None,
        date=None,
        in_reply_to=None,
        references=(),
        automatic=None,
        text=text,
        full_text=text,
        files=(),
        problems=("unreadable: " + why,),
    )


def _parse(raw: bytes, max_file_bytes: int) -> ParsedMail:
    problems: list[str] = []
    msg = email.message_from_bytes(raw, policy=compat32)
    problems += [type(d).__name__ for d in msg.defects]
    from_name, from_address = _sender(msg)
    texts: list[str] = []
    files: list[MailFile] = []
    _walk(msg, texts, files, problems, max_file_bytes)
    full = "\n\n".join(t for t in texts if t.strip()).strip()
    if len(full) > MAX_TEXT_CHARS:
        problems.append("text cut")
        full = full[:MAX_TEXT_CHARS] + "\n[…]"
    return ParsedMail(
        message_id=_first_id(msg.get("Message-ID")),
        from_address=from_address,
        from_name=from_name,
        subject=_header(msg.get("Subject")) or None,
        date=_date(msg.get("Date")),
        in_reply_to=_first_id(msg.get("In-Reply-To")),
        references=tuple(MSGID.findall(str(msg.get("References", "") or ""))),
        automatic=automatic_reason(msg, from_address),
        text=_display(full),
        full_text=full,
        files=tuple(files),
        problems=tuple(dict.fromkeys(problems)),
    )


def _display(full: str) -> str:
    head, rest = full[:MAX_QUOTE_SCAN], full[MAX_QUOTE_SCAN:]
    try:
        reply = latest_reply(head)
    except Exception:  # noqa: BLE001 - a regex library surprise must not lose the mail
        return full
    return reply if rest == "" or reply != head.strip() else full


def _header(value: object) -> str:
    """A header's text with RFC 2047 words decoded; undecodable parts are replaced, not fatal."""
    if value is None:
        return ""
    raw = str(value)
    try:
        text = str(make_header(decode_header(raw)))
    except Exception:  # noqa: BLE001 - bad charsets, broken encoded words: decode what we can
        try:
            parts = []
            for chunk, charset in decode_header(raw):
                if isinstance(chunk, bytes):
                    chunk = _decode(chunk, charset or "utf-8", [])
                parts.append(chunk)
            text = "".join(parts)
        except Exception:  # noqa: BLE001 - not even that: the header as it stands
            text = raw
    return " ".join(text.split())


def _sender(msg: Message) -> tuple[str, str]:
    name, address = "", ""
    pairs = getaddresses([str(msg.get("From", "") or "")])
    if pairs:
        name, address = pairs[0]
    return _header(name), address.strip().lower()


def _first_id(value: object) -> str | None:
    found = MSGID.findall(str(value or ""))
    return found[0] if found else None


def _date(value: object) -> datetime | None:
    try:
        parsed = parsedate_to_datetime(str(value)) if value else None
    except (TypeError, ValueError, IndexError):
        return None
    if parsed is not None and parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def _decode(data: bytes, charset: str, problems: list[str]) -> str:
    """Bytes to text by the declared charset when it is known and fits; UTF-8 when the bytes
    are valid UTF-8 but labelled Latin; else Windows-1252, which never fails."""
    label = (charset or "utf-8").strip().strip('"').lower()
    try:
        codecs.lookup(label)
    except (LookupError, ValueError, TypeError):
        problems.append("unknown charset")
        label = "utf-8"
    if label in LATIN_LABELS and not data.isascii():
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    if codecs.lookup(label).name == "iso8859-1" and C1_BYTES.search(data):
        # Latin-1 has no printable characters at 0x80-0x9f, Windows-1252 has its quotes and
        # dashes there: a mail "in Latin-1" with those bytes was written in Windows-1252
        # (Outlook's usual mislabel), and read as Latin-1 it would show control characters.
        return data.decode("cp1252", errors="replace")
    for candidate in (label, "utf-8"):
        try:
            return data.decode(candidate)
        except (UnicodeError, LookupError, ValueError):
            continue
    problems.append("charset mismatch")
    return data.decode("cp1252", errors="replace")


def _payload(part: Message, problems: list[str]) -> bytes:
    try:
        data = part.get_payload(decode=True)
    except Exception:  # noqa: BLE001 - a broken transfer encoding: keep what is there
        problems.append("undecodable part")
        data = None
    if data is None:
        raw = part.get_payload()
        data = raw.encode("utf-8", "replace") if isinstance(raw, str) else b""
    return data


def _is_file(part: Message) -> bool:
    disposition = str(part.get("Content-Disposition", "") or "").split(";")[0].strip().lower()
    return (
        disposition == "attachment"
        or part.get_filename() is not None
        or part.get_content_maintype() not in ("text", "multipart")
    )


def _walk(
    part: Message, texts: list[str], files: list[MailFile], problems: list[str], cap: int
) -> None:
    content_type = part.get_content_type()
    if part.is_multipart():
        children = [c for c in part.get_payload() if isinstance(c, Message)]
        if content_type == "multipart/alternative":
            chosen = _alternative(children)
            for child in children:
                if child is chosen:
                    _walk(child, texts, files, problems, cap)
                elif _is_file(child) and not child.get_content_maintype() == "text":
                    _walk(child, texts, files, problems, cap)
            return
        for child in children:
            _walk(child, texts, files, problems, cap)
        return
    if content_type == "message/delivery-status":
        return  # the bounce's machine part; its human part is text
    if _is_file(part):
        files.append(_file(part, problems, cap))
        return
    data = _payload(part, problems)
    text = _decode(data, part.get_content_charset() or "utf-8", problems)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if content_type == "text/plain" and part.get_param("format", "").lower() == "flowed":
        text = unflow(text, delsp=part.get_param("delsp", "").lower() == "yes")
    texts.append(html_to_text(text) if content_type == "text/html" else text.strip())


def _alternative(children: list[Message]) -> Message | None:
    for wanted in ("text/plain", "text/html"):
        for child in children:
            if child.get_content_type() == wanted and not _is_file(child):
                return child
    return next((c for c in children if c.is_multipart()), children[0] if children else None)


def _file(part: Message, problems: list[str], cap: int) -> MailFile:
    try:
        name = part.get_filename()
    except Exception:  # noqa: BLE001 - a malformed RFC 2231 parameter
        problems.append("bad file name")
        name = None
    original = _header(name) if name else ""
    data = _payload(part, problems)
    content_type = part.get_content_type()
    if not original and content_type == "message/rfc822":
        original = "pesan.eml"
    return MailFile(
        filename=safe_filename(original, content_type),
        original_name=original,
        content_type=content_type,
        data=data if len(data) <= cap else None,
        size=len(data),
    )


def safe_filename(name: str, content_type: str = "") -> str:
    """A name that is safe on disk and on screen: no directories, no control characters."""
    base = re.split(r"[\\/]", name)[-1]
    base = UNSAFE_NAME.sub("_", base).strip(" ._")[:80]
    if base:
        return base
    extension = {"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf"}
    return "lampiran" + extension.get(content_type, "")
