"""How long `puspaga run` takes to start and to stop: the service as systemd runs it, with
Telegram (the local Bot API server) and email (Dovecot, when installed) configured, stopped
with SIGTERM once it says "berjalan". Target: stopped within 3 s, its last line "berhenti".

    .venv/bin/python bench/stop.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import cpu_model  # noqa: E402
from bot.demo.local_api import LocalBotApi  # noqa: E402
from bot.demo.local_mail.dovecot import find_dovecot, start_dovecot  # noqa: E402
from bot.demo.local_mail.smtp_sink import SmtpSink  # noqa: E402
from tests.support.office import GROUP, people  # noqa: E402


def once(folder: Path, telegram: str, email: str) -> tuple[float, float, str]:
    config = folder / "config.toml"
    config.write_text(
        f'data_dir = "{folder / "data"}"\nlog_level = "INFO"\n[office]\nname = "Uji"\n'
        + telegram
        + email
    )
    started = time.monotonic()
    service = subprocess.Popen(
        [str(Path(sys.executable).parent / "puspaga"), "run", "--config", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert service.stderr is not None
    for line in service.stderr:
        if "berjalan" in line:
            break
    ready = time.monotonic() - started
    time.sleep(1.0)  # a poll and a long poll under way, as in service
    asked = time.monotonic()
    service.send_signal(signal.SIGTERM)
    _, rest = service.communicate(timeout=60)
    stopped = time.monotonic() - asked
    return ready, stopped, rest.strip().splitlines()[-1] if rest.strip() else ""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    state = people()
    with ExitStack() as stack:
        api = stack.enter_context(LocalBotApi(state))
        telegram = (
            f'[telegram]\ntoken = "{state.token}"\nbase_url = "{api.base_url}"\n'
            f"admin_chat_id = {GROUP}\n"
        )
        email = ""
        if find_dovecot() is not None:
            mail, sink = start_dovecot(), SmtpSink().start()
            stack.callback(mail.stop)
            stack.callback(sink.stop)
            email = (
                f'[email]\nimap_host = "{mail.host}"\nimap_port = {mail.port}\nuse_ssl = false\n'
                f'username = "puspaga"\npassword = "{mail.password}"\n'
                f'smtp_host = "{sink.host}"\nsmtp_port = {sink.port}\n'
                'smtp_security = "plain"\nfrom_address = "puspaga@example.org"\n'
            )
        results = [once(Path(tempfile.mkdtemp()), telegram, email) for _ in range(runs)]
    print(
        json.dumps(
            {
                "date": datetime.now(UTC).isoformat(timespec="minutes"),
                "machine": f"{cpu_model()}, Python {sys.version.split()[0]}",
                "channels": "telegram" + (" + email (IMAP IDLE)" if email else ""),
                "ready_s": [round(r[0], 2) for r in results],
                "stop_s": [round(r[1], 2) for r in results],
                "stop_median_s": round(statistics.median(r[1] for r in results), 2),
                "last_lines": sorted({r[2].split(": ", 1)[-1] for r in results}),
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
