"""A Messenger (object "page") or Instagram Messaging (object "instagram") webhook post as the
messages our Page or Instagram account was sent. Both platforms share the shape: each entry is
one account's, its `messaging` (or `standby`, while another app holds the thread) lists events.
Echoes of what we (or the Page's own inbox) sent, deliveries, reads, reactions and unsends are
not client messages: skipped. Meta's dashboard sends its test events in a `changes` envelope."""

from __future__ import annotations

import json
import mimetypes
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote, urlsplit

from channels.meta.items import UNKNOWN_TIME, Media, Message, as_dict, as_list

KINDS = {"image": "image", "video": "video", "audio": "audio", "file": "document"}


def items(body: str, account: str, kind: str) -> list[Message]:
    """`kind`: "page" or "instagram". Raises ValueError when the body is not such a post."""
    post = json.loads(body)
    if not isinstance(post, dict) or post.get("object") != kind:
        raise ValueError(f"not a {kind} post")
    found: list[Message] = []
    for entry in as_list(post.get("entry")):
        if str(entry.get("id") or "") != account:
            continue  # another Page or account of the same app: its own drain
        events = as_list(entry.get("messaging")) + as_list(entry.get("standby"))
        events += [as_dict(c.get("value")) for c in as_list(entry.get("changes"))
                   if c.get("field") == "messages"]  # fmt: skip
        for event in events:
            try:
                parsed = _event(event, account)
            except (TypeError, ValueError, AttributeError, KeyError, OverflowError):
                parsed = _unreadable(event, account)  # an odd shape: kept, said so
            if parsed is not None:
                found.append(parsed)
    return found


def _who(event: dict[str, Any], account: str) -> tuple[str, str]:
    """The event's message id and its sender; ("", "") when it is not a client's message."""
    sender = str(as_dict(event.get("sender")).get("id") or "")
    message = as_dict(event.get("message")) or as_dict(event.get("postback"))
    mid = str(message.get("mid") or "")
    if not sender or sender == account or message.get("is_echo") or message.get("is_deleted"):
        return "", ""
    return mid, sender


def _unreadable(event: dict[str, Any], account: str) -> Message | None:
    mid, sender = _who(event, account)
    return Message(mid, sender, "", UNKNOWN_TIME, "unreadable", "") if mid else None


def _event(event: dict[str, Any], account: str) -> Message | None:
    mid, sender = _who(event, account)
    if not mid:
        return None
    at = _time(event.get("timestamp"))
    if "postback" in event:  # a button of ours tapped: its title is what the client said
        return Message(mid, sender, "", at, "postback", str(event["postback"].get("title") or ""))
    message = as_dict(event.get("message"))
    words = [str(message.get("text") or "")]
    quick = as_dict(message.get("quick_reply")).get("payload")
    if quick and not words[0]:
        words = [str(quick)]
    files: list[Media] = []
    for attachment in as_list(message.get("attachments")):
        kind = str(attachment.get("type") or "unknown")
        payload = as_dict(attachment.get("payload"))
        url = str(payload.get("url") or "")
        if kind in KINDS and url:
            files.append(_file(KINDS[kind], url))
        elif kind == "location" and isinstance(payload.get("coordinates"), dict):
            where = payload["coordinates"]
            words.append(f"📍 {where.get('lat')}, {where.get('long')}")
        else:  # a shared post, a story mention, a reel, a template: said with its link
            title = str(attachment.get("title") or payload.get("title") or "")
            words.append(f"[{kind}] {title} {url}".replace("  ", " ").strip())
    text = "\n".join(w for w in words if w)
    kind = "text" if not files else files[0].kind
    return Message(mid, sender, "", at, kind if text or files else "unsupported", text,
                   tuple(files))  # fmt: skip


def _time(stamp: Any) -> datetime:
    """Meta's milliseconds (seconds in the dashboard's test events); an unreadable time is
    left to the source, never losing the message."""
    try:
        value = float(stamp)
        return datetime.fromtimestamp(value / 1000 if value > 1e11 else value, UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return UNKNOWN_TIME


def _file(kind: str, url: str) -> Media:
    """The file's name and type as its link says them (Meta's posts give neither)."""
    name = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
    guessed = mimetypes.guess_type(name)[0] if "." in name else None
    default = {"image": "image/jpeg", "video": "video/mp4", "audio": "audio/mp4"}.get(
        kind, "application/octet-stream"
    )
    return Media(kind, guessed or default, name if guessed else None, url=url)
