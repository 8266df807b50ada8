"""The normaliser works word by word and remembers each word (textnorm.py); its answers are those
of the same passes run over the whole text."""

from __future__ import annotations

import json
import random
import unicodedata
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from triage.domain.rules import textnorm as t

DATA = Path(__file__).parents[1] / "data"


def _whole_text(text: str) -> str:
    """The passes over the whole text, as the normaliser ran them before it went word by word."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    if not folded.isascii():
        folded = folded.translate(t._INVISIBLE).translate(t._LOOKALIKE).translate(t._EMOJI_WORDS)
        folded = t._unaccented(folded)
    if t._SPELLED.search(folded):
        folded = t._SPELLED.sub(t._joined, folded)
    if "http" in folded or "www." in folded:
        folded = t.URL.sub(" ", folded)
    if t.DIGIT.search(folded) or "@" in folded:
        folded = t.REDUPLICATION.sub(r"\1 \1\2", folded)
        folded = t.UNIT.sub(r"\1 \2", folded)
        folded = t.MIXED.sub(t._unleet, folded)
    folded = t.STRETCH.sub(r"\1", folded)
    return t._passive(" ".join(t.SLANG.get(token, token) for token in t.TOKEN.findall(folded)))


def test_word_by_word_gives_the_whole_text_answer_on_every_corpus():
    texts = [
        json.loads(line)["text"]
        for path in sorted(DATA.glob("triage_*.jsonl"))
        for line in path.read_text("utf-8").splitlines()
    ]
    texts += ["anak2nya 17th m4ti tolonggg b.u.n.u.h рukul matè 💊 budi@gmail.com 3x 2026 ke-7"]
    texts += ["\u1810", "umur \u0661\u0665 tahun"]  # digits of other scripts (found by hypothesis)
    rng = random.Random(1)
    letters = "abdeghijkmt0123456789@ .,-_'2thx\u200bé"
    texts += ["".join(rng.choice(letters) for _ in range(rng.randint(0, 40))) for _ in range(3000)]
    for text in texts:
        assert t.normalize(text) == t.normalize(text) == _whole_text(text), text


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from("anki2th0@_ .-'") | st.characters(), max_size=60))
def test_word_by_word_on_any_text(text):
    assert t.normalize(text) == _whole_text(text)


def test_numbers_are_not_remembered():
    before = len(t._seen)
    t.normalize("nomor 081234567890 dan 3174012345678901")
    assert len(t._seen) - before <= 2  # "nomor" and "dan" at most


def test_the_krama_passive_written_apart_is_one_word():
    """ "dipun gebugi" is the krama of "digebugi": the lexicon's Javanese words count in both."""
    assert t.normalize("Putra kula dipun-gebugi, dipun  siram toya") == (
        "putra kula digebugi disiram toya"
    )
    assert t.normalize("dipun") == "dipun" and t.normalize("dipunten") == "dipunten"


def test_every_combining_mark_is_dropped_by_the_table():
    every = {c for c in range(0x110000) if unicodedata.combining(chr(c))}
    assert set(t._COMBINING) == every
    assert t.normalize("matè") == "mate" and t.normalize("bu\u064bnuh diri") == "bunuh diri"
