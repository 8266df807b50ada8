"""What the demo looks for to prove a point must not be said by the bot itself: the check that
the client's words stay hidden before her consent looked for "beban", which the hand-off note
says too ("piket, beban paling ringan") on days someone is on duty, and the demo failed then."""

from __future__ import annotations

from bot.demo.local_api.scripted import crisis_words
from bot.demo.review_act import OWN, WORDS
from triage.texts.catalog import texts


def bots_own_texts() -> list[str]:
    return [
        t
        for key, by_lang in texts().items()
        if not key.startswith("demo.")
        for t in by_lang.values()
    ]


def test_the_clients_hidden_words_are_nothing_the_bot_says():
    assert OWN in WORDS
    assert not any(OWN in t for t in bots_own_texts())
    assert any("beban" in t for t in bots_own_texts())  # why the check is not on "beban" alone


def test_the_crisis_reply_is_told_apart_from_every_other_text():
    said = [t for t in bots_own_texts() if crisis_words("id") in t]
    assert len(said) == 1 and "129" in said[0]
    assert sum(crisis_words("en") in t for t in bots_own_texts()) == 1
