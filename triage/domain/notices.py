"""Staff notices: what the staff side of Telegram is told, as outbox items.

Notices are queued in the same transaction as the change they report (exactly once, in order
per chat). They carry facts, not wording: `options["kind"]` and structured fields; the shell
renders them in the office's language and escapes them for the parse mode it uses. Client
content travels in `text` as a JSON list of entries (`Entry`), so several messages can be
coalesced into one post while the budget of the admin group holds them back.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from enum import StrEnum

from triage.domain.model import Conversation, Direction, StoredMessage

URGENT_PRIORITY = 10
REVIEW_PRIORITY = 5  # possible danger (perlu_dicek): after the urgent, before the rest
DIGEST_OVER = 3  # more reminders than this for one place at once: one digest instead
DIGEST_WORST = 10  # the digest names the longest waits; the rest it counts
# Room left for the header and markup of a post under Telegram's 4,096 characters.
MAX_CONTENT = 3000
ENTRY_HEADER = 80  # "Klien 09:05 (bagian 2/3) [pesan otomatis, tidak perlu dijawab]"
MAX_FILE_NAME = 100
MAX_FILES = 10


class Kind(StrEnum):
    CARD = "card"  # the first post of a conversation's round in its admin topic, with buttons
    CLIENT = "client"  # client message(s): to the admin topic, or to the assigned counselor
    STATUS = "status"  # a state change, for the admin topic (never counseling content)
    OFFER = "offer"  # a case offered to a counselor, with "Ambil kasus"
    TAKEN = "taken"  # an offer someone else has taken
    CASE = "case"  # the case as the claiming counselor receives it: the story so far
    TOPIC = "topic"  # close or reopen the conversation's topic (options["action"])
    INFO = "info"  # an answer to one staff member: help, a refusal, a list
    ALERT = "alert"  # an urgent message arrived in a case (no content: where to look)
    DOCUMENT = "document"  # a file for one staff member (options["path"]; text: its caption)
    BOARD = "board"  # the queue board pinned in the admin group (triage.usecases.board)
    REMINDER = "reminder"  # an SLA target reached (level 0) or missed, told to the head (1)
    UNDELIVERED = "undelivered"  # an item that failed for good, with a button to try again
    DIGEST = "digest"  # many reminders at once as one post: how many, the longest waits first


def group(conv_id: int) -> str:
    """The recipient naming a conversation's place in the admin group (its topic)."""
    return f"group:{conv_id}"


GENERAL = "group:general"  # the admin group outside any topic


def staff(staff_id: int) -> str:
    """The recipient naming a staff member's private chat with the bot."""
    return f"staff:{staff_id}"


def staff_id_of(recipient: str) -> int | None:
    """The staff member a `staff(…)` recipient names; None for a group or topic."""
    prefix, _, rest = recipient.partition(":")
    return int(rest) if prefix == "staff" and rest.lstrip("-").isdigit() else None


@dataclass(frozen=True)
class Entry:
    """One message inside a notice: when, what, which files, and who wrote it."""

    at: str  # ISO 8601, UTC
    text: str
    files: tuple[str, ...] = ()
    auto: bool = False  # an auto-reply or bounce: shown, never answered
    author: str = "client"  # client, staff, note, bot (our automatic answer), masked (no words)
    part: str = ""  # "2/3" when a long message was split


def entries_of(messages: Iterable[StoredMessage], *, author_of=None) -> list[Entry]:  # noqa: ANN001
    out: list[Entry] = []
    for m in messages:
        if m.masked:  # before the client's consent: when, never what (triage.domain.consent)
            out.append(Entry(m.created_at.isoformat(), "", (), m.auto_generated, "masked"))
            continue
        author = author_of(m) if author_of else "client"
        files = tuple(f"{a.filename[:MAX_FILE_NAME]} ({a.size} B)" for a in m.attachments)
        if len(files) > MAX_FILES:  # the rest are in the inbox; the post must stay short
            files = (*files[:MAX_FILES], f"+{len(files) - MAX_FILES}")
        out.extend(_split(m.created_at, m.text, files, m.auto_generated, author))
    return out


