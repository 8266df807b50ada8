"""Use cases: a case moved to another office of the same install (a province's offices), asked
by a head of this office and answered by a head of the other, then sent with its history and
closed here as a referral to that office (the steps and messages are in
triage/domain/referral.py). Each office runs these in its own database; the shell carries the
messages between them through each office's outbox."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime

from triage.domain import access, notices
from triage.domain.errors import NotFound, TransitionNotAllowed
from triage.domain.forms.dialogue import FormState
from triage.domain.intake import OFFLINE, Intake
from triage.domain.model import (
    Actor,
    Channel,
    Contact,
    Conversation,
    Direction,
    Outcome,
    Role,
    StepRecord,
    StoredMessage,
)
from triage.domain.notices import Kind
from triage.domain.outbox import OutboxItem, Target
from triage.domain.records import AuditEntry
from triage.domain.referral import (
    MAX_TEXT,
    TRANSFER_ASKED,
    TRANSFER_CANCELLED,
    TRANSFER_RECEIVED,
    TRANSFER_REFUSED,
    TRANSFER_SENT,
    OfficeMessage,
    Referral,
    Transfer,
    TransferWaiting,
    asks,
    dump_message,
    load_message,
    waiting_transfer,
)
from triage.domain.rules.classify import LEVELS
from triage.effects import notify
from triage.effects.auto_reply import send_auto
from triage.ports import UnitOfWork, UnitOfWorkFactory
from triage.usecases import casework
from triage.usecases._retry import in_transaction, on_conflict
from triage.usecases.ingest import register


def offer_transfer(
    conv_id: int, office: str, *, office_name: str, reason: str, origin: str, origin_name: str,
    actor: Actor, uow_factory: UnitOfWorkFactory, now: datetime, key: str,
) -> Transfer:  # fmt: skip
    """`/pindah`: a head asks `office` to take the case. The other office hears only the
    category, the risk and the reason until one of its heads accepts. The same update again
    asks once; a case whose transfer waits for an answer cannot be asked again."""
    access.require(actor.role is Role.HEAD, actor, "transfer")
    item_key = f"transfer:{key}"

    def step(uow: UnitOfWork, conv: Conversation) -> Transfer:
        done = uow.outbox.find_key(item_key)
        asked = _message(done) if done is not None else None
        if asked is not None:
            return asked.ref
        if not conv.is_open:
            raise TransitionNotAllowed(conv.state.value, "transfer")
        log = uow.steps.for_conversation(conv_id)
        waiting = waiting_transfer(log, conv.round)
        if waiting is not None:
            raise TransferWaiting(waiting[0])
        ref = Transfer(origin, conv_id, asks(log) + 1)
        uow.steps.append(StepRecord(conv_id, TRANSFER_ASKED, now, conv.round, actor.staff_id,
                                    f"{office} {ref.n}"))  # fmt: skip
        uow.audit.append(AuditEntry(now, actor.staff_id, actor.role.value, "transfer.offer",
                                    conv_id, office))  # fmt: skip
        fields = {"category": conv.category or "", "risk": conv.risk,
                  "reason": reason[:MAX_TEXT], "by": actor.name}  # fmt: skip
        _to_office(uow, item_key, office, OfficeMessage("offer", ref, origin, origin_name, fields),
                   now, conv)  # fmt: skip
        notify.queue(uow, key=f"{item_key}:topic", recipient=notices.group(conv_id),
                     kind=Kind.STATUS, now=now, conv=conv, event=TRANSFER_ASKED,
                     office=office_name, by=actor.name)  # fmt: skip
        return ref

    return in_transaction(conv_id, uow_factory, step)


def transfer_offered(
    message: OfficeMessage, *, heads: Sequence[int], office: str, office_name: str,
    unheard: str, uow_factory: UnitOfWorkFactory, now: datetime,
) -> int:  # fmt: skip
    """In the office asked: each head is told, in their private chat, what is asked and how to
    answer. Told once however often the message comes; returns how many heads were told. With
    no head to tell (none, or none active), the ask is refused at once with `unheard` as the
    reason, so the asking office does not wait for an answer that cannot come."""
    fields = message.fields
    told = 0
    with uow_factory() as uow:
        for head in heads:
            item = notify.queue(
                uow, key=f"transfer-in:{message.ref}:{head}", recipient=notices.staff(head),
                kind=Kind.STATUS, now=now,
                rank=notices.URGENT_PRIORITY if fields.get("risk") == "mendesak" else 0,
                event="transfer_incoming", origin=message.sender_name, ref=str(message.ref),
                category=str(fields.get("category", "")), risk=str(fields.get("risk", "")),
                reason=str(fields.get("reason", "")), by=str(fields.get("by", "")),
            )  # fmt: skip
            told += item.id is not None
        if not told:
            answer = {"accepted": False, "reason": unheard, "by": office_name, "by_id": 0}
            _to_office(
                uow,
                f"transfer-answer:{message.ref}",
                message.ref.origin,
                OfficeMessage("answer", message.ref, office, office_name, answer),
                now,
            )
        uow.commit()
    return told


def answer_transfer(
    ref: Transfer, accept: bool, *, reason: str, office: str, office_name: str, phone: str,
    heads: Sequence[int], actor: Actor, uow_factory: UnitOfWorkFactory, now: datetime,
) -> bool:  # fmt: skip
    """`/terima_pindahan`, `/tolak_pindahan`: a head of the office asked answers, once (False:
    answered before). NotFound when this office was never asked so."""
    access.require(actor.role is Role.HEAD, actor, "transfer")
    answer_key = f"transfer-answer:{ref}"

    def work() -> bool:
        with uow_factory() as uow:
            return _answer(uow)

    def _answer(uow: UnitOfWork) -> bool:
        told = (uow.outbox.find_key(f"transfer-in:{ref}:{h}") for h in (actor.staff_id, *heads))
        if not any(item is not None for item in told):
            raise NotFound(f"transfer {ref}")
        if uow.outbox.find_key(answer_key) is not None:
            return False
        action = "transfer.accept" if accept else "transfer.refuse"
        uow.audit.append(AuditEntry(now, actor.staff_id, actor.role.value, action, None,
                                    str(ref)))  # fmt: skip
        fields = {"accepted": accept, "reason": reason[:MAX_TEXT], "by": actor.name,
                  "by_id": actor.staff_id, "phone": phone}  # fmt: skip
        _to_office(uow, answer_key, ref.origin,
                   OfficeMessage("answer", ref, office, office_name, fields), now)  # fmt: skip
        uow.commit()
        return True

    return on_conflict(work, uow_factory.pause)


def transfer_answered(
    message: OfficeMessage, *, origin_name: str, client_text: str, heads: Sequence[int],
    uow_factory: UnitOfWorkFactory, now: datetime,
) -> str:  # fmt: skip
    """In the office that asked: refused, the case stays and the topic and the heads are told;
    accepted, in one transaction the case closes as a referral to that office, the client is
    told where their case went (`client_text`), and the case goes over with its history (never
    the counseling content nor the psychological record, which stay here). Returns what
    happened: refused, sent, closed (the case closed, or began a new round, before the answer
    came: the other office is told) or stale (not the answer awaited: an acceptance is told it
    will not come)."""
    ref, fields = message.ref, message.fields
    tag = f"transfer:{ref}"
    said = {"office": message.sender_name, "by": str(fields.get("by", "")),
            "reason": str(fields.get("reason", ""))}  # fmt: skip

    def cancel(uow: UnitOfWork) -> None:
        _to_office(
            uow,
            f"{tag}:case",
            message.sender,
            OfficeMessage("case", ref, ref.origin, origin_name, {"cancelled": True}),
            now,
        )

    def step(uow: UnitOfWork, conv: Conversation) -> str:
        """Read again under the case's lock: a second delivery or a close meanwhile sees it."""
        log = uow.steps.for_conversation(ref.case)
        asked = [r for r in log if r.step == TRANSFER_ASKED and r.detail == f"{message.sender} "
                 f"{ref.n}"]  # fmt: skip
        if not asked or waiting_transfer(log, asked[-1].round) != (message.sender, ref.n):
            if fields.get("accepted"):
                cancel(uow)  # the same key as the case: never both, never twice
            return "stale"
        accepted = bool(fields.get("accepted"))
        if accepted and conv.is_open and conv.round == asked[-1].round:
            raise _Accepted(asked[-1])
        outcome = "closed" if accepted else "refused"
        uow.steps.append(StepRecord(ref.case, TRANSFER_REFUSED, now, asked[-1].round, None,
                                    f"{message.sender} {ref.n} {outcome}"))  # fmt: skip
        for to in (notices.group(ref.case), *map(notices.staff, heads)):
            notify.queue(uow, key=f"{tag}:{outcome}:{to}", recipient=to, kind=Kind.STATUS,
                         now=now, conv=conv, event=f"transfer_{outcome}", **said)  # fmt: skip
        if accepted:
            cancel(uow)
        return outcome

    with uow_factory() as uow:
        if uow.conversations.get(ref.case) is None:  # erased or joined into another
            if fields.get("accepted"):
                cancel(uow)
                uow.commit()
            return "stale"
    try:
        return in_transaction(ref.case, uow_factory, step)
    except _Accepted as accepted:
        asked = accepted.step
    head = Actor(asked.staff_id or 0, Role.HEAD, "")

    def record(uow: UnitOfWork, closed: Conversation) -> None:
        log = uow.steps.for_conversation(ref.case)
        if waiting_transfer(log, asked.round) != (message.sender, ref.n):
            raise _Accepted(asked)  # answered meanwhile (a second delivery): nothing to do
        uow.referrals.add(Referral(ref.case, closed.round, "lainnya", message.sender_name,
                                   str(fields.get("reason", "")) or "pindah kantor",
                                   head.staff_id, now))  # fmt: skip
        uow.steps.append(StepRecord(ref.case, TRANSFER_SENT, now, closed.round, head.staff_id,
                                    f"{message.sender} {ref.n}"))  # fmt: skip
        uow.audit.append(AuditEntry(now, head.staff_id, Role.HEAD.value, "transfer.send",
                                    ref.case, message.sender))  # fmt: skip
        case = _case_of(uow, closed, ref, fields)
        _to_office(uow, f"{tag}:case", message.sender,
                   OfficeMessage("case", ref, ref.origin, origin_name, case), now,
                   closed)  # fmt: skip
        contact = uow.contacts.get(closed.reply_contact_id)
        told = contact is not None and contact.channel not in OFFLINE and bool(client_text)
        if told and contact is not None:
            send_auto(uow, closed, contact.channel, contact.external_id, f"{tag}:client",
                      client_text, now, priority=notices.priority(closed))  # fmt: skip
        event = TRANSFER_SENT if told else f"{TRANSFER_SENT}_untold"
        for to in (notices.group(ref.case), *map(notices.staff, heads)):
            notify.queue(uow, key=f"{tag}:sent:{to}", recipient=to, kind=Kind.STATUS, now=now,
                         conv=closed, event=event, **said)  # fmt: skip

    try:
        casework.close(ref.case, Outcome.RUJUKAN, actor=head, uow_factory=uow_factory, now=now,
                       key=tag, heads=heads, also=record)  # fmt: skip
    except _Accepted:
        return "stale"
    except TransitionNotAllowed:  # closed between the two reads: said as a close
        return in_transaction(ref.case, uow_factory, step)
    return "sent"


