"""The client's consent to the data-protection notice (UU 27/2022 Pasal 20 to 25), and what
staff may see before it.

Before a client online has answered the notice, staff see a placeholder for each message (its
channel, time and risk level, never its words or the sender's name), so that the five-minute
answer and the risk levels still work. An urgent message is always shown: a person may be in
danger (the vital interest of Pasal 20 ayat (2) huruf d). A client who refused is still
answered: they were told they may talk without giving personal data, so staff read what they
write. A client registered offline gave consent on paper to the staff who registered them. A
complaint or a psychoeducation request (a case file) is the office's public task, handled on
that basis (Pasal 20 ayat (2) huruf e), not on consent to counseling: it is shown.
"""

from __future__ import annotations

from collections.abc import Mapping

ASKED = "asked"  # the notice was sent and not yet answered
GIVEN = "given"
REFUSED = "refused"  # no identity form; the client talks without giving personal data
WITHDRAWN = "withdrawn"  # the client took consent back: asked again if they write again
ANSWERED = frozenset({GIVEN, REFUSED})
PENDING = frozenset({ASKED, WITHDRAWN})  # staff see placeholders (`hidden`)


def answer_of(word: str | None) -> str | None:
    """The form's "persetujuan" answer ("ya", "tidak") as the client's consent."""
    return {"ya": GIVEN, "tidak": REFUSED}.get(word or "")


# a message that is only this asks to take consent back (triage.effects.withdrawal)
STOP_WORDS = frozenset({"berhenti", "/berhenti"})
CONFIRM_WORDS = frozenset({"ya berhenti", "yes berhenti"})


def _words(text: str) -> str:
    said = " ".join(text.casefold().replace(",", " ").split()).strip(" .!")
    return said.split("@")[0] if said.startswith("/") else said  # /berhenti@puspaga_bot


def asks_to_stop(text: str) -> bool:
    return _words(text) in STOP_WORDS


def confirms_stop(text: str) -> bool:
    return _words(text) in CONFIRM_WORDS


ADULT = 18  # younger: a child's data (Pasal 25), handled by the office's `minors` rule


def age(answers: Mapping[str, str | None], field: str = "usia") -> int | None:
    """The client's age in the identity form (its field of the kind "age" keeps a number of
    years, a date of birth read as one)."""
    said = answers.get(field) or ""
    return int(said) if said.isdigit() else None


def minor_age(answers: Mapping[str, str | None], field: str = "usia") -> int | None:
    """The client's age when the identity form says they are under 18."""
    years = age(answers, field)
    return years if years is not None and years < ADULT else None


def hidden(consent: str | None, *, online: bool, urgent: bool) -> bool:
    """Whether staff see a placeholder instead of this client's words and name. A client never
    asked (no identity form configured, or written before the notice existed) is shown."""
    return online and not urgent and consent in PENDING
