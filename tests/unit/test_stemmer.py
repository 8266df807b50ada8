"""The stemmer with its root words in a set (bot/config/triage.py) gives Sastrawi's own stems."""

from __future__ import annotations

import json
from pathlib import Path

from bot.config.triage import stemmer

DATA = Path(__file__).parents[1] / "data"


def test_the_set_gives_the_same_stems_as_the_list():
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    plain = StemmerFactory().create_stemmer().stem  # root words in a list, as shipped
    fast = stemmer()
    words = sorted(
        {
            word
            for line in (DATA / "triage_corpus.jsonl").read_text("utf-8").splitlines()[:12]
            for word in json.loads(line)["text"].lower().split()
            if word.isalpha()
        }
    )
    words += ["pengaduan", "dipukuli", "menyayat", "berjualan", "kekerasan", "ndaftaripun"]
    assert len(words) > 80
    assert [fast(w) for w in words] == [plain(w) for w in words]
    assert fast("dipukuli") == "pukul" and fast("pengaduan") == "adu"
