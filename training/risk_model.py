"""Train the learned triage model from the labelled corpora: `make model`.

    .venv/bin/python training/risk_model.py [--check]

Every corpus in tests/data/triage_*.jsonl is used. The model is two logistic regressions over
the features of triage/domain/rules/model.py (one for risk: urgent or not; one for the
category), fitted by scikit-learn with a fixed seed and written as plain JSON to
triage/domain/rules/risk_model.json, which the product reads without scikit-learn.

The review threshold (the model's score from which a message is `perlu_dicek`) is chosen on
scores the model gave to messages it was not trained on (cross-validation inside the training
set), as the highest score that still flags REVIEW_RECALL of the urgent messages that neither
the rules nor the lexicon caught. `--check` retrains and fails if the committed file differs.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from triage.domain.rules.classify import (  # noqa: E402
    BIASA,
    RuleSet,
    category_scores,
    concepts,
    model_text,
    rules_level,
    urgency_framed,
)
from triage.domain.rules.model import features  # noqa: E402
from triage.domain.rules.textnorm import normalize  # noqa: E402

DATA = ROOT / "tests" / "data"
OUT = ROOT / "triage" / "domain" / "rules" / "risk_model.json"
SEED = 7
RISK_C = 4.0
CATEGORY_C = 8.0
MIN_DF = 2
# 0.98 until round 16, whose corpus raised the threshold so far that four folds of the
# leave-one-corpus-out lost an urgent message (docs/BENCHMARKS.md, round 16)
REVIEW_RECALL = 0.985
CALM_BUDGET = 0.17
RULE_WEIGHTS = (0.5, 1.0, 2.0)


@dataclass(frozen=True)
class Example:
    corpus: str
    text: str  # as written
    urgent: bool
    category: str
    language: str = ""
    trap: bool = False


@dataclass(frozen=True)
class Seen:
    """What the rules and the lexicon make of an example (computed once)."""

    norm: str
    raised: bool  # the rules or the lexicon give it a level already (classify.py)
    named: tuple[str, ...]  # concepts whose words occur
    cues: tuple[str, ...]
    rule_scores: dict[str, float]

    def vector(self) -> dict[str, float]:
        return features(self.norm, self.named, self.cues)


def corpora(data: Path = DATA) -> dict[str, list[Example]]:
    out: dict[str, list[Example]] = {}
    for path in sorted(data.glob("triage_*.jsonl")):
        name = path.stem.removeprefix("triage_")
        rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
        out[name] = [
            Example(
                name,
                r["text"],
                bool(r["urgent"]),
                r["category"],
                r.get("language", ""),
                bool(r.get("trap", False)),
            )
            for r in rows
        ]
    return out


def base_rules() -> RuleSet:
    """The shipped rules and lexicon, without a model (the model is what is trained)."""
    from dataclasses import replace

    from triage.domain.rules.defaults import DEFAULT_RULES

    return replace(DEFAULT_RULES, model=None)


def seen(example: Example, rules: RuleSet, stem) -> Seen:
    norm = normalize(example.text)
    hits = concepts(norm, rules)
    named = [h for h in hits if not h.cue]
    urgent_rules, framed_away = urgency_framed(norm, rules)
    return Seen(
        model_text(norm, rules),
        rules_level(norm, rules, urgent_rules, named, framed_away) != BIASA,
        tuple(h.concept for h in named),
        tuple(h.concept for h in hits if h.cue),
        category_scores(norm, rules, stem),
    )


def _fit(views: Sequence[Seen], examples: Sequence[Example]):
    """The two regressions and the feature names (features seen in MIN_DF examples)."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    counts: dict[str, int] = {}
    vectors = [v.vector() for v in views]
    for vector in vectors:
        for name in vector:
            counts[name] = counts.get(name, 0) + 1
    kept = [{k: x for k, x in v.items() if counts[k] >= MIN_DF} for v in vectors]
    vectorizer = DictVectorizer(sort=True)
    matrix = vectorizer.fit_transform(kept)
    risk = LogisticRegression(
        C=RISK_C, class_weight="balanced", max_iter=5000, random_state=SEED
    ).fit(matrix, [e.urgent for e in examples])
    category = LogisticRegression(C=CATEGORY_C, max_iter=5000, random_state=SEED).fit(
        matrix, [e.category for e in examples]
    )
    return vectorizer, risk, category


