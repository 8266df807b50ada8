"""How often triage's own reading was right, from staff's confirmations when a case closes.

Triage's first guess of a conversation's level and category is what it said before staff set
either (the first "risk_set" or "category_set" step names the value it replaced); the final
values are those staff confirm with one tap at closing. Only codes are kept: no message text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from triage.domain.model import Conversation, StepRecord

CONFIRMED = "triage_confirmed"  # the step staff's tap writes, with detail(check)


@dataclass(frozen=True)
class TriageCheck:
    auto_risk: str
    auto_category: str
    risk: str
    category: str

    def detail(self) -> str:
        return f"auto={self.auto_risk}/{self.auto_category};final={self.risk}/{self.category}"


def parse(detail: str | None) -> TriageCheck | None:
    try:
        auto, final = (part.split("=", 1)[1] for part in (detail or "").split(";", 1))
        auto_risk, auto_category = auto.split("/", 1)
        risk, category = final.split("/", 1)
    except ValueError:
        return None
    return TriageCheck(auto_risk, auto_category, risk, category)


def check_of(conv: Conversation, steps: Sequence[StepRecord]) -> TriageCheck:
    """What triage said against what the case ends with, for the round being closed."""
    mine = [s for s in steps if s.round == conv.round]
    auto_risk, auto_category = conv.risk, conv.category or "lainnya"
    first = {}
    for s in mine:
        if s.step in ("risk_set", "category_set") and s.step not in first and s.detail:
            first[s.step] = s.detail.split("->", 1)[0]
    auto_risk = first.get("risk_set", auto_risk)
    auto_category = first.get("category_set", auto_category)
    if auto_category == "-":
        auto_category = "lainnya"
    return TriageCheck(auto_risk, auto_category, conv.risk, conv.category or "lainnya")


@dataclass(frozen=True)
class TriageAccuracy:
    confirmed: int
    risk_right: int
    category_right: int
    by_level: Mapping[str, tuple[int, int]] = field(default_factory=dict)  # auto level: right, of

    def share(self, right: int) -> float | None:
        return round(100 * right / self.confirmed, 1) if self.confirmed else None


def accuracy(checks: Iterable[TriageCheck]) -> TriageAccuracy:
    kept = list(checks)
    levels: dict[str, list[int]] = {}
    for c in kept:
        seen = levels.setdefault(c.auto_risk, [0, 0])
        seen[0] += c.auto_risk == c.risk
        seen[1] += 1
    return TriageAccuracy(
        confirmed=len(kept),
        risk_right=sum(c.auto_risk == c.risk for c in kept),
        category_right=sum(c.auto_category == c.category for c in kept),
        by_level={k: (v[0], v[1]) for k, v in sorted(levels.items())},
    )
