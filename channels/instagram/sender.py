"""Replies with direct_send to the client's Instagram user id; after a crash, the thread's
latest items tell whether our reply went out (docs/OUTBOX.md)."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import UTC, timedelta

from instagrapi.exceptions import (
    ClientConnectionError,
    ClientError,
    ClientThrottledError,
    DirectThreadNotFound,
    FeedbackRequired,
    LoginRequired,
    PleaseWaitFewMinutes,
    RateLimitError,
    UserNotFound,
)

from channels.instagram.session import Busy, InstagramSession, NeedsCode
from triage.domain.outbox import OutboxItem, parts
from triage.ports import NotYet, SendError, SendResult

log = logging.getLogger(__name__)

MAX_TEXT = 1000  # characters in one direct message (Meta's messaging limit for Instagram)
PART_GAP = 1.0  # seconds between the parts of one long reply: Instagram punishes bursts


@dataclass
class InstagramSender:
    session: InstagramSession

    def send(self, item: OutboxItem) -> SendResult:
        try:
            with self.session.ready_client() as client:
                for n, part in enumerate(parts(item.text, MAX_TEXT)):  # in order, paced
                    if n:
                        time.sleep(PART_GAP)
                    sent = client.direct_send(part, user_ids=[int(item.recipient)])
        except Busy:
            raise NotYet(30) from None  # the poller logs in (or waits for a code) first
        except (DirectThreadNotFound, UserNotFound, ValueError) as exc:
            raise SendError(type(exc).__name__, transient=False) from None
        except (RateLimitError, PleaseWaitFewMinutes, ClientThrottledError, FeedbackRequired):
            raise SendError("Instagram asks to slow down", transient=True, retry_after=600,
                            counts=False) from None  # fmt: skip
        except (LoginRequired, NeedsCode) as exc:
            self.session.forget()
            raise SendError(type(exc).__name__, transient=True, counts=False) from None
        except (ClientConnectionError, OSError) as exc:
            raise SendError(type(exc).__name__, transient=True, counts=False) from None
        except ClientError as exc:
            # 5xx (after instagrapi's own retries): Instagram's incident, waited out uncounted;
            # another error may concern this message, and counts toward `failed`
            status = getattr(getattr(exc, "response", None), "status_code", None) or 0
            raise SendError(
                f"{type(exc).__name__} {status or ''}".strip(), transient=True, counts=status < 500
            ) from None
        return SendResult(f"ig:{sent.id}")

    def already_sent(self, item: OutboxItem) -> SendResult | None:
        """Our item with this text (every part of it) in the client's thread, sent since the
        first try; the id of its last part."""
        wanted = parts(item.text, MAX_TEXT)
        try:
            with self.session.ready_client(wait=10) as client:
                me = str(client.user_id)
                for thread in client.direct_threads(amount=20):
                    if not any(str(u.pk) == item.recipient for u in thread.users):
                        continue
                    after = item.created_at - timedelta(minutes=1)
                    ours = [
                        m
                        for m in client.direct_messages(int(thread.id), 40)
                        if str(m.user_id) == me and m.timestamp.astimezone(UTC) >= after
                    ]
                    ours.sort(key=lambda m: m.timestamp)
                    texts = [m.text for m in ours]
                    for start in range(len(texts) - len(wanted) + 1):
                        if texts[start : start + len(wanted)] == wanted:
                            return SendResult(f"ig:{ours[start + len(wanted) - 1].id}")
        except Exception as exc:  # noqa: BLE001 - cannot tell: the dispatcher sends again
            log.warning("percakapan Instagram tidak bisa dibaca (%s)", type(exc).__name__)
        return None
