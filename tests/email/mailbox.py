"""Building the service against the test's own mailbox on Dovecot and an SMTP sink."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from imapclient import IMAPClient

from bot.app import App
from bot.bootstrap import build
from bot.config.settings import from_mapping


def email_settings(tmp_path, dovecot, sink, **email: object):
    user = f"kantor-{uuid.uuid4().hex[:8]}"
    return from_mapping(
        {
            "data_dir": str(tmp_path),
            "office": {"name": "PUSPAGA Kota Contoh"},
            "outbox": {"interval_seconds": 0.05, "retry_base_seconds": 0.1},
            "limits": {"min_free_disk_mb": 0},  # files kept whatever the machine's free disk
            "email": {
                "imap_host": dovecot.host,
                "imap_port": dovecot.port,
                "username": user,
                "password": dovecot.password,
                "use_ssl": False,
                "smtp_host": sink.host,
                "smtp_port": sink.port,
                "smtp_security": "plain",
                "from_address": "puspaga@kota.example",
                "timeout_seconds": 5,
                **email,
            },
        },
        environ={},
    )


def build_app(tmp_path, dovecot, sink, **email: object) -> App:
    return build(email_settings(tmp_path, dovecot, sink, **email))


def imap(app: App) -> IMAPClient:
    mail = app.settings.email
    assert mail is not None
    client = IMAPClient(mail.imap_host, port=mail.imap_port, ssl=False, timeout=5)
    client.login(mail.username, mail.password)
    return client


def client_mail(
    text: str,
    *,
    sender: str = "siti@example.com",
    name: str = "Siti Contoh",
    subject: str = "Konsultasi anak",
    in_reply_to: str | None = None,
    headers: dict[str, str] | None = None,
) -> bytes:
    msg = EmailMessage()
    msg["From"] = f"{name} <{sender}>"
    msg["To"] = "puspaga@kota.example"
    msg["Subject"] = subject
    msg["Message-ID"] = make_msgid(domain="example.com")
    msg["Date"] = format_datetime(datetime.now(UTC))
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
        msg["References"] = in_reply_to
    for key, value in (headers or {}).items():
        msg[key] = value
    msg.set_content(text)
    return msg.as_bytes()


def append(app: App, raw: bytes, folder: str = "INBOX") -> None:
    client = imap(app)
    try:
        if not client.folder_exists(folder):
            client.create_folder(folder)
        client.append(folder, raw)
    finally:
        client.logout()
