"""`puspaga check` for email: log in to IMAP and SMTP as the service will, and say in plain
words what is wrong and where to fix it."""

from __future__ import annotations

import smtplib

from imapclient.exceptions import IMAPClientError, LoginError

from channels.email.account import MailAccount
from channels.email.imap import connect
from channels.email.smtp_sender import SmtpSender
from channels.network import explain, kind
from triage.texts.catalog import text


def imap_problem(account: MailAccount) -> str | None:
    lang, where = account.language, f"{account.imap_host}:{account.imap_port}"
    try:
        client = connect(account)
    except LoginError:
        return text("check.imap.login", lang, where=where)  # type: ignore[arg-type]
    except (IMAPClientError, OSError) as exc:
        if kind(exc):
            key = "[email] imap_host, imap_port"
            return explain(exc, lang, account.imap_host, key, direct=True)  # type: ignore[arg-type]
        return text("check.imap.reach", lang, where=where, error=type(exc).__name__)  # type: ignore[arg-type]
    try:
        if not client.folder_exists(account.folder):
            return text("check.imap.folder", lang, folder=account.folder)  # type: ignore[arg-type]
        return None  # without IDLE the service polls every poll_seconds: fine too
    finally:
        client.logout()


def smtp_problem(account: MailAccount) -> str | None:
    lang, where = account.language, f"{account.smtp_host}:{account.smtp_port}"
    try:
        with SmtpSender(account, "")._smtp() as smtp:
            smtp.ehlo_or_helo_if_needed()
            if account.username and smtp.has_extn("auth"):
                smtp.login(account.username, account.password)
    except smtplib.SMTPAuthenticationError:
        return text("check.smtp.login", lang, where=where)  # type: ignore[arg-type]
    except (smtplib.SMTPException, OSError) as exc:
        if kind(exc):
            key = "[email] smtp_host, smtp_port"
            return explain(exc, lang, account.smtp_host, key, direct=True)  # type: ignore[arg-type]
        return text("check.smtp.use", lang, where=where, error=type(exc).__name__)  # type: ignore[arg-type]
    return None
