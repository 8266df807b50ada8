"""Instagram for the national bench: one HTTP server on this machine that holds every office's
direct threads, shared by the worker processes (which reach it through
bench/instagram_worker.py). Its answers are those of the demo's stand-in
(bot/demo/local_instagram.py, shaped as instagrapi parses them); the office asking is read
from the session in instagrapi's Authorization header. New clients arrive as message requests
(the pending inbox), as first contacts do on a business account."""

from __future__ import annotations

import base64
import json
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from bot.demo import local_instagram as ig

FIRST_ME = 2_000_000  # office n's account is FIRST_ME + n
PAGE = 50  # threads an inbox page holds (the source asks for 50)


@dataclass
class Account:
    me: int
    threads: dict[str, dict] = field(default_factory=dict)  # thread id -> thread
    pending: set[str] = field(default_factory=set)
    by_user: dict[int, str] = field(default_factory=dict)  # client pk -> thread id


@dataclass
class Sent:
    me: int
    recipient: int
    text: str
    at: float


class InstagramStandin:
    def __init__(self) -> None:
        self.accounts: dict[int, Account] = {}
        self.sent: list[Sent] = []
        self.calls: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._item = 4_000_000
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> InstagramStandin:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def account(self, me: int) -> Account:
        with self._lock:
            return self.accounts.setdefault(me, Account(me))

    def _new_item(self, user_id: int, body: str) -> dict:
        """A direct message written now, with the next item id (under the lock)."""
        self._item += 1
        return ig.item(self._item, user_id, int(time.time()), text=body)

    def client_writes(self, me: int, pk: int, name: str, body: str) -> None:
        """A client's direct message to the office `me`: a new request, or their thread."""
        account = self.account(me)
        with self._lock:
            new = self._new_item(pk, body)
            thread_id = account.by_user.get(pk)
            if thread_id is None:
                thread_id = _thread_id(pk)
                user = (pk, f"klien.{pk}", name)
                account.threads[thread_id] = ig.thread(thread_id, [new], user, pending=True)
                account.pending.add(thread_id)
                account.by_user[pk] = thread_id
            else:
                held = account.threads[thread_id]
                held["items"].insert(0, new)
                held["last_activity_at"] = new["timestamp"]

    def _answer(self, method: str, path: str, me: int, form: dict[str, list[str]]) -> dict | None:
        account = self.account(me)
        with self._lock:
            self.calls[re.sub(r"\d{6,}", "N", path)] += 1
            if path == "accounts/current_user/":
                return ig.current_user(me)
            if path in ("direct_v2/inbox/", "direct_v2/pending_inbox/"):
                pending = path.startswith("direct_v2/pending")
                chosen = [
                    t for i, t in account.threads.items() if (i in account.pending) == pending
                ]
                chosen.sort(key=lambda t: int(t["last_activity_at"]), reverse=True)
                threads = [_copy(t, 20) for t in chosen[:PAGE]]
                return {"status": "ok", "inbox": {"threads": threads, "oldest_cursor": None}}
            found = re.fullmatch(r"direct_v2/threads/(\d+)/approve/", path)
            if found and method == "POST":
                account.pending.discard(found[1])
                if held := account.threads.get(found[1]):
                    held["pending"] = False
                return {"status": "ok"}
            if found := re.fullmatch(r"direct_v2/threads/(\d+)/", path):
                held = account.threads.get(found[1])
                return None if held is None else {"status": "ok", "thread": _copy(held, 200)}
            if path in ("direct_v2/threads/broadcast/text/", "direct_v2/threads/broadcast/link/"):
                recipient = json.loads(form["recipient_users"][0])[0][0]
                body = form.get("text", form.get("link_text", [""]))[0]
                self.sent.append(Sent(me, recipient, body, time.time()))
                reply = self._new_item(me, body)
                thread_id = account.by_user.get(recipient, _thread_id(recipient))
                if held := account.threads.get(thread_id):  # the thread moves to the top
                    held["items"].insert(0, reply)
                    held["last_activity_at"] = reply["timestamp"]
                payload = {"item_id": reply["item_id"], "thread_id": thread_id,
                           "timestamp": str(int(time.time() * 1_000_000))}  # fmt: skip
                return {"status": "ok", "payload": payload}
        return None

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                size = int(self.headers.get("Content-Length") or 0)
                form = parse_qs(self.rfile.read(size).decode()) if size else {}
                path = urlsplit(self.path).path.removeprefix("/api/v1/")
                me = _me(self.headers)
                answer = standin._answer(self.command, path, me, form) if me else None
                refused = {"status": "fail", "message": "login_required" if not me else "not found"}
                body = json.dumps(answer or refused).encode()
                self.send_response(200 if answer else 403 if not me else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _serve

            def log_message(self, *args: object) -> None:
                pass

        return Handler


def _me(headers: object) -> int:
    """The account from instagrapi's header `Bearer IGT:2:<base64 of the session's data>`."""
    value = str(headers.get("Authorization", ""))  # type: ignore[attr-defined]
    try:
        data = json.loads(base64.b64decode(value.split("IGT:2:", 1)[1]))
        return int(data["ds_user_id"])
    except (IndexError, ValueError, KeyError):
        return 0


def _thread_id(pk: int) -> str:
    return str(10**35 + pk)


def _copy(thread: dict, depth: int) -> dict:
    return {**thread, "items": list(thread["items"][:depth])}
