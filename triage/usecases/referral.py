"""Use cases: close a case as a referral, and gather the referral letter for those who may have
it (the targets and rules are in triage/domain/referral.py)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime

from triage.domain import access, notices
from triage.domain.errors import AccessDenied, NotFound, TransitionNotAllowed
from triage.domain.forms.dialogue import FormState
from triage.domain.intake import OFFLINE, Intake
from triage.domain.model import (
    Actor,
    Attachment,
    Channel,
    Contact,
    Conversation,
    Outcome,
    Role,
    StepRecord,
)
from triage.domain.notices import Kind
from triage.domain.outbox import OutboxItem, Target
from triage.domain.records import AuditEntry, Sealer, may_read
from triage.domain.referral import (
    CHRONOLOGY_STEPS,
    MAX_TEXT,
    RECEIVED_STEP,
    TARGETS,
    TRANSFER_ASKED,
    TRANSFER_RECEIVED,
    TRANSFER_REFUSED,
    TRANSFER_SENT,
    Letter,
    OfficeMessage,
    Referral,
    Transfer,
    TransferWaiting,
    asks,
    dump_message,
    load_message,
    may_have_letter,
    waiting_transfer,
)
from triage.domain.rules.classify import LEVELS
from triage.effects import notify
from triage.effects.auto_reply import send_auto
from triage.ports import UnitOfWork, UnitOfWorkFactory
from triage.usecases import casework
from triage.usecases._retry import in_transaction
from triage.usecases.ingest import register


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


def confirm_receipt(
    conv_id: int, detail: str, *, actor: Actor, uow_factory: UnitOfWorkFactory, now: datetime,
    key: str,
) -> Referral:  # fmt: skip
    """/rujukan_diterima: the receiving body confirmed it has the case (UPTD PPA then records a
    violence case in SIMFONI-PPA); kept in the step log of the referral's round with who wrote
    it, told to the topic; the same command redelivered does nothing again. The case's latest
    referral; refused when it has none."""

    def step(uow: UnitOfWork, conv: Conversation) -> Referral:
        access.require(access.may_keep_paperwork(actor, conv), actor, "referral_received")
        made = next((found for r in range(conv.round, 0, -1)
                     if (found := uow.referrals.get(conv_id, r)) is not None), None)  # fmt: skip
        if made is None:
            raise NotFound(f"referral of conversation {conv_id}")
        notice = f"{RECEIVED_STEP}:{conv_id}:{key}"
        if uow.outbox.find_key(notice) is not None:
            return made
        said = " ".join(detail.split())[:300]
        uow.steps.append(StepRecord(conv_id, RECEIVED_STEP, now, made.round, actor.staff_id,
                                    said))  # fmt: skip
        notify.queue(uow, key=notice, recipient=notices.group(conv_id), kind=Kind.STATUS,
                     now=now, conv=conv, event=RECEIVED_STEP, text=said)  # fmt: skip
        return made

    return in_transaction(conv_id, uow_factory, step)


def kept_files(
    conv_id: int, *, actor: Actor, uow_factory: UnitOfWorkFactory, now: datetime
) -> list[Attachment]:
    """The files staff kept with a case met offline (an incoming referral's chronology, a
    complaint letter), for those who may see the client; one a counselor kept during counseling
    is the counselor's, like the rest of it. The reading is audited."""
    with uow_factory() as uow:
        conv = uow.conversations.get(conv_id)
        if conv is None:
            raise NotFound(f"conversation {conv_id}")
        access.require(access.may_view_identity(actor, conv), actor, "kept_files")
        found = [a for m in uow.messages.for_conversation(conv_id)
                 if m.internal and access.may_read_message(actor, conv, m)
                 for a in m.attachments if a.stored_path]  # fmt: skip
        uow.audit.append(AuditEntry(now, actor.staff_id, actor.role.value, "kept_files.read",
                                    conv_id, str(len(found))))  # fmt: skip
        uow.commit()
    return found


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


# A transfer to another office of the install (triage.domain.referral: the steps, the messages).


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
        if done is not None:
            return load_message(done.text).ref
        if not conv.is_open:
            raise TransitionNotAllowed(conv.state.value, "transfer")
        log = uow.steps.for_conversation(conv_id)
        waiting = waiting_transfer(log)
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
    message: OfficeMessage, *, heads: Sequence[int], uow_factory: UnitOfWorkFactory, now: datetime
) -> int:
    """In the office asked: each head is told, in their private chat, what is asked and how to
    answer. Told once however often the message comes; returns how many heads were told."""
    fields = message.fields
    with uow_factory() as uow:
        for head in heads:
            notify.queue(uow, key=f"transfer-in:{message.ref}:{head}",
                         recipient=notices.staff(head), kind=Kind.STATUS, now=now,
                         rank=notices.URGENT_PRIORITY if fields.get("risk") == "mendesak" else 0,
                         event="transfer_incoming", origin=message.sender_name,
                         ref=str(message.ref), category=str(fields.get("category", "")),
                         risk=str(fields.get("risk", "")), reason=str(fields.get("reason", "")),
                         by=str(fields.get("by", "")))  # fmt: skip
        uow.commit()
    return len(heads)


