"""The durable outbox: every message we send is a row before it is sent.

This module is the pure policy: what an outgoing item is, and when a failed one is tried again.
The dispatcher (`triage.usecases.dispatch`) moves items through the states.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum

from triage.domain.model import Channel


class OutboxStatus(StrEnum):
    PENDING = "pending"  # waiting to be sent (or to be retried at next_attempt_at)
    SENDING = "sending"  # claimed by a dispatcher until lease_until
    SENT = "sent"
    FAILED = "failed"  # gave up after max attempts or a permanent error; shown to staff


class Target(StrEnum):
    """Where an item goes: a client on their channel, a staff chat on Telegram, or another
    office of the install (a transfer's messages, triage.domain.referral)."""

    EMAIL = "email"
    INSTAGRAM = "instagram"
    HOTLINE = "hotline"
    WHATSAPP = "whatsapp"
    MESSENGER = "messenger"
    TELEGRAM = "telegram"
    OFFICE = "office"


@dataclass(frozen=True)
class OutboxItem:
    id: int | None
    idempotency_key: str
    target: Target
    recipient: str
    text: str
    created_at: datetime
    next_attempt_at: datetime
    conversation_id: int | None = None
    priority: int = 0  # higher first: urgent cases jump the queue
    options: dict[str, str] = field(default_factory=dict)  # per target: subject, thread id …
    status: OutboxStatus = OutboxStatus.PENDING
    attempts: int = 0  # failed attempts, an interrupted one (lease ran out) included
    claims: int = 0  # times a dispatcher took the item: the fencing token of the current claim
    interrupted: bool = False  # the previous claim's lease ran out before it recorded anything
    lease_until: datetime | None = None
    remote_id: str | None = None
    last_error: str | None = None
    sent_at: datetime | None = None
    # not sent before then, and meanwhile not holding back later items to the same recipient:
    # a message kept for a client's safe hours (triage.domain.privacy.safe_contact)
    not_before: datetime | None = None


GAVE_UP = "no answer for"  # how an item that waited out its channel's silence says so


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 8
    base: timedelta = timedelta(seconds=5)
    cap: timedelta = timedelta(minutes=30)
    lease: timedelta = timedelta(minutes=2)
    give_up: timedelta = timedelta(hours=24)  # an outage waited out this long: failed, for staff

    def delay(self, attempts: int, jitter: float) -> timedelta:
        """Exponential backoff with 'full jitter' (jitter in [0, 1)), never below one base."""
        ceiling = min(self.cap, self.base * (2 ** max(0, attempts - 1)))
        return max(self.base, ceiling * jitter)


def after_failure(
    item: OutboxItem,
    error: str,
    *,
    transient: bool,
    now: datetime,
    policy: RetryPolicy,
    jitter: float,
    retry_after: float | None = None,
    counts: bool = True,
) -> OutboxItem:
    """The item after a failed attempt: back to pending later, or failed for good. A try that
    does not count (the remote unreachable or answering 5xx: its incident, not a refusal) waits
    one base delay and keeps the item's place, so it goes within one base of the remote's
    return; after `give_up` since the item was written it fails, for staff to see."""
    if transient and not counts and now - item.created_at >= policy.give_up:
        hours = policy.give_up.total_seconds() / 3600
        return replace(
            item,
            status=OutboxStatus.FAILED,
            last_error=f"{GAVE_UP} {hours:g} h: {error}",
            lease_until=None,
        )
    if transient and not counts:
        delay = max(policy.base, timedelta(seconds=retry_after or 0))
        return replace(
            item,
            status=OutboxStatus.PENDING,
            last_error=error,
            lease_until=None,
            next_attempt_at=now + delay,
        )
    attempts = item.attempts + 1
    if not transient or attempts >= policy.max_attempts:
        return replace(
            item,
            attempts=attempts,
            status=OutboxStatus.FAILED,
            last_error=error,
            lease_until=None,
        )
    delay = policy.delay(attempts, jitter)
    if retry_after is not None:
        delay = max(delay, timedelta(seconds=retry_after))
    return replace(
        item,
        attempts=attempts,
        status=OutboxStatus.PENDING,
        last_error=error,
        lease_until=None,
        interrupted=False,
        next_attempt_at=now + delay,
    )


# Why an item failed for good, read from the error its sender gave (bot/telegram/gateway.py,
# channels/email/smtp_sender.py, channels/instagram/sender.py), first match wins; staff are
# told the reason in their language (catalogue keys undelivered.reason.*).
FAILURE_REASONS = (
    ("window", ("24-hour window",)),
    ("window_messaging", ("messaging window",)),
    ("interrupted", ("interrupted",)),
    ("no_sender", ("no sender configured",)),
    ("login", ("login refused", "loginrequired", "needscode")),
    ("config", ("ssl", "certificate")),
    (
        "group",
        (
            "kicked",
            "not enough rights",
            "have no rights",
            "chat_admin_required",
            "upgraded to a supergroup",
            "need administrator",
        ),
    ),  # fmt: skip
    ("blocked", ("blocked", "forbidden", "deactivated", "not started")),
    ("too_long", ("too long", "too large", "smtp 552", "smtp 523", "entity too large")),
    (
        "recipient",
        (
            "recipient refused",
            "chat not found",
            "user not found",
            "usernotfound",
            "directthreadnotfound",
        ),
    ),  # fmt: skip
    ("file", ("no longer there", "cannot be opened")),
)


def failure_reason(error: str | None) -> str:
    """One of FAILURE_REASONS' codes; "gave_up" when the channel did not answer for the whole
    time and no cause is named ("no answer for 24 h: SMTP login refused" is the login);
    "refused" for a definite answer not listed."""
    said = (error or "").lower()
    for code, words in FAILURE_REASONS:
        if any(word in said for word in words):
            return code
    return "gave_up" if said.startswith(GAVE_UP) else "refused"


SEALED_TEXT = "sealed_text"  # an option: the item's text is sealed with the office key

KEPT_WHEN_SENT = frozenset({"kind", "conv", "urgent", "review", "event", "action"})


def delivered(item: OutboxItem, remote_id: str | None, now: datetime) -> OutboxItem:
    """The item delivered. What went to a staff chat is in that chat now: the row keeps where
    and when, not the words (a card's client name, an identity card, a record read back), so
    neither a reader of the database nor a later erasure has to find them here. A client's
    reply keeps its text: it is the conversation's own message, erased with it."""
    done = replace(
        item,
        status=OutboxStatus.SENT,
        remote_id=remote_id,
        sent_at=now,
        lease_until=None,
        last_error=None,
    )
    if item.target is not Target.TELEGRAM:
        return done
    kept = {k: v for k, v in item.options.items() if k in KEPT_WHEN_SENT}
    return replace(done, text="", options=kept)


CHANNEL_TARGET = {
    Channel.EMAIL: Target.EMAIL,
    Channel.INSTAGRAM: Target.INSTAGRAM,
    Channel.HOTLINE: Target.HOTLINE,
    Channel.WHATSAPP: Target.WHATSAPP,
    Channel.MESSENGER: Target.MESSENGER,
}
TARGET_CHANNEL = {target: channel for channel, target in CHANNEL_TARGET.items()}


def parts(text: str, limit: int, size: Callable[[str], int] = len) -> list[str]:
    """A text over a channel's limit as consecutive parts, each within it: cut at the last line
    break that fits, else the last space, else hard (a word longer than the limit). `size`
    measures a text as the channel counts it (characters; Instagram's API counts bytes)."""
    out: list[str] = []
    rest = text
    while size(rest) > limit:
        fit = min(len(rest), limit)
        while fit > 1 and size(rest[:fit]) > limit:
            fit -= max(1, (size(rest[:fit]) - limit) // 4)  # a character is 4 bytes at most
        cut = rest.rfind("\n", 0, fit + 1)
        if cut <= 0:
            cut = rest.rfind(" ", 0, fit + 1)
        if cut <= 0:
            cut = fit
        if rest[:cut].strip():
            out.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest or not out:
        out.append(rest)
    return out
