"""The HTTP side of the local Bot API server: `POST /bot<token>/<method>` and file downloads.

python-telegram-bot sends form-encoded bodies (multipart with files); each non-string value is
JSON in its field, strings are raw. Replies are `{"ok": true, "result": …}` or the error shape.
"""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote

from bot.demo.local_api.methods import METHODS, Files
from bot.demo.local_api.state import JSON, ApiError, ApiState

log = logging.getLogger(__name__)
SENDS = ("send", "copy", "forward", "edit")  # what a flood wait refuses

# Values the Bot API types as strings: kept raw even when they look like JSON ("123", "true").
STRING_PARAMS = frozenset(
    {
        "text",
        "caption",
        "name",
        "parse_mode",
        "callback_query_id",
        "file_id",
        "data",
        "icon_custom_emoji_id",
        "url",
        "photo",
        "document",
        "voice",
        "language_code",
        "scope_type",
    }
)


def _value(name: str, raw: str) -> Any:
    if name in STRING_PARAMS:
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def parse_body(content_type: str, body: bytes) -> tuple[JSON, Files]:
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind == "application/json":
        data = json.loads(body or b"{}")
        return (data if isinstance(data, dict) else {}), {}
    if kind == "multipart/form-data":
        message = BytesParser(policy=HTTP).parsebytes(
            b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
        )
        params: JSON = {}
        files: Files = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True) or b""
            filename = part.get_filename()
            if filename is not None:
                files[str(name)] = (filename, payload, part.get_content_type())
            else:
                params[str(name)] = _value(str(name), payload.decode("utf-8"))
        return params, files
    pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True)
    return {k: _value(k, v) for k, v in pairs}, {}


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass  # requests carry message texts: never logged

    def _reply(self, status: int, payload: JSON | bytes, content_type: str = "application/json"):
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client went away (a long poll cut off at shutdown)

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        state = self.server.state
        prefix = f"/file/bot{state.token}/"
        path = unquote(self.path)  # python-telegram-bot percent-encodes the token's ':'
        if path.startswith(prefix):
            wanted = path[len(prefix) :]
            for stored in list(state.files.values()):
                if stored.path == wanted:
                    self._reply(200, stored.content, "application/octet-stream")
                    return
            self._reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})
            return
        self._handle(b"", "")

    def do_POST(self) -> None:  # noqa: N802 - stdlib name
        length = int(self.headers.get("Content-Length") or 0)
        self._handle(self.rfile.read(length), self.headers.get("Content-Type", ""))

    def _handle(self, body: bytes, content_type: str) -> None:
        state = self.server.state
        path = unquote(self.path.split("?", 1)[0])
        if not path.startswith("/bot") or "/" not in path[4:]:
            self._reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})
            return
        token, method = path[4:].rsplit("/", 1)
        if state.failing is not None:  # Telegram's front answering 5xx during an incident
            status = state.failing
            with state.lock:
                state.failed_calls += 1
            reason = self.responses.get(status, ("Server Error",))[0]
            self._reply(status, {"ok": False, "error_code": status, "description": reason})
            return
        if token != state.token:
            self._reply(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
            return
        handler = METHODS.get(method.lower())
        if handler is None:
            self._reply(
                404, {"ok": False, "error_code": 404, "description": "Not Found: method not found"}
            )
            return
        try:
            params, files = parse_body(content_type, body)
            state.record(method, params)
            if state.storming is not None and method.lower().startswith(SENDS):
                with state.lock:
                    state.stormed.append((str(params.get("chat_id")), time.monotonic()))
                wait = state.storming
                raise ApiError(429, f"Too Many Requests: retry after {wait}", {"retry_after": wait})
            result = handler(state, params, files)
        except ApiError as exc:
            error: JSON = {"ok": False, "error_code": exc.code, "description": exc.description}
            if exc.parameters:
                error["parameters"] = exc.parameters
            self._reply(exc.code, error)
            return
        except (ValueError, KeyError, TypeError) as exc:
            self._reply(
                400,
                {
                    "ok": False,
                    "error_code": 400,
                    "description": f"Bad Request: {type(exc).__name__}",
                },
            )
            return
        self._reply(200, {"ok": True, "result": result})


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], state: ApiState) -> None:
        super().__init__(address, _Handler)
        self.state = state
        self.open_connections: set[socket.socket] = set()

    def process_request(self, request, client_address):  # type: ignore[no-untyped-def]
        self.open_connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request):  # type: ignore[no-untyped-def]
        self.open_connections.discard(request)
        super().shutdown_request(request)

    def cut_connections(self) -> None:
        """Drop keep-alive connections too, as an outage would."""
        for connection in list(self.open_connections):
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class LocalBotApi:
    """Start, stop, pause (refuse connections) and resume the server on one loopback port."""

    def __init__(self, state: ApiState | None = None, host: str = "127.0.0.1", port: int = 0):
        self.state = state or ApiState()
        self.host = host
        self.port = port
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://{self.host}:{self.port}/file/bot"

    def start(self) -> LocalBotApi:
        self._server = _Server((self.host, self.port), self.state)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            daemon=True,
            name="local-bot-api",
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server.cut_connections()
            self._server = None
        with self.state.lock:
            self.state.lock.notify_all()  # wake long polls so their threads end

    pause = stop  # the port stays ours (self.port); connections are refused until resume()

    def resume(self) -> None:
        self.start()

    def storm(self, retry_after: int | None) -> None:
        """Answer every send with 429 and this `retry_after` (Telegram's flood control, e.g.
        for another process using the same token) until `storm(None)`."""
        self.state.storming = retry_after

    def fail_with(self, status: int | None) -> None:
        """Answer every call with this HTTP status (502, 500 …) until `fail_with(None)`."""
        self.state.failing = status

    def __enter__(self) -> LocalBotApi:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
