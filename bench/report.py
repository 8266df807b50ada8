"""The monthly report on a month of generated data: 5,000 conversations (a third walked
through the whole SOP, with forms), then `puspaga report`'s work timed: the one query, the
aggregates in service time, and writing XLSX, CSV and PNG. Target: under 10 s.

    .venv/bin/python bench/report.py [--cases 5000] [--db sqlite postgresql] [--pg-url URL]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import on_databases, report  # noqa: E402
from bot.bootstrap import build  # noqa: E402
from bot.config.settings import from_mapping
from bot.files import report as report_files
from triage.domain.forms.dialogue import FormState
from triage.domain.model import Actor, Channel, InboundMessage, Outcome, Role
from triage.usecases import casework
from triage.usecases.ingest import ingest
from triage.usecases.replies import reply_to_client

ADMIN = Actor(1001, Role.ADMIN, "Wayan")
MADE = Actor(2001, Role.COUNSELOR, "Made")
CATEGORIES = ("remaja", "balita", "keluarga_harmonis", "kekerasan", "informasi", "lansia")


def fill(app, cases: int) -> None:  # noqa: ANN001
    rng = random.Random(7)
    start = datetime(2026, 11, 1, 0, 0, tzinfo=UTC)
    for n in range(cases):
        at = start + timedelta(minutes=rng.uniform(0, 29 * 24 * 60))
        channel = rng.choice(list(Channel))
        msg = InboundMessage(channel, f"b{n}", f"c{n}", f"Klien {n}", "halo", at)
        conv = ingest(msg, uow_factory=app.uows, now=at).conversation_id
        with app.uows() as uow:
            answers = {"usia": str(rng.randint(3, 80)), "jenis_kelamin": rng.choice("PL")}
            uow.forms.save(FormState(conv, None, answers, "complete", f"R/{n}"))
            current = uow.conversations.get(conv)
            from dataclasses import replace

            uow.conversations.save(replace(current, category=rng.choice(CATEGORIES)))
            uow.commit()
        if n % 3 == 0:
            common = {"uow_factory": app.uows}
            step = timedelta(minutes=rng.uniform(1, 20))
            reply_to_client(conv, "Halo", actor=ADMIN, idempotency_key=f"a{n}", now=at + step,
                            **common)  # fmt: skip
            casework.hand_off(conv, actor=ADMIN, now=at + 2 * step, **common)
            casework.claim(conv, actor=MADE, now=at + 3 * step, **common)
            reply_to_client(conv, "Saya Made", actor=MADE, idempotency_key=f"m{n}",
                            now=at + 4 * step, **common)  # fmt: skip
            casework.close(conv, rng.choice(list(Outcome)), actor=MADE, now=at + 5 * step,
                           **common)  # fmt: skip


def measure(name: str, url: str, cases: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        settings = from_mapping(
            {
                "data_dir": tmp,
                "database": {"url": url if name == "postgresql" else ""},
                "office": {"name": "PUSPAGA Bench"},
                "staff": [{"telegram_id": 2001, "name": "Made", "role": "konselor"}],
            },
            environ={},
        )
        app = build(settings)
        began = time.perf_counter()
        fill(app, cases)
        filled = time.perf_counter() - began
        began = time.perf_counter()
        report = report_files.build(app, "2026-11")
        built = time.perf_counter() - began
        began = time.perf_counter()
        paths = report_files.write(report, Path(tmp) / "laporan", settings, {2001: "Made"})
        written = time.perf_counter() - began
        app.engine.dispose()
    return {
        "database": name,
        "cases": report.total,
        "filling_s": round(filled, 1),
        "query_and_aggregates_s": round(built, 2),
        "files_s": round(written, 2),
        "report_s": round(built + written, 2),
        "files": len(paths),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--db", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--pg-url", default=None)
    args = parser.parse_args()
    results = on_databases(lambda name, url: measure(name, url, args.cases), args.db,
                           args.pg_url, fsync=False)  # fmt: skip
    report(results)


if __name__ == "__main__":
    main()
