"""A local stand-in of Meta's Graph API for the WhatsApp Cloud API and Messenger's Send API
(a Facebook Page and an Instagram account; the demo, the tests and the bench; nothing reaches
Meta): it takes sends as Meta does (the token, the 24-hour window from the client's last
message, the HUMAN_AGENT tag up to 7 days when granted, scripted refusals), serves WhatsApp's
media behind the token and Messenger's files by plain link, and posts signed webhooks to the
office's receiver as Meta would, again until answered 200."""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

from channels.meta.signature import sign

NUMBER_ID = "106540352242922"  # the stand-in office number's id
WABA_ID = "102290129340398"
DISPLAY = "6281100000000"
PAGE_ID = "104729381256001"  # the stand-in office's Facebook Page
IG_ID = "17841400000000001"  # and its Instagram professional account


@dataclass
class GraphState:
    token: str = "graph-token-demo"  # noqa: S105 - the stand-in's own
    base: str = ""  # the stand-in's address, set when it starts
    number_id: str = NUMBER_ID
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    last_inbound: dict[str, datetime] = field(default_factory=dict)
    sent: list[dict[str, Any]] = field(default_factory=list)  # accepted sends, in order
    reads: list[str] = field(default_factory=list)  # wamids marked read
    media: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    refusals: list[tuple[int, int]] = field(default_factory=list)  # next sends: (HTTP, code)
    page_id: str = PAGE_ID
    ig_id: str = IG_ID
    # the Instagram account's own token (Instagram Login); "me" is the account with it and the
    # Page with `token` (a Page token)
    ig_token: str = "graph-token-instagram-demo"  # noqa: S105 - the stand-in's own
    human_agent: bool = False  # Meta granted the app the Human Agent feature
    profiles: dict[str, dict[str, str]] = field(default_factory=dict)  # psid/igsid -> fields
    files: dict[str, tuple[bytes, str]] = field(default_factory=dict)  # Messenger's file links
    file_auth: list[str] = field(default_factory=list)  # Authorization sent with each file fetch
    seen: list[str] = field(default_factory=list)  # psids/igsids marked seen
    lock: threading.Lock = field(default_factory=threading.Lock)
    ids: Any = field(default_factory=lambda: itertools.count(1))

    def texts_to(self, wa_id: str) -> list[str]:
        return [m["text"]["body"] for m in self._sent(wa_id, "text")]

    def templates_to(self, wa_id: str) -> list[str]:
        return [m["template"]["name"] for m in self._sent(wa_id, "template")]

    def _sent(self, wa_id: str, kind: str) -> list[dict[str, Any]]:
        with self.lock:
            return [m for m in self.sent if m.get("to") == f"+{wa_id}" and m.get("type") == kind]

    def client_writes(
        self, wa_id: str, name: str, words: str = "", *, at: datetime | None = None,
        media: tuple[str, bytes, str] | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        """The webhook post for one client message (`media`: kind, bytes, mime type)."""
        at = at or self.clock()
        with self.lock:
            wamid = f"wamid.IN{next(self.ids):08d}"
            self.last_inbound[wa_id] = max(at, self.last_inbound.get(wa_id, at))
            message: dict[str, Any] = {"from": wa_id, "id": wamid,
                                       "timestamp": str(int(at.timestamp()))}  # fmt: skip
            if media is None:
                message |= {"type": "text", "text": {"body": words}}
            else:
                kind, data, mime = media
                media_id = f"{next(self.ids):015d}"
                self.media[media_id] = (data, mime)
                message |= {"type": kind, kind: {"id": media_id, "mime_type": mime,
                                                 "caption": words}}  # fmt: skip
                if kind == "audio":
                    message[kind]["voice"] = True
        value = {"contacts": [{"profile": {"name": name}, "wa_id": wa_id}], "messages": [message]}
        return self._post(value)

    def status(self, wamid: str, status: str, recipient: str, code: int | None = None
               ) -> dict[str, Any]:  # fmt: skip
        """The post of a status of ours; `code`, the error of a `failed` one."""
        item: dict[str, Any] = {"id": wamid, "status": status, "recipient_id": recipient,
                                "timestamp": str(int(self.clock().timestamp()))}  # fmt: skip
        if code is not None:
            item["errors"] = [{"code": code, "title": "refused by the stand-in"}]
        with self.lock:  # Meta echoes what the send carried
            sent = next((m for m in self.sent if m.get("_id") == wamid), {})
        if sent.get("biz_opaque_callback_data"):
            item["biz_opaque_callback_data"] = sent["biz_opaque_callback_data"]
        return self._post({"statuses": [item]})

    def last_sent_id(self, wa_id: str) -> str:
        """The wamid WhatsApp gave our latest text to `wa_id`."""
        return str(self._sent(wa_id, "text")[-1]["_id"])

    def _post(self, value: dict[str, Any]) -> dict[str, Any]:
        value = {"messaging_product": "whatsapp",
                 "metadata": {"display_phone_number": DISPLAY, "phone_number_id": self.number_id},
                 **value}  # fmt: skip
        change = {"field": "messages", "value": value}
        return {"object": "whatsapp_business_account",
                "entry": [{"id": WABA_ID, "changes": [change]}]}  # fmt: skip

    # -- Messenger and Instagram -------------------------------------------------------------

    def person_writes(
        self, psid: str, words: str = "", *, instagram: bool = False, at: datetime | None = None,
        files: tuple[tuple[str, bytes, str], ...] = (), name: str = "",
    ) -> dict[str, Any]:  # fmt: skip
        """The webhook post of one message to the Page (or, `instagram`, to the account);
        `files`: (kind, bytes, file name); `name`, what the profile lookup answers."""
        at = at or self.clock()
        account = self.ig_id if instagram else self.page_id
        with self.lock:
            mid = f"m_{'IG' if instagram else 'FB'}{next(self.ids):010d}"
            self.last_inbound[psid] = max(at, self.last_inbound.get(psid, at))
            if name:
                first, _, last = name.partition(" ")
                self.profiles[psid] = {"name": name, "username": name.lower().replace(" ", "."),
                                       "first_name": first, "last_name": last}  # fmt: skip
            attachments = []
            for kind, data, filename in files:
                key = f"{next(self.ids):012d}"
                self.files[key] = (data, filename)
                url = f"{self.base}/cdn/{key}/{filename}"
                attachments.append({"type": kind, "payload": {"url": url}})
        message: dict[str, Any] = {"mid": mid, "text": words} if words else {"mid": mid}
        if attachments:
            message["attachments"] = attachments
        stamp = int(at.timestamp() * 1000)
        event = {"sender": {"id": psid}, "recipient": {"id": account}, "timestamp": stamp,
                 "message": message}  # fmt: skip
        return {"object": "instagram" if instagram else "page",
                "entry": [{"id": account, "time": stamp, "messaging": [event]}]}  # fmt: skip

    def said_to(self, psid: str) -> list[str]:
        """The texts the Page or the account sent `psid`, in order."""
        with self.lock:
            return [m["message"]["text"] for m in self.sent
                    if m.get("recipient", {}).get("id") == psid and "message" in m]  # fmt: skip

    def tags_to(self, psid: str) -> list[str]:
        with self.lock:
            return [m.get("tag", "") for m in self.sent
                    if m.get("recipient", {}).get("id") == psid and "message" in m]  # fmt: skip

    def _send_api(self, account: str, body: dict[str, Any]) -> tuple[int, Any]:
        """Messenger's Send API, for the Page or the Instagram account."""
        psid = str(body.get("recipient", {}).get("id", ""))
        if body.get("sender_action"):
            self.seen.append(psid)
            return 200, {"recipient_id": psid}
        age = self.clock() - self.last_inbound.get(psid, datetime.min.replace(tzinfo=UTC))
        tagged = body.get("messaging_type") == "MESSAGE_TAG" and body.get("tag") == "HUMAN_AGENT"
        if tagged and not self.human_agent:
            return 400, _error(10, "Application does not have permission for this action",
                               2018065)  # fmt: skip
        if age > (timedelta(days=7) if tagged else timedelta(hours=24)):
            if account == self.ig_id:
                return 403, _error(10, "This message is sent outside of allowed window", 2534022)
            return 400, _error(10, "This message is sent outside of allowed window", 2018278)
        mid = f"m_OUT{next(self.ids):010d}"
        self.sent.append({**body, "_id": mid, "_account": account})
        return 200, {"recipient_id": psid, "message_id": mid}

    # -- the Graph side --------------------------------------------------------------------

    def answer(self, method: str, path: str, auth: str, body: dict[str, Any]) -> tuple[int, Any]:
        parts = [p for p in path.split("/") if p]
        if method == "GET" and parts[:1] == ["cdn"] and len(parts) == 3:  # a plain link
            self.file_auth.append(auth)
            found = self.files.get(parts[1])
            return (200, (found[0], "application/octet-stream")) if found else (404, b"")
        if auth not in (f"Bearer {self.token}", f"Bearer {self.ig_token}"):
            return 401, _error(190, "Error validating access token: Session has expired")
        if method == "GET" and parts[:1] == ["media"] and len(parts) == 2:
            found = self.media.get(parts[1])
            return (200, found) if found else (404, _error(100, "no such file"))
        if len(parts) < 2:
            return 404, _error(100, "Unknown path")
        if method == "GET":
            if parts[1] == self.number_id:
                return 200, {"display_phone_number": f"+{DISPLAY}", "id": self.number_id,
                             "verified_name": "PUSPAGA Kabupaten Contoh"}  # fmt: skip
            if parts[1] in self.media:
                mime = self.media[parts[1]][1]
                return 200, {"url": f"{self.base}/media/{parts[1]}", "mime_type": mime,
                             "id": parts[1]}  # fmt: skip
            if parts[1] == self.page_id:
                return 200, {"name": "PUSPAGA Kabupaten Contoh", "id": self.page_id}
            if parts[1] == self.ig_id:
                return 200, {"username": "puspaga.contoh", "id": self.ig_id}
            if parts[1] in self.profiles:
                return 200, {**self.profiles[parts[1]], "id": parts[1]}
            return 404, _error(100, "Unsupported get request")
        if len(parts) == 3 and parts[1] == "me":  # the token's own: the Page's or the account's
            parts[1] = self.ig_id if auth == f"Bearer {self.ig_token}" else self.page_id
        elif parts[1:] == [self.ig_id, "messages"]:  # not an address of the Send API
            return 400, _error(100, "Unsupported post request. Object does not exist")
        send_api = parts[1:] in ([self.page_id, "messages"], [self.ig_id, "messages"])
        if not send_api and parts[1:] != [self.number_id, "messages"]:
            return 400, _error(100, "Unsupported post request")
        with self.lock:
            if self.refusals:  # scripted: the next sends of either API meet these
                status, code = self.refusals.pop(0)
                return status, _error(code, "refused by the stand-in")
            return self._send_api(parts[1], body) if send_api else self._cloud_api(body)

    def _cloud_api(self, body: dict[str, Any]) -> tuple[int, Any]:
        """WhatsApp's `/<number id>/messages`: a read receipt, or a send within the window
        (a template at any time)."""
        if body.get("status") == "read":
            self.reads.append(str(body.get("message_id")))
            return 200, {"success": True}
        to = str(body.get("to", "")).lstrip("+")
        last = self.last_inbound.get(to)
        if body.get("type") != "template" and (
            last is None or self.clock() - last > timedelta(hours=24)
        ):
            return 400, _error(131047, "Re-engagement message")
        wamid = f"wamid.OUT{next(self.ids):08d}"
        self.sent.append({**body, "_id": wamid})
        return 200, {"messaging_product": "whatsapp", "contacts": [{"input": body.get("to"),
                     "wa_id": to}], "messages": [{"id": wamid}]}  # fmt: skip


def _error(code: int, message: str, subcode: int | None = None) -> dict[str, Any]:
    error = {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "AStandIn"}
    return {"error": error | ({"error_subcode": subcode} if subcode else {})}


class LocalGraph:
    """The stand-in on 127.0.0.1 (a free port): `base_url` goes into [whatsapp] graph_url."""

    def __init__(self, state: GraphState | None = None) -> None:
        self.state = state or GraphState()
        state_ = self.state

        class Handler(BaseHTTPRequestHandler):
            def _serve(self, method: str) -> None:
                size = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(size) if size else b""
                try:
                    body = json.loads(raw) if raw else {}
                except ValueError:
                    body = {}
                path = self.path.split("?")[0]
                status, out = state_.answer(method, path, self.headers.get("Authorization", ""),
                                            body if isinstance(body, dict) else {})  # fmt: skip
                if isinstance(out, tuple):
                    data, kind = out
                else:
                    data, kind = json.dumps(out).encode(), "application/json"
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802
                self._serve("GET")

            def do_POST(self) -> None:  # noqa: N802
                self._serve("POST")

            def log_message(self, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.state.base = self.base_url

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> LocalGraph:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@dataclass
class Meta:
    """Posts webhooks as Meta does: signed over the exact bytes (non-ASCII escaped), and
    again until the receiver answers 200 (Meta goes on for days; here `tries` times)."""

    url: str
    app_secret: str
    statuses: list[int] = field(default_factory=list)  # every answer the receiver gave

    def post(self, body: dict[str, Any] | bytes, *, secret: str | None = None,
             signed: bool = True) -> int:  # fmt: skip
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers = {"Content-Type": "application/json"}
        if signed:
            headers["X-Hub-Signature-256"] = sign(secret or self.app_secret, raw)
        try:
            status = httpx.post(self.url, content=raw, headers=headers, timeout=10).status_code
        except httpx.HTTPError:
            status = 0  # no answer: Meta tries again
        self.statuses.append(status)
        return status

    def deliver(self, body: dict[str, Any] | bytes, tries: int = 20, pause: float = 0.2) -> int:
        for _ in range(tries):
            status = self.post(body)
            if status == 200:
                return status
            time.sleep(pause)
        return status
