"""The rules' phrases searched one by one (classify.py): a message is searched only for the few
phrases whose words it has (literals.py), not for the whole list.

The words of every kind of phrase (urgent rules, traps, calm frames, framing, safe now, danger
now) are found in one pass of an Aho-Corasick automaton (pyahocorasick, in C), remembered for
the message, and each kind takes its own: the kinds ask about the same message one after the
other. A phrase's needle admits it only if the message also holds a word of each of the other
sets of words it cannot match without (literals.py, `requirements`).

A phrase is searched without its leading \\b where re can then skip to where it may begin (a
literal or a set first: re's search looks past a \\b for nothing), each match's start checked
for the \\b after, so the matches are the pattern's own.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from operator import itemgetter
from typing import Protocol

import ahocorasick

from triage.domain.rules.literals import plain_start, requirements

_first, _second = itemgetter(0), itemgetter(1)
_BOUNDARY = re.compile(r"\b")
# the shortest word of the other words a phrase needs: shorter ones ("an", "di") are in nearly
# every message, so each would cost a hit in the pass and reject nothing (counted: two letters
# cost more than they save, five save little)
_OTHER_MIN = 3


class Searched(Protocol):
    """What a phrase is here (a Rule of classify.py)."""

    @property
    def phrases(self) -> tuple[str, ...]: ...
    @property
    def pattern(self) -> re.Pattern[str]: ...
    @property
    def needles(self) -> frozenset[str] | None: ...


class Finder:
    """One phrase's matches, as `pattern.finditer` and `pattern.search` find them."""

    __slots__ = ("pattern", "lead")

    def __init__(self, phrase: Searched) -> None:
        self.pattern = phrase.pattern
        self.lead: re.Pattern[str] | None = None  # the pattern without its leading \b
        if len(phrase.phrases) == 1 and plain_start(phrase.phrases[0]):
            try:
                self.lead = re.compile(rf"(?:{phrase.phrases[0]})\b")
            except re.error:
                self.lead = None

    def search(self, text: str, pos: int = 0) -> re.Match[str] | None:
        """The first match at or after `pos`: the lead's first match that begins at a word
        boundary (where \\b holds, `\\b(?:P)\\b` and `(?:P)\\b` match alike; before the lead's
        first match neither does). No match is empty, so each try moves on."""
        lead = self.lead
        if lead is None:
            return self.pattern.search(text, pos)
        search, boundary = lead.search, _BOUNDARY.match
        while (found := search(text, pos)) is not None:
            start = found.start()
            if boundary(text, start) is not None:
                return found
            pos = start + 1
        return None

    def finditer(self, text: str) -> list[re.Match[str]]:
        """Every match, none overlapping, each search going on where the last match ended."""
        if self.lead is None:
            return list(self.pattern.finditer(text))
        found, pos, search = [], 0, self.search
        while (match := search(text, pos)) is not None:
            found.append(match)
            pos = match.end()
        return found


class Index:
    """Every kind's phrases behind one automaton: needle -> the phrases that need it."""

    def __init__(self, kinds: Mapping[str, Sequence[tuple[Searched, int]]]) -> None:
        every = [phrase for pairs in kinds.values() for phrase, _ in pairs]
        finders = tuple(map(Finder, every))
        self.kinds: dict[str, Phrases] = {}
        first = 0
        for kind, pairs in kinds.items():
            members = range(first, first + len(pairs))
            rule_of = dict(zip(members, (rule for _, rule in pairs), strict=True))
            self.kinds[kind] = Phrases(self, finders, frozenset(members), rule_of)
            first += len(pairs)
        needing: dict[str, list[int]] = {}
        always = []
        more: dict[int, tuple[frozenset[str], ...]] = {}  # the other words a phrase needs
        for i, phrase in enumerate(every):
            if phrase.needles is None:
                always.append(i)
                continue
            for needle in phrase.needles:
                needing.setdefault(needle, []).append(i)
            others = [
                words
                for words in requirements(phrase.pattern.pattern)
                if words != phrase.needles and min(map(len, words)) >= _OTHER_MIN
            ]
            if others:
                more[i] = tuple(others)
                for needle in frozenset().union(*others):
                    needing.setdefault(needle, [])
        self.always = frozenset(always)  # phrases with no needle: always searched
        self.more, self.checked = more, frozenset(more)
        self.automaton: ahocorasick.Automaton | None = None
        if needing:
            self.automaton = ahocorasick.Automaton()
            for needle, which in needing.items():  # the needle, and the phrases it admits
                self.automaton.add_word(needle, (needle, tuple(which)))
            self.automaton.make_automaton()
        self._last: tuple[str | None, frozenset[int]] = (None, self.always)

    def found(self, text: str) -> frozenset[int]:
        """The phrases whose needles `text` holds, and those without needles; the last answer
        is remembered (read once: another thread may replace it)."""
        last_text, found = self._last
        if last_text == text:
            return found
        if self.automaton is None:
            return self.always
        hits = list(map(_second, self.automaton.iter(text)))
        found = self.always.union(*map(_second, hits))  # in C
        if not self.checked.isdisjoint(found):  # a phrase with other words it needs
            words, more = set(map(_first, hits)), self.more
            found = frozenset(
                i for i in found if i not in more or not any(map(words.isdisjoint, more[i]))
            )
        self._last = (text, found)
        return found


class Phrases:
    """One kind's phrases (numbered within the index, in the order of their rules)."""

    def __init__(
        self,
        index: Index,
        finders: tuple[Finder, ...],
        members: frozenset[int],
        rule_of: Mapping[int, int],
    ) -> None:
        self.index, self.finders, self.members, self.rule_of = index, finders, members, rule_of
        self._last: tuple[str | None, dict[int, list[re.Match[str]]]] = (None, {})

    def candidates(self, text: str) -> frozenset[int]:
        return self.members.intersection(self.index.found(text))

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """Every phrase's matches, in text order (they may overlap)."""
        finders = self.finders
        return sorted(
            (m.start(), m.end(), m.group(0))
            for i in self.candidates(text)
            for m in finders[i].finditer(text)
        )

    def any(self, text: str) -> bool:
        finders = self.finders
        return any(finders[i].search(text) for i in self.candidates(text))

    def matches(self, text: str) -> dict[int, list[re.Match[str]]]:
        """Rule -> its phrases' matches in `text`, in order (at one place, the phrase listed
        first, as the rule's own pattern would find it); overlapping matches are all kept. The
        last answer is remembered: a calm message is asked again without its frames."""
        last_text, answer = self._last
        if last_text == text:
            return answer
        found: dict[int, list[tuple[int, int, re.Match[str]]]] = {}
        finders, rule_of = self.finders, self.rule_of
        for i in self.candidates(text):
            for m in finders[i].finditer(text):
                found.setdefault(rule_of[i], []).append((m.start(), i, m))
        answer = {rule: [m for *_, m in sorted(ms)] for rule, ms in found.items()}
        self._last = (text, answer)
        return answer
