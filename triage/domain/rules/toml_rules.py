"""The triage rules as data: one versioned TOML format for the rules the product ships
(default_rules.toml beside this module) and for an office's own additions (`[triage]
rules_file`). Reading is pure: text in, a RuleSet out, or every problem found, each naming where
it is and how to fix it.

    format = 1                      # this format's version (an office file may leave it out)

    [fragments]                     # named pieces of pattern, written {NAME} inside a phrase
    W = '(?:\\w+ )'                  # one word and its space: "{W}{0,2}" is up to two words

    [urgent.suicide]                # a rule: its name is what a decision reports
    negatable = false               # "tidak pernah <phrase>" does not count (default: false)
    topical = false                 # a calm context (prevention, the past) explains it away
    concept = "ending one's life"   # room for grouping by concept (optional)
    language = "id"                 # room for the language of its phrases (optional)
    phrases = ['bunuh diri (?:saja|aja)', '...']

    [urgent]                        # the short form: a list of phrases
    bahaya_lokal = ['dikejar {W}{0,1}preman']

    [traps.not_danger]              # spans that are not danger though they hold a crisis word
    [framing.media]                 # spans that make a crisis phrase in them a topic (a song,
                                    # a film, the news): perlu_dicek at most
    [calm.calm_context]             # a question on prevention, research, a talk, the past …
    [danger_now]                    # … unless something happens now
    [safe_now]                      # calm whatever else is said
    negations = ['tidak', 'bukan']
    [categories.lansia]
    posbindu = 2.5                  # a Sastrawi stem (or a plain word, or words) and a weight

Phrases are regular expressions over normalised words (textnorm.py). Read onto a base (the
product's rules), a file adds: phrases join the rule of the same name, a new urgent rule is
negatable and topical unless it says otherwise, category words are added or reweighed, and
`phrases = [...]` directly under [traps], [framing] or [calm] is the office's own rule of
that kind.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from typing import Any

from triage.domain.rules.classify import CATEGORIES, Rule, RuleSet

FORMAT = 1
LEVELS = ("mendesak",)  # perlu_dicek joins when the risk levels do
SECTIONS = (
    "format",
    "fragments",
    "urgent",
    "traps",
    "framing",
    "calm",
    "danger_now",
    "safe_now",
    "negations",
    "categories",
    "urgent_category",
)
RULE_KEYS = ("phrases", "negatable", "topical", "concept", "level", "language")
_FRAGMENT = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")


# One problem: its kind and what to fill in. The shell words it in the office's language
# (`rules.<kind>` in the message catalogue: bot/config/rules_file.py); the core only finds it.
Problem = tuple[str, dict[str, str]]


class RulesProblems(ValueError):
    """Everything wrong with a rules file: where, what, and the fix, one problem each."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("\n".join(f"- {kind}: {values}" for kind, values in problems))
        self.problems = list(problems)


def read(text: str, base: RuleSet | None = None) -> RuleSet:
    """The rules in `text`; onto `base` when given (an office's additions), else a whole set."""
    try:
        doc = tomllib.loads(text.removeprefix("\ufeff"))
    except tomllib.TOMLDecodeError as exc:
        raise RulesProblems([("toml", {"error": str(exc)})]) from None
    reader = _Reader(dict(base.fragments) if base else {})
    reader.check_top(doc)
    reader.fragments_of(doc.get("fragments", {}))
    urgent = reader.rules("urgent", doc.get("urgent", {}), new_flags=base is not None)
    traps = reader.rules("traps", doc.get("traps", {}), new_flags=False)
    framing = reader.rules("framing", doc.get("framing", {}), new_flags=False)
    calm = reader.rules("calm", doc.get("calm", {}), new_flags=False)
    danger_now = reader.one_rule("danger_now", doc.get("danger_now"))
    safe_now = reader.one_rule("safe_now", doc.get("safe_now"))
    negations = reader.strings("negations", doc.get("negations", []))
    categories = reader.categories(doc.get("categories", {}))
    urgent_category = doc.get("urgent_category", base.urgent_category if base else "kekerasan")
    if urgent_category not in CATEGORIES:
        reader.said("urgent_category", value=repr(urgent_category), allowed=", ".join(CATEGORIES))
    if base is None:
        for name, value in (("urgent", urgent), ("danger_now", danger_now), ("safe_now", safe_now)):
            if not value:
                reader.said("missing", section=name)
    if reader.problems:
        raise RulesProblems(reader.problems)
    if base is None:
        assert danger_now is not None and safe_now is not None
        return RuleSet(
            urgent=tuple(urgent),
            traps=tuple(traps),
            framing=tuple(framing),
            calm_context=tuple(calm),
            danger_now=danger_now,
            safe_now=safe_now,
            negations=tuple(negations),
            categories=categories,
            urgent_category=urgent_category,
            fragments=reader.fragments,
        )
    merged_categories = {c: dict(words) for c, words in base.categories.items()}
    for category, words in categories.items():
        merged_categories.setdefault(category, {}).update(words)
    return RuleSet(
        urgent=_joined(base.urgent, urgent),
        traps=_joined(base.traps, traps),
        framing=_joined(base.framing, framing),
        calm_context=_joined(base.calm_context, calm),
        danger_now=_joined((base.danger_now,), [danger_now] if danger_now else [])[0],
        safe_now=_joined((base.safe_now,), [safe_now] if safe_now else [])[0],
        negations=base.negations + tuple(n for n in negations if n not in base.negations),
        categories=merged_categories,
        urgent_category=urgent_category,
        fragments=reader.fragments,
        lexicon=base.lexicon,
        model=base.model,
    )


