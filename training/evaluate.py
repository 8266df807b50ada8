"""How well triage does, with 95 % intervals: on a corpus (first sight, when the corpus is new)
and leave-one-corpus-out (the model trained without a corpus, scored on it).

    .venv/bin/python training/evaluate.py FILE.jsonl [FILE…]   # the shipped rules, lexicon, model
    .venv/bin/python training/evaluate.py --loco                # every corpus in tests/data

The figures are those of docs/BENCHMARKS.md (Triage): recall of urgent messages at
`mendesak` or `perlu_dicek`, precision of `mendesak`, the share of non-urgent messages marked
`perlu_dicek`, category accuracy; by language when the corpus says.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))

from risk_model import RULE_WEIGHTS, Example, base_rules, corpora, train  # noqa: E402

from triage.domain.rules.classify import BIASA, MENDESAK, PERLU_DICEK, Decision, RuleSet, classify  # noqa: E402
from triage.domain.rules.model import LinearModel  # noqa: E402


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The 95 % interval of a proportion k/n (Wilson), which stays honest at 0 and n."""
    if n == 0:
        return (0.0, 1.0)
    p = k / n
    d = 1 + z * z / n
    c = p + z * z / (2 * n)
    r = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (round((c - r) / d, 3), round((c + r) / d, 3))


def figures(examples: Sequence[Example], decisions: Sequence[Decision]) -> dict:
    pairs = list(zip(examples, decisions, strict=True))
    urgent = [d for e, d in pairs if e.urgent]
    calm = [d for e, d in pairs if not e.urgent]
    caught = sum(d.risk != BIASA for d in urgent)
    at_top = sum(d.risk == MENDESAK for d in urgent)
    flagged = sum(d.risk == MENDESAK for d in decisions)
    review = sum(d.risk == PERLU_DICEK for d in calm)
    right = sum(d.category == e.category for e, d in pairs)
    languages: dict[str, list[int]] = {}
    for e, d in pairs:
        if e.urgent and e.language:
            seen = languages.setdefault(e.language, [0, 0])
            seen[0] += d.risk != BIASA
            seen[1] += 1
    return {
        "messages": len(pairs),
        "urgent": len(urgent),
        "recall": round(caught / len(urgent), 3) if urgent else None,
        "recall_95": wilson(caught, len(urgent)),
        "mendesak_recall": round(at_top / len(urgent), 3) if urgent else None,
        "mendesak_precision": round(at_top / flagged, 3) if flagged else None,
        "mendesak_precision_95": wilson(at_top, flagged),
        "calm_marked_perlu_dicek": round(review / len(calm), 3) if calm else None,
        "category_accuracy": round(right / len(pairs), 3),
        "category_95": wilson(right, len(pairs)),
        "missed": [e.text for e, d in pairs if e.urgent and d.risk == BIASA],
        "by_language": {k: f"{v[0]}/{v[1]}" for k, v in sorted(languages.items())},
    }


def decide_all(
    examples: Sequence[Example], rules: RuleSet, stem: Callable[[str], str]
) -> list[Decision]:
    return [classify(e.text, rules, stem) for e in examples]


def loco(
    stem: Callable[[str], str],
    rule_weights: Sequence[float],
    parts: dict[str, list[Example]] | None = None,
) -> dict[float, dict]:
    """For each corpus: the model trained on the others (its threshold chosen on them too),
    scored on it; the rules and lexicon as shipped. One result per rule weight (the weight
    only changes how the category is chosen, so each fold is trained once)."""
    parts = parts or corpora()
    rules = base_rules()
    out: dict[float, dict] = {w: {} for w in rule_weights}
    for name, held in parts.items():
        rest = [e for other, group in parts.items() if other != name for e in group]
        model = LinearModel.from_json(json.dumps(train(rest, rules, stem, rule_weights[0])))
        for weight in rule_weights:
            weighed = replace(rules, model=replace(model, rule_weight=weight))
            out[weight][name] = figures(held, decide_all(held, weighed, stem))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--loco", action="store_true")
    parser.add_argument("--rule-weight", type=float, default=None)
    parser.add_argument("--missed", action="store_true", help="list the urgent messages missed")
    args = parser.parse_args()
    from bot.config.triage import stemmer
    from triage.domain.rules.defaults import DEFAULT_RULES

    stem = stemmer()
    if args.loco:
        weights = [args.rule_weight] if args.rule_weight is not None else list(RULE_WEIGHTS)
        every = loco(stem, weights)
        if len(weights) > 1:
            for weight, folds in every.items():
                accuracy = [f["category_accuracy"] for f in folds.values()]
                print(
                    f"rule weight {weight}: category accuracy by fold {accuracy}", file=sys.stderr
                )
        result = (
            every[weights[0]]
            if len(weights) == 1
            else every[
                max(every, key=lambda w: sum(f["category_accuracy"] for f in every[w].values()))
            ]
        )
    else:
        rows = [
            Example(
                "given",
                r["text"],
                bool(r["urgent"]),
                r["category"],
                r.get("language", ""),
                bool(r.get("trap")),
            )
            for f in args.files
            for r in map(json.loads, f.read_text("utf-8").splitlines())
        ]
        result = {"given": figures(rows, decide_all(rows, DEFAULT_RULES, stem))}
    for figs in result.values():
        if not args.missed:
            figs.pop("missed")
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
