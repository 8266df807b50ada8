"""The phrases searched without their leading \\b (phrases.py) find the pattern's own matches."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from triage.domain.rules.defaults import DEFAULT_RULES
from triage.domain.rules.literals import plain_start, requirements
from triage.domain.rules.textnorm import normalize

DATA = Path(__file__).parents[1] / "data"
FINDERS = DEFAULT_RULES._urgent.finders  # every kind's phrases: they share one index
LED = [f for f in FINDERS if f.lead is not None]


def _same(text: str) -> None:
    for finder in LED:
        whole = [(m.span(), m.group(0)) for m in finder.pattern.finditer(text)]
        assert [(m.span(), m.group(0)) for m in finder.finditer(text)] == whole, text
        first = finder.pattern.search(text)
        found = finder.search(text)
        assert (found and found.span()) == (first and first.span()), text


def test_most_phrases_are_searched_without_their_leading_boundary():
    assert len(LED) > len(FINDERS) / 2


def test_the_lead_finds_the_patterns_matches_on_every_corpus():
    texts = [
        json.loads(line)["text"]
        for path in sorted(DATA.glob("triage_*.jsonl"))
        for line in path.read_text("utf-8").splitlines()
    ]
    for text in texts[::3]:  # a third of them: the searches without the lead are slow
        _same(normalize(text))
    for text in texts[::29]:
        _same(text.casefold())  # not normalised: punctuation, underscores, other scripts


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from("abdiklmnprstuh _-.") | st.characters(), max_size=60))
def test_the_lead_on_any_text(text):
    _same(text)


def test_an_empty_match_or_a_boundary_first_keeps_the_pattern():
    assert not plain_start("(?:x)?") and not plain_start(r"\bx") and not plain_start(r"\w+ x")
    assert plain_start("sudah (?:aman|baik)") and plain_start("(?:pukul|tampar)an")


def test_every_match_holds_a_word_of_each_requirement():
    texts = [
        normalize(json.loads(line)["text"])
        for path in sorted(DATA.glob("triage_*.jsonl"))
        for line in path.read_text("utf-8").splitlines()
    ][::3]  # a third of them: enough matches, in a few seconds
    checked = 0
    for finder in FINDERS:
        required = requirements(finder.pattern.pattern)
        for text in texts:
            for match in finder.pattern.finditer(text):
                words = match.group(0)
                assert all(any(w in words for w in need) for need in required), words
                checked += 1
    assert checked > 300
    assert requirements(r"\b(?:(?:mau|ingin) (?:\w+ ){0,2}bunuh diri)\b") == [
        frozenset({"mau", "ingin"}),
        frozenset({"bunuh diri"}),
    ]
