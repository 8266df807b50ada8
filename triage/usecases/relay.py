"""Use case: pass new client messages on to staff (the admin topic, or the assigned counselor).

Kept apart from ingest so the ingest path stays one short transaction per message, and so a
burst is coalesced: one relay pass turns every new message of a conversation into one post.
A message is marked relayed in the same commit as its notices (exactly once, also with several
workers: each takes rows the others have not locked).

Routing (docs/architecture.md): before hand-off the admin topic sees the client's messages.
Counseling content (marked confidential at ingest, with the counselor it was written to) goes
to that counselor only; while a case waits to be claimed it is held, and the counselor who
claims receives it then.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from triage.domain.model import Conversation, State, StoredMessage
from triage.domain.notices import GENERAL, Kind, answer_entries, entries_of, group, staff
from triage.effects import consent, withdrawal
from triage.effects.assess import RelaySetup, Shown, assess, show
from triage.effects.notify import client_fields, queue, queue_content
from triage.ports import UnitOfWork, UnitOfWorkFactory
from triage.usecases import casework
from triage.usecases._retry import on_conflict

FLOOD_WINDOW = timedelta(minutes=1)


def relay_new_messages(
    *,
    uow_factory: UnitOfWorkFactory,
    now: datetime,
    limit: int = 500,
    triage: RelaySetup | None = None,
    flood_per_minute: int = 0,
) -> int:
    """One pass; returns how many messages it passed on (0: nothing new). With `triage`, each
    message is also classified on its way (triage.effects.assess). With `flood_per_minute`, a
    conversation that received more than that within a minute gets one note (`_flood_note`)."""

    def work() -> int:
        with uow_factory() as uow:
            waiting = uow.messages.unrelayed(limit)
            done: list[int] = []
            for conv_id in dict.fromkeys(m.conversation_id for m in waiting):
                # The conversation's lock orders this pass with ingest, claims and other
                # relays; one that is busy now is left for the next pass.
                conv = uow.conversations.try_lock(conv_id)
                if conv is None:
                    continue
                mine = uow.messages.unrelayed_in(conv_id)
                if mine:
                    reasons, private, stop, answered = "", False, False, ()
                    if triage is not None:
                        found = assess(uow, conv, mine, triage, now)
                        conv, reasons, private = found.conv, found.reasons, found.private
                        stop, answered = found.withdrawn, found.answered
                    _route(uow, conv, mine, now, reasons, private=private, answered=answered)
                    if stop and triage is not None and triage.form is not None:
                        # the client took their consent back (triage.effects.withdrawal)
                        withdrawal.confirm(uow, conv, triage.form.texts, now)
                        conv = casework.withdrawn(uow, conv, now)
                    if flood_per_minute:
                        _flood_note(uow, conv, mine, now, flood_per_minute)
                    done.extend(m.id for m in mine if m.id is not None)
            uow.messages.mark_relayed(done)
            uow.commit()
            return len(done)

    return on_conflict(work, uow_factory.pause)


def _flood_note(
    uow: UnitOfWork, conv: Conversation, messages: list[StoredMessage], now: datetime, limit: int
) -> None:
    """One note a conversation round when its client floods it: everything is still stored and
    passed on (the outbox serves other clients fairly meanwhile); staff are told it is one
    client, not many, and what they may do. No words of the client's are in it. Counted over
    the minute before the newest message, by the messages' own times: a mail or Instagram poll
    a minute late still sees the burst, and a catch-up after an outage is not a flood."""
    assert conv.id is not None
    newest = max(m.created_at for m in messages)
    count = uow.messages.inbound_since(conv.id, newest - FLOOD_WINDOW)
    if count <= limit:
        return
    told = [group(conv.id)]
    if conv.state is State.WITH_COUNSELOR and conv.counselor_id is not None:
        told.append(staff(conv.counselor_id))  # the one who can answer or close it now
    for recipient in told:
        queue(
            uow,
            key=f"flood:{conv.id}:{conv.round}:{recipient}",
            recipient=recipient,
            kind=Kind.STATUS,
            now=now,
            conv=conv,
            event="flood",
            count=str(count),
            limit=str(limit),
        )


def card_key(conv: Conversation) -> str:
    return f"card:{conv.id}:{conv.round}"


def _route(
    uow: UnitOfWork,
    conv: Conversation,
    messages: list[StoredMessage],
    now: datetime,
    reasons: str = "",
    *,
    private: bool = False,
    answered: Sequence[Shown] = (),
):
    """`private`: the reasons come from counseling content, shown to its counselor only.
    `answered`: our automatic answers to these messages, shown in the same post as them (a new
    conversation costs the group one post of its 20 a minute, not two)."""
    first = messages[0].id
    visible = [m for m in messages if not m.confidential]
    fields = client_fields(uow, conv)
    if fields.get("masked"):  # before consent: when and how urgent, not what (domain.consent)
        uow.messages.set_masked([m.id for m in visible if m.id is not None], True)
        visible = [replace(m, masked=True) for m in visible]
        reasons = ""  # the rules that decided quote the client's words
    elif conv.urgent:  # a person may be in danger: what was held back is shown now
        consent.reveal_if_held(uow, conv, now)
    if reasons:
        fields["triage"] = reasons[:300]
    group_fields = {k: v for k, v in fields.items() if not (private and k == "triage")}
    if visible:
        has_card = uow.outbox.find_key(card_key(conv) + ":0") is not None
        shown = [e for a in answered for e in answer_entries(now, a.body)]
        queue_content(
            uow,
            key=f"relay:{first}" if has_card else card_key(conv),
            recipient=group(conv.id) if conv.id is not None else GENERAL,
            kind=Kind.CLIENT if has_card else Kind.CARD,
            entries=entries_of(visible) + shown,
            now=now,
            conv=conv,
            **group_fields,
        )
    else:
        for answer in answered:
            show(uow, conv, answer, now)
    by_owner: dict[int, list[StoredMessage]] = {}
    for m in messages:
        if m.confidential and m.counselor_id is not None:
            by_owner.setdefault(m.counselor_id, []).append(m)
    for counselor_id, theirs in by_owner.items():
        queue_content(
            uow,
            key=f"relay:{first}:c{counselor_id}",
            recipient=staff(counselor_id),
            kind=Kind.CLIENT,
            entries=entries_of(theirs),
            now=now,
            conv=conv,
            **fields,
        )
    # Confidential messages without an owner came while the case waited to be claimed: they
    # are held, and the counselor who claims receives them with the case (casework.claim).
