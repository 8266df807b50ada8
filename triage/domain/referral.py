"""Referral (rujukan, the Kaltim and Karangasem standards): a case beyond the office's remit is
closed as Rujukan with where it goes (UPTD PPA, Puskesmas, a hospital, the police, legal aid or
another named body) and why, and the counselor gets a referral letter carrying the chronology of
the handling so far (the Kaltim standard: the receiving body needs it). The letter's content is
gathered
here; the shell lays it out as a document (bot.files.letter).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from triage.domain.model import Actor, Conversation, Role

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
