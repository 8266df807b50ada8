"""The monthly report (the Karangasem and Tangerang standards): the client report by channel,
category, gender, age group, outcome, referrals and urgent cases; the register book (one row per
counseling contact: each round of a conversation, a reopened one too); SLA compliance per step
in service time (share within target, median, p90). Pure: the rows come through a port, the
files are written by the shell (bot.files.report).
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from triage.domain.complaint import ComplaintFigures
from triage.domain.model import STEP_NAMES, StepRecord, Steps
from triage.domain.schedule.calendar import ServiceCalendar
from triage.domain.schedule.sla import Targets
from triage.domain.survey import SurveyResult
from triage.domain.triage_checks import TriageAccuracy
from triage.domain.workflow import CaseFile

AGE_GROUPS = ((0, 5), (6, 12), (13, 17), (18, 24), (25, 44), (45, 59), (60, 200))
UNKNOWN = "tidak diketahui"
OPEN = "belum ditutup"  # the outcome of a round not closed yet


@dataclass(frozen=True)
class CaseRow:
    """One conversation round of the month, as the report needs it."""

    conversation_id: int
    round: int
    opened_at: datetime
    channel: str
    category: str | None
    urgent: bool
    state: str
    outcome: str | None
    counselor_id: int | None
    steps: Steps
    answers: Mapping[str, str | None] = field(default_factory=dict)
    register_no: str | None = None
    client_name: str = ""
    referral_target: str | None = None


def rounds_received(
    current: CaseRow,
    log: Sequence[StepRecord],
    targets: Mapping[int, str],
    start: datetime,
    end: datetime,
) -> list[CaseRow]:
    """Every round of one conversation received in [start, end): the current round as the
    conversation stands (`current`), an earlier one rebuilt from the step log (its stamps, the
    outcome its close logged, who claimed it last, its referral target in `targets` by round).
    """
    firsts: dict[int, dict[str, datetime]] = {}
    claimed_by: dict[int, int | None] = {}
    for record in sorted(log, key=lambda r: r.at):
        if record.step in STEP_NAMES:
            firsts.setdefault(record.round, {}).setdefault(record.step, record.at)
        if record.step == "claimed":
            claimed_by[record.round] = record.staff_id
        if record.step == "closed":
            firsts.setdefault(record.round, {}).setdefault("outcome:" + (record.detail or ""),
                                                           record.at)  # fmt: skip
    rows = [current] if start <= current.opened_at < end else []
    for round_, stamps in firsts.items():
        received = stamps.get("received")
        if round_ == current.round or received is None or not start <= received < end:
            continue
        outcome = next((k.split(":", 1)[1] for k in stamps if k.startswith("outcome:")), None)
        rows.append(
            replace(
                current,
                round=round_,
                opened_at=received,
                state="closed",
                outcome=outcome or None,
                counselor_id=claimed_by.get(round_),
                steps=Steps(**{k: v for k, v in stamps.items() if k in STEP_NAMES}),
                referral_target=targets.get(round_),
            )
        )
    return rows


@dataclass(frozen=True)
class ReferralSeen:
    """A case's latest referral for the official forms: where and when, and the receiving
    body's confirmation that it has the case (/rujukan_diterima, as staff wrote it)."""

    target: str
    addressee: str
    at: datetime
    received_at: datetime | None = None
    received: str = ""


@dataclass(frozen=True)
class StepCompliance:
    step: str  # the step reached, e.g. first_admin_response, or end_to_end
    since: str  # the step its clock starts from
    target_minutes: float
    measured: int  # cases that reached the step this month
    within: int
    median_minutes: float | None
    p90_minutes: float | None

    @property
    def share_within(self) -> float | None:
        return self.within / self.measured if self.measured else None


