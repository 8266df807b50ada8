"""`puspaga check` for email: log in to IMAP and SMTP as the service will, and say in plain
words what is wrong and where to fix it."""

from __future__ import annotations

import smtplib

from imapclient.exceptions import IMAPClientError, LoginError

from channels.email.account import MailAccount
from channels.email.imap import connect
from channels.email.smtp_sender import SmtpSender


def imap_problem(account: MailAccount) -> str | None:
    where = f"{account.imap_host}:{account.imap_port}"
    try:
        client = connect(account)
    except LoginError:
        return (
            f"{where} refused the user name or password. Fix: [email] username and password "
            "(Gmail and Yahoo need an app password)"
        )
    except (IMAPClientError, OSError) as exc:
        return (
            f"cannot reach {where} ({type(exc).__name__}). "
            "Fix: [email] imap_host, imap_port, use_ssl"
        )
    try:
        if not client.folder_exists(account.folder):
            return f'no folder "{account.folder}" in the mailbox. Fix: [email] folder'
        return None  # without IDLE the service polls every poll_seconds: fine too
    finally:
        client.logout()


def smtp_problem(account: MailAccount) -> str | None:
    where = f"{account.smtp_host}:{account.smtp_port}"
    try:
        with SmtpSender(account, "")._smtp() as smtp:
            smtp.ehlo_or_helo_if_needed()
            if account.username and smtp.has_extn("auth"):
                smtp.login(account.username, account.password)
    except smtplib.SMTPAuthenticationError:
        return f"{where} refused the user name or password. Fix: [email] username and password"
    except (smtplib.SMTPException, OSError) as exc:
        return (
            f"cannot use {where} ({type(exc).__name__}). "
            "Fix: [email] smtp_host, smtp_port, smtp_security"
        )
    return None
