"""What a Meta webhook post holds for one of our accounts, whichever channel it came by: a
client's message (its words, the files to fetch) or the status of something we sent; and
which of our drains a post is for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

UNKNOWN_TIME = datetime.fromtimestamp(0, UTC)  # no time readable: the source puts its own
# Meta's object -> the channel's key: a drain's cursor key is "<key>:<account id>"
OBJECTS = {"whatsapp_business_account": "whatsapp", "page": "messenger",
           "instagram": "instagram-graph"}  # fmt: skip


@dataclass(frozen=True)
class Media:
    kind: str  # image, video, audio, document, sticker
    mime_type: str
    filename: str | None
    id: str = ""  # WhatsApp: asked of the Graph API for a link that lasts minutes
    url: str = ""  # Messenger and Instagram: the link comes in the post
    voice: bool = False


@dataclass(frozen=True)
class Message:
    id: str  # the platform's message id (wamid, mid): the exactly-once key
    sender: str  # the wa_id, the page- or Instagram-scoped id
    name: str  # as the post names the sender ("" when it does not)
    at: datetime  # the platform's time of the message (a retry may arrive days later)
    kind: str
    text: str  # the words, a caption, a button's title, a location as words
    media: tuple[Media, ...] = ()


@dataclass(frozen=True)
class Status:
    id: str  # the platform's id of our message
    status: str  # sent, delivered, read, failed
    errors: tuple[int, ...] = ()
    recipient: str = ""
    callback: str = ""  # what the send carried back to us: "outbox:<id>"


def addresses(post: dict[str, Any]) -> set[str]:
    """The drains a post is for, "<channel key>:<account id>" (the receiver routes by them):
    WhatsApp's phone number ids, the Page's or the Instagram account's id of each entry."""
    key = OBJECTS.get(str(post.get("object")))
    if key is None:
        return set()
    found: set[str] = set()
    for entry in as_list(post.get("entry")):
        if key != "whatsapp":
            found.add(str(entry.get("id") or ""))
            continue
        for change in as_list(entry.get("changes")):
            metadata = as_dict(as_dict(change.get("value")).get("metadata"))
            found.add(str(metadata.get("phone_number_id") or ""))
    return {f"{key}:{account}" for account in found - {""}}


def as_list(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
