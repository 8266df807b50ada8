"""With several workers, a sender sharing its login or flood budget with a leased poller sends
only in the worker holding that lease (bot/service/leases.py): elsewhere the item waits without
counting as an attempt."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest

from bot.service.leases import HolderOnly
from triage.domain.outbox import OutboxItem, Target
from triage.ports import NotYet, SendResult


@dataclass
class Recording:
    sent: list[str] = field(default_factory=list)

    def send(self, item: OutboxItem) -> SendResult:
        self.sent.append(item.text)
        return SendResult(remote_id="1")

    def already_sent(self, item: OutboxItem) -> SendResult | None:
        return SendResult(remote_id="1")


def item() -> OutboxItem:
    now = datetime(2026, 12, 7, tzinfo=UTC)
    return OutboxItem(None, "k", Target.INSTAGRAM, "42", "halo", now, now)


def test_only_the_holder_sends():
    holding = False
    inner = Recording()
    sender = HolderOnly(inner, lambda: holding)
    with pytest.raises(NotYet):
        sender.send(item())
    assert sender.already_sent(item()) is None and inner.sent == []
    holding = True
    assert sender.send(item()).remote_id == "1"
    assert inner.sent == ["halo"] and sender.already_sent(item()) is not None
