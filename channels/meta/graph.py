"""Meta's Graph API over HTTPS (httpx), and what its errors mean for the outbox: wait and try
again, give up, or the token is refused (the channel is down until it is renewed)."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import Any

import httpx

from triage.ports import SendError

log = logging.getLogger(__name__)

# Slow down and try again, without holding it against the message: rate limits of the app, the
# account, the number and one recipient (the codes in Meta's error pages).
SLOW_DOWN = frozenset({4, 80007, 130429, 131056, 613, 131057})
TOKEN_REFUSED = frozenset({190})
WINDOW_CLOSED = frozenset({131047})
# Messenger's and Instagram's window: code 10 with these subcodes (docs/META.md)
OUTSIDE_WINDOW = frozenset({2018278, 2534022})
NO_RECIPIENT = frozenset({131026, 551})  # not on WhatsApp, or not reachable
BLOCKED = frozenset({130403})


class GraphError(Exception):
    """An answer other than 2xx: Meta's error envelope read, or the HTTP status alone."""

    def __init__(self, status: int, code: int | None, message: str, subcode: int | None = None
                 ) -> None:  # fmt: skip
        super().__init__(f"Graph {status} code {code}/{subcode}: {message}")
        self.status, self.code, self.subcode = status, code, subcode

    @property
    def outside_window(self) -> bool:
        """Messenger or Instagram refused: the client's last message is too long ago."""
        return self.code == 10 and self.subcode in OUTSIDE_WINDOW


@dataclass
class Graph:
    token: str
    base_url: str = "https://graph.facebook.com"
    version: str = "v23.0"
    timeout: float = 20.0
    proxy: str | None = None
    transport: httpx.BaseTransport | None = None  # the tests' stand-in, in process
    _http: httpx.Client | None = field(default=None, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def _client(self) -> httpx.Client:
        """One pooled client for the drain's thread and the outbox's (httpx's is thread-safe)."""
        with self._lock:
            if self._http is None:
                self._http = httpx.Client(
                    timeout=self.timeout,
                    proxy=self.proxy,
                    transport=self.transport,
                    headers={"Authorization": f"Bearer {self.token}"},
                )
            return self._http

    def url(self, path: str) -> str:
        return f"{self.base_url.rstrip('/')}/{self.version}/{path.lstrip('/')}"

    def post(self, path: str, payload: dict[str, Any]) -> dict[str, Any]:
        return _json(self._client().post(self.url(path), json=payload))

    def get(self, path: str) -> dict[str, Any]:
        return _json(self._client().get(self.url(path)))

    def download(self, url: str, limit: int, *, signed: bool = True) -> bytes | None:
        """A media file; None when over `limit` bytes. WhatsApp's links need the token;
        Messenger's and Instagram's are fetched without it (it is not theirs to see)."""
        data = b""
        client = self._client()
        request = client.build_request("GET", url)
        if not signed:
            request.headers.pop("Authorization", None)
        # a file server's redirect is followed (httpx drops the token when the host changes)
        response = client.send(request, stream=True, follow_redirects=True)
        try:
            if response.status_code >= 400:
                response.read()
                _json(response)
            for chunk in response.iter_bytes():
                data += chunk
                if len(data) > limit:
                    return None
        finally:
            response.close()
        return data

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        body = None
    if response.status_code >= 400 or not isinstance(body, dict):
        error = body.get("error") if isinstance(body, dict) else None
        error = error if isinstance(error, dict) else {}
        code, sub = error.get("code"), error.get("error_subcode")
        message = str(error.get("message") or response.reason_phrase)[:200]
        raise GraphError(response.status_code, code if isinstance(code, int) else None, message,
                         sub if isinstance(sub, int) else None)  # fmt: skip
    return body


def send_error(exc: Exception) -> SendError:
    """What the outbox does after a failed send (docs/META.md lists the codes)."""
    if isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout):
        return SendError(type(exc).__name__, transient=True, counts=False)  # nothing left us
    if isinstance(exc, httpx.TimeoutException | httpx.TransportError):
        # The request left: Meta may have accepted it (no idempotency key, docs/OUTBOX.md).
        # Counted, so such a send is tried `[outbox] max_attempts` times at most; a Graph that
        # stops answering is an outage all the same (the alarm)
        return SendError(type(exc).__name__, transient=True, down=True)
    if not isinstance(exc, GraphError):
        return SendError(type(exc).__name__, transient=True)
    if exc.code in TOKEN_REFUSED:
        return SendError(f"login refused: {exc}", transient=True, counts=False, down=True)
    if exc.code in SLOW_DOWN:
        return SendError(str(exc), transient=True, retry_after=60, counts=False, down=False)
    if exc.code in WINDOW_CLOSED:
        return SendError(f"outside the 24-hour window: {exc}", transient=False, down=False)
    if exc.outside_window:
        return SendError(f"outside the messaging window: {exc}", transient=False, down=False)
    if exc.code == 10:  # the app lacks a permission (HUMAN_AGENT not granted): trying again fails
        return SendError(f"no permission: {exc}", transient=False, down=False)
    if exc.code in NO_RECIPIENT:
        return SendError(f"recipient refused: {exc}", transient=False, down=False)
    if exc.code in BLOCKED:
        return SendError(f"blocked: {exc}", transient=False, down=False)
    if exc.status >= 500:
        return SendError(str(exc), transient=True, counts=False)
    return SendError(str(exc), transient=True, down=False)
