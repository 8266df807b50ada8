"""Meta's webhook receiver inside `puspaga run`: a small ASGI app served by uvicorn on a
thread of its own, behind the office's HTTPS reverse proxy (docs/META.md). A post is answered
200 only once it is committed (Meta posts again, for days, until it gets one): a bad signature
gets 401, a body too big 413, a database that cannot take it 503. What a post holds is taken
in later by its account's drain (channels/meta/source.py), off the request path."""

from __future__ import annotations

import asyncio
import errno
import json
import logging
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl

from bot.config.meta_settings import WebhookConfig
from channels.meta import signature
from channels.meta.items import addresses
from storage.dead_letters import DeadLetters
from storage.webhook_events import WebhookEvents, digest

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Route:
    """Where the posts for one account (a WhatsApp number, a Page, an Instagram account) go:
    its drain's key, its table, its wake-up."""

    source: str
    events: WebhookEvents
    wake: Callable[[], None]


@dataclass
class Receiver:
    """The ASGI app. `routes`: a drain's key ("whatsapp:<phone number id>", "messenger:<page
    id>", "instagram-graph:<account id>", as channels.meta.items.addresses reads a post) ->
    Route."""

    config: WebhookConfig
    routes: dict[str, Route]
    dead_letters: DeadLetters
    clock: Callable[[], datetime]
    also_signed_by: tuple[str, ...] = ()  # Instagram Login's own app secret, when set

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            return
        if scope["path"] != self.config.path:
            await _answer(send, 404, b"")
            return
        if scope["method"] == "GET":
            params = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
            challenge = signature.handshake(params, self.config.verify_token)
            if challenge is None:
                log.warning("permintaan verifikasi webhook ditolak: verify_token tidak cocok")
                await _answer(send, 403, b"")
            else:
                log.info("webhook Meta terverifikasi")
                await _answer(send, 200, challenge.encode())
            return
        if scope["method"] != "POST":
            await _answer(send, 405, b"")
            return
        body = await _body(receive, self.config.max_body_kb * 1024)
        if body is None:
            log.warning("kiriman webhook ditolak: lebih dari %d KB", self.config.max_body_kb)
            await _answer(send, 413, b"")
            return
        header = dict(scope.get("headers", [])).get(b"x-hub-signature-256", b"").decode()
        if not signature.valid([self.config.app_secret, *self.also_signed_by], body, header):
            log.warning("kiriman webhook ditolak: tanda tangan tidak sah atau tidak ada")
            await _answer(send, 401, b"")
            return
        try:
            status = await asyncio.to_thread(self.keep, body)
        except Exception as exc:  # noqa: BLE001 - Meta posts again: nothing is lost
            log.error("kiriman webhook tidak dapat disimpan (%s); Meta akan mengirim ulang",
                      type(exc).__name__)  # fmt: skip
            status = 503
        await _answer(send, status, b"EVENT_RECEIVED" if status == 200 else b"")

    def keep(self, body: bytes) -> int:
        """Commit the post for each of our accounts it names; then wake their drains."""
        now = self.clock()
        try:
            post: Any = json.loads(body)
        except ValueError:
            post = None
        if not isinstance(post, dict) or not isinstance(post.get("entry"), list):
            # signed by Meta but unreadable: kept whole to read, answered so it is not re-sent
            self.dead_letters.add(source="webhook", external_id=digest(body),
                                  payload=body.decode("utf-8", "replace"),
                                  error="not a webhook post", at=now)  # fmt: skip
            log.warning("kiriman webhook bertanda tangan sah tetapi tidak terbaca; disimpan")
            return 200
        accounts = sorted(addresses(post))
        ours = [self.routes[a] for a in accounts if a in self.routes]
        if not ours:
            # signed with our app's secret, yet for no account of ours (one not configured yet,
            # another object): kept to read, answered so Meta does not post it for days
            # (its words may be another office's clients': only what names it is kept)
            named = {"object": post.get("object"), "accounts": accounts,
                     "sha256": digest(body), "bytes": len(body)}  # fmt: skip
            self.dead_letters.add(source="webhook", external_id=named["sha256"],
                                  payload=json.dumps(named), error="for no configured account",
                                  at=now)  # fmt: skip
            log.warning("kiriman webhook untuk nomor atau objek yang tidak diatur (%s); disimpan",
                        str(post.get("object"))[:40])  # fmt: skip
            return 200
        for route in ours:
            route.events.keep(route.source, body, now)
        for route in ours:
            route.wake()
        return 200


