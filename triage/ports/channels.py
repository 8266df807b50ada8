"""What a channel adapter offers the core: a source that delivers, a sender that sends."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from triage.domain.model import (
    InboundMessage,
)
from triage.domain.outbox import OutboxItem


@dataclass(frozen=True)
class SendResult:
    remote_id: str


class SendError(Exception):
    """A sender could not deliver. `transient` errors are retried with backoff; those that do
    not `count` are retried without limit."""

    def __init__(
        self,
        message: str,
        *,
        transient: bool,
        retry_after: float | None = None,
        counts: bool = True,
        down: bool | None = None,
    ):
        super().__init__(message)
        self.transient = transient
        self.retry_after = retry_after
        # For the outage alarm: True, the channel itself cannot be used (a refused token or
        # login); False, it answered (a full mailbox, a flood wait); None, judged by the rest.
        self.down = down
        # False: the remote could not be reached or asked us to slow down; nothing was refused,
        # so the try is not held against the item (an outage never makes a message fail).
        self.counts = counts


class NotYet(Exception):
    """The sender's budget (Telegram's flood limits) says wait `seconds` before this item.
    Nothing was sent; the item keeps its place and this does not count as an attempt."""

    def __init__(self, seconds: float):
        super().__init__(f"not before {seconds:.1f}s")
        self.seconds = seconds


class Sender(Protocol):
    """Delivers outbox items of one target (a channel adapter or the Telegram client)."""

    def send(self, item: OutboxItem) -> SendResult: ...

    def already_sent(self, item: OutboxItem) -> SendResult | None:
        """After a crash between send and record: look the item up on the remote side, if the
        channel allows it (email: Message-ID in the Sent folder). None means 'not found or
        cannot tell'."""


class Clock(Protocol):
    def __call__(self) -> datetime: ...


class Deliver(Protocol):
    """What a channel calls for each new message, with the cursor value that follows it; the
    message and the cursor are committed together. With `message` None only the cursor moves
    (a channel skipping what it has already seen, e.g. after resyncing a renumbered folder)."""

    def __call__(self, message: InboundMessage | None, cursor: str) -> None: ...


class ChannelSource(Protocol):
    """A channel adapter's receiving side (Rasa style: one callback, no knowledge of the core's
    storage). `cursor_key` names its durable position, e.g. "email:office@x:INBOX". An adapter
    that pauses itself after trouble may also offer `trouble() -> str | None` (why it is not
    reading now), which the outage alarm reads."""

    cursor_key: str

    def poll_once(self, deliver: Deliver, cursor: str | None) -> int:
        """Deliver every message after `cursor`, oldest first; return how many."""


class WebhookEvents(Protocol):
    """Posts a webhook receiver committed before answering, waiting for their channel's drain
    (a ChannelSource over them: its cursor says how far into the oldest post it got)."""

    def pending(self, source: str, limit: int) -> list[tuple[int, str]]:
        """(id, body) of the posts for `source` not yet drained, oldest first."""

    def finish(self, event_id: int) -> None:
        """The post is drained: its body goes, it is not read again."""

    def purge(self, before: datetime) -> int:
        """Forget drained posts received before `before` (Meta retries for a week at most)."""
