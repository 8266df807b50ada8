"""The satisfaction survey asked when a case closes, in the close's own transaction (the rules of
who is asked are in triage/domain/survey.py)."""

from __future__ import annotations

from datetime import datetime

from triage.domain.model import Conversation, Direction
from triage.domain.outbox import CHANNEL_TARGET
from triage.domain.survey import ASK_AGAIN_AFTER, NOT_ASKED_AFTER, Survey
from triage.effects import safe_send
from triage.effects.auto_reply import send_auto
from triage.ports import UnitOfWork


def ask(uow: UnitOfWork, conv: Conversation, question: str, now: datetime) -> bool:
    """In the closing transaction: ask the client, once per round, if a person wrote in it
    (never an auto-reply or a bounce); not for a complaint or a psychoeducation request (their
    workflows ask for feedback themselves), nor after an urgent or violence case, nor to a
    client who asked not to be written to first or only discreetly (/kontak)."""
    assert conv.id is not None
    if conv.urgent or conv.category == "kekerasan":
        return False
    referred = uow.referrals.get(conv.id, conv.round)
    if referred is not None and referred.target in NOT_ASKED_AFTER:
        return False
    if uow.surveys.get(conv.id, conv.round) is not None or uow.casefiles.get(conv.id):
        return False
    before = uow.surveys.get(conv.id, conv.round - 1) if conv.round > 1 else None
    if before is not None and now - before.asked_at < ASK_AGAIN_AFTER:
        return False
    wrote = any(
        m.direction is Direction.IN and not m.auto_generated
        for m in uow.messages.for_conversation(conv.id)
    )
    contact = uow.contacts.get(conv.reply_contact_id)
    if not wrote or contact is None or contact.channel not in CHANNEL_TARGET:
        return False  # a client met offline cannot be asked: no survey counts as unanswered
    prefs = safe_send.prefs_of(uow, conv.client_id)
    if not prefs.write_first or prefs.discreet:  # /kontak: no survey reaches them (none counted)
        return False
    uow.surveys.add(Survey(conv.id, conv.round, now))
    key = f"survey:{conv.id}:{conv.round}"
    send_auto(uow, conv, contact.channel, contact.external_id, key, question, now, priority=0)
    return True
