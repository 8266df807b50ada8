"""The risk lexicon (risk_lexicon.toml): danger named by concept, in every language at once.

Phrases are matched on normalised text (textnorm.py), whole words only, in one pass of an
Aho-Corasick automaton (pyahocorasick, in C), so thousands of forms cost one pass; where forms
overlap, the leftmost wins, and the longest of those starting there, as a regular expression
would take them. No language is guessed first: a Sundanese word is looked
for in an Indonesian message too, and the reverse. Indonesian roots are written out in their
affixed forms here (id_forms), so the file lists "pukul" once and "dipukuli", "memukul",
"mukulin" are found. A concept's words raise a message to `perlu_dicek`; its cues only feed
the learned model (model.py), which weighs them against the rest of the message.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

import ahocorasick

from triage.domain.rules.textnorm import normalize

_VOWELS = "aeiou"


def id_forms(root: str) -> set[str]:
    """Indonesian affixed and chat forms of a verb root: pukul → dipukul, memukul, dipukuli,
    mukulin, kepukul, pukulan … (the forms a client types, not a grammar)."""
    first, rest = root[0], root[1:]
    if first in _VOWELS:
        nasal, chat = "meng" + root, "ng" + root
    elif first == "k":
        nasal, chat = "meng" + rest, "ng" + rest
    elif first in "gh":
        nasal, chat = "meng" + root, "ng" + root
    elif first == "p":
        nasal, chat = "mem" + rest, "m" + rest
    elif first in "bfv":
        nasal, chat = "mem" + root, "nge" + root
    elif first == "t":
        nasal, chat = "men" + rest, "n" + rest
    elif first == "s":
        nasal, chat = "meny" + rest, "ny" + rest
    elif first == "c":
        nasal, chat = "men" + root, "ny" + rest
    elif first in "djz":
        nasal, chat = "men" + root, "nge" + root
    else:  # l r m n w y
        nasal, chat = "me" + root, "nge" + root
    stems = {root, "di" + root, "ter" + root, "ke" + root, nasal, chat, "nge" + root}
    forms = set(stems)
    for stem in stems:
        forms.update(stem + end for end in ("kan", "i", "in", "nya", "innya", "inya", "kannya"))
    forms.update({f"{root} {root}", "pe" + nasal[2:], root + "an", "ke" + root + "an"})
    return {form for form in forms if len(form) >= 4}


class Hit(NamedTuple):
    """A concept's form found in a message (a named tuple: made a few times a message, it is made
    in a third of a frozen dataclass's time)."""

    concept: str
    words: str  # as matched in the normalised text
    cue: bool  # a cue feeds the model only
    start: int = 0  # where in the normalised text
    end: int = 0


@dataclass(frozen=True)
class Lexicon:
    about: Mapping[str, str]  # concept -> what it is
    needs: Mapping[str, str]  # concept -> helper that must also occur
    forms: Mapping[str, tuple[tuple[str, bool], ...]]  # form -> ((concept, cue)…)
    automaton: ahocorasick.Automaton | None = field(repr=False, compare=False)  # " form " -> form

    def hits(self, text: str) -> list[Hit]:
        """Concept hits in normalised `text` (words of [a-z0-9] between single spaces); a
        concept whose helper is absent is dropped."""
        found: list[Hit] = []
        if self.automaton is None:
            return found
        # every whole-word occurrence, then leftmost first and the longest at a place, none
        # overlapping: (start in `text`, -length, form)
        places = sorted(
            (end - len(form) - 1, -len(form), form)
            for end, form in self.automaton.iter(f" {text} ")
        )
        at = 0
        for start, _, form in places:
            if start < at:
                continue
            at = start + len(form)
            for concept, cue in self.forms[form]:
                found.append(Hit(concept, form, cue, start, at))
        if not found:
            return found
        present = {hit.concept for hit in found}
        return [
            hit
            for hit in found
            if not hit.concept.startswith("helper.")
            and (hit.concept not in self.needs or self.needs[hit.concept] in present)
        ]


def read(text: str) -> Lexicon:
    data = tomllib.loads(text)
    forms: dict[str, list[tuple[str, bool]]] = {}

    def add(phrase: str, concept: str, cue: bool) -> None:
        norm = normalize(phrase)
        variants = {norm}
        if " " in norm and len(norm) >= 8:  # "bunuh\u200bdiri" read with the space gone
            variants.add(norm.replace(" ", ""))
        for form in variants:
            if form and (concept, cue) not in forms.setdefault(form, []):
                forms[form].append((concept, cue))

    for name, helper in data.get("helpers", {}).items():
        for words in helper.get("words", {}).values():
            for phrase in words:
                add(phrase, f"helper.{name}", False)
    about, needs = {}, {}
    for name, concept in data.get("concepts", {}).items():
        about[name] = concept.get("about", name)
        if "needs" in concept:
            needs[name] = f"helper.{concept['needs']}"
        for words in concept.get("words", {}).values():
            for phrase in words:
                for other in concept.get("also", ()):  # a longer form must not hide theirs
                    add(phrase, other, False)
                add(phrase, name, False)
        for root in concept.get("verbs", ()):
            for form in id_forms(root.casefold()):  # each form normalised as a text is
                add(form, name, False)
        for phrase in concept.get("cues", ()):
            add(phrase, name, True)
    automaton = None
    if forms:
        automaton = ahocorasick.Automaton()
        for form in forms:
            automaton.add_word(f" {form} ", form)
        automaton.make_automaton()
    return Lexicon(about, needs, {k: tuple(v) for k, v in forms.items()}, automaton)
