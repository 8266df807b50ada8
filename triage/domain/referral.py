"""Referral (rujukan, the Kaltim and Karangasem standards): a case beyond the office's remit is
closed as Rujukan with where it goes (UPTD PPA, Puskesmas, a hospital, the police, legal aid or
another named body) and why, and the counselor gets a referral letter carrying the chronology of
the handling so far (the Kaltim standard: the receiving body needs it). The letter's content is
gathered
here; the shell lays it out as a document (bot.files.letter).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from triage.domain.model import Actor, Conversation, Role, StepRecord

TARGETS = ("uptd_ppa", "puskesmas", "rumah_sakit", "polisi", "lbh", "lainnya")
ALIASES = {
    "uptd_ppa": "uptd_ppa", "uptd": "uptd_ppa", "uptd-ppa": "uptd_ppa", "ppa": "uptd_ppa",
    "p2tp2a": "uptd_ppa", "puskesmas": "puskesmas", "pkm": "puskesmas",
    "rumah_sakit": "rumah_sakit", "rs": "rumah_sakit", "rsud": "rumah_sakit",
    "rumah-sakit": "rumah_sakit", "hospital": "rumah_sakit", "polisi": "polisi",
    "polres": "polisi", "polsek": "polisi", "kepolisian": "polisi", "police": "polisi",
    "lbh": "lbh", "bantuan-hukum": "lbh", "legal": "lbh", "lainnya": "lainnya", "lain": "lainnya",
    "other": "lainnya",
}  # fmt: skip
MAX_TEXT = 1500
# The receiving body confirmed it has the case (its register number or who received it, as staff
# wrote it): a step-log entry, so the monthly forms show it beside the referral.
RECEIVED_STEP = "referral_received"
# The steps a letter's chronology tells, in the receiving body's words (catalogue keys).
CHRONOLOGY_STEPS = ("received", "form_completed", "handed_off", "claimed", "closed")


@dataclass(frozen=True)
class Referral:
    conversation_id: int
    round: int
    target: str  # one of TARGETS
    addressee: str  # the body's name; "" for the office's configured one for the target
    reason: str
    staff_id: int
    at: datetime


@dataclass(frozen=True)
class Letter:
    """What a referral letter says; the layout is the shell's."""

    referral: Referral
    client: Mapping[str, str]  # identity-form answers (name, age, gender, domicile …)
    register_no: str | None
    chronology: Sequence[tuple[datetime, str]]  # (when, step name)
    record: Mapping[str, str]  # the psychological record's latest parts, if any
    counselor_id: int | None


def parse(arg: str) -> tuple[str, str, str] | None:
    """(target, addressee, reason) from "/rujuk uptd alasan …" or "/tutup rujukan uptd …".
    For `lainnya` the first line names the body. None when the target is not one we know."""
    words = arg.strip().split(None, 1)
    if not words:
        return None
    target = ALIASES.get(words[0].lower().strip(".,:"))
    if target is None:
        return None
    rest = words[1].strip() if len(words) > 1 else ""
    addressee = ""
    if target == "lainnya":
        first, _, rest = rest.partition("\n")
        addressee = first.strip()[:200]
        if not addressee:
            return None
        rest = rest.strip()
    return target, addressee, rest[:MAX_TEXT]


def may_have_letter(actor: Actor, conv: Conversation, made: Referral) -> bool:
    """The letter carries the record: who referred, the case's counselor, and the head."""
    return (
        actor.role is Role.HEAD
        or actor.staff_id == made.staff_id
        or (actor.role is Role.COUNSELOR and conv.counselor_id == actor.staff_id)
    )


# A case moved to another office of the same install (a province's offices): a head here asks,
# a head there answers, then the case goes with its history and closes here as a referral to
# that office. The offices speak through each one's outbox (`Target.OFFICE`, one JSON message an
# item), so a crash or a restart at any point loses and doubles nothing.
TRANSFER_ASKED = "transfer_asked"  # step log, detail "<office> <n>": the n-th ask of the case
TRANSFER_REFUSED = "transfer_refused"
TRANSFER_SENT = "transfer_sent"
TRANSFER_CANCELLED = "transfer_cancelled"  # withdrawn by a head of the office that asked
TRANSFER_STEPS = (TRANSFER_ASKED, TRANSFER_REFUSED, TRANSFER_SENT, TRANSFER_CANCELLED)
TRANSFER_RECEIVED = "transfer_received"  # in the receiving office's step log, detail the ref
KINDS = ("offer", "answer", "case")


@dataclass(frozen=True)
class Transfer:
    """One ask: the office that asked, its case number, and the how-manieth ask of that case.
    Written "badung-42-1" in the other office's notice and commands."""

    origin: str
    case: int
    n: int

    def __str__(self) -> str:
        return f"{self.origin}-{self.case}-{self.n}"


def transfer_ref(written: str) -> Transfer | None:
    origin, _, rest = written.strip().lower().partition("-")
    while rest.count("-") > 1:  # an office key with dashes in it
        more, _, rest = rest.partition("-")
        origin = f"{origin}-{more}"
    case, _, n = rest.partition("-")
    if not origin or not case.isdigit() or not n.isdigit():
        return None
    return Transfer(origin, int(case), int(n))


@dataclass(frozen=True)
class OfficeMessage:
    """What one office tells another about a transfer: `offer` (no personal data: category,
    risk, reason), `answer` (accepted or not, by whom) or `case` (the client and the history)."""

    kind: str  # one of KINDS
    ref: Transfer
    sender: str  # the office key of who sends it
    sender_name: str
    fields: Mapping[str, Any]


def dump_message(message: OfficeMessage) -> str:
    ref = message.ref
    return json.dumps({"kind": message.kind, "ref": [ref.origin, ref.case, ref.n],
                       "sender": message.sender, "sender_name": message.sender_name,
                       "fields": dict(message.fields)}, ensure_ascii=False)  # fmt: skip


def load_message(raw: str) -> OfficeMessage:
    """ValueError for anything that is not one of ours."""
    try:
        data = json.loads(raw)
        origin, case, n = data["ref"]
        message = OfficeMessage(str(data["kind"]), Transfer(str(origin), int(case), int(n)),
                                str(data["sender"]), str(data["sender_name"]),
                                dict(data["fields"]))  # fmt: skip
    except (ValueError, TypeError, KeyError) as exc:
        raise ValueError(f"not an office message: {type(exc).__name__}") from None
    if message.kind not in KINDS:
        raise ValueError(f"not an office message: kind {message.kind!r}")
    return message


def waiting_transfer(log: Sequence[StepRecord], round_: int) -> tuple[str, int] | None:
    """The office a case's transfer was asked of in this round and the ask's number, while no
    answer came (an ask of an earlier round ended with it: the case was closed since)."""
    last = [r for r in log if r.step in TRANSFER_STEPS and r.round == round_]
    if not last or last[-1].step != TRANSFER_ASKED:
        return None
    office, _, n = (last[-1].detail or "").rpartition(" ")
    return (office, int(n)) if n.isdigit() else None


def asks(log: Sequence[StepRecord]) -> int:
    return sum(1 for r in log if r.step == TRANSFER_ASKED)


class TransferWaiting(Exception):
    """The case's transfer waits for the other office's answer: not asked twice."""

    def __init__(self, office: str) -> None:
        super().__init__(f"a transfer to {office} waits for its answer")
        self.office = office
