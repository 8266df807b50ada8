"""Email latency: from IMAP APPEND to the message stored in the inbox, with IDLE and with
polling, against a real Dovecot on loopback. Mails are appended at random intervals (mean
0.2 s) while the service runs; a watcher notes when each one's row appears in the database.

    .venv/bin/python bench/email_latency.py [--count 200] [--poll-seconds 5]

Target: p95 <= 2 s with IDLE. Polling's figure is bounded by its interval.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from imapclient import IMAPClient  # noqa: E402

from bench.common import mail_section, note_stored, running_service  # noqa: E402
from bot.config.settings import from_mapping
from bot.demo.local_mail.dovecot import start_dovecot  # noqa: E402
from bot.demo.local_mail.smtp_sink import SmtpSink  # noqa: E402


def mail(n: int) -> tuple[str, bytes]:
    msgid = f"<bench-{n}-{random.getrandbits(40)}@example.com>"
    raw = (
        f"From: Klien {n} <klien{n}@example.com>\r\nTo: puspaga@example.org\r\n"
        f"Subject: Tanya {n}\r\nMessage-ID: {msgid}\r\n\r\nHalo, ini pesan nomor {n}.\r\n"
    )
    return msgid, raw.encode()


def run(mode: str, count: int, poll_seconds: float, dovecot, sink) -> dict:  # noqa: ANN001
    user = f"bench-{mode}-{random.getrandbits(24)}"
    data = Path(tempfile.mkdtemp(prefix=f"bench-mail-{mode}-"))
    settings = from_mapping(
        {
            "data_dir": str(data),
            "office": {"name": "Bench"},
            "email": mail_section(
                dovecot,
                sink,
                user,
                idle=mode == "idle",
                poll_seconds=poll_seconds if mode == "polling" else 3600,
            ),
        },
        environ={},
    )
    appended: dict[str, float] = {}
    seen: dict[str, float] = {}
    with running_service(settings) as (app, stop):

        def watch() -> None:
            while len(seen) < count and not stop.is_set():
                note_stored(app, seen)
                time.sleep(0.01)

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        client = IMAPClient(dovecot.host, port=dovecot.port, ssl=False)
        client.login(user, dovecot.password)
        for n in range(count):
            msgid, raw = mail(n)
            appended[msgid] = time.monotonic()
            client.append("INBOX", raw)
            time.sleep(random.expovariate(1 / 0.2))
        client.logout()
        watcher.join(timeout=poll_seconds + 60)
    latencies = sorted(seen[m] - t for m, t in appended.items() if m in seen)
    lost = count - len(latencies)
    return {
        "mode": mode,
        "mails": count,
        "stored": len(latencies),
        "lost": lost,
        "p50_s": round(statistics.median(latencies), 3),
        "p95_s": round(latencies[int(0.95 * (len(latencies) - 1))], 3),
        "max_s": round(latencies[-1], 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--poll-seconds", type=float, default=5.0)
    args = parser.parse_args()
    dovecot, sink = start_dovecot(), SmtpSink().start()
    try:
        results = [
            run(m, args.count, args.poll_seconds, dovecot, sink) for m in ("idle", "polling")
        ]
    finally:
        sink.stop()
        dovecot.stop()
    print(
        json.dumps(
            {
                "machine": f"{platform.machine()} {os.cpu_count()} cores, {platform.platform()}",
                "python": platform.python_version(),
                "poll_seconds": args.poll_seconds,
                "results": results,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
