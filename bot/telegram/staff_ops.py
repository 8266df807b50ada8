"""What several staff commands and the card's buttons do alike: move a case through its
lifecycle, write into it, show the client's identity card, and say why a request was refused.
Each runs off the event loop (`desk.run`): they call the core, which checks every permission."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.config.workflows import survey_question
from bot.telegram.desk import Desk
from bot.telegram.render import esc
from triage.domain import access, lifecycle
from triage.domain.errors import (
    AccessDenied,
    NeedsNextSession,
    NotFound,
    NotNow,
    TransitionNotAllowed,
)
from triage.domain.forms.by_mail import label
from triage.domain.forms.spec import shown
from triage.domain.intake import OFFLINE
from triage.domain.model import Actor, Conversation, Outcome, State
from triage.effects.form_prompts import FormSetup
from triage.texts.catalog import text
from triage.usecases import casework
from triage.usecases.identity import identity

REFUSALS = (AccessDenied, TransitionNotAllowed, NotFound, NeedsNextSession, NotNow)


def load(desk: Desk, conv_id: int) -> Conversation | None:
    with desk.app.uows() as uow:
        return uow.conversations.get(conv_id)


def write(
    desk: Desk, use_case: Callable[..., Any], actor: Actor, conv: int, body: str, key: str
) -> Any:
    """A reply to the client or an internal note (`use_case`), once per key; what it returns."""
    app = desk.app
    return use_case(
        conv, body, actor=actor, idempotency_key=key, uow_factory=app.uows, now=app.clock()
    )


def transition(
    desk: Desk,
    what: str,
    actor: Actor,
    conv: int,
    key: str,
    outcome: Outcome | None = None,
    to: Actor | None = None,
) -> Conversation:
    """`to`: the counselor a head assigns the case to ("assign")."""
    app, counselors = desk.app, desk.staff.counselors
    common: dict[str, Any] = {
        "actor": actor,
        "uow_factory": app.uows,
        "now": app.clock(),
        "key": key,
    }
    if what == "hand_off":
        return casework.hand_off(conv, counselors=counselors, roster=app.roster, **common)
    if what == "release":
        return casework.release(conv, counselors=counselors, **common)
    if what == "claim":
        result = casework.claim(conv, counselors=counselors, **common)
        _focus_if_free(desk, actor, conv)
        return result
    if what == "assign":
        assert to is not None
        current = load(desk, conv)
        if current is not None and lifecycle.allowed(current, lifecycle.HandedOff()):
            # the head gives a case still with the admins: handed off to no one else first
            casework.hand_off(conv, **{**common, "key": f"{key}:handoff"})
        result = casework.claim(conv, counselors=counselors, **{**common, "actor": to},
                                assigned_by=actor)  # fmt: skip
        _focus_if_free(desk, to, conv)
        return result
    if what == "urgent":
        return casework.mark_urgent(conv, **common)
    assert outcome is not None
    question = survey_question(app.settings)
    return casework.close(conv, outcome, heads=desk.staff.heads,
                          survey_question=question, **common)  # fmt: skip


def _focus_if_free(desk: Desk, actor: Actor, conv: int) -> None:
    """A new case becomes the selected one only if the counselor is not in another case:
    a claim must never redirect what they are typing to someone else."""
    current = desk.maps.focus(actor.staff_id)
    held = load(desk, current) if current is not None else None
    if held is None or not access.may_reply(actor, held):
        desk.maps.set_focus(actor.staff_id, conv)


async def warn_if_nobody(desk: Desk, where: str, key: str, conv: int) -> None:
    if not desk.staff.counselors:
        await desk.tell(f"{key}:nobody", where, text("staff.no_counselors", desk.lang, conv=conv))


def form_setup(desk: Desk) -> FormSetup:
    triage = desk.app.triage
    if triage is not None and triage.form is not None:
        return triage.form
    from bot.config.triage import form_setup as from_settings

    return from_settings(desk.app.settings)


def identity_card(desk: Desk, actor: Actor, conv_id: int) -> str:
    lang = desk.lang
    found = identity(conv_id, actor=actor, uow_factory=desk.app.uows)
    listed = ", ".join(
        text(f"channel.{channel.value}", lang) + ("" if channel in OFFLINE else f" {external}")
        for channel, external in found.contacts  # met offline: no address to show
    )
    fields = "\n".join(
        f"{esc(label(f.name))}: {esc(shown(f.kind, found.answers.get(f.name)))}"
        for f in form_setup(desk).form.fields
    )
    if (referred := found.referral) is not None:
        day = referred.letter_date.strftime("%d-%m-%Y") if referred.letter_date else "—"
        fields += "\n" + text("staff.identity_referral", lang, origin=esc(referred.origin),
                                number=esc(referred.letter_number or "—"), date=day)  # fmt: skip
    return text(
        "staff.identity",
        lang,
        conv=conv_id,
        name=esc(found.name),
        contacts=esc(listed),
        state=esc(text(f"state.{found.state.value}", lang)),
        register=esc(found.register_no or "—"),
        fields=fields,
    )


async def refuse(desk: Desk, exc: Exception, conv: int | None, where: str, key: str) -> None:
    await desk.tell(f"{key}:refused", where, await desk.run(why, desk, exc, conv))


def why(desk: Desk, exc: Exception, conv: int | None) -> str:
    lang = desk.lang
    current = load(desk, conv) if conv is not None else None
    if isinstance(exc, NeedsNextSession):
        return text("staff.ulang_needs_session", lang, conv=conv)
    if isinstance(exc, NotNow):
        return text("staff.contact_not_first", lang, conv=conv)
    if isinstance(exc, NotFound) or current is None:
        return text("staff.no_case", lang)
    if isinstance(exc, AccessDenied):
        if exc.action == "claim" and exc.staff_id in desk.staff.counselors:
            return text("staff.claim_denied", lang, conv=conv)  # not offered to them
        return text("staff.denied", lang, conv=conv)
    if current.state is State.WITH_COUNSELOR and current.counselor_id is not None:
        by = esc(desk.staff.name(current.counselor_id))
        return text("staff.taken_by", lang, conv=conv, by=by)
    state = text(f"state.{current.state.value}", lang)
    return text("staff.not_now", lang, conv=conv, state=esc(state))
