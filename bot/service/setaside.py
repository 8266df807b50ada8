"""A message a channel delivered that cannot be stored is set aside after a few tries (a dead
letter with everything needed to store it later), so the channel's cursor moves on and the
messages after it, an urgent one perhaps, come in; staff are told, and `puspaga dead-letters`
lists and retries what was set aside. A database that does not answer at all is an outage, not
a bad message: nothing is set aside then, the poll stops and is tried again."""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import asdict
from datetime import datetime

from sqlalchemy import text as sql

from bot.app import App
from storage.db import is_database_outage
from triage.domain import notices
from triage.domain.model import Attachment, Channel, InboundMessage
from triage.effects import notify
from triage.texts.catalog import text
from triage.usecases.ingest import ingest

log = logging.getLogger(__name__)

TRIES = 3  # failed stores of one message before it is set aside


def as_json(message: InboundMessage) -> str:
    """The message whole, as JSON escaped to ASCII: a NUL or a lone surrogate, which a database
    may refuse in text, is kept as an escape."""
    data = asdict(message)
    data["channel"] = message.channel.value
    data["received_at"] = message.received_at.isoformat()
    return json.dumps(data, ensure_ascii=True)


def from_json(payload: str) -> InboundMessage:
    data = json.loads(payload)
    data["channel"] = Channel(data["channel"])
    data["received_at"] = datetime.fromisoformat(data["received_at"])
    data["attachments"] = tuple(Attachment(**a) for a in data.get("attachments") or ())
    data["references"] = tuple(data.get("references") or ())
    return InboundMessage(**data)


class NotAMessage(ValueError):
    """A dead letter that is not a channel's message (a Telegram update): not stored from here."""


def _database_answers(app: App) -> bool:
    try:
        with app.engine.connect() as conn:
            conn.execute(sql("SELECT 1"))
        return True
    except Exception:  # noqa: BLE001 - any failure here means the database itself is away
        return False


def _key(cursor_key: str, message: InboundMessage) -> str:
    return hashlib.sha256(f"{cursor_key}\n{message.external_id}".encode()).hexdigest()[:32]


def stored(app: App, cursor_key: str, message: InboundMessage) -> None:
    """A message stored at last: its earlier failures are forgotten."""
    app.store_failures.pop(_key(cursor_key, message), None)


def set_aside(
    app: App, cursor_key: str, message: InboundMessage, new_cursor: str, error: BaseException
) -> bool:
    """After `error` storing `message`: True when it is now set aside (kept, the cursor moved,
    staff told); False when it should be tried again (an earlier try, or an outage: the
    database locked, full, read-only or away is no fault of this message)."""
    if is_database_outage(error) or not _database_answers(app):
        return False
    key = _key(cursor_key, message)
    tries = app.store_failures.get(key, 0) + 1
    app.store_failures[key] = tries
    log.warning(
        "pesan dari %s gagal disimpan (%s), percobaan %d dari %d",
        cursor_key, type(error).__name__, tries, TRIES,
    )  # fmt: skip
    if tries < TRIES:
        return False
    now, lang = app.clock(), app.settings.language
    channel = text(f"channel.{message.channel.value}", lang)
    letter = app.dead_letters.add(
        source=cursor_key,
        external_id=message.external_id[:100],
        payload=as_json(message),
        error=type(error).__name__,
        at=now,
        sender=f"{message.channel.value}:{message.sender_id}"[:340],
    )
    with app.uows() as uow:
        uow.cursors.set(cursor_key, new_cursor)
        notify.queue(
            uow,
            key=f"dead-letter:{key}",  # the message's own: a row id may be used again
            recipient=notices.GENERAL,
            kind=notices.Kind.INFO,
            now=now,
            text=text("staff.set_aside", lang, channel=channel, id=letter, tries=TRIES),
        )
        uow.commit()
    del app.store_failures[key]
    app.wake.set()
    return True


def retry(app: App, letter_id: int) -> int:
    """Store a set-aside message now (`puspaga dead-letters --retry`); its conversation's
    number. The dead letter goes once the message is stored; a failure raises, it stays."""
    letter = app.dead_letters.get(letter_id)
    if letter is None:
        raise LookupError(letter_id)
    if letter.source == "telegram":  # an update, not a message: the service handles those
        raise NotAMessage(letter_id)
    message = from_json(letter.payload)
    result = ingest(message, uow_factory=app.uows, now=app.clock(), reopen_window=app.reopen_window)
    app.dead_letters.drop(letter_id)
    return result.conversation_id
