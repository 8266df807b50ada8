"""What a failure to reach a server means, in the words an office's IT person acts on: the name
is not found (no internet or a wrong DNS), no route, refused, no answer in time (a firewall, or
a network that only goes out through a proxy), a certificate not trusted (an office network
that opens encrypted traffic, or a wrong clock), the proxy itself failing. The libraries wrap
the socket's error in their own (httpx, python-telegram-bot, requests, urllib3): the chain of
causes is followed to it."""

from __future__ import annotations

import errno
import imaplib
import smtplib
import socket
import ssl
from collections.abc import Iterator

from triage.texts.catalog import Lang, text

UNREACHABLE = (errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN)


def _causes(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    todo = [exc]
    while todo:
        found = todo.pop(0)
        if id(found) in seen or len(seen) > 20:
            continue
        seen.add(id(found))
        yield found
        reason = getattr(found, "reason", None)  # urllib3's MaxRetryError holds the cause here
        nested = [found.__cause__, found.__context__, reason, *getattr(found, "args", ())]
        todo += [e for e in nested if isinstance(e, BaseException)]


_WORDS = (  # the same, as libraries write it when they keep only the message (curl, requests)
    ("dns", ("name or service not known", "temporary failure in name resolution",
             "nodename nor servname", "getaddrinfo failed", "no address associated",
             "could not resolve host")),
    ("tls", ("certificate_verify_failed", "certificate verify failed")),
    ("proxy", ("connect tunnel failed", "proxy error", "unable to connect to proxy",
               "proxy authentication required", "could not resolve proxy")),
    ("unreachable", ("network is unreachable", "no route to host")),
    ("refused", ("connection refused",)),
    ("timeout", ("timed out",)),
)  # fmt: skip
# a server that answered (with an error of its own) was reached: its words are not the network's
ANSWERED = (smtplib.SMTPResponseException, imaplib.IMAP4.error)


def kind(exc: BaseException) -> str | None:
    """ "dns", "unreachable", "refused", "timeout", "tls" or "proxy"; None for anything else."""
    causes = list(_causes(exc))
    for found in causes:
        name = type(found).__name__
        if isinstance(found, socket.gaierror):
            return "dns"
        if isinstance(found, ssl.SSLCertVerificationError):
            return "tls"
        if name == "ProxyError":  # httpx's, requests', urllib3's (not ProxyAddressIsBlocked)
            return "proxy"
        if isinstance(found, ConnectionRefusedError):
            return "refused"
        if isinstance(found, OSError) and found.errno in UNREACHABLE:
            return "unreachable"
        if isinstance(found, TimeoutError) or "Timeout" in name or name == "TimedOut":
            return "timeout"
    if any(isinstance(found, ANSWERED) for found in causes):
        return None
    said = " ".join(str(found) for found in causes).lower()
    return next((k for k, words in _WORDS if any(w in said for w in words)), None)


def explain(exc: BaseException, lang: Lang, host: str, key: str, direct: bool = False) -> str:
    """The failure in plain words with what to do; `key` is the setting that names the host
    ("[email] imap_host"); `direct`: a connection that never goes through the proxy (email),
    whose silence means a closed port, not a missing proxy."""
    found = kind(exc)
    if found is None:
        return text("net.other", lang, host=host, error=type(exc).__name__, key=key)
    if found == "timeout" and direct:
        return text("net.timeout_direct", lang, host=host, key=key)
    return text(f"net.{found}", lang, host=host, key=key)
