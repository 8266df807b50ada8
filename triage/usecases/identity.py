"""Use case: what we know of a conversation's client (name, contacts, state, the identity form
and register number), for staff who may see it: the admins (intake), the head, the assigned
counselor; and the same staff filling or correcting form fields ("Nama: …" lines, /identitas)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from triage.domain import access
from triage.domain.errors import NotFound
from triage.domain.forms.dialogue import FormState
from triage.domain.forms.spec import read_lines
from triage.domain.intake import IncomingReferral
from triage.domain.model import Actor, Channel, State
from triage.effects.form_prompts import FormSetup, complete_form
from triage.ports import UnitOfWorkFactory
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
            conv = uow.conversations.get(conv_id, lock=True)
            if conv is None:
                raise NotFound(f"conversation {conv_id}")
            access.require(access.may_edit_form(actor, conv), actor, "edit form")
            state = uow.forms.get(conv_id) or FormState(conv_id, None, {}, "staff")
            given = {n: a.value for n, a in reading.answers.items() if a.value is not None}
            wrong = tuple(
                (n, a.problem) for n, a in reading.answers.items() if a.value is None and a.problem
            )
            state = replace(state, answers={**state.answers, **given})
            missing = [f for f in form.fields if f.required and state.answers.get(f.name) is None]
            if not missing and state.register_no is None:
                done = replace(state, asking=None, status="complete")
                _, state = complete_form(uow, conv, done, setup, now)
            uow.forms.save(state)
            uow.commit()
            return Correction(tuple(given), wrong, state.register_no)

    return on_conflict(work, uow_factory.pause)
