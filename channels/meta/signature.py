"""Meta signs every post with the app's secret: `X-Hub-Signature-256: sha256=<hex HMAC>` over
the bytes as sent (parsing and writing the JSON again changes them: escaped non-ASCII)."""

from __future__ import annotations

import hashlib
import hmac

PREFIX = "sha256="


def sign(secret: str, body: bytes) -> str:
    """The header value Meta would send (the stand-in and the tests sign with it)."""
    return PREFIX + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def valid(secrets: list[str], body: bytes, header: str | None) -> bool:
    """True when `header` is the signature of `body` under one of `secrets` (compared in
    constant time); a missing header or the old sha1 form is not."""
    if not header or not header.startswith(PREFIX):
        return False
    given = header.strip().lower().encode("utf-8", "replace")  # bytes: any header compares
    return any(hmac.compare_digest(given, sign(s, body).encode()) for s in secrets if s)


def handshake(params: dict[str, str], verify_token: str) -> str | None:
    """The challenge to echo when Meta's subscription request carries our verify token."""
    if params.get("hub.mode") != "subscribe" or not verify_token:
        return None
    token = params.get("hub.verify_token", "")
    if not hmac.compare_digest(token.encode(), verify_token.encode()):
        return None
    return params.get("hub.challenge")
