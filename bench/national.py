"""National-scale load (issue 20, item 6): many offices, several workers, one PostgreSQL, a day's
hotline traffic compressed into minutes, through the local Bot API server with Telegram's flood
limits (20 posts a minute per group), a local Dovecot and the Instagram stand-in.

    .venv/bin/python bench/national.py [--offices 50] [--workers 3] [--conversations 20000]
                                       [--minutes 15] [--drain 5] [--pg-url URL]
                                       [--email-share 0.2] [--instagram-share 0.2]

Each office has its own bot, admin group, mailbox (one local Dovecot, a user an office) and
schema; every worker runs every office (a province file) and the leases decide which worker
polls and sends for which. A share of the clients (`--email-share`) write by email (appended to
their office's INBOX, read by the office's IMAP IDLE watcher), a share (`--instagram-share`) by
Instagram direct message (a request to the office's account on the stand-in,
bench/instagram_standin.py, read by the office's poller every 20 s, the shortest it allows;
the workers then run through bench/instagram_worker.py), the rest on the Telegram hotline;
the times to a card are given per channel too. New clients write evenly
over `--minutes`; then the run waits `--drain` minutes for the cards still queued. Measures:
messages stored per second, the time from a client's message to its card in its office's group
(p50, p95, and how many were still not shown), the most posts one group got in a minute,
memory per worker, the CPU each worker and PostgreSQL used (and so the messages stored a
second per core used; and what this process, the stand-ins, and Dovecot took of the same
cores), the group posts by kind (cards, the other posts, edits, topics), the SLA
sweep's lateness (each reminder queued after its deadline, p50/p95/max; and p95 counted from
the later of the deadline and the client's first message being stored, with how many were
stored only after their deadline), the database's size per
100,000 conversations. Prints one JSON line;
docs/BENCHMARKS.md and docs/SCALING.md keep the results.
"""

from __future__ import annotations

import argparse
import imaplib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import ExitStack
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, text  # noqa: E402

from bench.common import cpu_seconds, mail_section, office_config, pids_named, proc_kb, stamp  # noqa: E402
from bench.instagram_standin import FIRST_ME, InstagramStandin  # noqa: E402
from bot.demo.local_api import ApiState, LocalBotApi  # noqa: E402
from bot.demo.local_mail.dovecot import start_dovecot  # noqa: E402
from bot.demo.local_mail.smtp_sink import SmtpSink  # noqa: E402
from bot.demo.telegram_act import STAFF  # noqa: E402
from tests.support.pg_cluster import fresh_pg_database, start_cluster  # noqa: E402

FIRST_CLIENT = 9_000_000
FIRST_IG_CLIENT = 6_000_000
GROUP = -1003000000000


def office(folder: Path, n: int, api: LocalBotApi, url: str) -> Path:
    folder.mkdir(parents=True)
    database = f'url = "{url}"\nschema_name = "kab_{n:02d}"'
    return office_config(folder / "config.toml", api, group=GROUP - n, database=database,
                         name=f"PUSPAGA Kabupaten {n:02d}")  # fmt: skip


def mail_of(i: int) -> bytes:
    """A new client's first mail, its number in the subject and the body (found in the card)."""
    return (
        f"From: Klien {i} <klien{i}@example.org>\r\nTo: kantor@example.org\r\n"
        f"Subject: Mohon bantuan [c{i}]\r\nMessage-ID: <c{i}@bench.example.org>\r\n"
        f"Date: {format_datetime(datetime.now(UTC))}\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        f"[c{i}] halo saya butuh bantuan\r\n"
    ).encode()


def channel_of(i: int, email: float, instagram: float) -> str:
    """The channels spread evenly over the run (a low-discrepancy sequence), each its share."""
    place = (i * 0.6180339887) % 1.0
    return "email" if place < email else "instagram" if place < email + instagram else "telegram"