def _listen(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a restart's TIME_WAIT
        sock.bind((host, port))
        sock.listen(128)  # posts wait in the backlog until the loop takes them
    except OSError:
        sock.close()
        raise
    return sock


async def _body(receive: Callable, limit: int) -> bytes | None:
    chunks, size = [], 0
    while True:
        message = await receive()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body"):
            return b"".join(chunks)


async def _answer(send: Callable, status: int, body: bytes) -> None:
    headers = [(b"content-type", b"text/plain; charset=utf-8")]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


@dataclass
class WebhookServer:
    """The receiver on its port (a watcher: `run` on its thread until `halt`). One process
    serves a port: with several workers on one host the others wait, trying again every
    `retry_seconds`, and one of them takes over when the serving one stops (every worker
    commits to the same database; the drain's lease holder takes the posts in)."""

    receiver: Receiver
    host: str
    port: int
    stop: threading.Event = field(default_factory=threading.Event)
    ready: threading.Event = field(default_factory=threading.Event)
    bound: int | None = None  # the port actually bound (0 in tests: any free one)
    retry_seconds: float = 5.0
    _server: Any = None

    @property
    def name(self) -> str:
        return "webhook"

    def run(self) -> None:
        while not self.stop.is_set():  # served again after a crash: one worker is not left deaf
            sock = self._bind()
            if sock is None:
                return
            try:
                self._serve(sock)
                return  # stopped
            except Exception as exc:  # noqa: BLE001 - said, not hidden: Meta posts again
                log.error("webhook berhenti (%s); dibuka lagi", type(exc).__name__)
            finally:
                sock.close()
            self.stop.wait(self.retry_seconds)

    def _bind(self) -> socket.socket | None:
        """The port, once it is free; None when the service stops first. Held by another
        worker it is waited for quietly; any other refusal (a host this machine does not
        have, a port below 1024) is an error the operator must fix, said once."""
        told = False
        while True:
            try:
                sock = _listen(self.host, self.port)
                break
            except OSError as exc:
                if not told:
                    said = exc.strerror or type(exc).__name__
                    if exc.errno == errno.EADDRINUSE:  # a standby worker: said once, not each try
                        log.warning("webhook belum dapat membuka %s:%d (%s); dicoba lagi tiap "
                                    "%g detik (pekerja lain memakainya? periksa [webhook] host "
                                    "dan port)", self.host, self.port, said,
                                    self.retry_seconds)  # fmt: skip
                    else:
                        log.error("webhook tidak dapat membuka %s:%d (%s); perbaiki [webhook] "
                                  "host dan port", self.host, self.port, said)  # fmt: skip
                    told = True
                if self.stop.wait(self.retry_seconds):
                    return None
        if told:
            log.info("webhook kini dilayani pekerja ini di port %d", self.port)
        self.bound = sock.getsockname()[1]
        return sock

    def _serve(self, sock: socket.socket) -> None:
        import uvicorn  # only where a webhook is configured

        config = uvicorn.Config(self.receiver, lifespan="off", access_log=False,
                                log_config=None, log_level="warning")  # fmt: skip
        self._server = uvicorn.Server(config)
        self.ready.set()
        if not self.stop.is_set():
            self._server.run(sockets=[sock])

    def halt(self) -> None:
        self.stop.set()
        if self._server is not None:
            self._server.should_exit = True
