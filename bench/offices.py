"""Several offices in one process (a province file, bot/config/province.py): what one `puspaga
run` costs with N offices, each with its own bot and admin group on the local Bot API server
and its own SQLite file.

    .venv/bin/python bench/offices.py [--offices 50] [--seconds 60]

Measures the time until every office's bot is polled, the service's resident memory (VmRSS at
the end, VmHWM the peak) and its threads, one client message to each office and the time until
every card is in its office's group, and how long it takes to stop on SIGTERM. Prints one JSON
line; docs/BENCHMARKS.md keeps the results.
"""

from __future__ import annotations

import argparse
import json
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import office_config, proc_kb, stamp  # noqa: E402
from bot.demo.local_api import ApiState, LocalBotApi  # noqa: E402
from bot.demo.telegram_act import STAFF  # noqa: E402

CLIENT = 880_001


def office(folder: Path, n: int, api: LocalBotApi, group: int) -> Path:
    folder.mkdir(parents=True)
    return office_config(folder / "config.toml", api, group=group,
                         name=f"PUSPAGA Kabupaten {n:02d}")  # fmt: skip


def wait(condition, timeout: float) -> float | None:  # noqa: ANN001
    began = time.monotonic()
    while not condition():
        if time.monotonic() - began > timeout:
            return None
        time.sleep(0.2)
    return time.monotonic() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offices", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    states = []
    for n in range(args.offices):
        state = ApiState()
        state.token = f"{7100000000 + n}:LOCAL-BENCH-TOKEN"
        for user_id, name, _ in STAFF:
            state.add_user(user_id, name)
        state.add_user(CLIENT, "Klien")
        state.add_group(-1002000000000 - n, f"Admin PUSPAGA {n:02d}")
        states.append(state)
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        apis = [stack.enter_context(LocalBotApi(state)) for state in states]
        root = Path(tmp)
        paths = [office(root / f"kab{n:02d}", n, api, -1002000000000 - n)
                 for n, api in enumerate(apis)]  # fmt: skip
        province = root / "provinsi.toml"
        named = ", ".join(f'"{p.relative_to(root)}"' for p in paths)
        province.write_text(f'name = "Provinsi Uji"\noffices = [{named}]\n', encoding="utf-8")
        puspaga = Path(sys.executable).parent / "puspaga"
        log = (root / "service.log").open("w")
        began = time.monotonic()
        service = subprocess.Popen([str(puspaga), "run", "--config", str(province)],
                                   stdout=subprocess.DEVNULL, stderr=log)  # fmt: skip

        def polled() -> bool:
            return all(any(c.method == "getUpdates" for c in list(s.calls)) for s in states)

        ready = wait(polled, 600)
        ready_s = None if ready is None else round(time.monotonic() - began, 1)
        for state in states:
            state.user_writes(CLIENT, text="halo, saya butuh bantuan")
        sent = time.monotonic()

        def carded() -> bool:
            return all(
                any("butuh bantuan" in (m.get("text") or "") for m in s.sent(-1002000000000 - n))
                for n, s in enumerate(states)
            )

        cards = wait(carded, 600)
        cards_s = None if cards is None else round(time.monotonic() - sent, 1)
        time.sleep(max(0.0, args.seconds - (time.monotonic() - sent)))
        rss, peak = proc_kb(service.pid, "VmRSS"), proc_kb(service.pid, "VmHWM")
        threads = proc_kb(service.pid, "Threads")
        stopping = time.monotonic()
        service.send_signal(signal.SIGTERM)
        code = service.wait(180)
        result = {
            "offices": args.offices,
            "all_bots_polled_s": ready_s,
            "every_card_after_s": cards_s,
            "rss_mb": round(rss / 1024, 1),
            "peak_rss_mb": round(peak / 1024, 1),
            "rss_per_office_mb": round(rss / 1024 / args.offices, 2),
            "threads": threads,
            "stop_s": round(time.monotonic() - stopping, 2),
            "exit_code": code,
            **stamp(),
        }
        print(json.dumps(result))


if __name__ == "__main__":
    main()
