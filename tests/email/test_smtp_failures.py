"""SMTP trouble: a refusal fails the item for staff to see; an unreachable server only delays
it (an outage never turns a reply into a failure), and it goes out once the server is back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.email.mailbox import build_app
from triage.domain.outbox import OutboxItem, Target
from triage.ports import SendError


def item(key: str = "k1") -> OutboxItem:
    now = datetime.now(UTC)
    return OutboxItem(
        id=None,
        idempotency_key=key,
        target=Target.EMAIL,
        recipient="siti@example.com",
        text="Halo",
        created_at=now,
        next_attempt_at=now,
        options={"subject": "Tanya", "in_reply_to": "<x1@example.com>", "auto_reply": "1"},
    )


def test_a_refused_mail_is_permanent_and_a_busy_server_is_retried(tmp_path, dovecot, smtp_sink):
    sender = build_app(tmp_path, dovecot, smtp_sink, sent_folder="").senders[Target.EMAIL]
    smtp_sink.refuse_with = "550 mailbox unavailable"
    with pytest.raises(SendError) as refused:
        sender.send(item())
    assert not refused.value.transient
    smtp_sink.refuse_with = "451 try again later"
    with pytest.raises(SendError) as busy:
        sender.send(item())
    assert busy.value.transient and not busy.value.counts  # 4xx: later, never `failed` by count


def test_an_unreachable_server_does_not_count_and_the_mail_goes_later(tmp_path, dovecot, smtp_sink):
    sender = build_app(tmp_path, dovecot, smtp_sink, sent_folder="").senders[Target.EMAIL]
    smtp_sink.stop()
    with pytest.raises(SendError) as down:
        sender.send(item())
    assert down.value.transient and not down.value.counts
    smtp_sink.start()
    result = sender.send(item())
    (mail,) = smtp_sink.received
    assert mail["Message-ID"] == result.remote_id
    assert mail["Auto-Submitted"] == "auto-replied"  # our automatic replies say so (RFC 3834)
    assert mail["Subject"] == "Re: Tanya" and mail["In-Reply-To"] == "<x1@example.com>"


def test_the_same_item_always_gets_the_same_message_id(tmp_path, dovecot, smtp_sink):
    sender = build_app(tmp_path, dovecot, smtp_sink, sent_folder="").senders[Target.EMAIL]
    later = item()
    later = type(later)(**{**later.__dict__, "created_at": later.created_at + timedelta(hours=1)})
    assert sender.message(item())["Message-ID"] == sender.message(later)["Message-ID"]
    assert sender.message(item())["Message-ID"] != sender.message(item("k2"))["Message-ID"]


def test_an_address_with_a_line_break_is_refused_not_sent(tmp_path, dovecot, smtp_sink):
    sender = build_app(tmp_path, dovecot, smtp_sink, sent_folder="").senders[Target.EMAIL]
    bad = item()
    bad = type(bad)(**{**bad.__dict__, "recipient": "siti@example.com\r\nBcc: all@example.com"})
    with pytest.raises(SendError) as refused:
        sender.send(bad)
    assert not refused.value.transient and smtp_sink.received == []
