"""Use case: what we know of a conversation's client (name, contacts, state, the identity form
and register number), for staff who may see it: the admins (intake), the head, the assigned
counselor; the same staff filling or correcting form fields ("Nama: …" lines, /identitas); and
an admin saying two contacts are the same person (/gabung: e.g. the same mother writes by email
and on Instagram): their client records become one, and two open conversations become one."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from triage.domain import access
from triage.domain import consent as rules
from triage.domain.appointments import STEPS as SESSION_REMINDERS
from triage.domain.errors import NotFound
from triage.domain.forms.dialogue import FormState
from triage.domain.forms.spec import read_lines
from triage.domain.intake import IncomingReferral
from triage.domain.model import Actor, Channel, Conversation, State, Steps
from triage.domain.outbox import CHANNEL_TARGET
from triage.domain.privacy import safe_contact as contact_rules
from triage.domain.privacy.safe_contact import SafeContact
from triage.domain.rules.classify import highest
from triage.effects import consent, minors, safe_send
from triage.effects.form_prompts import FormSetup, complete_form
from triage.effects.steplog import log_steps
from triage.ports import UnitOfWork, UnitOfWorkFactory
from triage.usecases._retry import on_conflict


@dataclass(frozen=True)
class Identity:
    conv_id: int
    name: str
    contacts: tuple[tuple[Channel, str], ...]
    state: State
    answers: dict[str, str | None] = field(default_factory=dict)
    register_no: str | None = None
    referral: IncomingReferral | None = None  # the body that referred the client, if one did


@dataclass(frozen=True)
class Correction:
    changed: tuple[str, ...]  # the fields written
    problems: tuple[tuple[str, str], ...]  # (field, catalogue key of what is wrong)
    register_no: str | None  # given now, or already there


def identity(conv_id: int, *, actor: Actor, uow_factory: UnitOfWorkFactory) -> Identity:
    with uow_factory() as uow:
        conv = uow.conversations.get(conv_id)
        if conv is None:
            raise NotFound(f"conversation {conv_id}")
        access.require(access.may_view_identity(actor, conv), actor, "identity")
        client = uow.clients.get(conv.client_id)
        contacts = tuple(
            (c.channel, c.external_id) for c in uow.contacts.for_client(conv.client_id)
        )
        form = uow.forms.get(conv_id)
        referral = uow.referrals.incoming(conv_id)
    return Identity(
        conv_id,
        client.display_name if client else "?",
        contacts,
        conv.state,
        dict(form.answers) if form else {},
        form.register_no if form else None,
        referral,
    )


def correct_fields(
    conv_id: int,
    lines: str,
    *,
    setup: FormSetup,
    actor: Actor,
    uow_factory: UnitOfWorkFactory,
    now: datetime,
) -> Correction:
    """Staff write "Label: value" lines: valid values are stored (over the client's), wrong ones
    named; when every required field is in, the register number is given and the step
    stamped, as when the client completes the form."""
    form = setup.form
    reading = read_lines(form, lines, now.date())

    def work() -> Correction:
        with uow_factory() as uow:
            conv = _editable(uow, conv_id, actor, "edit form")
            state = uow.forms.get(conv_id) or FormState(conv_id, None, {}, "staff")
            given = {n: a.value for n, a in reading.answers.items() if a.value is not None}
            wrong = tuple(
                (n, a.problem) for n, a in reading.answers.items() if a.value is None and a.problem
            )
            before = state.answers
            state = replace(state, answers={**state.answers, **given})
            minors.check(uow, conv, before, state.answers, form, setup.minors, now)
            if answer := rules.answer_of(given.get("persetujuan")):  # told to staff in person
                consent.record(uow, conv, answer, now)
            missing = [f for f in form.fields if f.required and state.answers.get(f.name) is None]
            if not missing and state.register_no is None:
                done = replace(state, asking=None, status="complete")
                _, state = complete_form(uow, conv, done, setup, now)
            uow.forms.save(state)
            uow.commit()
            return Correction(tuple(given), wrong, state.register_no)

    return on_conflict(work, uow_factory.pause)


def link_contacts(
    keep_contact_id: int,
    merge_contact_id: int,
    *,
    actor: Actor,
    uow_factory: UnitOfWorkFactory,
    now: datetime,
) -> int:
    """Move every contact of the second contact's client to the first one's client; returns the
    surviving client id. Linking a contact to its own client changes nothing."""
    access.require(access.may_link_contacts(actor), actor, "link contacts")

    def work() -> int:
        with uow_factory() as uow:
            keep = uow.contacts.get(keep_contact_id)
            merge = uow.contacts.get(merge_contact_id)
            if keep is None or merge is None:
                raise NotFound("contact")
            if keep.client_id == merge.client_id:
                return keep.client_id
            # Lock both clients' conversations, always in client id order (no deadlock between
            # two links); every write below is a targeted move or a locked row.
            locked = {
                client_id: uow.conversations.lock_for_client(client_id)
                for client_id in sorted((keep.client_id, merge.client_id))
            }
            _merge_open(uow, locked[keep.client_id], locked[merge.client_id], actor, now)
            uow.contacts.move_client(merge.client_id, keep.client_id)
            uow.conversations.move_client(merge.client_id, keep.client_id)
            gone, kept = uow.clients.get(merge.client_id), uow.clients.get(keep.client_id)
            if gone is not None and kept is not None:
                opened = uow.conversations.lock_for_client(keep.client_id)
                current = next((c for c in opened if c.is_open), None)
                consent.carry_over(uow, gone, kept, current, now)
                both = contact_rules.stricter(
                    contact_rules.loads(kept.safe_contact), contact_rules.loads(gone.safe_contact)
                )
                if both.dumps() != kept.safe_contact:
                    uow.clients.set_safe_contact(keep.client_id, both.dumps())
            uow.clients.delete(merge.client_id)
            uow.commit()
            return keep.client_id

    return on_conflict(work, uow_factory.pause)


PROGRESS = {State.NEW: 0, State.WITH_ADMIN: 1, State.HANDED_OFF: 2, State.WITH_COUNSELOR: 3}


def _merge_open(
    uow: UnitOfWork,
    keep_convs: list[Conversation],
    merge_convs: list[Conversation],
    actor: Actor,
    now: datetime,
) -> None:
    """Two open conversations become one: the one further along (a counselor's case survives
    as it is), else the older; the other's messages, steps and outbox move into it."""
    opened = [c for c in (*keep_convs, *merge_convs) if c.is_open]
    if len(opened) < 2:
        return
    survivor, gone = sorted(opened, key=lambda c: (-PROGRESS[c.state], c.id or 0))[:2]
    assert survivor.id is not None and gone.id is not None
    uow.messages.move(gone.id, survivor.id)
    uow.steps.move(gone.id, survivor.id)
    uow.outbox.move(gone.id, survivor.id)
    for kept in (uow.records, uow.grants, uow.referrals, uow.surveys, uow.appointments):
        kept.move(gone.id, survivor.id)
    # the SLA's deadlines are derived and go with the other conversation; its sessions'
    # reminders are not: they follow the sessions
    known = {d.key for _, d in uow.deadlines.for_conversation(survivor.id)}
    followed = [
        replace(d, conversation_id=survivor.id, round=survivor.round)
        for status, d in uow.deadlines.for_conversation(gone.id)
        if status == "pending" and d.step in SESSION_REMINDERS
    ]
    uow.deadlines.add([d for d in followed if d.key not in known])
    combined = replace(
        survivor,
        opened_at=min(survivor.opened_at, gone.opened_at),
        last_message_at=max(survivor.last_message_at, gone.last_message_at),
        reply_contact_id=_reply_contact(uow, survivor, gone),
        steps=_earliest(survivor.steps, gone.steps),
        urgent=survivor.urgent or gone.urgent,
        risk=highest(survivor.risk, gone.risk),
    )
    _join_forms(uow, gone.id, survivor.id)
    if (held := uow.erasure.hold_of(gone.id)) is not None:  # a legal hold holds the joined case
        uow.erasure.lift(gone.id)
        if uow.erasure.hold_of(survivor.id) is None:
            uow.erasure.hold(replace(held, conversation_id=survivor.id))
    uow.conversations.delete(gone.id)
    uow.conversations.save(combined, expect=survivor.state)
    log_steps(uow, combined, ["merged"], now, actor.staff_id, f"from conversation {gone.id}")


def _reply_contact(uow: UnitOfWork, survivor: Conversation, gone: Conversation) -> int:
    """Where replies go after the merge: the contact the client wrote from last, unless only
    the other can be written to (a client met offline who also writes online)."""
    newest, other = (
        (survivor, gone) if survivor.last_message_at >= gone.last_message_at else (gone, survivor)
    )

    def reachable(contact_id: int) -> bool:
        contact = uow.contacts.get(contact_id)
        return contact is not None and contact.channel in CHANNEL_TARGET

    if not reachable(newest.reply_contact_id) and reachable(other.reply_contact_id):
        return other.reply_contact_id
    return newest.reply_contact_id


def _join_forms(uow: UnitOfWork, gone_id: int, survivor_id: int) -> None:
    """The identity form survives the merge: answers the survivor lacks come from the other
    form (a register number too, when the survivor has none)."""
    gone = uow.forms.get(gone_id)
    if gone is None:
        return
    uow.forms.delete(gone_id)  # first: its register number is unique
    kept = uow.forms.get(survivor_id)
    if kept is None:
        uow.forms.save(replace(gone, conversation_id=survivor_id))
    else:
        answers = {k: v for k, v in gone.answers.items() if v}
        answers.update({k: v for k, v in kept.answers.items() if v})
        register = kept.register_no or gone.register_no
        uow.forms.save(replace(kept, answers=answers, register_no=register))


def _earliest(a: Steps, b: Steps) -> Steps:
    """The merged conversation keeps the earliest time of each step (the client waited since)."""
    values = {}
    for name, left in a.as_dict().items():
        right = getattr(b, name)
        present = [t for t in (left, right) if t is not None]
        values[name] = min(present) if present else None
    return Steps(**values)


@dataclass(frozen=True)
class SafeContactView:
    prefs: SafeContact
    channels: tuple[str, ...]  # where the client can be written to
    missing: str | None = None  # a channel asked for that the client has no address on


def safe_contact(
    conv_id: int,
    prefs: SafeContact | None,
    *,
    actor: Actor,
    uow_factory: UnitOfWorkFactory,
    now: datetime,
) -> SafeContactView:
    """/kontak: the client's safe-contact preferences shown (`prefs` None) or recorded, with
    who and when in the step log (the summary, no address)."""

    def work() -> SafeContactView:
        with uow_factory() as uow:
            conv = _editable(uow, conv_id, actor, "safe contact")
            channels = tuple(
                c.channel.value
                for c in uow.contacts.for_client(conv.client_id)
                if c.channel in CHANNEL_TARGET
            )
            known = safe_send.prefs_of(uow, conv.client_id)
            if prefs is None:
                return SafeContactView(known, channels)
            if prefs.channel and prefs.channel not in channels:
                return SafeContactView(known, channels, missing=prefs.channel)
            uow.clients.set_safe_contact(conv.client_id, prefs.dumps())
            log_steps(uow, conv, ["safe_contact"], now, actor.staff_id, prefs.summary())
            uow.commit()
            return SafeContactView(prefs, channels)

    return on_conflict(work, uow_factory.pause)


def _editable(uow: UnitOfWork, conv_id: int, actor: Actor, action: str) -> Conversation:
    """The conversation, locked, when `actor` may write what is known of its client."""
    conv = uow.conversations.get(conv_id, lock=True)
    if conv is None:
        raise NotFound(f"conversation {conv_id}")
    access.require(access.may_edit_form(actor, conv), actor, action)
    return conv


def keep_register_no(
    conv_id: int, number: str, *, actor: Actor, uow_factory: UnitOfWorkFactory, now: datetime
) -> int | None:
    """A case moved from the paper register keeps the number it had there (the form then never
    gives it a new one). Returns the conversation that holds the number: this one, or another
    (then nothing is changed)."""

    def work() -> int | None:
        with uow_factory() as uow:
            conv = _editable(uow, conv_id, actor, "register number")
            holder = uow.forms.holder(number)
            if holder is not None:
                return holder
            state = uow.forms.get(conv_id) or FormState(conv_id, None, {}, "staff")
            if state.register_no is not None:
                return conv_id if state.register_no == number else None
            uow.forms.save(replace(state, register_no=number))
            log_steps(uow, conv, ["register_kept"], now, actor.staff_id, number)
            uow.commit()
            return conv_id

    return on_conflict(work, uow_factory.pause)
