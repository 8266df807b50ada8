"""An urgent email is answered by email with the safe first reply while Telegram cannot be
reached; the alert to staff waits in the outbox and goes once Telegram is back (a real Dovecot,
an SMTP sink, and a Bot API address where nothing listens)."""

from __future__ import annotations

import email
import socket

from bot.bootstrap import build
from bot.config.settings import from_mapping
from bot.service import loops as service
from tests.email.mailbox import append, client_mail, email_settings
from triage.domain.outbox import OutboxStatus, Target

COUNSELOR, HEAD, GROUP = 4101, 4102, -100777


def closed_port() -> int:
    """A port nothing listens on: connecting is refused at once, as when the Bot API is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_urgent_mail_gets_the_safe_reply_by_mail_while_telegram_is_down(
    tmp_path, dovecot, smtp_sink
):
    base = email_settings(tmp_path, dovecot, smtp_sink)
    raw = base.model_dump(mode="python")
    raw["telegram"] = {
        "token": "123:ABC",
        "base_url": f"http://127.0.0.1:{closed_port()}/bot",
        "admin_chat_id": GROUP,
    }
    raw["staff"] = [
        {"telegram_id": COUNSELOR, "name": "Konselor Uji", "role": "konselor"},
        {"telegram_id": HEAD, "name": "Ketua Uji", "role": "ketua"},
    ]
    app = build(from_mapping(raw, environ={}))
    urgent = client_mail("Tolong, suami saya sedang memukul saya, saya takut sekali.")
    append(app, urgent)
    service.poll_all(app)
    assert service.relay(app) == 1  # the relay needs only the database
    service.dispatch(app, max_passes=3)
    (reply,) = smtp_sink.received
    assert reply["To"] == "siti@example.com"
    assert "129" in reply.get_content()  # the help numbers of the safe first reply
    assert reply["Auto-Submitted"] == "auto-replied"  # an automatic answer, marked so
    parent = email.message_from_bytes(urgent)["Message-ID"]
    assert reply["In-Reply-To"] == parent and reply["Subject"] == "Re: Konsultasi anak"
    with app.uows() as uow:
        conv = uow.conversations.get(1)
        waiting = [o for o in uow.outbox.for_conversation(1) if o.target is Target.TELEGRAM]
    assert conv.risk == "mendesak" and conv.urgent
    alerts = [o for o in waiting if o.options.get("kind") == "alert"]
    assert {o.recipient for o in alerts} >= {f"staff:{COUNSELOR}"}
    assert all(o.status is not OutboxStatus.SENT for o in waiting)  # kept, to be sent later