def answer_entries(at: datetime, body: str) -> list[Entry]:
    """An automatic answer the bot sent the client, shown in the same post as the message it
    answers (author "bot")."""
    return _split(at, body, (), False, "bot")


def _split(at: datetime, text: str, files: tuple[str, ...], auto: bool, author: str) -> list[Entry]:
    """A message longer than one post becomes numbered parts (its file list the last one), so
    nothing is cut off and every part fits a post on its own."""
    stamp, room = at.isoformat(), MAX_CONTENT - ENTRY_HEADER
    if len(text) + sum(len(f) + 4 for f in files) <= room:
        return [Entry(stamp, text, files, auto, author)]
    chunks = [text[i : i + room] for i in range(0, len(text), room)] or [""]
    total = len(chunks) + (1 if files else 0)
    parts = [
        Entry(stamp, chunk, (), auto, author, f"{n}/{total}")
        for n, chunk in enumerate(chunks, start=1)
    ]
    if files:
        parts.append(Entry(stamp, "", files, auto, author, f"{total}/{total}"))
    return parts


def dump(entries: Sequence[Entry]) -> str:
    return json.dumps([asdict(e) for e in entries], ensure_ascii=False)


def load(text: str) -> list[Entry]:
    try:
        raw = json.loads(text)
    except ValueError:
        return [Entry(at="", text=text)]
    if not isinstance(raw, list):
        return [Entry(at="", text=text)]
    out = []
    for e in raw:
        if isinstance(e, dict):
            e = {**e, "files": tuple(e.get("files") or ())}
            out.append(Entry(**e))
    return out


def size(entries: Sequence[Entry]) -> int:
    """An upper bound of the entries' share of a post: text, file lines and each entry's
    header (author, time, part, the automatic-message note)."""
    return sum(len(e.text) + sum(len(f) + 4 for f in e.files) + ENTRY_HEADER for e in entries)


def batches(entries: Sequence[Entry]) -> list[list[Entry]]:
    """Entries packed into posts that each fit."""
    out: list[list[Entry]] = [[]]
    for entry in entries:
        if out[-1] and size(out[-1]) + size([entry]) > MAX_CONTENT:
            out.append([])
        out[-1].append(entry)
    return [b for b in out if b]


def priority(conv: Conversation) -> int:
    if conv.urgent:
        return URGENT_PRIORITY
    return REVIEW_PRIORITY if conv.risk == "perlu_dicek" else 0


def author_of(m: StoredMessage) -> str:
    """Who wrote a message, as the notices label it."""
    if m.internal:
        return "note"
    return "client" if m.direction is Direction.IN else "staff"


@dataclass(frozen=True)
class DigestEntry:
    """A case in a digest of reminders: which step waits, at which level (0 the target
    reached, 1 the head told), how long it has waited and the target, in service minutes."""

    conv: int
    step: str
    level: int
    minutes: int
    target: int


@dataclass(frozen=True)
class Digest:
    """Reminders told together: how many, how many of them went to the head, and the longest
    waits (escalations first). Its size stays the same however many it counts."""

    count: int = 0
    escalated: int = 0
    worst: tuple[DigestEntry, ...] = ()

    def plus(self, entries: Sequence[DigestEntry]) -> Digest:
        """Counted all; named the longest waits, one line a case and step (its reminder and
        its escalation caught up together: the escalation)."""
        ranked = sorted([*self.worst, *entries],
                        key=lambda e: (-e.level, e.target - e.minutes, e.conv))  # fmt: skip
        named: dict[tuple[int, str], DigestEntry] = {}
        for e in ranked:
            named.setdefault((e.conv, e.step), e)
        return Digest(self.count + len(entries),
                      self.escalated + sum(e.level > 0 for e in entries),
                      tuple(list(named.values())[:DIGEST_WORST]))  # fmt: skip


def dump_digest(digest: Digest) -> str:
    return json.dumps(asdict(digest))


def load_digest(text: str) -> Digest:
    """A digest as stored; anything else reads as an empty one."""
    try:
        raw = json.loads(text)
        worst = tuple(DigestEntry(**e) for e in raw.get("worst", []))
        return Digest(int(raw.get("count", 0)), int(raw.get("escalated", 0)), worst)
    except (ValueError, TypeError, AttributeError):
        return Digest()