def cancel_transfer(
    conv_id: int, *, actor: Actor, uow_factory: UnitOfWorkFactory, now: datetime, key: str
) -> str | None:
    """`/batal_pindah`: a head withdraws the case's waiting ask (the other office never
    answered, or has no head to); the other office's heads are told. The office it was asked
    of, or None when no ask waits."""
    access.require(actor.role is Role.HEAD, actor, "transfer")

    def step(uow: UnitOfWork, conv: Conversation) -> str | None:
        waiting = waiting_transfer(uow.steps.for_conversation(conv_id), conv.round)
        if waiting is None:
            return None
        office, n = waiting
        ref = Transfer(_origin_of(uow, conv_id, n), conv_id, n)
        uow.steps.append(StepRecord(conv_id, TRANSFER_CANCELLED, now, conv.round, actor.staff_id,
                                    f"{office} {n}"))  # fmt: skip
        uow.audit.append(AuditEntry(now, actor.staff_id, actor.role.value, "transfer.cancel",
                                    conv_id, office))  # fmt: skip
        _to_office(
            uow,
            f"transfer:{ref}:case",
            office,
            OfficeMessage("case", ref, ref.origin, "", {"cancelled": True}),
            now,
        )
        notify.queue(uow, key=f"transfer-cancel:{key}", recipient=notices.group(conv_id),
                     kind=Kind.STATUS, now=now, conv=conv, event="transfer_withdrawn",
                     by=actor.name)  # fmt: skip
        return office

    return in_transaction(conv_id, uow_factory, step)