def answer_transfer(
    ref: Transfer, accept: bool, *, reason: str, office: str, office_name: str, phone: str,
    heads: Sequence[int], actor: Actor, uow_factory: UnitOfWorkFactory, now: datetime,
) -> bool:  # fmt: skip
    """`/terima_pindahan`, `/tolak_pindahan`: a head of the office asked answers, once (False:
    answered before). NotFound when this office was never asked so."""
    access.require(actor.role is Role.HEAD, actor, "transfer")
    answer_key = f"transfer-answer:{ref}"
    with uow_factory() as uow:
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


def transfer_answered(
    message: OfficeMessage, *, origin_name: str, client_text: str, heads: Sequence[int],
    uow_factory: UnitOfWorkFactory, now: datetime,
) -> str:  # fmt: skip
    """In the office that asked: refused, the case stays and the topic and the heads are told;
    accepted, in one transaction the case closes as a referral to that office, the client is
    told where their case went (`client_text`), and the case goes over with its history (never
    the counseling content nor the psychological record, which stay here). Returns what
    happened: refused, sent, closed (the case closed before the answer came: the other office
    is told) or stale (not the answer awaited: ignored)."""
    ref, fields = message.ref, message.fields
    with uow_factory() as uow:
        conv = uow.conversations.get(ref.case)
        log = uow.steps.for_conversation(ref.case) if conv is not None else []
    if conv is None or waiting_transfer(log) != (message.sender, ref.n):
        return "stale"
    asked = next(r for r in reversed(log) if r.step == TRANSFER_ASKED)
    head = Actor(asked.staff_id or 0, Role.HEAD, str(fields.get("by", "")))
    tag = f"transfer:{ref}"
    said = {"office": message.sender_name, "by": str(fields.get("by", "")),
            "reason": str(fields.get("reason", ""))}  # fmt: skip
    if not fields.get("accepted") or not conv.is_open:
        outcome = "refused" if not fields.get("accepted") else "closed"

        def refused(uow: UnitOfWork, conv: Conversation) -> str:
            uow.steps.append(StepRecord(conv.id or 0, TRANSFER_REFUSED, now, conv.round, None,
                                        f"{message.sender} {ref.n} {outcome}"))  # fmt: skip
            for to in (notices.group(ref.case), *map(notices.staff, heads)):
                notify.queue(uow, key=f"{tag}:{outcome}:{to}", recipient=to, kind=Kind.STATUS,
                             now=now, conv=conv, event=f"transfer_{outcome}", **said)  # fmt: skip
            if outcome == "closed":
                _to_office(uow, f"{tag}:case", message.sender,
                           OfficeMessage("case", ref, ref.origin, origin_name, {"cancelled": True}),
                           now)  # fmt: skip
            return outcome

        return in_transaction(ref.case, uow_factory, refused)

    def record(uow: UnitOfWork, closed: Conversation) -> None:
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
        if contact is not None and client_text:
            send_auto(uow, closed, contact.channel, contact.external_id, f"{tag}:client",
                      client_text, now, priority=notices.priority(closed))  # fmt: skip
        for to in (notices.group(ref.case), *map(notices.staff, heads)):
            notify.queue(uow, key=f"{tag}:sent:{to}", recipient=to, kind=Kind.STATUS, now=now,
                         conv=closed, event=TRANSFER_SENT, **said)  # fmt: skip

    casework.close(ref.case, Outcome.RUJUKAN, actor=head, uow_factory=uow_factory, now=now,
                   key=tag, heads=heads, also=record)  # fmt: skip
    return "sent"


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
        risk = str(fields.get("risk", "biasa"))
        category = str(fields.get("category", "")) or None
        uow.conversations.save(replace(
            conv, risk=risk if risk in LEVELS else conv.risk, urgent=risk == "mendesak",
            risk_set_at=now, category=category or conv.category,
            category_by_staff=category is not None or conv.category_by_staff,
        ))  # fmt: skip
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
    entries = notices.entries_of(shown, author_of=notices.author_of)
    offers = [load_message(item.text) for item in uow.outbox.for_conversation(conv.id)
              if item.target is Target.OFFICE]  # fmt: skip
    return {
        "name": answers.get("nama") or (client.display_name if client else ""),
        "answers": answers,
        "contacts": [
            [c.channel.value, c.external_id, c.display_name]
            for c in uow.contacts.for_client(conv.client_id)
        ],  # fmt: skip
        "category": conv.category or "",
        "risk": conv.risk,
        "entries": notices.dump(entries),
        "held_back": sum(1 for m in uow.messages.for_conversation(conv.id) if m.confidential),
        "accepted_by": answer.get("by_id", 0),
        "reason": next((str(m.fields.get("reason", "")) for m in offers if m.ref == ref), ""),
    }


def _to_office(
    uow: UnitOfWork, key: str, office: str, message: OfficeMessage, now: datetime,
    conv: Conversation | None = None,
) -> None:  # fmt: skip
    uow.outbox.add(OutboxItem(None, key, Target.OFFICE, office, dump_message(message), now, now,
                              conversation_id=conv.id if conv else None,
                              priority=notices.priority(conv) if conv else 0))  # fmt: skip
