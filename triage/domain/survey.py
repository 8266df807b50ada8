"""The satisfaction survey: when a case closes, the client is asked a few
questions in the spirit of the public-service satisfaction survey (SKM, PermenPANRB 14/2017):
each scored 1 (tidak baik) to 4 (sangat baik), answered in one reply such as "4 3 4".

Safety first: a reply is taken as the answer (kept for the report, not passed on, the case
stays closed) only when it is the three scores and at most thanks, with no attachment. Any
other reply, scores with a worry after them included, is a message like any other: it reopens
the case and reaches staff, so nothing a client writes goes unread. Not asked at all after an
urgent case, a violence case or a referral to UPTD PPA, the police or legal aid: an unexpected
message on a shared phone can put a victim at risk. A case reopened after its survey is not
asked again within `ASK_AGAIN_AFTER`, so an email signature cannot loop.

The index follows SKM: the mean score times 25 (25–100), with its quality grade.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

QUESTIONS = ("kemudahan", "kecepatan", "perilaku")  # ease, speed, the staff's conduct
ANSWER_WINDOW = timedelta(days=7)
ASK_AGAIN_AFTER = timedelta(days=30)
THANKS = frozenset(
    "terima kasih makasih trims tks thanks thank you tq banyak ya bu pak kak mbak mas dik "
    "sip ok oke okay mantap sangat membantu bagus baik puas".split()
)
# Spaces, commas, semicolons or dashes between the scores; not "." or "/" (dates, amounts).
_SCORES = re.compile(
    r"\s*([1-4])[\s,;-]*([1-4])[\s,;-]*([1-4])(?![0-9]|[./][0-9])[\s,;:.!-]*(.*)", re.DOTALL
)
_KIND = re.compile(r"[🙏👍😊🙂☺❤♥️\s.,;:!-]+")  # what may stand beside the thanks words
NOT_ASKED_AFTER = frozenset({"uptd_ppa", "polisi", "lbh"})  # referral targets (violence)
GRADES = ((88.31, "A"), (76.61, "B"), (65.0, "C"), (25.0, "D"))  # SKM: sangat baik … tidak baik


@dataclass(frozen=True)
class Survey:
    conversation_id: int
    round: int
    asked_at: datetime
    answered_at: datetime | None = None
    scores: tuple[int, ...] = ()
    comment: str = ""


@dataclass(frozen=True)
class SurveyResult:
    """A month's answers for the report."""

    asked: int
    answered: int
    mean_by_question: Mapping[str, float]
    index: float | None  # SKM index 25–100
    grade: str | None  # A–D

    @property
    def response_rate(self) -> float | None:
        return self.answered / self.asked if self.asked else None


def read_answer(text: str) -> tuple[tuple[int, ...], str] | None:
    """(scores, comment) from "4 3 4", "4,3,4 petugasnya ramah" or "434"; None otherwise."""
    found = _SCORES.fullmatch(text or "")
    if found is None:
        return None
    scores = tuple(int(found.group(i)) for i in (1, 2, 3))
    return scores, found.group(4).strip()[:500]


def only_thanks(comment: str) -> bool:
    """True for "", "terima kasih 🙏", "makasih banyak bu!"; False for any other words, digits
    or other emoji ("😭")."""
    words = comment.lower().split()
    rest = [_KIND.sub("", w) for w in words]
    return all(not w or w in THANKS for w in rest)


def only_answer(text: str, has_attachments: bool) -> tuple[tuple[int, ...], str] | None:
    """(scores, thanks) when the reply is only the survey's answer (see the module's
    docstring); None when it is a message for staff."""
    answer = None if has_attachments else read_answer(text)
    return answer if answer is not None and only_thanks(answer[1]) else None


def absorbed(text: str, has_attachments: bool) -> tuple[int, ...] | None:
    """The scores of `only_answer`."""
    answer = only_answer(text, has_attachments)
    return answer[0] if answer is not None else None


def awaits_answer(survey: Survey | None, at: datetime) -> bool:
    return (
        survey is not None and survey.answered_at is None and at - survey.asked_at <= ANSWER_WINDOW
    )


def grade(index: float) -> str:
    return next(letter for floor, letter in GRADES if index >= floor)


def summarise(asked: int, answered: Sequence[Survey]) -> SurveyResult:
    scored = [s for s in answered if len(s.scores) == len(QUESTIONS)]
    means = {
        q: round(statistics.mean(s.scores[i] for s in scored), 2)
        for i, q in enumerate(QUESTIONS)
    } if scored else {}  # fmt: skip
    index = round(statistics.mean(means.values()) * 25, 2) if means else None
    return SurveyResult(asked, len(scored), means, index, grade(index) if index else None)
