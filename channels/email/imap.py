"""Connecting to the mailbox: one place for TLS, timeouts and login."""

from __future__ import annotations

import ssl

from imapclient import IMAPClient
from imapclient.imapclient import SocketTimeout

from channels.email.account import MailAccount


def connect(account: MailAccount) -> IMAPClient:
    client = IMAPClient(
        account.imap_host,
        port=account.imap_port,
        ssl=account.use_ssl,
        ssl_context=ssl.create_default_context() if account.use_ssl else None,
        timeout=SocketTimeout(connect=account.timeout_seconds, read=account.timeout_seconds),
    )
    client.normalise_times = False  # aware datetimes: the server's arrival time, as it was
    try:
        client.login(account.username, account.password)
    except Exception:
        client.shutdown()
        raise
    return client
