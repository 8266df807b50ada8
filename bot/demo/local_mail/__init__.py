"""A mail server on this machine for the demo, staff training and tests: Dovecot (IMAP, from
the installed binary) and an SMTP sink (aiosmtpd). Nothing leaves the machine."""

import socket


def free_port() -> int:
    """A loopback port nobody listens on now (for the local servers of tests and the demo)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