def seed_sessions(paths: list[Path]) -> None:
    """Each office's Instagram session stored as a past login leaves it (the stand-in has no
    login), sealed with the office's key; the schemas are created on the way."""
    from instagrapi import Client

    from bot.bootstrap import build
    from bot.config.settings import load
    from bot.demo.local_instagram import stored_session

    for n, path in enumerate(paths):
        app = build(load(path, environ={}))
        vault, source, _ = app.instagram_codes
        # instagrapi's defaults (its transport, its second between requests), as in production
        vault.save_session(stored_session(source.session.sealer.seal, FIRST_ME + n, Client))
        app.engine.dispose()


def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 1)


def main() -> None:  # noqa: PLR0915 - one measured run, read top to bottom
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offices", type=int, default=50)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--conversations", type=int, default=20_000)
    parser.add_argument("--minutes", type=float, default=15)
    parser.add_argument("--drain", type=float, default=5)
    parser.add_argument("--pg-url", default=None)
    # each office's engine in each worker keeps its own connections (docs/SCALING.md)
    parser.add_argument("--max-connections", type=int, default=1500)
    parser.add_argument("--email-share", type=float, default=0.2)
    parser.add_argument("--instagram-share", type=float, default=0.2)
    args = parser.parse_args()
    if args.email_share + args.instagram_share > 1:
        parser.error("--email-share and --instagram-share together are at most 1")
    channels = [channel_of(i, args.email_share, args.instagram_share)
                for i in range(args.conversations)]  # fmt: skip
    states = []
    for n in range(args.offices):
        state = ApiState()
        state.token = f"{7200000000 + n}:LOCAL-BENCH-TOKEN"
        for user_id, name, _ in STAFF:
            state.add_user(user_id, name)
        state.add_group(GROUP - n, f"Admin PUSPAGA {n:02d}")
        states.append(state)
    for i in range(args.conversations):
        if channels[i] == "telegram":
            states[i % args.offices].add_user(FIRST_CLIENT + i, f"Klien {i}")
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        cluster = None
        if args.pg_url is None:
            cluster = start_cluster(fsync=True, max_connections=args.max_connections)
            stack.callback(cluster.stop)
        url = fresh_pg_database(args.pg_url or cluster.url)  # type: ignore[union-attr]
        apis = [stack.enter_context(LocalBotApi(state)) for state in states]
        root = Path(tmp)
        paths = [office(root / f"kab{n:02d}", n, api, url) for n, api in enumerate(apis)]
        mailboxes: list[imaplib.IMAP4] = []
        if "email" in channels:
            dovecot, sink = start_dovecot(), SmtpSink().start()
            stack.callback(dovecot.stop)
            stack.callback(sink.stop)
            for n, path in enumerate(paths):
                mail = mail_section(dovecot, sink, f"kab{n:02d}")
                lines = "".join(f"{k} = {json.dumps(v)}\n" for k, v in mail.items())
                path.write_text(path.read_text() + f"[email]\n{lines}", encoding="utf-8")
                box = imaplib.IMAP4(dovecot.host, dovecot.port)
                box.login(f"kab{n:02d}", dovecot.password)
                mailboxes.append(box)
                stack.callback(box.logout)
        instagram = None
        if "instagram" in channels:
            instagram = stack.enter_context(InstagramStandin())
            for n, path in enumerate(paths):
                section = f'username = "kab{n:02d}"\npassword = "bench"\npoll_seconds = 20\n'
                path.write_text(path.read_text() + "[instagram]\n" + section, encoding="utf-8")
            seed_sessions(paths)
        province = root / "provinsi.toml"
        named = ", ".join(f'"{p.relative_to(root)}"' for p in paths)
        province.write_text(f'name = "Nasional Uji"\noffices = [{named}]\n', encoding="utf-8")
        puspaga = [str(Path(sys.executable).parent / "puspaga")]
        env = dict(os.environ)
        if instagram is not None:
            puspaga = [sys.executable, str(Path(__file__).with_name("instagram_worker.py"))]
            env["BENCH_INSTAGRAM"] = instagram.url
        workers = []
        for w in range(args.workers):
            log = (root / f"worker{w}.log").open("w")
            command = [*puspaga, "run", "--config", str(province)]
            quiet = subprocess.DEVNULL
            workers.append(subprocess.Popen(command, stdout=quiet, stderr=log, env=env))
        began = time.monotonic()
        while not all(any(c.method == "getUpdates" for c in list(s.calls)) for s in states):
            if time.monotonic() - began > 900:
                raise SystemExit("the offices' bots were not all polled within 15 minutes")
            time.sleep(1.0)
        ready_s = round(time.monotonic() - began, 1)
        written: dict[int, float] = {}
        step = args.minutes * 60 / args.conversations
        start = time.time()
        for i in range(args.conversations):
            due = start + i * step
            while (now := time.time()) < due:
                time.sleep(min(0.2, due - now))
            if channels[i] == "email":
                mailboxes[i % args.offices].append("INBOX", None, None, mail_of(i))
            elif channels[i] == "instagram":
                assert instagram is not None
                account = FIRST_ME + i % args.offices
                instagram.client_writes(
                    account, FIRST_IG_CLIENT + i, f"Klien {i}", f"[c{i}] halo saya butuh bantuan"
                )
            else:
                states[i % args.offices].user_writes(
                    FIRST_CLIENT + i, text=f"[c{i}] halo saya butuh bantuan"
                )
            written[i] = time.time()
        fed_s = time.time() - start
        engine = create_engine(url)

        def stored() -> int:
            total = 0
            with engine.connect() as conn:
                for n in range(args.offices):
                    total += conn.execute(text(f"SELECT count(*) FROM kab_{n:02d}.message "
                                               "WHERE direction = 'in'")).scalar_one()  # fmt: skip
            return total

        stored_at_end_of_feed = stored()
        time.sleep(args.drain * 60)
        wall_s = time.time() - start
        peaks = [proc_kb(w.pid, "VmHWM") for w in workers]  # the high-water mark: the peak
        cpu = [cpu_seconds(w.pid) for w in workers]
        postgres_cpu = sum(cpu_seconds(pid) for pid in pids_named("postgres"))
        # this process: the Bot API stand-ins, the Instagram stand-in and the feed, on the same
        # two cores (what they take is not the service's, but the service cannot have it)
        harness_cpu = cpu_seconds(os.getpid())
        dovecot_cpu = sum(cpu_seconds(pid) for pid in pids_named("dovecot") + pids_named("imap"))
        shown: dict[int, float] = {}
        per_minute: Counter[tuple[int, int]] = Counter()
        for n, state in enumerate(states):
            for call in list(state.calls):
                if call.method != "sendMessage" or str(call.params.get("chat_id")) != str(
                    GROUP - n
                ):
                    continue
                per_minute[(n, int(call.at // 60))] += 1
                body = str(call.params.get("text", ""))
                if body.startswith("[c") or "[c" in body:
                    for part in body.split("[c")[1:]:
                        number = part.split("]", 1)[0]
                        if number.isdigit() and int(number) not in shown:
                            shown[int(number)] = call.at
        latencies = [shown[i] - written[i] for i in written if i in shown]
        per_channel = {}
        for name in ("telegram", "email", "instagram"):
            mine = [i for i in written if channels[i] == name]
            times = [shown[i] - written[i] for i in mine if i in shown]
            per_channel[name] = {"written": len(mine), "cards_shown": len(times),
                                 "card_latency_p50_s": percentile(times, 0.5),
                                 "card_latency_p95_s": percentile(times, 0.95)}  # fmt: skip
        kinds: Counter[str] = Counter()
        groups = {str(GROUP - n) for n in range(args.offices)}
        for state in states:
            for call in list(state.calls):
                if str(call.params.get("chat_id")) not in groups:
                    continue
                card = call.method == "sendMessage" and "[c" in str(call.params.get("text", ""))
                kinds["card" if card else call.method] += 1
        lateness, known = [], []
        with engine.connect() as conn:
            size = conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one()
            final = stored()
            for n in range(args.offices):
                # the sweeper cannot know a wait before its message is stored (a new client's
                # row is made then): lateness also counted from the later of the two
                for late, after_stored in conn.execute(text(
                    "SELECT extract(epoch FROM d.done_at - d.due_at), "
                    "extract(epoch FROM d.done_at - greatest(d.due_at, c.created_at)) "
                    f"FROM kab_{n:02d}.deadline d JOIN kab_{n:02d}.conversation v "
                    f"ON v.id = d.conversation_id JOIN kab_{n:02d}.client c ON c.id = v.client_id "
                    "WHERE d.status = 'fired'")):  # fmt: skip
                    lateness.append(float(late))
                    known.append(float(after_stored))
        engine.dispose()
        print("stopping workers", [w.pid for w in workers], file=sys.stderr, flush=True)
        asked = time.monotonic()
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        stop_s: list[float | None] = [None] * len(workers)  # None: still running after 120 s
        while time.monotonic() - asked < 120 and None in stop_s:
            for w, worker in enumerate(workers):
                if stop_s[w] is None and worker.poll() is not None:
                    stop_s[w] = round(time.monotonic() - asked, 1)
            time.sleep(0.1)
        for worker in workers:
            if worker.poll() is None:  # said in the result, then killed
                worker.kill()
        codes = [worker.wait() for worker in workers]
        result = {
            "offices": args.offices,
            "workers": args.workers,
            "conversations": args.conversations,
            "feed_minutes": round(fed_s / 60, 2),
            "all_bots_polled_s": ready_s,
            "stored_by_end_of_feed": stored_at_end_of_feed,
            "stored_per_s": round(stored_at_end_of_feed / fed_s, 1),
            "stored_at_end": final,
            "cards_shown": len(latencies),
            "card_latency_p50_s": percentile(latencies, 0.5),
            "card_latency_p95_s": percentile(latencies, 0.95),
            "not_shown_after_drain": args.conversations - len(latencies),
            "per_channel": per_channel,
            "instagram_calls": dict(instagram.calls.most_common()) if instagram else {},
            "instagram_sent": len(instagram.sent) if instagram else 0,
            "most_group_posts_in_a_minute": max(per_minute.values(), default=0),
            "group_calls_by_kind": dict(kinds.most_common()),
            "sla_reminders_fired": len(lateness),
            "sla_lateness_p50_s": percentile(lateness, 0.5),
            "sla_lateness_p95_s": percentile(lateness, 0.95),
            "sla_lateness_max_s": round(max(lateness, default=0.0), 1),
            "sla_lateness_after_stored_p95_s": percentile(known, 0.95),
            "sla_stored_after_due": sum(a - b > 1 for a, b in zip(lateness, known, strict=True)),
            "peak_rss_mb_per_worker": [round(p / 1024, 1) for p in peaks],
            "cpu_s_per_worker": [round(c, 1) for c in cpu],
            "postgres_cpu_s": round(postgres_cpu, 1),
            "harness_cpu_s": round(harness_cpu, 1),
            "dovecot_cpu_s": round(dovecot_cpu, 1),
            "cores_used": round((sum(cpu) + postgres_cpu) / wall_s, 2),
            "cores_used_all": round(
                (sum(cpu) + postgres_cpu + harness_cpu + dovecot_cpu) / wall_s, 2
            ),
            "stored_per_s_per_core_used": round(
                stored_at_end_of_feed / fed_s / max((sum(cpu) + postgres_cpu) / wall_s, 0.01), 1
            ),
            "database_mb": round(size / 1e6, 1),
            "database_mb_per_100000_conversations": round(size / 1e6 * 100_000 / max(final, 1), 1),
            "exit_codes": codes,
            "sigterm_to_exit_s": stop_s,  # None: still running after 120 s, then killed
            **stamp(),
        }
        print(json.dumps(result))


if __name__ == "__main__":
    main()
