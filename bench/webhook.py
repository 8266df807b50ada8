"""Meta's webhook receiver under load: WhatsApp's (or, `--channel messenger`, a Facebook Page's)
posts into the real service (uvicorn, the receiver, the drain, the relay, the outbox) with the
local Bot API server for staff and the Graph API stand-in, on SQLite and on PostgreSQL.

    .venv/bin/python bench/webhook.py [--posts 2000] [--senders 8] [--latency 20] [--gap 4]
                                      [--databases sqlite postgresql] [--channel messenger]

Measures, for each database: the receive rate (signed posts answered 200 per second, each post
sent twice as Meta's duplicates are, `--senders` at a time), posts stored (the duplicates must
not be), client messages stored (exactly once: lost and doubled, target 0) and how long until
all were; and first, on the quiet office, the latency from a post's 200 to its message stored
and to its card in the admin group (`--latency` new clients, `--gap` seconds apart: the bot
keeps to Telegram's 20 posts a minute to a group, so a burst's cards queue behind it). Prints JSON;
docs/BENCHMARKS.md keeps the results.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("PTB_TIMEDELTA", "1")

import httpx  # noqa: E402
from sqlalchemy import text  # noqa: E402

from bench.common import on_databases, report  # noqa: E402
from bot.bootstrap import build  # noqa: E402
from bot.config.meta_settings import MessengerConfig, WebhookConfig, WhatsAppConfig  # noqa: E402
from bot.demo.local_api import LocalBotApi  # noqa: E402
from bot.demo.local_graph import LocalGraph  # noqa: E402
from bot.demo.telegram_act import GROUP, training_settings, training_state  # noqa: E402
from bot.service import loops as service  # noqa: E402
from channels.meta.signature import sign  # noqa: E402

SECRET = "bench-app-secret"  # noqa: S105 - the bench's own
VERIFY = "bench-verify-token-0000"  # noqa: S105


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def measure(args: argparse.Namespace, database: str, url: str) -> dict[str, object]:
    port = free_port()
    hook = f"http://127.0.0.1:{port}/meta"
    with tempfile.TemporaryDirectory() as tmp, LocalBotApi(training_state()) as api, \
            LocalGraph() as graph:  # fmt: skip
        api.state.flood.enabled = False  # the receiver is measured, not Telegram's limits
        settings = training_settings(api, Path(tmp) / "data", database_url=url,
                                     interval_seconds=0.05)  # fmt: skip
        extra = {
            "consent": settings.consent.model_copy(update={"mask_before": False}),
            "webhook": WebhookConfig(port=port, verify_token=VERIFY, app_secret=SECRET),
            "whatsapp": WhatsAppConfig(
                phone_number_id=graph.state.number_id, access_token=graph.state.token,
                graph_url=graph.base_url, mark_read=False, poll_seconds=1.0,
            ),
        }  # fmt: skip
        if args.channel == "messenger":
            extra["messenger"] = MessengerConfig(
                page_id=graph.state.page_id, access_token=graph.state.token,
                graph_url=graph.base_url, poll_seconds=1.0,
            )  # fmt: skip
        settings = settings.model_copy(update=extra)
        app = build(settings)
        stop = threading.Event()
        loop = threading.Thread(target=service.run_forever, args=(app, stop), daemon=True)
        loop.start()
        try:
            assert app.telegram is not None and app.telegram.ready.wait(30)
            server = next(w for w in app.watchers if w.name == "webhook")
            server.ready.wait(10)
            quiet = latency(args, app, api, graph, hook)  # first: the office is quiet
            return {"database": database, **burst(args, app, graph, hook), **quiet}
        finally:
            stop.set()
            app.wake.set()
            loop.join(timeout=30)
            app.engine.dispose()


def signed(body: dict) -> tuple[bytes, dict[str, str]]:
    raw = json.dumps(body).encode()
    return raw, {"Content-Type": "application/json", "X-Hub-Signature-256": sign(SECRET, raw)}


def writes(args: argparse.Namespace, graph, who: str, name: str, words: str) -> dict:  # noqa: ANN001
    """One client's post on the channel measured."""
    if args.channel == "messenger":
        return graph.state.person_writes(who, words, name=name)
    return graph.state.client_writes(who, name, words)


