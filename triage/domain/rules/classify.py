"""Risk level and category of a client's message, saying why (docs/architecture.md, Triage).

Three levels: `mendesak` (a person may be in danger now: only the rules below decide it, since
the client then gets the crisis reply), `perlu_dicek` (possible danger: a concept of the risk
lexicon, lexicon.py, or the learned model, model.py, above its review threshold) and `biasa`.

Urgency is matched on normalised text (triage.domain.rules.textnorm) before any stemming: crisis
phrases, with the traps that look like them taken out first ("mati lampu", a game, a question
on how to prevent violence, a negation such as "tidak pernah memukul"). Recall first: a phrase
that can mean danger counts unless a trap explains it away. A calm frame with no sign of now
(school work, research, a request for a speaker, the past: `calm_frame`) explains away a
topical rule (violence named in a school paper) and the lexicon's words; the other crisis
phrases ("bunuh diri", "pengen mati aja", self-harm, a threat) count whatever the frame. The
category is the one whose words (matched on stems, so "dipukuli" finds "pukul") score highest;
every decision names the rules that matched, for the admin to see.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from triage.domain.rules.category_words import CategoryIndex
from triage.domain.rules.lexicon import Hit, Lexicon
from triage.domain.rules.literals import needles
from triage.domain.rules.model import LinearModel
from triage.domain.rules.phrases import Index, Phrases
from triage.domain.rules.textnorm import normalize

MENDESAK, PERLU_DICEK, BIASA = "mendesak", "perlu_dicek", "biasa"
LEVELS = (BIASA, PERLU_DICEK, MENDESAK)  # lowest first: a conversation's level only rises
SELF_HARM = frozenset({"suicide", "farewell_burden", "self_harm"})  # danger to oneself only


def highest(*levels: str) -> str:
    """The highest of risk levels (an unknown one counts as biasa)."""
    return max(levels, key=lambda level: LEVELS.index(level) if level in LEVELS else 0)


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
    needles: frozenset[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        joined = "|".join(f"(?:{p})" for p in self.phrases)
        # No phrases match nothing (an empty alternation would match every text).
        pattern = rf"\b(?:{joined})\b" if joined else "(?!)"
        object.__setattr__(self, "pattern", re.compile(pattern))
        object.__setattr__(self, "needles", needles(pattern) if joined else None)


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
    # spans that make a crisis phrase inside them a topic (a song's words, a film's story, the
    # news, research): such a phrase gives perlu_dicek at most, whatever else is said
    framing: tuple[Rule, ...] = ()
    fragments: Mapping[str, str] = field(default_factory=dict, compare=False)  # {NAME} pieces
    lexicon: Lexicon | None = field(default=None, compare=False)  # raises to perlu_dicek
    model: LinearModel | None = field(default=None, compare=False)  # raises to perlu_dicek
    index: CategoryIndex = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "index", CategoryIndex.of(self.categories))

    @cached_property
    def _index(self) -> Index:
        """Every kind's phrases, one by one behind their words (phrases.py); built on first
        use, so reading the rules stays quick."""
        return Index(
            {
                "urgent": _one_by_one(self.urgent),
                "traps": _one_by_one(self.traps),
                "calm": _one_by_one(self.calm_context),
                "framing": _one_by_one(self.framing),
                "safe_now": _one_by_one((self.safe_now,)),
                "danger_now": _one_by_one((self.danger_now,)),
            }
        )

    @cached_property
    def _urgent(self) -> Phrases:
        return self._index.kinds["urgent"]

    @cached_property
    def _traps(self) -> Phrases:
        return self._index.kinds["traps"]

    @cached_property
    def _calm(self) -> Phrases:
        return self._index.kinds["calm"]

    @cached_property
    def _framing(self) -> Phrases:
        return self._index.kinds["framing"]

    @cached_property
    def _safe_now(self) -> Phrases:
        return self._index.kinds["safe_now"]

    @cached_property
    def _danger_now(self) -> Phrases:
        return self._index.kinds["danger_now"]


def _one_by_one(rules: Sequence[Rule]) -> list[tuple[Rule, int]]:
    """Each phrase as a rule of its own, with the number of the rule it belongs to: traps and
    calm frames only ever count phrase by phrase."""
    pairs: list[tuple[Rule, int]] = []
    for i, rule in enumerate(rules):
        try:
            pairs += [(Rule(rule.name, (p,)), i) for p in rule.phrases]
        except re.error:  # a phrase that compiles only beside the others (a back-reference
            pairs.append((rule, i))  # to another phrase's group): the rule searched whole
    return pairs


@dataclass(frozen=True)
class Decision:
    urgent: bool  # exactly when risk is mendesak
    category: str
    rules: tuple[
        str, ...
    ]  # what decided, e.g. "urgent.suicide: bunuh diri", "concept.self_harm: …"
    scores: Mapping[str, float]
    risk: str = BIASA
    model_risk: float | None = None  # the learned model's score, when it was asked

    def __post_init__(self) -> None:
        if self.urgent and self.risk != MENDESAK:  # urgent is the top level, whoever decided
            object.__setattr__(self, "risk", MENDESAK)

    def as_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "urgent": self.urgent,
            "risk": self.risk,
            "category": self.category,
            "rules": list(self.rules),
            "scores": {k: round(v, 2) for k, v in self.scores.items() if v},
        }
        if self.model_risk is not None:
            out["model_risk"] = round(self.model_risk, 3)
        return out


def _spans(rule: Rule, text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(0)) for m in rule.pattern.finditer(text)]


def _negated(text: str, start: int, negations: Sequence[str]) -> bool:
    before = text[:start].split()[-2:]  # "tidak pernah memukul", "bukan dipukul"
    return any(word in negations for word in before)


_last_traps: tuple[str, RuleSet | None, list[tuple[int, int, str]]] = ("", None, [])


def trap_spans(text: str, rules: RuleSet) -> list[tuple[int, int, str]]:
    """Where traps explain words away in normalised `text`, each trap phrase searched on its
    own; the last answer is remembered, as the urgent rules and the lexicon ask about the same
    message one after the other."""
    global _last_traps
    last_text, last_rules, spans = _last_traps
    if last_rules is rules and last_text == text:
        return spans
    spans = rules._traps.spans(text)  # each trap phrase searched on its own
    _last_traps = (text, rules, spans)
    return spans


def urgency(text: str, rules: RuleSet, *, framed: bool = True) -> list[str]:
    """The urgent rules that hold for normalised `text` (empty: not urgent). `framed` False:
    a calm frame or a framing span explains nothing away (what `rules_level` asks when one
    did)."""
    return urgency_framed(text, rules, framed)[0]


def urgency_framed(text: str, rules: RuleSet, framed: bool = True) -> tuple[list[str], bool]:
    """`urgency`, and whether a framing span explained a rule away (returned, not remembered:
    the relay classifies on several threads)."""
    trapped: list[tuple[int, int]] | None = None  # searched once, when a rule holds
    framing: list[tuple[int, int]] = []
    explained: bool | None = None if framed else False  # asked only when a topical rule holds
    found, framed_away = [], False
    matched = rules._urgent.matches(text)  # most messages: one pass, no phrase searched
    for i in sorted(matched):  # in the rules' order
        rule = rules.urgent[i]
        if trapped is None:
            trapped = [(t0, t1) for t0, t1, _ in trap_spans(text, rules)]
            if framed:
                framing = [(f0, f1) for f0, f1, _ in frame_spans(text, rules)]
        for match in matched[i]:
            start, end = match.span()
            if any(t0 < end and start < t1 for t0, t1 in trapped):  # overlaps a trap
                continue
            if rule.negatable and _negated(text, start, rules.negations):
                continue
            if any(f0 <= start < f1 for f0, f1 in framing):  # begins inside a framing span
                framed_away = True
                continue
            if rule.topical and explained is None:
                explained = calm_frame(text, rules)
            if rule.topical and explained:
                continue
            found.append(f"urgent.{rule.name}: {match.group(0)}")
            break
    return found, framed_away


def frame_spans(text: str, rules: RuleSet) -> list[tuple[int, int, str]]:
    """Where a framing phrase makes what it holds a topic (searched once, by `urgency`)."""
    return rules._framing.spans(text) if rules.framing else []


_last_frame: tuple[str, RuleSet | None, bool] = ("", None, False)


def calm_frame(text: str, rules: RuleSet) -> bool:
    """Safe now, or a calm frame (prevention, a talk, school work, research, the past) with no
    sign of now. The last answer is remembered: the urgent rules and the lexicon ask
    about the same message one after the other."""
    global _last_frame
    last_text, last_rules, framed = _last_frame  # read once: another thread may replace it
    if last_rules is rules and last_text == text:
        return framed
    framed = rules._safe_now.any(text) or (  # each phrase behind its words, as the traps
        rules._calm.any(text) and not rules._danger_now.any(text)
    )
    _last_frame = (text, rules, framed)
    return framed


def category_scores(text: str, rules: RuleSet, stem: Callable[[str], str]) -> dict[str, float]:
    return rules.index.scores(text, stem)


def concepts(text: str, rules: RuleSet) -> list[Hit]:
    """The risk lexicon's hits in normalised `text`, without those a trap explains ("pukul 10",
    "mati lampu")."""
    if rules.lexicon is None:
        return []
    found = rules.lexicon.hits(text)
    if not found:
        return found
    trapped = trap_spans(text, rules)
    if not trapped:
        return found
    return [h for h in found if not any(t0 <= h.start and h.end <= t1 for t0, t1, _ in trapped)]


def rules_level(
    text: str,
    rules: RuleSet,
    urgent_rules: Sequence[str],
    named: Sequence[Hit],
    framed_away: bool,
) -> str:
    """The level before the model (training reads it too): `mendesak` when an urgent rule
    holds; `perlu_dicek` for the lexicon's words unless a calm frame (a talk, school work,
    research, the past) with no sign of now explains them, and for a rule a calm frame or a
    framing span (a song, a film, the news) explained away in `urgency_framed` (which says
    so: `framed_away`); else `biasa`."""
    if urgent_rules:
        return MENDESAK
    if not named and not framed_away and not rules._urgent.matches(text):
        return BIASA  # nothing a frame could explain or lower: the frames are not searched
    calm = calm_frame(text, rules)
    if not calm:
        return PERLU_DICEK if named or framed_away else BIASA
    # a calm frame or a framing span lowers a crisis phrase by one level, never to nothing: the
    # past or a talk can be told beside a harm that goes on ("dulu pernah dipukul, suami mau
    # menikah lagi dan memukul saya"), and a person should look
    return PERLU_DICEK if urgency(text, rules, framed=False) else BIASA


def model_text(text: str, rules: RuleSet) -> str:
    """What the learned model reads: normalised `text` without the spans a trap explains
    ("mati lampu" says nothing of danger, so its "mati" must not count)."""
    spans = trap_spans(text, rules)
    if not spans:
        return text
    kept, at = [], 0
    for start, end, _ in spans:  # in text order; overlapping spans are merged
        if start > at:
            kept.append(text[at:start])
        at = max(at, end)
    kept.append(text[at:])
    return " ".join(" ".join(kept).split())


def _rule_category(scores: Mapping[str, float]) -> tuple[str, float]:
    best = ("lainnya", 0.0)  # the highest score; on a tie, the category listed first
    for name in CATEGORIES:
        score = scores.get(name, 0.0)
        if score > best[1]:
            best = (name, score)
    return best


def classify(raw: str, rules: RuleSet, stem: Callable[[str], str] = lambda w: w) -> Decision:
    """Never raises, whatever the text (a property test holds it to that)."""
    text = normalize(raw)
    urgent_rules, framed = urgency_framed(text, rules)
    scores = category_scores(text, rules, stem)
    category, best = _rule_category(scores)
    hits = concepts(text, rules)
    named = [h for h in hits if not h.cue]
    reasons = [*urgent_rules]
    reasons += [f"concept.{c}: {w}" for c, w in dict.fromkeys((h.concept, h.words) for h in named)]
    risk = rules_level(text, rules, urgent_rules, named, framed)
    if named and risk == BIASA:  # the lexicon's words, explained by a calm frame
        reasons.append("context.calm")
    elif not urgent_rules and risk == PERLU_DICEK and framed:
        reasons.append("context.framing")  # a song, a story, the news: looked at, not answered
    violence = any(
        not r.startswith("urgent.suicide") and not r.startswith("urgent.self_harm")
        for r in urgent_rules
    )
    model_risk = None
    if rules.model is not None and not violence:  # violence fixes both level and category
        found = rules.model.score(
            model_text(text, rules), [h.concept for h in named], [h.concept for h in hits if h.cue]
        )
        model_risk = found.risk
        if risk == BIASA and found.risk >= rules.model.review_threshold:
            risk = PERLU_DICEK
            reasons.append(f"model: {found.risk:.2f}")
        harm = not hits or any(h.concept not in SELF_HARM for h in hits)
        category = rules.model.category(found, scores, harm)
        if hits and not harm and best == 0:  # despair with no word of any topic: no topic
            category = "lainnya"
    if violence:
        category = rules.urgent_category
    elif scores.get(category, 0.0) > 0:
        reasons.append(f"category.{category}: {scores[category]:g}")
    elif best > 0 or model_risk is not None:
        reasons.append(f"category.{category}: model")
    return Decision(risk == MENDESAK, category, tuple(reasons), scores, risk, model_risk)


def classify_many(
    texts: Iterable[str], rules: RuleSet, stem: Callable[[str], str]
) -> list[Decision]:
    return [classify(t, rules, stem) for t in texts]
