"""A burst on the hotline: many clients write at once, several messages each, to the real service
(python-telegram-bot unchanged, relay, outbox, budgets) against the local Bot API server with
Telegram's flood limits switched on.

    .venv/bin/python bench/burst.py [--clients 300] [--messages 3] [--timeout 1800] [--asking]
                                    [--topics-count]

Measures: time until every conversation is visible in the admin group (its topic exists), until
every conversation has its first post, until every client message is shown; Bot API sends to
the group per minute (highest in any 60 s window); 429 answers (target 0); messages lost and
doubled (target 0). Prints one JSON line; docs/BENCHMARKS.md keeps the results.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("PTB_TIMEDELTA", "1")

from bench.common import stamp  # noqa: E402
from bot.bootstrap import build  # noqa: E402
from bot.demo.local_api import ApiState, LocalBotApi
from bot.demo.telegram_act import GROUP, STAFF, training_settings
from bot.service import loops as service

FIRST_CLIENT = 100_000


def office(clients: int) -> ApiState:
    state = ApiState()
    for user_id, name, _ in STAFF:
        state.add_user(user_id, name)
    for n in range(clients):
        state.add_user(FIRST_CLIENT + n, f"Klien{n}", last_name="Uji")
    state.add_group(GROUP, "Admin PUSPAGA")
    return state


def text_of(client: int, n: int, asking: bool = False) -> str:
    if asking and n == 1:  # an information question: the bot answers it at once
        return f"[k{client}-m{n}] halo, jam buka kantornya kapan ya?"
    return f"[k{client}-m{n}] halo, saya butuh bantuan"  # the bracket ends the marker


def sends_to_group(state: ApiState) -> list[float]:
    with state.lock:
        return [
            c.at
            for c in state.calls
            if c.method == "sendMessage" and str(c.params.get("chat_id")) == str(GROUP)
        ]


def max_per_minute(times: list[float]) -> int:
    best, start = 0, 0
    for end in range(len(times)):
        while times[end] - times[start] >= 60.0:
            start += 1
        best = max(best, end - start + 1)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=300)
    parser.add_argument("--messages", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument(
        "--asking", action="store_true",
        help="each client's first message asks the office hours (an automatic answer each)",
    )  # fmt: skip
    parser.add_argument(
        "--topics-count", action="store_true",
        help="the stand-in counts creating a topic against the group's 20 a minute",
    )  # fmt: skip
    args = parser.parse_args()

    state = office(args.clients)
    state.flood.topics_count = args.topics_count
    expected = {
        text_of(c, n, args.asking) for c in range(args.clients) for n in range(1, args.messages + 1)
    }
    with tempfile.TemporaryDirectory() as tmp, LocalBotApi(state) as api:
        settings = training_settings(api, Path(tmp) / "data", interval_seconds=0.2)
        # the clients' words are shown at once (no placeholders until consent): what is measured
        # is every message reaching the group, which the placeholders would hide
        shown = settings.consent.model_copy(update={"mask_before": False})
        settings = settings.model_copy(update={"consent": shown})
        app = build(settings)
        assert app.telegram is not None
        stop = threading.Event()
        loop = threading.Thread(target=service.run_forever, args=(app, stop), daemon=True)
        loop.start()
        try:
            if not app.telegram.ready.wait(30):
                raise SystemExit("the bot did not start")
            start = time.monotonic()
            for n in range(1, args.messages + 1):  # everyone writes, then everyone again …
                for c in range(args.clients):
                    state.user_writes(FIRST_CLIENT + c, text=text_of(c, n, args.asking))
            written = time.monotonic() - start
            marks: dict[str, float] = {}
            deadline = start + args.timeout
            while time.monotonic() < deadline:
                topics = sum(1 for (chat, _) in state.topics if chat == GROUP)
                shown = " ".join(m.get("text", "") for m in state.sent(GROUP))
                with_post = len(
                    {m.get("message_thread_id") for m in state.sent(GROUP) if m.get("text")}
                )
                now = time.monotonic() - start
                if topics >= args.clients:
                    marks.setdefault("all_topics_s", now)
                if with_post >= args.clients:
                    marks.setdefault("all_first_posts_s", now)
                if all(t in shown for t in expected):
                    marks.setdefault("all_messages_s", now)
                    break
                time.sleep(0.5)
            shown_texts = [m.get("text", "") for m in state.sent(GROUP)]
            joined = "\n".join(shown_texts)
            lost = sum(1 for t in expected if t not in joined)
            doubled = sum(1 for t in expected if joined.count(t) > 1)
            group_sends = sends_to_group(state)
            result = {
                "clients": args.clients,
                "messages_per_client": args.messages,
                "client_messages": len(expected),
                "written_in_s": round(written, 2),
                **{k: round(v, 1) for k, v in marks.items()},
                "posts_in_group": len(group_sends),
                "group_sends_max_per_60s": max_per_minute(group_sends),
                "http_429": state.flood.refused,
                "lost": lost,
                "doubled": doubled,
                **stamp(),
            }
            print(json.dumps(result))
        finally:
            stop.set()
            app.wake.set()
            loop.join(timeout=30)
            app.engine.dispose()


if __name__ == "__main__":
    main()
