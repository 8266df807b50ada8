"""A scripted channel for the demo and for staff training: made-up clients write on any channel,
through the same source/sender ports and cursor contract as the real adapters."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from triage.domain.model import InboundMessage
from triage.domain.outbox import OutboxItem, Target
from triage.ports import Deliver, SendResult


@dataclass
class ScriptedSource:
    """Delivers a fixed list of messages; the cursor is the index of the next one."""

    cursor_key: str
    script: Sequence[InboundMessage]

    def poll_once(self, deliver: Deliver, cursor: str | None) -> int:
        start = int(cursor or 0)
        for index in range(start, len(self.script)):
            deliver(self.script[index], str(index + 1))
        return max(0, len(self.script) - start)


@dataclass
class RecordingSender:
    """Accepts every item and remembers it, as a client's phone would."""

    target: Target
    delivered: list[OutboxItem] = field(default_factory=list)

    def send(self, item: OutboxItem) -> SendResult:
        self.delivered.append(item)
        return SendResult(f"sim-{self.target.value}-{len(self.delivered)}")

    def already_sent(self, item: OutboxItem) -> SendResult | None:
        for n, sent in enumerate(self.delivered, start=1):
            if sent.idempotency_key == item.idempotency_key:
                return SendResult(f"sim-{self.target.value}-{n}")
        return None