def _scores(fitted, views: Sequence[Seen]) -> tuple[list[float], list[dict[str, float]]]:
    vectorizer, risk, category = fitted
    matrix = vectorizer.transform([v.vector() for v in views])
    risks = [float(p) for p in risk.predict_proba(matrix)[:, 1]]
    probs = [
        dict(zip(category.classes_, map(float, row), strict=True))
        for row in category.predict_proba(matrix)
    ]
    return risks, probs


def review_threshold(
    risks: Sequence[float], views: Sequence[Seen], examples: Sequence[Example]
) -> float:
    """The highest threshold that flags REVIEW_RECALL of the urgent messages the rules and the
    lexicon left at `biasa` (on out-of-sample scores), raised if needed until no more than
    CALM_BUDGET of the calm messages would be marked `perlu_dicek` (staff must be able to look
    at every one within minutes)."""
    left = sorted(
        (r for r, v, e in zip(risks, views, examples, strict=True) if e.urgent and not v.raised),
        reverse=True,
    )
    threshold = 0.5
    if left:
        threshold = max(left[math.ceil(REVIEW_RECALL * len(left)) - 1], 0.01)
    calm = [(r, v) for r, v, e in zip(risks, views, examples, strict=True) if not e.urgent]
    named = sum(1 for _, v in calm if v.raised)
    scores = sorted((r for r, v in calm if not v.raised), reverse=True)
    allowed = int(CALM_BUDGET * len(calm)) - named  # calm messages the model may add
    if 0 <= allowed < len(scores) and scores[allowed] >= threshold:
        threshold = scores[allowed] + 1e-4
    return round(threshold, 4)


def _out_of_fold(views: Sequence[Seen], examples: Sequence[Example], folds: int = 3) -> list[float]:
    """Each example scored by a model trained without it (stratified folds, fixed seed)."""
    from sklearn.model_selection import StratifiedKFold

    risks = [0.0] * len(examples)
    labels = [e.urgent for e in examples]
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=SEED).split(views, labels):
        fitted = _fit([views[i] for i in train], [examples[i] for i in train])
        scored, _ = _scores(fitted, [views[i] for i in test])
        for i, r in zip(test, scored, strict=True):
            risks[i] = r
    return risks


def train(examples: Sequence[Example], rules: RuleSet, stem, rule_weight: float) -> dict:
    views = [seen(e, rules, stem) for e in examples]
    threshold = review_threshold(_out_of_fold(views, examples), views, examples)
    vectorizer, risk, category = _fit(views, examples)
    names = vectorizer.get_feature_names_out()
    labels = ["risk", *category.classes_]
    columns = [risk.coef_[0], *category.coef_]
    weights = {}
    for j, name in enumerate(names):
        row = [round(float(col[j]), 4) for col in columns]
        if any(row):
            weights[str(name)] = row
    return {
        "format": 1,
        "about": "written by training/risk_model.py (make model); do not edit by hand",
        "examples": len(examples),
        "labels": labels,
        "intercepts": [round(float(risk.intercept_[0]), 6)]
        + [round(float(x), 6) for x in category.intercept_],
        "review_threshold": threshold,
        "rule_weight": rule_weight,
        "weights": dict(sorted(weights.items())),
    }


def dump(model: dict) -> str:
    return json.dumps(model, ensure_ascii=False, separators=(",", ":"), sort_keys=False) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the committed model differs")
    parser.add_argument("--rule-weight", type=float, default=None)
    args = parser.parse_args()
    from bot.config.triage import stemmer

    stem = stemmer()
    rows = [e for group in corpora().values() for e in group]
    weight = args.rule_weight
    if weight is None:
        weight = json.loads(OUT.read_text("utf-8"))["rule_weight"] if OUT.exists() else 0.5
    text = dump(train(rows, base_rules(), stem, weight))
    if args.check:
        same = OUT.exists() and OUT.read_text("utf-8") == text
        print("the committed model is what training gives" if same else "the model differs")
        raise SystemExit(0 if same else 1)
    OUT.write_text(text, "utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(rows)} examples, {len(text) // 1024} KB")


if __name__ == "__main__":
    main()
