"""The safe first reply: from an urgent client mail stored in the inbox to the crisis reply
reaching the SMTP server, with the service running as in production (IDLE on a real Dovecot on
loopback) and the Telegram Bot API unreachable (nothing listens at its address), so staff
alerts wait in the outbox while the client is answered.

    .venv/bin/python bench/safe_reply.py [--count 50]

Urgent mails are appended one at a time (mean 1 s apart); a watcher notes when each one's row
appears in the database and when its reply arrives at the SMTP sink. Target: every reply
within 2 s of the message being stored.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from imapclient import IMAPClient  # noqa: E402

from bench.common import mail_section, note_stored, running_service  # noqa: E402
from bot.config.settings import from_mapping  # noqa: E402
from bot.demo.local_mail.dovecot import start_dovecot  # noqa: E402
from bot.demo.local_mail.smtp_sink import SmtpSink  # noqa: E402

URGENT = (
    "Tolong, suami saya sedang memukul saya sekarang, saya takut.",
    "aku udah nggak kuat lagi, malam ini aku mau bunuh diri",
    "anak saya hilang dari kemarin, belum pulang, tolong",
)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def mail(n: int) -> tuple[str, bytes]:
    msgid = f"<safe-{n}-{random.getrandbits(40)}@example.com>"
    body = URGENT[n % len(URGENT)]
    raw = (
        f"From: Klien {n} <klien{n}@example.com>\r\nTo: puspaga@example.org\r\n"
        f"Subject: Tolong {n}\r\nMessage-ID: {msgid}\r\n\r\n{body}\r\n"
    )
    return msgid, raw.encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=50)
    args = parser.parse_args()
    dovecot, sink = start_dovecot(), SmtpSink().start()
    user = f"bench-safe-{random.getrandbits(24)}"
    data = Path(tempfile.mkdtemp(prefix="bench-safe-"))
    settings = from_mapping(
        {
            "data_dir": str(data),
            "office": {"name": "Bench"},
            "outbox": {"interval_seconds": 0.2},
            "email": mail_section(dovecot, sink, user, idle=True),
            "telegram": {
                "token": "123:ABC",
                "admin_chat_id": -100777,
                "base_url": f"http://127.0.0.1:{closed_port()}/bot",
            },
            "staff": [{"telegram_id": 4101, "name": "Konselor", "role": "konselor"}],
        },
        environ={},
    )
    stored: dict[str, float] = {}
    replied: dict[str, float] = {}
    try:
        with running_service(settings) as (app, stop):

            def watch() -> None:
                while len(replied) < args.count and not stop.is_set():
                    note_stored(app, stored)
                    for reply in list(sink.received):
                        replied.setdefault(str(reply["In-Reply-To"]), time.monotonic())
                    time.sleep(0.01)

            watcher = threading.Thread(target=watch, daemon=True)
            watcher.start()
            client = IMAPClient(dovecot.host, port=dovecot.port, ssl=False)
            client.login(user, dovecot.password)
            for n in range(args.count):
                _, raw = mail(n)
                client.append("INBOX", raw)
                time.sleep(random.expovariate(1.0))
            client.logout()
            watcher.join(timeout=60)
    finally:
        sink.stop()
        dovecot.stop()
    waits = sorted(replied[m] - t for m, t in stored.items() if m in replied)
    if not waits:
        print(f"replies seen: {len(sink.received)}; ids {list(replied)[:3]} {list(stored)[:3]}")
    print(
        json.dumps(
            {
                "machine": f"{platform.machine()} {os.cpu_count()} cores, {platform.platform()}",
                "python": platform.python_version(),
                "urgent_mails": args.count,
                "stored": len(stored),
                "answered": len(waits),
                "p50_s": round(statistics.median(waits), 3) if waits else None,
                "p95_s": round(waits[int(0.95 * (len(waits) - 1))], 3) if waits else None,
                "max_s": round(waits[-1], 3) if waits else None,
                "telegram": "unreachable",
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
