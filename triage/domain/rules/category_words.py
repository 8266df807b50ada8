"""The category words of the rules (classify.py): which categories a message's words count for.

Words are matched on stems ("dipukuli" finds "pukul"); stemming is the slow part, so a word is
stemmed only if a category stem occurs inside it, and every word's answer is remembered (words
repeat across messages). A message's words are then looked up as a set, in C: the Python loop
runs over the few words that count, not over every word.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from operator import itemgetter

import ahocorasick

from triage.domain.rules.textnorm import distinct_words

_second = itemgetter(1)
Counts = tuple[tuple[str, float], ...]  # (category, weight)…


@dataclass
class _Memo:
    seen: set[str] = field(default_factory=set)  # every word looked up (bounded)
    counting: dict[str, Counts] = field(default_factory=dict)  # those that count for a category


@dataclass(frozen=True)
class CategoryIndex:
    names: tuple[str, ...]  # the categories, in the rules' order
    single: Mapping[str, Counts]  # stem -> (category, weight)…
    phrases: tuple[tuple[str, str, float], ...]  # (" words ", category, weight)
    candidate: re.Pattern[str]
    automaton: ahocorasick.Automaton | None  # " words " of the phrases -> their place
    memos: dict[object, _Memo] = field(default_factory=dict)  # one per stemmer

    def _memo(self, stem: Callable[[str], str]) -> _Memo:
        """The stemmer's memo (made once: not a new one on every call, as setdefault would)."""
        return self.memos.get(stem) or self.memos.setdefault(stem, _Memo())

    def lookup(self, word: str, stem: Callable[[str], str]) -> Counts | None:
        """The categories a word counts for, remembered (numbers are kept for the urgent
        phrases, never stemmed nor remembered: each phone number would fill the memory)."""
        if word.isdigit():
            return self.single.get(word)
        memo = self._memo(stem)
        if word in memo.seen:
            return memo.counting.get(word)
        found = self.single.get(word)
        if found is None and self.candidate.search(word):
            found = self.single.get(stem(word))
        if len(memo.seen) < 200_000:
            memo.seen.add(word)
            if found:
                memo.counting[word] = found
        return found

    def scores(self, text: str, stem: Callable[[str], str]) -> dict[str, float]:
        """Each category's score in normalised `text`: a word counts once however often it is
        repeated, its weights added in the order the words first occur (the sums are then the
        same in every process, whatever the order of a set)."""
        scores = dict.fromkeys(self.names, 0.0)
        words = distinct_words(text)  # split once for the model too
        distinct = set(words)
        memo = self._memo(stem)
        found = {w: c for w in distinct.difference(memo.seen) if (c := self.lookup(w, stem))}
        found.update((w, memo.counting[w]) for w in memo.counting.keys() & distinct)
        for word in sorted(found, key=words.index) if len(found) > 1 else found:
            for category, weight in found[word]:
                scores[category] += weight
        if self.automaton is not None:  # each phrase once, in the order the rules list them
            for i in sorted(set(map(_second, self.automaton.iter(f" {text} ")))):
                _, category, weight = self.phrases[i]
                scores[category] += weight
        return scores

    @classmethod
    def of(cls, categories: Mapping[str, Mapping[str, float]]) -> CategoryIndex:
        single: dict[str, list[tuple[str, float]]] = {}
        phrases = []
        for category, weights in categories.items():
            for term, weight in weights.items():
                if " " in term:
                    phrases.append((f" {term} ", category, weight))
                else:
                    single.setdefault(term, []).append((category, weight))
        terms = sorted(single, key=len, reverse=True)
        automaton = None
        if phrases:
            automaton = ahocorasick.Automaton()
            for i, (words, *_) in enumerate(phrases):
                automaton.add_word(words, i)
            automaton.make_automaton()
        return cls(
            tuple(categories),
            {k: tuple(v) for k, v in single.items()},
            tuple(phrases),
            re.compile("|".join(re.escape(t) for t in terms) or "(?!)"),
            automaton,
        )
