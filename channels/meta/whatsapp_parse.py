"""A WhatsApp Cloud API webhook post as the items our number was sent: client messages (text,
media, locations, contacts, button answers) and the statuses of what we sent. Every entry,
change, message and status is read (a post may batch many); what is for another number is
left to its own drain."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from channels.meta.items import UNKNOWN_TIME, Media, Message, Status, as_dict, as_list

MEDIA = ("image", "video", "audio", "document", "sticker")


def items(body: str, phone_number_id: str) -> list[Message | Status]:
    """Raises ValueError when the body is not a WhatsApp post."""
    post = json.loads(body)
    if not isinstance(post, dict) or post.get("object") != "whatsapp_business_account":
        raise ValueError("not a WhatsApp post")
    found: list[Message | Status] = []
    for number, field, value in _changes(post):
        if field != "messages" or number != phone_number_id:
            continue
        names = {
            str(c.get("wa_id") or c.get("user_id") or ""): str(
                as_dict(c.get("profile")).get("name") or ""
            )
            for c in as_list(value.get("contacts"))
        }
        for message in as_list(value.get("messages")):
            try:
                parsed = _message(message, names)
            except (TypeError, ValueError, AttributeError, KeyError):
                parsed = _unreadable(message, names)  # an odd shape: kept, said so
            if parsed is not None:
                found.append(parsed)
        for status in as_list(value.get("statuses")):
            if status.get("id") and status.get("status"):
                codes = tuple(
                    int(e["code"]) for e in as_list(status.get("errors"))
                    if isinstance(e.get("code"), int)
                )  # fmt: skip
                recipient = str(status.get("recipient_id") or "")
                callback = str(status.get("biz_opaque_callback_data") or "")
                found.append(Status(str(status["id"]), str(status["status"]), codes,
                                      recipient, callback))  # fmt: skip
    return found


def _changes(post: dict[str, Any]) -> Iterator[tuple[str, Any, dict[str, Any]]]:
    """Every change of every entry that names its number: (phone number id, field, value)."""
    for entry in as_list(post.get("entry")):
        for change in as_list(entry.get("changes")):
            value = change.get("value")
            if isinstance(value, dict) and isinstance(value.get("metadata"), dict):
                yield str(value["metadata"].get("phone_number_id", "")), change.get("field"), value


def _unreadable(message: dict[str, Any], names: dict[str, str]) -> Message | None:
    wamid, sender = _who(message)
    if not wamid or not sender:
        return None
    return Message(wamid, sender, names.get(sender, ""), UNKNOWN_TIME, "unreadable", "")


def _who(message: dict[str, Any]) -> tuple[str, str]:
    """The message's wamid and its sender (the wa_id, or the business-scoped user id)."""
    wamid = str(message.get("id") or "")
    return wamid, str(message.get("from") or message.get("from_user_id") or "")


def _message(message: dict[str, Any], names: dict[str, str]) -> Message | None:
    wamid, sender = _who(message)
    if not wamid or not sender:
        return None
    try:
        at = datetime.fromtimestamp(int(message.get("timestamp", 0)), UTC)
    except (TypeError, ValueError, OverflowError):
        at = UNKNOWN_TIME
    kind = str(message.get("type") or "unknown")
    content = as_dict(message.get(kind))
    media = None
    text = ""
    if kind == "text":
        text = str(content.get("body") or "")
    elif kind in MEDIA:
        text = str(content.get("caption") or "")
        if content.get("id"):
            media = Media(
                kind=kind,
                mime_type=str(content.get("mime_type") or "application/octet-stream"),
                filename=str(content["filename"]) if content.get("filename") else None,
                id=str(content["id"]),
                voice=bool(content.get("voice")),
            )
    elif kind == "location":
        place = " ".join(str(content.get(k) or "") for k in ("name", "address")).strip()
        where = f"{content.get('latitude')}, {content.get('longitude')}"
        text = f"📍 {place} ({where})".replace("  ", " ") if place else f"📍 {where}"
    elif kind == "contacts":
        people = []
        for card in as_list(message.get("contacts")):
            name = str(as_dict(card.get("name")).get("formatted_name") or "")
            phones = ", ".join(str(p.get("phone") or "") for p in as_list(card.get("phones")))
            people.append(f"👤 {name} {phones}".strip())
        text = "\n".join(people)
    elif kind == "interactive":
        reply = as_dict(content.get("button_reply") or content.get("list_reply"))
        text = str(reply.get("title") or "")
    elif kind == "button":
        text = str(content.get("text") or "")
    elif kind == "reaction":
        return None  # an emoji on an earlier message: not a message of its own
    files = (media,) if media is not None else ()
    return Message(wamid, sender, names.get(sender, ""), at, kind, text, files)
