"""One sender's mail over the daily file allowance (against a real Dovecot): the mail is stored
and shown, its raw copy and files are not kept, staff read why, and the mail stays in the
mailbox; another sender is not held back."""

from __future__ import annotations

from email import message_from_bytes, policy

from bot.bootstrap import build
from bot.service import loops as service
from tests.email.mailbox import append, client_mail, email_settings, imap
from triage.usecases import inbox


def with_file(text: str, sender: str) -> bytes:
    msg = message_from_bytes(client_mail(text, sender=sender), policy=policy.default)
    msg.add_attachment(b"%PDF" + b"x" * 40_000, maintype="application", subtype="pdf",
                       filename="surat.pdf")  # fmt: skip
    return msg.as_bytes()


def test_a_sender_over_the_allowance_is_stored_without_files_and_staff_read_why(
    tmp_path, dovecot, smtp_sink
):
    settings = email_settings(tmp_path, dovecot, smtp_sink)
    settings = settings.model_copy(
        update={"limits": settings.limits.model_copy(update={"client_files_mb_per_day": 0.1})}
    )
    app = build(settings)  # 100 KB a day: one mail with a 40 KB file fits, a second does not
    append(app, with_file("surat pertama", "a@example.com"))
    append(app, with_file("surat kedua", "a@example.com"))
    append(app, with_file("surat lain", "b@example.com"))
    assert sum(service.poll_all(app).values()) == 3
    views = {m.text.splitlines()[-1]: m for v in inbox.snapshot(app.uows) for m in v.messages}
    first, second, other = views["surat pertama"], views["surat kedua"], views["surat lain"]
    assert all(a.stored_path for a in first.attachments + other.attachments)
    assert [a.filename for a in second.attachments] == ["pesan-asli.eml", "surat.pdf"]
    assert all(a.stored_path is None for a in second.attachments)
    assert "tidak disimpan" in second.text and "kotak surat" in second.text
    kept = list((tmp_path / "attachments" / "email").iterdir())
    assert len(kept) == 2  # one folder per kept mail
    client = imap(app)
    try:
        client.select_folder("INBOX", readonly=True)
        assert len(client.search("ALL")) == 3  # the refused files are still in the mailbox
    finally:
        client.logout()
