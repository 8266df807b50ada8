"""`puspaga triage --json | --jsonl` (README.md, Commands): the triage rules on text from stdin.

The office's rules and the stemmer are built in bot/config/triage.py; large batches are answered
on every core, in input order.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator

from triage.domain.rules.classify import Decision, RuleSet, classify
from triage.domain.rules.defaults import DEFAULT_RULES

# json.dumps(…, ensure_ascii=False) makes this encoder anew for every answer; an answer is a
# fresh dict of plain values, with no cycle to look for
_encode = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode


def decide(text: str, stem: Callable[[str], str], rules: RuleSet = DEFAULT_RULES) -> Decision:
    return classify(text, rules, stem)


def jsonl(
    lines: Iterable[str],
    stem: Callable[[str], str],
    rules: RuleSet = DEFAULT_RULES,
    first: int = 1,
) -> Iterator[str]:
    """One answer per input line, in order; a line that is not a {"text": …} object gets an
    error object in its place, so the output still lines up with the input."""
    for number, line in enumerate(lines, start=first):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            text = item["text"] if isinstance(item, dict) else None
            if not isinstance(text, str):
                raise ValueError
        except (ValueError, KeyError):
            yield json.dumps({"error": f'line {number}: expected {{"text": "..."}}'})
            continue
        yield _encode(decide(text, stem, rules).as_json())


CHUNK = 2000  # lines a worker takes at a time
_shared: tuple[Callable[[str], str], RuleSet] | None = None  # inherited by forked workers


def _answer_chunk(job: tuple[int, list[str]]) -> list[str]:
    assert _shared is not None
    first, lines = job
    return list(jsonl(lines, _shared[0], _shared[1], first=first))


def batch_jsonl(
    lines: Iterable[str],
    stem: Callable[[str], str],
    rules: RuleSet = DEFAULT_RULES,
    workers: int | None = None,
) -> Iterator[str]:
    """`jsonl` over every core for a large batch (the rules are pure: each worker answers its
    chunks, the answers come back in input order). A batch of one chunk stays in this process;
    where processes cannot fork, everything does."""
    global _shared
    import multiprocessing
    import os
    from itertools import islice

    source = iter(lines)
    head = list(islice(source, CHUNK))
    workers = workers or os.cpu_count() or 1
    if len(head) < CHUNK or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        yield from jsonl([*head, *source], stem, rules)
        return

    def jobs() -> Iterator[tuple[int, list[str]]]:
        chunk, first = head, 1
        while chunk:
            yield first, chunk
            first += len(chunk)
            chunk = list(islice(source, CHUNK))

    _shared = (stem, rules)
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for answers in pool.imap(_answer_chunk, jobs()):
            yield from answers
