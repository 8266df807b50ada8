"""The learned model beside the rules: a linear classifier over character n-grams.

Character n-grams (2 to 5 letters inside each word) survive affixes, slang and the cognates of
regional languages ("bunuh", "bunuah", "mambunuah"), where whole words do not. Each distinct
word of a message adds its n-grams; the sum is divided by the square root of the number of
words, and the lexicon's concepts (lexicon.py) are features of their own, so what is learnt on
one language carries to another through them.

The weights are plain JSON (risk_model.json), written by `make model` (training/risk_model.py)
and read here without scikit-learn. Scoring is a sum over the message's words, each word's share
remembered, so one process scores thousands of messages a second.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from operator import add, mul

from triage.domain.rules.textnorm import distinct_words  # the words that count, each once

NGRAMS = (2, 3, 4, 5)
NEEDS_A_RULE = frozenset({"pengaduan", "psikoedukasi"})  # categories that open a case file
# despair told in words of harm to oneself only (the lexicon's) is not violence unless a word
# of the rules says so
NEEDS_HARM = frozenset({"kekerasan"})


def read_as(word: str) -> str:
    """A number of three digits or more (a year, a phone number, an amount) reads as "000":
    its digits say nothing of danger, and each new one would cost a word's work."""
    return "000" if len(word) > 2 and word.isdigit() else word


def word_features(word: str) -> list[str]:
    """The word itself (as `read_as` reads it) and its character n-grams, the word padded by
    spaces (" mati ")."""
    word = read_as(word)
    padded = f" {word} "
    grams = [f"w:{word}"]
    for n in NGRAMS:
        grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return grams


def concept_features(concepts: Iterable[str], cues: Iterable[str]) -> list[str]:
    return [f"c:{c}" for c in sorted(set(concepts))] + [f"q:{c}" for c in sorted(set(cues))]


def features(text: str, concepts: Iterable[str] = (), cues: Iterable[str] = ()) -> dict[str, float]:
    """The feature vector the model is trained on and scores (training uses this function)."""
    words = distinct_words(text)
    scale = 1 / math.sqrt(len(words)) if words else 0.0
    vector: dict[str, float] = {}
    for word in words:
        for gram in word_features(word):
            vector[gram] = vector.get(gram, 0.0) + scale
    for name in concept_features(concepts, cues):
        vector[name] = 1.0
    return vector


@dataclass(frozen=True)
class Scores:
    risk: float  # 0..1: how much the message reads like danger
    logits: tuple[float, ...]  # one per category, in LinearModel.labels[1:] order

    def categories(self, labels: Sequence[str]) -> dict[str, float]:
        """Category probabilities (softmax), for display and tests."""
        peak = max(self.logits)
        exps = [math.exp(x - peak) for x in self.logits]
        total = sum(exps)
        return {label: e / total for label, e in zip(labels, exps, strict=True)}


class _Shares(dict[str, tuple[float, ...]]):
    """Word -> its share of each label's sum; a word not remembered (new, or a number, which is
    remembered as "000") is asked of `share` on the lookup itself, so the lookups of a message
    run in C (`map`) even when one word is new, as a number makes most messages."""

    def __init__(self, share: Callable[[str], tuple[float, ...]]) -> None:
        super().__init__()
        self.share = share

    def __missing__(self, word: str) -> tuple[float, ...]:
        return self.share(word)


@dataclass(frozen=True)
class LinearModel:
    labels: tuple[str, ...]  # "risk", then the categories
    intercepts: tuple[float, ...]
    weights: Mapping[str, tuple[float, ...]]  # feature -> one weight per label
    review_threshold: float  # risk score at or above which a message is `perlu_dicek`
    rule_weight: float = 1.0  # how much a point of the category rules counts against the model
    _memo: _Shares = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_memo", _Shares(self._word))

    def _word(self, word: str) -> tuple[float, ...]:
        word = read_as(word)  # so a number is remembered once, as "000"
        found = self._memo.get(word)
        if found is not None:
            return found
        rows = list(filter(None, map(self.weights.get, word_features(word))))  # grams known
        # each label's sum in the grams' order, as adding row by row from 0.0 gave (sum's float
        # additions are the same), in C
        result = tuple(map(sum, zip(*rows, strict=True))) if rows else (0.0,) * len(self.labels)
        if len(self._memo) < 300_000:  # words repeat across messages; bounded
            self._memo[word] = result
        return result

    def score(self, text: str, concepts: Sequence[str] = (), cues: Sequence[str] = ()) -> Scores:
        """`text` normalised (textnorm.py); concepts and cues as the lexicon found them."""
        words = distinct_words(text)
        sums = list(self.intercepts)
        if words:
            scale = 1 / math.sqrt(len(words))
            rows = list(map(self._memo.__getitem__, words))  # a new word or a number: _word
            columns = map(sum, zip(*rows, strict=True))  # each label's sum, in the words' order
            sums = list(map(add, sums, map(mul, columns, repeat(scale))))  # s + total * scale
        for name in concept_features(concepts, cues) if concepts or cues else ():
            row = self.weights.get(name)
            if row is not None:
                sums = list(map(add, sums, row))
        return Scores(_sigmoid(sums[0]), tuple(sums[1:]))

    def category(self, scores: Scores, rule_scores: Mapping[str, float], harm: bool = True) -> str:
        """The model's log-probabilities plus the rules' word scores weighed by `rule_weight`
        (chosen by leave-one-corpus-out in training); the softmax's normaliser is the same for
        every category, so the logits compare as they are. A category that opens a case file
        with deadlines (a complaint, a psychoeducation request) needs a word of the rules too:
        the model alone does not start a workflow. Violence needs `harm` (false when the lexicon
        found only harm to oneself) or a word of the rules."""
        weight = self.rule_weight
        best, top = "lainnya", -math.inf
        for label, logit in zip(self.labels[1:], scores.logits, strict=True):
            rule_score = rule_scores.get(label, 0.0)
            ruled = rule_score > 0
            if label in NEEDS_A_RULE and not ruled or label in NEEDS_HARM and not (ruled or harm):
                continue
            value = logit + weight * rule_score
            if value > top:
                best, top = label, value
        return best

    def explain(
        self, text: str, concepts: Sequence[str] = (), cues: Sequence[str] = ()
    ) -> list[str]:
        """The words and concepts that raised the risk score most (for the admin's post)."""
        words = distinct_words(text)
        scale = 1 / math.sqrt(len(words)) if words else 0.0
        shares = [(self._word(w)[0] * scale, w) for w in words]
        for name in concept_features(concepts, cues):
            row = self.weights.get(name)
            if row is not None:
                shares.append((row[0], name))
        ranked = sorted((s for s in shares if s[0] > 0), reverse=True)[:3]
        return [f"{name} (+{share:.2f})" for share, name in ranked]

    @classmethod
    def from_json(cls, text: str) -> LinearModel:
        data = json.loads(text)
        labels = tuple(data["labels"])
        weights = {k: tuple(float(x) for x in v) for k, v in data["weights"].items()}
        if any(len(v) != len(labels) for v in weights.values()):
            raise ValueError("every feature needs one weight per label")
        return cls(
            labels,
            tuple(float(x) for x in data["intercepts"]),
            weights,
            float(data["review_threshold"]),
            float(data.get("rule_weight", 1.0)),
        )


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1 / (1 + math.exp(-x))
    e = math.exp(x)
    return e / (1 + e)