class _Accepted(Exception):  # noqa: N818 - a signal between the two transactions, not an error
    def __init__(self, step: StepRecord) -> None:
        super().__init__(step.detail)
        self.step = step


def _origin_of(uow: UnitOfWork, conv_id: int, n: int) -> str:
    """This office's own key as the ask `n` wrote it (the ask's message says it)."""
    for item in uow.outbox.for_conversation(conv_id):
        message = _message(item)
        if message is not None and message.kind == "offer" and message.ref.n == n:
            return message.ref.origin
    return ""


def _message(item: OutboxItem) -> OfficeMessage | None:
    """An office item's message; None for other items, or one blanked by an erasure."""
    if item.target is not Target.OFFICE:
        return None
    try:
        return load_message(item.text)
    except ValueError:
        return None


def receive_transfer(
    message: OfficeMessage, *, summary: str, heads: Sequence[int],
    uow_factory: UnitOfWorkFactory, now: datetime,
) -> int | None:  # fmt: skip
    """In the office that accepted: the case arrives as a client referred by the other office
    (its card in the admin group, `summary` its history as this office's words put it), with
    the identity form's answers, its category and risk, and the client's addresses, so that
    what the client writes here next joins it. None when the other office closed the case
    before it could go (the heads are told)."""
    ref, fields = message.ref, message.fields
    if fields.get("cancelled"):
        with uow_factory() as uow:
            for head in heads:
                notify.queue(uow, key=f"transfer-cancelled:{ref}:{head}",
                             recipient=notices.staff(head), kind=Kind.STATUS, now=now,
                             event="transfer_cancelled", ref=str(ref))  # fmt: skip
            uow.commit()
        return None
    accepted_by = Actor(int(fields.get("accepted_by", 0)), Role.HEAD)
    name = str(fields.get("name", "")) or "?"
    intake = Intake(Channel.RUJUKAN, name, summary, origin=message.sender_name,
                    letter_number=str(ref))  # fmt: skip
    made = register(intake, actor=accepted_by, key=f"transfer:{ref}", uow_factory=uow_factory,
                    now=now)  # fmt: skip

    def complete(uow: UnitOfWork, conv: Conversation) -> int:
        assert conv.id is not None
        if any(r.step == TRANSFER_RECEIVED for r in uow.steps.for_conversation(conv.id)):
            return conv.id  # the same message again after a crash: done before
        answers = {str(k): (None if v is None else str(v))
                   for k, v in dict(fields.get("answers") or {}).items()}  # fmt: skip
        form = uow.forms.get(conv.id)
        uow.forms.save(FormState(conv.id, None, {**answers, **(form.answers if form else {})},
                                 "staff"))  # fmt: skip
        for channel, external_id, shown in fields.get("contacts") or []:
            if channel in Channel._value2member_map_ and channel not in OFFLINE:
                if uow.contacts.find(Channel(channel), str(external_id)) is None:
                    uow.contacts.add(Contact(None, conv.client_id, Channel(channel),
                                             str(external_id), str(shown)))  # fmt: skip
        sent = str(fields.get("risk", "biasa"))
        risk = max((r for r in (sent, conv.risk) if r in LEVELS), key=LEVELS.index)
        category = str(fields.get("category", "")) or None
        uow.conversations.save(replace(
            conv, risk=risk, urgent=risk == "mendesak", risk_set_at=now,
            category=category or conv.category,
            category_by_staff=bool(fields.get("category_by_staff")) or conv.category_by_staff,
        ))  # fmt: skip
        if fields.get("safe_contact"):  # how the client may be reached, as they asked
            uow.clients.set_safe_contact(conv.client_id, str(fields["safe_contact"]))
        uow.steps.append(StepRecord(conv.id, TRANSFER_RECEIVED, now, conv.round,
                                    accepted_by.staff_id, str(ref)))  # fmt: skip
        uow.audit.append(AuditEntry(now, accepted_by.staff_id, Role.HEAD.value,
                                    "transfer.receive", conv.id, str(ref)))  # fmt: skip
        return conv.id

    return in_transaction(made.conversation_id, uow_factory, complete)


