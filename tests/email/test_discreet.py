"""A discreet mail (/kontak … samar: triage.domain.privacy.safe_contact) through a real SMTP
server: no office name beside the address or in its Message-ID, not in the client's thread, a
neutral subject (never the staff's first line), so a partner glancing at the mailbox sees no
counseling office."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.bootstrap import build
from bot.service import loops as service
from tests.builders import ADMIN, MovingClock
from tests.email.mailbox import append, client_mail, email_settings
from triage.domain.privacy.safe_contact import parse
from triage.usecases import inbox
from triage.usecases.identity import safe_contact
from triage.usecases.replies import reply_to_client


def test_a_discreet_reply_names_no_office_and_starts_its_own_thread(tmp_path, dovecot, smtp_sink):
    clock = MovingClock()
    app = build(email_settings(tmp_path, dovecot, smtp_sink), clock=clock)
    append(app, client_mail("Tolong jangan sebut nama kantor bila membalas."))
    service.poll_all(app)
    (view,) = inbox.snapshot(app.uows)
    conv = view.conversation.id
    clock.move_to(datetime.now(UTC) + timedelta(hours=1))  # long after her mail: we write first
    now = clock()
    safe_contact(conv, parse("samar", "Asia/Makassar"), actor=ADMIN, uow_factory=app.uows, now=now)
    reply_to_client(conv, "Bu Sari, konselor PUSPAGA bisa menemui Ibu besok pukul 10.00.",
                    actor=ADMIN, idempotency_key="tg:9", uow_factory=app.uows, now=now)  # fmt: skip
    assert service.dispatch(app).sent == 1
    (sent,) = smtp_sink.received
    assert sent["Subject"] == "Pesan untuk Anda" and sent["In-Reply-To"] is None
    assert "PUSPAGA" not in sent["From"] and "puspaga" not in sent["Message-ID"]
    assert sent["Auto-Submitted"] is None  # a person's reply, not a robot's
    assert "besok pukul 10.00" in sent.get_content()
