"""Information questions answered at once from the office's own facts: hours,
address, cost, requirements, services. The answer says a person will also answer; the admin
sees what was sent. Each topic is answered once per round of a conversation, never for urgent
messages (those get the crisis reply) and never for automatic mail.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from triage.domain.rules.textnorm import normalize

# topic -> phrases over normalised text (triage.domain.rules.textnorm)
TOPICS: Mapping[str, tuple[str, ...]] = {
    "hours": (
        r"jam (?:buka\w*|layanan\w*|kerja\w*|operasional\w*|pelayanan\w*|berapa)",
        r"buka\w* (?:\w+ ){0,1}(?:kapan|jam berapa)",
        r"buka (?:jam|hari|sampai|tidak|kapan)",
        r"(?:sabtu|minggu|libur) (?:\w+ ){0,2}buka",
        r"kapan (?:\w+ ){0,2}buka",
        r"hari apa saja",
        r"opening hours",
        r"(?:what|which) (?:time|days)",
        r"are you open",
    ),
    "address": (
        r"alamat\w*",
        r"lokasi (?:kantor|puspaga|nya)",
        r"kantor\w* (?:\w+ ){0,2}(?:di mana|dimana)",
        r"di mana (?:\w+ ){0,2}kantor",
        r"where (?:is|are) (?:your|the) (?:office|you)",
        r"address",
    ),
    "cost": (
        r"biaya\w*",
        r"(?:harus |perlu )?bayar\w*",
        r"gratis\w*",
        r"tarif\w*",
        r"berapa (?:harga|biaya|bayar)",
        r"(?:is it|is the \w+ ?\w*) free",
        r"\bcost",
        r"\bfee",
    ),
    "requirements": (
        r"syarat\w*",
        r"persyaratan",
        r"(?:perlu|harus) (?:membawa|bawa) apa",
        r"dokumen apa",
        r"requirements?",
        r"what (?:do i|should i) (?:need|bring)",
    ),
    "themes": (
        r"jadwal (?:\w+ ){0,2}(?:layanan|konseling|konsultasi|per hari|harian)",
        r"hari apa (?:\w+ ){0,3}(?:layanan|konseling|konsultasi|untuk)",
        r"(?:layanan|konseling|konsultasi) (?:\w+ ){0,3}hari apa",
        r"which day",
    ),
    "services": (
        r"layanan apa saja",
        r"melayani apa",
        r"bisa konsultasi (?:apa|tentang apa)",
        r"what services",
    ),
}
_PATTERNS = {
    topic: re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p in phrases) + r")\b")
    for topic, phrases in TOPICS.items()
}


def topics_asked(text: str) -> list[str]:
    """The information topics a message asks about, in a stable order."""
    normal = normalize(text)
    return [topic for topic, pattern in _PATTERNS.items() if pattern.search(normal)]


@dataclass(frozen=True)
class OfficeFacts:
    """The office's answers, already in its language (built by the shell from the config)."""

    answers: Mapping[str, str]  # topic -> text
    closing: str  # "a person will also answer you here"

    def reply(self, topics: Sequence[str]) -> str | None:
        parts = [self.answers[t] for t in topics if self.answers.get(t)]
        if not parts:
            return None
        return "\n\n".join([*parts, self.closing])
