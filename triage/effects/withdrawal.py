"""A client takes their consent back: a message that is only BERHENTI (or /berhenti) asks them
to confirm (with buttons on the hotline, "YA BERHENTI" elsewhere), and only a confirmation that
answers that question, in this round and within a day, counts. It stops the processing: after
the relay has passed the batch on, the consent is recorded as withdrawn, the client is told,
and the case closes (triage.usecases.casework.withdrawn); writing again starts a new
conversation (triage.usecases.ingest). Not while the case is urgent (a person may be in danger:
staff are told instead), and not in a complaint or psychoeducation file, which is the office's
public task, not consent (triage.domain.consent). The words are in triage/domain/consent.py."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from triage.domain import consent as rules
from triage.domain.model import CONSENT_MARK, Channel, Conversation, StoredMessage
from triage.domain.notices import Kind, group
from triage.effects import consent
from triage.effects.auto_reply import send_auto
from triage.effects.notify import client_fields, queue
from triage.effects.steplog import log_steps
from triage.ports import UnitOfWork

ASKED = "withdrawal_asked"  # the step logged when the question is sent
ANSWER_WITHIN = timedelta(days=1)
# the hotline's record of the "Ya, berhenti" button (bot/telegram/hotline.py)
BUTTON = f"{CONSENT_MARK}withdraw:"


def read(
    uow: UnitOfWork,
    conv: Conversation,
    messages: Sequence[StoredMessage],
    texts: Mapping[str, str],
    now: datetime,
) -> tuple[list[StoredMessage], bool]:
    """The messages left for triage and the form, and whether the client confirmed."""
    assert conv.id is not None
    contact = uow.contacts.get(conv.reply_contact_id)
    if contact is None or not any(_may_be(m) for m in messages):
        return list(messages), False
    if uow.casefiles.get(conv.id) is not None:
        return list(messages), False  # a complaint is not withdrawn by consent
    rest: list[StoredMessage] = []
    confirmed = False
    for m in messages:
        said = _said(m, contact.channel)
        if m.auto_generated or m.confidential and not _is_stop(m, said):
            rest.append(m)
        elif rules.asks_to_stop(said):
            hotline = contact.channel is Channel.HOTLINE
            body = texts["consent.withdraw_ask" if hotline else "consent.withdraw_ask_typed"]
            send_auto(uow, conv, contact.channel, contact.external_id, f"withdraw-ask:{m.id}",
                      body, now, priority=0, buttons="withdraw" if hotline else None)  # fmt: skip
            log_steps(uow, conv, [ASKED], now)
        elif (rules.confirms_stop(said) or m.external_id.startswith(BUTTON)) and _asked(
            uow, conv, now
        ):
            confirmed = True
        else:
            rest.append(m)
    return rest, confirmed


def holds(uow: UnitOfWork, conv: Conversation, confirmed: bool, now: datetime) -> bool:
    """A confirmation stops the processing unless the case is urgent: then staff are told, and
    the case stays open for them (the client's safety first)."""
    if not confirmed:
        return False
    if not conv.urgent:
        return True
    assert conv.id is not None
    queue(uow, key=f"withdraw-urgent:{conv.id}:{conv.round}:{now.isoformat()}",
          recipient=group(conv.id), kind=Kind.STATUS, now=now, conv=conv,
          event="consent_withdraw_urgent", **client_fields(uow, conv))  # fmt: skip
    return False


def confirm(uow: UnitOfWork, conv: Conversation, texts: Mapping[str, str], now: datetime) -> None:
    """After the batch is passed on: the consent withdrawn and the client told."""
    assert conv.id is not None
    consent.record(uow, conv, rules.WITHDRAWN, now)
    contact = uow.contacts.get(conv.reply_contact_id)
    if contact is not None:
        send_auto(uow, conv, contact.channel, contact.external_id,
                  f"withdrawn:{conv.id}:{conv.round}", texts["consent.withdrawn"], now,
                  priority=0)  # fmt: skip


def _asked(uow: UnitOfWork, conv: Conversation, now: datetime) -> bool:
    return any(
        s.step == ASKED and s.round == conv.round and now - s.at <= ANSWER_WITHIN
        for s in uow.steps.for_conversation(conv.id)  # type: ignore[arg-type]
    )


def _said(m: StoredMessage, channel: Channel) -> str:
    """A mail's first line (a signature or "Sent from my phone" follows it)."""
    if channel is not Channel.EMAIL:
        return m.text
    return next((line for line in m.text.splitlines() if line.strip()), "")


def _may_be(m: StoredMessage) -> bool:
    """A cheap test before any lookup: the word is in it, or it is the hotline's button."""
    return "berhenti" in m.text[:200].casefold() or m.external_id.startswith(BUTTON)


def _is_stop(m: StoredMessage, said: str) -> bool:
    return rules.asks_to_stop(said) or rules.confirms_stop(said) or m.external_id.startswith(BUTTON)
