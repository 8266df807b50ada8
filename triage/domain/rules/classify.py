"""Urgency and category of a client's message, by rules that say why (docs/architecture.md, Triage).

Urgency is matched on normalised text (triage.domain.rules.textnorm) before any stemming: crisis
phrases,
with the traps that look like them taken out first ("mati lampu", a game, a question on how
to prevent violence, a negation such as "tidak pernah memukul"). Recall first: a phrase that
can mean danger counts unless a trap explains it away. The category is the one whose words
(matched on stems, so "dipukuli" finds "pukul") score highest; every decision names the rules
that matched, for the admin to see.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from triage.domain.rules.textnorm import normalize

CATEGORIES = (
    "informasi",
    "balita",
    "remaja",
    "pranikah",
    "kb_kespro",
    "lansia",
    "keluarga_harmonis",
    "ekonomi",
    "kekerasan",
    "pengaduan",
    "psikoedukasi",
    "lainnya",
)


@dataclass(frozen=True)
class Rule:
    """A named group of phrases (regular expressions over normalised words)."""

    name: str
    phrases: tuple[str, ...]
    negatable: bool = False  # "tidak pernah <phrase>" does not count
    topical: bool = False  # can name a topic: a calm context explains it away
    concept: str = ""  # what the rule is about, e.g. "ending one's life" (the rules file's)
    language: str = ""  # the language of its phrases, when they share one
    pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        joined = "|".join(f"(?:{p})" for p in self.phrases)
        # No phrases match nothing (an empty alternation would match every text).
        pattern = rf"\b(?:{joined})\b" if joined else "(?!)"
        object.__setattr__(self, "pattern", re.compile(pattern))


@dataclass(frozen=True)
class RuleSet:
    urgent: tuple[Rule, ...]
    traps: tuple[Rule, ...]  # spans that are not danger although they contain a crisis word
    calm_context: tuple[Rule, ...]  # a question about prevention, research, a talk, the past …
    danger_now: Rule  # … unless something is happening now ("barusan", "tolong", "tonight")
    safe_now: Rule  # "sudah aman", "sudah ketemu": calm whatever else is said
    negations: tuple[str, ...]
    categories: Mapping[str, Mapping[str, float]]  # category -> stem -> weight
    urgent_category: str = "kekerasan"
    fragments: Mapping[str, str] = field(default_factory=dict, compare=False)  # {NAME} pieces
    index: _CategoryIndex = field(init=False, repr=False, compare=False)

    any_urgent: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "index", _CategoryIndex.of(self.categories))
        joined = "|".join(f"(?:{rule.pattern.pattern})" for rule in self.urgent) or "(?!)"
        object.__setattr__(self, "any_urgent", re.compile(joined))


@dataclass(frozen=True)
class _CategoryIndex:
    """Category words arranged for speed: a word is stemmed only if a category stem occurs
    inside it (stemming is the slow part; most words of a message are not candidates)."""

    single: Mapping[str, tuple[tuple[str, float], ...]]  # stem -> (category, weight)…
    phrases: tuple[tuple[str, str, float], ...]  # (" words ", category, weight)
    candidate: re.Pattern[str]
    # remembered per stemmer: words repeat across messages (bounded)
    memos: dict[object, dict[str, tuple[tuple[str, float], ...] | None]] = field(
        default_factory=dict
    )

    def lookup(self, word: str, stem: Callable[[str], str]) -> tuple[tuple[str, float], ...] | None:
        """The categories a word counts for, remembered (words repeat across messages)."""
        if word.isdigit():  # numbers are kept for the urgent phrases, never stemmed
            return self.single.get(word)
        memo = self.memos.setdefault(stem, {})
        if word in memo:
            return memo[word]
        found = self.single.get(word)
        if found is None and self.candidate.search(word):
            found = self.single.get(stem(word))
        if len(memo) < 200_000:
            memo[word] = found
        return found

    @classmethod
    def of(cls, categories: Mapping[str, Mapping[str, float]]) -> _CategoryIndex:
        single: dict[str, list[tuple[str, float]]] = {}
        phrases = []
        for category, weights in categories.items():
            for term, weight in weights.items():
                if " " in term:
                    phrases.append((f" {term} ", category, weight))
                else:
                    single.setdefault(term, []).append((category, weight))
        terms = sorted(single, key=len, reverse=True)
        return cls(
            {k: tuple(v) for k, v in single.items()},
            tuple(phrases),
            re.compile("|".join(re.escape(t) for t in terms) or "(?!)"),
        )


@dataclass(frozen=True)
class Decision:
    urgent: bool
    category: str
    rules: tuple[str, ...]  # which rules decided, e.g. "urgent.suicide: bunuh diri"
    scores: Mapping[str, float]

    def as_json(self) -> dict[str, object]:
        return {
            "urgent": self.urgent,
            "category": self.category,
            "rules": list(self.rules),
            "scores": {k: round(v, 2) for k, v in self.scores.items() if v},
        }


def _spans(rule: Rule, text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(0)) for m in rule.pattern.finditer(text)]


def _negated(text: str, start: int, negations: Sequence[str]) -> bool:
    before = text[:start].split()[-2:]  # "tidak pernah memukul", "bukan dipukul"
    return any(word in negations for word in before)


def urgency(text: str, rules: RuleSet) -> list[str]:
    """The urgent rules that hold for normalised `text` (empty: not urgent)."""
    if not rules.any_urgent.search(text):  # most messages: one search and done
        return []
    trapped: list[tuple[int, int, str]] | None = None  # searched once, when a rule holds
    explained: bool | None = None  # asked only when a topical rule holds (it costs searches)
    found = []
    for rule in rules.urgent:
        spans = _spans(rule, text)
        if not spans:
            continue
        if trapped is None:
            trapped = [span for trap in rules.traps for span in _spans(trap, text)]
        for start, end, words in spans:
            if any(t0 < end and start < t1 for t0, t1, _ in trapped):  # overlaps a trap
                continue
            if rule.negatable and _negated(text, start, rules.negations):
                continue
            if rule.topical and explained is None:
                explained = _explained(text, rules)
            if rule.topical and explained:
                continue
            found.append(f"urgent.{rule.name}: {words}")
            break
    return found


def _explained(text: str, rules: RuleSet) -> bool:
    """Safe now, or a calm context (prevention, research, the past) with no sign of now."""
    if rules.safe_now.pattern.search(text):
        return True
    calm = any(rule.pattern.search(text) for rule in rules.calm_context)
    return calm and not rules.danger_now.pattern.search(text)


def category_scores(text: str, rules: RuleSet, stem: Callable[[str], str]) -> dict[str, float]:
    index = rules.index
    scores = dict.fromkeys(rules.categories, 0.0)
    seen: set[str] = set()
    for word in text.split():
        found = index.lookup(word, stem)
        if found is None or word in seen:
            continue
        seen.add(word)  # a word counts once however often it is repeated
        for category, weight in found:
            scores[category] += weight
    padded = f" {text} "
    for phrase, category, weight in index.phrases:
        if phrase in padded:
            scores[category] += weight
    return scores


def classify(raw: str, rules: RuleSet, stem: Callable[[str], str] = lambda w: w) -> Decision:
    """Never raises, whatever the text (a property test holds it to that)."""
    text = normalize(raw)
    urgent_rules = urgency(text, rules)
    scores = category_scores(text, rules, stem)
    best = None  # the highest score; on a tie, the category listed first
    for name in CATEGORIES:
        score = scores.get(name, 0.0)
        if best is None or score > best[1]:
            best = (name, score)
    category = best[0] if best and best[1] > 0 else "lainnya"
    violence = any(
        not r.startswith("urgent.suicide") and not r.startswith("urgent.self_harm")
        for r in urgent_rules
    )
    if violence:
        category = rules.urgent_category
    reasons = [*urgent_rules]
    if best and best[1] > 0 and not violence:
        reasons.append(f"category.{category}: {best[1]:g}")
    return Decision(bool(urgent_rules), category, tuple(reasons), scores)


def classify_many(
    texts: Iterable[str], rules: RuleSet, stem: Callable[[str], str]
) -> list[Decision]:
    return [classify(t, rules, stem) for t in texts]