def burst(args: argparse.Namespace, app, graph, hook: str) -> dict[str, object]:  # noqa: ANN001
    posts = [
        signed(writes(args, graph, f"62812{n:08d}", f"Klien {n}", f"[wa{n}] halo, tolong"))
        for n in range(args.posts)
    ]
    work = [p for p in posts for _ in range(2)]  # each post twice, as Meta's duplicates
    answers: list[int] = []
    client = httpx.Client(timeout=30, limits=httpx.Limits(max_connections=args.senders))

    def post(item: tuple[bytes, dict[str, str]]) -> int:
        return client.post(hook, content=item[0], headers=item[1]).status_code

    start = time.monotonic()
    with ThreadPoolExecutor(args.senders) as pool:
        answers = list(pool.map(post, work))
    posted_s = time.monotonic() - start
    client.close()
    deadline = time.monotonic() + 600
    stored = 0
    while time.monotonic() < deadline:
        with app.engine.connect() as conn:
            stored = conn.execute(  # the burst's own: the latency samples came before
                text("SELECT count(*) FROM message WHERE channel = :c AND direction = 'in' "
                     "AND text LIKE '[wa%'"),
                {"c": args.channel},
            ).scalar_one()  # fmt: skip
        if stored >= args.posts:
            break
        time.sleep(0.2)
    all_stored_s = time.monotonic() - start
    with app.engine.connect() as conn:
        events = conn.execute(text("SELECT count(*) FROM webhook_event")).scalar_one()
        rows = conn.execute(text(
            "SELECT text FROM message WHERE channel = :c AND direction = 'in'"
        ), {"c": args.channel}).scalars().all()  # fmt: skip
    marks = [r.split("]", 1)[0] for r in rows if r.startswith("[wa")]  # the burst's own
    return {
        "posts": args.posts,
        "requests": len(work),
        "answered_200": sum(1 for a in answers if a == 200),
        "other_answers": sorted({a for a in answers if a != 200}),
        "receive_rate_per_s": round(len(work) / posted_s, 1),
        "unique_posts_per_s": round(args.posts / posted_s, 1),
        "posts_stored": events - args.latency,  # the latency samples were posted before
        "messages_stored": len(marks),
        "lost": args.posts - len(set(marks)),
        "doubled": len(marks) - len(set(marks)),
        "all_stored_after_s": round(all_stored_s, 2),
    }


def latency(args: argparse.Namespace, app, api, graph, hook: str) -> dict[str, object]:  # noqa: ANN001
    waits: list[float] = []
    stored_at: dict[int, float] = {}
    for n in range(args.latency):
        marker = f"[lat{n}]"
        raw, headers = signed(writes(args, graph, f"62899{n:08d}", f"Baru {n}",
                                     f"{marker} halo kak"))  # fmt: skip
        assert httpx.post(hook, content=raw, headers=headers, timeout=30).status_code == 200
        answered = time.monotonic()
        deadline = answered + 60
        while time.monotonic() < deadline:
            if n not in stored_at:
                with app.engine.connect() as conn:
                    if conn.execute(text("SELECT 1 FROM message WHERE text LIKE :m"),
                                    {"m": f"{marker}%"}).first():  # fmt: skip
                        stored_at[n] = time.monotonic() - answered
            if any(marker in m.get("text", "") for m in api.state.sent(GROUP)):
                waits.append(time.monotonic() - answered)
                break
            time.sleep(0.005)
        time.sleep(args.gap)  # the bot's own budget: 20 posts a minute to a group (Telegram's)
    waits.sort()
    stored = sorted(stored_at.values())
    return {
        "latency_samples": len(waits),
        "to_stored_p50_s": round(statistics.median(stored), 3) if stored else None,
        "to_admin_group_p50_s": round(statistics.median(waits), 3) if waits else None,
        "to_admin_group_p95_s": round(waits[int(0.95 * (len(waits) - 1))], 3) if waits else None,
        "to_admin_group_max_s": round(waits[-1], 3) if waits else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--senders", type=int, default=8)
    parser.add_argument("--latency", type=int, default=20)
    parser.add_argument("--gap", type=float, default=4.0, help="seconds between latency samples")
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--pg-url", default=None)
    parser.add_argument("--channel", choices=["whatsapp", "messenger"], default="whatsapp")
    args = parser.parse_args()
    report(on_databases(lambda db, url: measure(args, db, url), args.databases, args.pg_url))


if __name__ == "__main__":
    main()
