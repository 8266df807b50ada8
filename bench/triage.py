"""Triage throughput: messages per second through the rules (normalising, urgency, category
with the cached Sastrawi stemmer), in one batch, as `puspaga triage --jsonl` runs them (one
worker process per core), and in one process for comparison.

    .venv/bin/python bench/triage.py [--count 100000]

The batch is the labelled corpus (tests/data/triage_corpus.jsonl) repeated with a running
number and a varying word appended, so the texts differ. Target: >= 10,000 messages a second.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.cli.triage import batch_jsonl, jsonl  # noqa: E402
from bot.config.triage import stemmer  # noqa: E402

WORDS = ("kak", "tolong", "ya", "bu", "pak", "min", "please", "hehe", "sekarang", "besok")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    args = parser.parse_args()
    corpus = ROOT / "tests" / "data" / "triage_corpus.jsonl"
    texts = [json.loads(line)["text"] for line in corpus.read_text(encoding="utf-8").splitlines()]
    rng = random.Random(7)
    lines = [
        json.dumps({"text": f"{texts[n % len(texts)]} {rng.choice(WORDS)} {n}"})
        for n in range(args.count)
    ]
    stem = stemmer()
    warm = list(jsonl(lines[:1000], stem))  # the stemmer's cache fills as it would in service
    start = time.perf_counter()
    answers = list(batch_jsonl(lines, stem))  # as `puspaga triage --jsonl` runs a batch
    elapsed = time.perf_counter() - start
    start = time.perf_counter()
    one = list(jsonl(lines, stem))
    one_core = time.perf_counter() - start
    assert one == answers  # the same answers, in the same order
    assert len(answers) == len(lines) and len(warm) == 1000
    print(
        json.dumps(
            {
                "messages": args.count,
                "seconds": round(elapsed, 2),
                "messages_per_s": round(args.count / elapsed),
                "one_process_messages_per_s": round(args.count / one_core),
                "processes": os.cpu_count(),
                "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
                f"Python {platform.python_version()}",
                "date": datetime.now(UTC).isoformat(timespec="seconds"),
            }
        )
    )


if __name__ == "__main__":
    main()
