"""Referral (rujukan; issue 7 item 3, seeds 001 and 002): a case beyond the office's remit is
closed as Rujukan with where it goes (UPTD PPA, Puskesmas, a hospital, the police, legal aid or
another named body) and why, and the counselor gets a referral letter carrying the chronology of
the handling so far (seed 001: the receiving body needs it). The letter's content is gathered
here; the shell lays it out as a document (bot.referral_letter).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from triage import casework
from triage.errors import AccessDenied, NotFound, TransitionNotAllowed
from triage.model import Actor, Conversation, Outcome, Role
from triage.ports import UnitOfWork, UnitOfWorkFactory
from triage.records import AuditEntry, Sealer, may_read

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


def refer(
    conv_id: int,
    target: str,
    reason: str,
    *,
    addressee: str = "",
    actor: Actor,
    uow_factory: UnitOfWorkFactory,
    now: datetime,
    key: str | None = None,
    heads: Sequence[int] = (),
    survey_question: str | None = None,
) -> Referral:
    """Close the case as Rujukan with where it goes, in one transaction. Repeating the command
    for a round already referred changes nothing and returns that referral (the letter can be
    made again)."""
    if target not in TARGETS:
        raise ValueError(f"unknown referral target {target!r}")
    with uow_factory() as uow:
        conv = uow.conversations.get(conv_id)
        made = uow.referrals.get(conv_id, conv.round) if conv is not None else None
    if made is not None:
        return made
    kept: list[Referral] = []

    def record(uow: UnitOfWork, closed: Conversation) -> None:
        made = Referral(conv_id, closed.round, target, addressee, reason, actor.staff_id, now)
        uow.referrals.add(made)
        uow.audit.append(AuditEntry(now, actor.staff_id, actor.role.value, "referral.write",
                                    conv_id, target))  # fmt: skip
        kept[:] = [made]

    closed = casework.close(conv_id, Outcome.RUJUKAN, actor=actor, uow_factory=uow_factory,
                            now=now, key=key, heads=heads, survey_question=survey_question,
                            also=record)  # fmt: skip
    if kept:
        return kept[0]
    with uow_factory() as uow:  # the same request again after a restart: closed by it before
        made = uow.referrals.get(conv_id, closed.round)
    if made is None:
        raise TransitionNotAllowed(closed.state.value, "refer")
    return made


def may_have_letter(actor: Actor, conv: Conversation, made: Referral) -> bool:
    """The letter carries the record: who referred, the case's counselor, and the head."""
    return (
        actor.role is Role.HEAD
        or actor.staff_id == made.staff_id
        or (actor.role is Role.COUNSELOR and conv.counselor_id == actor.staff_id)
    )


def letter(
    conv_id: int,
    *,
    actor: Actor,
    sealer: Sealer,
    uow_factory: UnitOfWorkFactory,
    now: datetime,
    round_: int | None = None,
) -> Letter:
    """Everything the letter says, for those who may have it; reading the record for it is
    audited like any other read."""
    with uow_factory() as uow:
        conv = uow.conversations.get(conv_id)
        if conv is None:
            raise NotFound(f"conversation {conv_id}")
        made = uow.referrals.get(conv_id, round_ or conv.round)
        if made is None:
            raise NotFound(f"referral of conversation {conv_id}")
        if not may_have_letter(actor, conv, made):
            uow.audit.append(AuditEntry(now, actor.staff_id, actor.role.value,
                                        "referral.letter.denied", conv_id))  # fmt: skip
            uow.commit()
            raise AccessDenied(actor.staff_id, "referral_letter")
        form = uow.forms.get(conv_id)
        answers = {k: v for k, v in (form.answers.items() if form else ()) if v}
        steps = [
            (r.at, r.step)
            for r in uow.steps.for_conversation(conv_id)
            if r.round == made.round and r.step in CHRONOLOGY_STEPS
        ]
        versions = uow.records.versions(conv_id)
        granted = frozenset(uow.grants.for_conversation(conv_id))
        if not may_read(actor, conv, {v.author_id for v in versions}, granted):
            versions = []  # an admin who referred gets the letter without the record
        uow.audit.append(AuditEntry(now, actor.staff_id, actor.role.value, "referral.letter",
                                    conv_id, f"record version {versions[-1].version}"
                                    if versions else "no record"))  # fmt: skip
        uow.commit()
    parts = json.loads(sealer.open(versions[-1].sealed)) if versions else {}
    return Letter(
        made,
        answers,
        form.register_no if form else None,
        sorted(steps, key=lambda s: s[0]),  # stable: the log order within one instant
        parts,
        conv.counselor_id,
    )