def _case_of(
    uow: UnitOfWork, conv: Conversation, ref: Transfer, answer: Mapping[str, object]
) -> dict:
    """What goes over: the client's name, form answers and addresses, the category and risk,
    the reason, and the history the admins could see (no counseling content: it stays)."""
    assert conv.id is not None
    client = uow.clients.get(conv.client_id)
    form = uow.forms.get(conv.id)
    answers = dict(form.answers) if form else {}
    shown = [m for m in uow.messages.for_conversation(conv.id) if not m.confidential]
    entries = notices.entries_of(shown, author_of=_author)
    offers = [m for item in uow.outbox.for_conversation(conv.id)
              if (m := _message(item)) is not None]  # fmt: skip
    return {
        "name": answers.get("nama") or (client.display_name if client else ""),
        "answers": answers,
        "contacts": [
            [c.channel.value, c.external_id, c.display_name]
            for c in uow.contacts.for_client(conv.client_id)
        ],  # fmt: skip
        "category": conv.category or "",
        "category_by_staff": conv.category_by_staff,
        "risk": conv.risk,
        "safe_contact": client.safe_contact if client else None,
        "entries": notices.dump(entries),
        "held_back": sum(1 for m in uow.messages.for_conversation(conv.id) if m.confidential),
        "accepted_by": answer.get("by_id", 0),
        "reason": next((str(m.fields.get("reason", "")) for m in offers if m.ref == ref), ""),
    }


def _author(m: StoredMessage) -> str:
    return "bot" if m.auto_generated and m.direction is Direction.OUT else notices.author_of(m)


def _to_office(
    uow: UnitOfWork, key: str, office: str, message: OfficeMessage, now: datetime,
    conv: Conversation | None = None,
) -> None:  # fmt: skip
    uow.outbox.add(OutboxItem(None, key, Target.OFFICE, office, dump_message(message), now, now,
                              conversation_id=conv.id if conv else None,
                              priority=notices.priority(conv) if conv else 0))  # fmt: skip
