"""Triage throughput: messages per second through triage (normalising, the urgent rules, the
risk lexicon, the learned model, the category with the cached Sastrawi stemmer), in one batch,
as `puspaga triage --jsonl` runs them (one worker process per core), and in one process; the
rules alone (without lexicon and model) in the same run, side by side.

    .venv/bin/python bench/triage.py [--count 100000]

The batch is the labelled corpora (tests/data/triage_*.jsonl) repeated with a running number
and a varying word appended, so the texts differ. Targets: >= 10,000 messages a second in a
batch, >= 5,000 in one process.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import stamp  # noqa: E402
from bot.cli.triage import batch_jsonl, jsonl  # noqa: E402
from bot.config.triage import stemmer  # noqa: E402
from triage.domain.rules.defaults import DEFAULT_RULES  # noqa: E402

WORDS = ("kak", "tolong", "ya", "bu", "pak", "min", "please", "hehe", "sekarang", "besok")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    args = parser.parse_args()
    texts = [
        json.loads(line)["text"]
        for corpus in sorted((ROOT / "tests" / "data").glob("triage_*.jsonl"))
        for line in corpus.read_text(encoding="utf-8").splitlines()
    ]
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
    rules_only = replace(DEFAULT_RULES, lexicon=None, model=None)
    list(jsonl(lines[:1000], stem, rules_only))
    start = time.perf_counter()
    list(jsonl(lines, stem, rules_only))
    rules_core = time.perf_counter() - start
    print(
        json.dumps(
            {
                "messages": args.count,
                "seconds": round(elapsed, 2),
                "messages_per_s": round(args.count / elapsed),
                "one_process_messages_per_s": round(args.count / one_core),
                "rules_only_one_process_messages_per_s": round(args.count / rules_core),
                "processes": os.cpu_count(),
                **stamp(),
            }
        )
    )


if __name__ == "__main__":
    main()
