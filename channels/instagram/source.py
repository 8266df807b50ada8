"""Receiving Instagram DMs: the inbox threads and the message requests (first contacts from
people the account does not follow land there; they are approved), each thread read from its
own cursor (the id of the last item taken). Our own items never come back as a client's.

Politeness: the shell polls at an interval with jitter; rate limits, a refused session or a
challenge open a circuit breaker (backing off, up to an hour) and the admin group is told, while
the other channels go on."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from instagrapi import Client
from instagrapi.exceptions import (
    ClientConnectionError,
    ClientError,
    ClientThrottledError,
    FeedbackRequired,
    LoginRequired,
    PleaseWaitFewMinutes,
    RateLimitError,
)
from instagrapi.types import DirectMessage, DirectThread

from channels.file_quota import FileQuota, keep
from channels.instagram.normalise import describe
from channels.instagram.session import InstagramSession, NeedsCode
from triage.domain.model import Attachment, Channel, InboundMessage
from triage.ports import Deliver
from triage.texts.catalog import Lang, text

log = logging.getLogger(__name__)
SLOW_DOWN = (RateLimitError, PleaseWaitFewMinutes, ClientThrottledError, FeedbackRequired)
THREADS = 50  # threads read per pass (the most recently active first)
DEPTH = 200  # new items read back in one thread per pass


@dataclass
class Breaker:
    """Open after trouble: no calls until `until`; each trip waits twice as long (max 1 h)."""

    until: datetime | None = None
    wait: timedelta = timedelta(minutes=2)
    reason: str | None = None

    def open(self, now: datetime) -> bool:
        return self.until is not None and now < self.until

    def trip(self, now: datetime, reason: str) -> bool:
        """True when this is news (the admins are told once per spell, not each try)."""
        news = self.reason != reason
        self.until, self.reason = now + self.wait, reason
        self.wait = min(self.wait * 2, timedelta(hours=1))
        return news

    def close(self) -> bool:
        was_open = self.reason is not None
        self.until, self.reason, self.wait = None, None, timedelta(minutes=2)
        return was_open


@dataclass
class InstagramSource:
    session: InstagramSession
    files_dir: Path
    tell_admins: Callable[[str], None]  # a catalogue key: ig.trouble.* / ig.back
    language: str = "id"
    backfill_days: int = 7
    approve_requests: bool = True
    mark_seen: bool = False
    max_file_bytes: int = 10 * 1024 * 1024
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    breaker: Breaker = field(default_factory=Breaker)
    quota: FileQuota | None = None  # how much one sender's files may keep on disk

    @property
    def cursor_key(self) -> str:
        return f"instagram:{self.session.username}:threads"

    def trouble(self) -> str | None:
        """Why the channel is paused (a catalogue key: ig.trouble.*), or None when it reads."""
        return self.breaker.reason

    def poll_once(self, deliver: Deliver, cursor: str | None) -> int:
        now = self.clock()
        if self.breaker.open(now):
            return 0
        try:
            with self.session.client() as client:
                count = self._poll(client, deliver, cursor)
        except SLOW_DOWN as exc:
            self._trouble(now, "ig.trouble.rate", exc)
            return 0
        except LoginRequired as exc:
            self.session.forget()
            self._trouble(now, "ig.trouble.login", exc)
            return 0
        except NeedsCode as exc:
            self.session.forget()
            self._trouble(now, f"ig.trouble.{exc.kind}", exc)
            return 0
        except (ClientConnectionError, ClientError, OSError) as exc:
            self._trouble(now, "ig.trouble.network", exc)
            return 0
        if self.breaker.close():
            self.tell_admins("ig.back")
        return count

    def _trouble(self, now: datetime, key: str, exc: Exception) -> None:
        said = text(key, self.language).lstrip("⚠️🔐 ")  # type: ignore[arg-type]
        log.warning("Instagram berhenti sebentar: %s (%s)", said, type(exc).__name__)
        news = self.breaker.trip(self.clock(), key)  # now: a login may have waited for a code
        if news and not (key == "ig.trouble.challenge" and self.session.asked_code):
            self.tell_admins(key)

    def _poll(self, client: Client, deliver: Deliver, cursor: str | None) -> int:
        state = json.loads(cursor) if cursor else {}
        if "since" not in state:  # the very first start: recent items only
            since = self.clock() - timedelta(days=self.backfill_days)
            state = {"since": since.timestamp(), "threads": {}}
        threads: dict[str, DirectThread] = {}
        if self.approve_requests:
            for thread in client.direct_pending_inbox(THREADS):
                try:
                    client.direct_pending_approve(int(thread.id))
                except ClientError as exc:  # e.g. the request was withdrawn: the rest go on
                    log.warning(
                        "permintaan pesan Instagram gagal diterima (%s)", type(exc).__name__
                    )
                    continue
                threads[str(thread.id)] = thread
        for thread in client.direct_threads(amount=THREADS):
            threads.setdefault(str(thread.id), thread)
        me = str(client.user_id)
        delivered = 0
        for thread_id, thread in threads.items():
            try:
                delivered += self._thread(client, deliver, state, me, thread_id, thread)
            except (ClientConnectionError, *SLOW_DOWN, LoginRequired, NeedsCode):
                raise  # the account's trouble: the breaker
            except ClientError as exc:  # this thread's trouble: the others go on
                log.warning("satu percakapan Instagram tidak bisa dibaca (%s)", type(exc).__name__)
        return delivered

    def _thread(
        self,
        client: Client,
        deliver: Deliver,
        state: dict,
        me: str,
        thread_id: str,
        thread: DirectThread,
    ) -> int:
        last = int(state["threads"].get(thread_id, 0))
        items = [m for m in thread.messages if int(m.id) > last]
        if items and len(items) == len(thread.messages):  # more may lie beyond the page
            items = [m for m in client.direct_messages(int(thread_id), DEPTH) if int(m.id) > last]
            if len(items) == DEPTH:
                log.warning(
                    "percakapan Instagram berisi %d pesan baru atau lebih; yang lama tidak dibaca",
                    DEPTH,
                )
        delivered = 0
        for item in sorted(items, key=lambda m: int(m.id)):
            state["threads"][thread_id] = item.id
            moved = json.dumps(state, sort_keys=True)
            sent_at = _utc(item.timestamp)
            if str(item.user_id) == me or sent_at.timestamp() < state["since"]:
                deliver(None, moved)  # ours, or history from before the first start
                continue
            deliver(self._inbound(client, thread, item, sent_at), moved)
            delivered += 1
        if items and self.mark_seen:
            newest = max(items, key=lambda m: int(m.id))
            client.direct_message_seen(int(thread_id), int(newest.id))
        return delivered

    def _inbound(
        self, client: Client, thread: DirectThread, item: DirectMessage, sent_at: datetime
    ) -> InboundMessage:
        body, url, kind = describe(item, self.language)
        sender = next((u for u in thread.users if str(u.pk) == str(item.user_id)), None)
        name = (sender.full_name or sender.username) if sender else str(item.user_id)
        attachments: tuple[Attachment, ...] = ()
        if url:
            attachment, note = self._fetch(client, url, kind, item.id, str(item.user_id))
            attachments = (attachment,)
            body = f"{note}\n{body}" if note else body
        return InboundMessage(
            channel=Channel.INSTAGRAM,
            external_id=f"ig:{item.id}",
            sender_id=str(item.user_id),
            sender_name=name,
            text=body,
            received_at=sent_at,
            attachments=attachments,
        )

    def _fetch(
        self, client: Client, url: str, kind: str, item_id: str, sender: str
    ) -> tuple[Attachment, str | None]:
        """The file, with a size cap and the sender's quota; a file not kept is noted (and
        stays in the office's Instagram messages), never fatal."""
        lang: Lang = self.language  # type: ignore[assignment]
        name = {"photo": "foto.jpg", "video": "video.mp4", "audio": "suara.m4a"}.get(kind, "berkas")
        content_type = {"photo": "image/jpeg", "video": "video/mp4", "audio": "audio/mp4"}.get(
            kind, "application/octet-stream"
        )
        target = self.files_dir / f"{item_id}-{name}"
        try:
            response = client.private.get(url, stream=True, timeout=30)
            response.raise_for_status()
            data = b""
            for chunk in response.iter_content(64 * 1024):
                data += chunk
                if len(data) > self.max_file_bytes:
                    limit = f"{self.max_file_bytes // 1024} KB"
                    note = text("files.too_big", lang, name=name, limit=limit)
                    return Attachment(name, content_type, len(data), None), note
        except Exception as exc:  # noqa: BLE001 - the message matters more than its file
            log.warning("berkas Instagram tidak dapat diambil (%s)", type(exc).__name__)
            return Attachment(name, content_type, 0, None), None
        return keep(self.quota, "instagram", sender, target, data, name, content_type, lang)


def _utc(value: datetime) -> datetime:
    """instagrapi gives naive local times (datetime.fromtimestamp): make them aware."""
    return value.astimezone(UTC) if value.tzinfo is None else value.astimezone(UTC)