def _joined(base: Sequence[Rule], more: Sequence[Rule]) -> tuple[Rule, ...]:
    """Phrases join the rule of the same name (which keeps its flags); a new name is added."""
    extra = {rule.name: rule for rule in more}
    out = []
    for rule in base:
        added = extra.pop(rule.name, None)
        if added is None:
            out.append(rule)
        else:
            out.append(
                Rule(
                    rule.name,
                    rule.phrases + added.phrases,
                    rule.negatable,
                    rule.topical,
                    concept=rule.concept,
                    language=rule.language,
                )
            )
    return (*out, *extra.values())


class _Reader:
    def __init__(self, fragments: dict[str, str]) -> None:
        self.fragments = fragments
        self.problems: list[Problem] = []

    def said(self, kind: str, **values: str) -> None:
        self.problems.append((kind, values))

    def check_top(self, doc: Mapping[str, Any]) -> None:
        for key in doc:
            if key not in SECTIONS:
                self.said("section", section=key, allowed=", ".join(SECTIONS[1:]))
        if doc.get("format", FORMAT) != FORMAT:
            self.said("format", value=repr(doc["format"]), format=str(FORMAT))

    def fragments_of(self, raw: object) -> None:
        if not isinstance(raw, dict):
            self.said("fragments")
            return
        for name, value in raw.items():
            if not re.fullmatch(r"[A-Z][A-Z0-9_]*", name) or not isinstance(value, str):
                self.said("fragment_name", name=name)
                continue
            self.fragments[name] = self.expand(value, f"[fragments] {name}")

    def expand(self, phrase: str, where: str) -> str:
        def one(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in self.fragments:
                self.said("fragment_undefined", where=where, name=name)
                return ""
            return self.fragments[name]

        return _FRAGMENT.sub(one, phrase)

    def phrases(self, raw: object, where: str) -> tuple[str, ...]:
        if not isinstance(raw, list) or not all(isinstance(p, str) for p in raw):
            self.said("phrases", where=where)
            return ()
        return tuple(self.expand(phrase, where) for phrase in raw)

    def rule(self, name: str, phrases: tuple[str, ...], where: str, **kwargs: Any) -> Rule:
        """The rule; a phrase that is not a valid pattern is named and left out. Each phrase
        is compiled on its own only when the rule's joined pattern fails (compiling them all
        twice doubled the time to load the product's rules)."""
        try:
            return Rule(name, phrases, **kwargs)
        except re.error:
            valid = []
            for phrase in phrases:
                try:
                    re.compile(phrase)
                except re.error as exc:
                    self.said("pattern", where=where, phrase=repr(phrase), error=str(exc))
                else:
                    valid.append(phrase)
            return Rule(name, tuple(valid), **kwargs)

    def rules(self, section: str, raw: object, *, new_flags: bool) -> list[Rule]:
        if not isinstance(raw, dict):
            self.said("rules_by_name", section=section)
            return []
        out = []
        for name, spec in raw.items():
            where = f"[{section}] {name}"
            rule_name = f"office_{section}" if name == "phrases" and section != "urgent" else name
            if isinstance(spec, list):
                phrases = self.phrases(spec, where)
                flags = {"negatable": new_flags, "topical": new_flags}
                out.append(self.rule(rule_name, phrases, where, **flags))
                continue
            if not isinstance(spec, dict):
                self.said("rule_shape", where=where, name=name, section=section)
                continue
            out.append(self._rule(rule_name, spec, f"[{section}.{name}]", new_flags))
        return out

    def one_rule(self, section: str, raw: object) -> Rule | None:
        if raw is None:
            return None
        if not isinstance(raw, dict):
            self.said("table", section=section)
            return None
        return self._rule(section, raw, f"[{section}]", new_flags=False)

    def _rule(self, name: str, spec: Mapping[str, Any], where: str, new_flags: bool) -> Rule:
        for key in spec:
            if key not in RULE_KEYS:
                self.said("rule_key", where=where, key=key, allowed=", ".join(RULE_KEYS))
        flags = {}
        for flag in ("negatable", "topical"):
            value = spec.get(flag, new_flags)
            if not isinstance(value, bool):
                self.said("flag", where=where, key=flag)
                value = new_flags
            flags[flag] = value
        labels = {}
        for key in ("concept", "language"):
            value = spec.get(key, "")
            if not isinstance(value, str):
                self.said("label", where=where, key=key)
                value = ""
            labels[key] = value
        level = spec.get("level", LEVELS[0])
        if level not in LEVELS:
            self.said("level", where=where, value=repr(level), allowed=", ".join(LEVELS))
        return self.rule(name, self.phrases(spec.get("phrases"), where), where, **flags, **labels)

    def strings(self, where: str, raw: object) -> tuple[str, ...]:
        if not isinstance(raw, list) or not all(isinstance(w, str) for w in raw):
            self.said("words", where=where)
            return ()
        return tuple(raw)

    def categories(self, raw: object) -> dict[str, dict[str, float]]:
        if not isinstance(raw, dict) or not all(
            isinstance(words, dict)
            and all(isinstance(w, int | float) and not isinstance(w, bool) for w in words.values())
            for words in raw.values()
        ):
            self.said("categories")
            return {}
        out = {}
        for category, words in raw.items():
            if category not in CATEGORIES:
                self.said("category", code=category, allowed=", ".join(CATEGORIES))
                continue
            out[category] = {word: float(weight) for word, weight in words.items()}
        return out