@dataclass(frozen=True)
class MonthReport:
    month: str  # "2026-11"
    total: int
    by_channel: Mapping[str, int]
    by_category: Mapping[str, int]
    by_gender: Mapping[str, int]
    by_age: Mapping[str, int]
    by_outcome: Mapping[str, int]
    urgent: int
    referrals: int
    register: Sequence[CaseRow]
    sla: Sequence[StepCompliance]
    by_referral: Mapping[str, int] = field(default_factory=dict)
    survey: SurveyResult | None = None
    triage: TriageAccuracy | None = None  # from staff's confirmations at closing
    complaints: ComplaintFigures | None = None  # the complaint standard's figures
    # the official forms (bot.files.official_forms): psychoeducation requests, and referrals
    psychoeducation: Sequence[CaseFile] = ()
    referred: Mapping[int, ReferralSeen] = field(default_factory=dict)  # by conversation
    # face-to-face sessions of the month by what became of them (triage.domain.appointments:
    # terjadwal, hadir, tidak_hadir, batal): the Karangasem standard's no-shows counted
    sessions: Mapping[str, int] = field(default_factory=dict)


def age_group(value: str | None) -> str:
    try:
        age = int(value) if value is not None else None
    except ValueError:
        age = None
    if age is None:
        return UNKNOWN
    for low, high in AGE_GROUPS:
        if low <= age <= high:
            return f"{low}+" if high >= 200 else f"{low}–{high}"
    return UNKNOWN


def age_labels() -> list[str]:
    return [age_group(str(low)) for low, _ in AGE_GROUPS] + [UNKNOWN]


SLA_STEPS = (  # (name, step reached, clock from, Targets attribute)
    ("first_admin_response", "first_admin_response", "received", "admin_response"),
    ("handed_off", "handed_off", "first_admin_response", "hand_off"),
    ("claimed", "claimed", "handed_off", "claim"),
    ("first_counselor_response", "first_counselor_response", "claimed", "counselor_response"),
    ("end_to_end", "first_counselor_response", "received", "end_to_end"),
)


def _quantile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1]


def compliance(
    rows: Sequence[CaseRow], targets: Targets, calendar: ServiceCalendar
) -> list[StepCompliance]:
    out = []
    for name, step, since, attribute in SLA_STEPS:
        target = float(getattr(targets, attribute))
        minutes = sorted(
            calendar.minutes_between(start, end)
            for r in rows
            if (start := getattr(r.steps, since)) is not None
            and (end := getattr(r.steps, step)) is not None
        )
        within = sum(1 for m in minutes if m <= target)
        out.append(
            StepCompliance(
                name,
                since,
                target,
                len(minutes),
                within,
                round(statistics.median(minutes), 1) if minutes else None,
                round(q, 1) if (q := _quantile(minutes, 0.9)) is not None else None,
            )
        )
    return out


def month_report(
    month: str,
    rows: Sequence[CaseRow],
    targets: Targets,
    calendar: ServiceCalendar,
    survey: SurveyResult | None = None,
    triage: TriageAccuracy | None = None,
) -> MonthReport:
    """`rows`: the conversations opened in `month` (the caller selects them in the office's
    time zone); `survey`: the month's satisfaction answers (triage.domain.survey.summarise)."""
    ordered = sorted(rows, key=lambda r: (r.opened_at, r.conversation_id, r.round))
    return MonthReport(
        month=month,
        total=len(ordered),
        by_channel=dict(Counter(r.channel for r in ordered)),
        by_category=dict(Counter(r.category or "lainnya" for r in ordered)),
        by_gender=dict(Counter(r.answers.get("jenis_kelamin") or UNKNOWN for r in ordered)),
        by_age=dict(Counter(age_group(r.answers.get("usia")) for r in ordered)),
        by_outcome=dict(Counter(r.outcome or OPEN for r in ordered)),
        urgent=sum(r.urgent for r in ordered),
        referrals=sum(r.outcome == "rujukan" for r in ordered),
        register=ordered,
        sla=compliance(ordered, targets, calendar),
        by_referral=dict(
            Counter(r.referral_target or UNKNOWN for r in ordered if r.outcome == "rujukan")
        ),
        survey=survey,
        triage=triage,
    )
