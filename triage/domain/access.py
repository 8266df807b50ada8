"""Who may do what to a conversation. Checked in the core so every shell obeys the same rules.

After hand-off the counseling belongs to the assigned counselor (and the head, who alone may
open a case to others, the Tangerang standard); admins see status, not content.
"""

from __future__ import annotations

from collections.abc import Iterable

from triage.domain.errors import AccessDenied
from triage.domain.model import (
    COUNSELING_STATES,
    Actor,
    Conversation,
    Role,
    State,
    StepRecord,
    StoredMessage,
    owner_of,
)

ADMIN_STATES = frozenset({State.NEW, State.WITH_ADMIN, State.HANDED_OFF})


def _assigned(actor: Actor, conv: Conversation) -> bool:
    return conv.state is State.WITH_COUNSELOR and conv.counselor_id == actor.staff_id


def may_reply(actor: Actor, conv: Conversation) -> bool:
    if actor.role is Role.HEAD:
        return conv.is_open
    if actor.role is Role.ADMIN:
        return conv.state in ADMIN_STATES
    return _assigned(actor, conv)


def may_read_message(actor: Actor, conv: Conversation, message: StoredMessage) -> bool:
    """Counseling content (messages marked confidential when exchanged after hand-off) stays
    with the counselor it was exchanged with and the head, also after a release, a reopen or a
    link; only the head opens it to others (the Tangerang standard). Content that came while the
    case waited
    to be claimed belongs to whoever holds the case."""
    if actor.role is Role.HEAD:
        return True
    if message.confidential:
        owner = owner_of(message)
        if owner is None:
            return conv.counselor_id == actor.staff_id
        return owner == actor.staff_id
    return actor.role is Role.ADMIN or conv.counselor_id == actor.staff_id


def may_view_identity(actor: Actor, conv: Conversation) -> bool:
    """The client's name and contacts: the admins (intake), the head, the assigned counselor."""
    return actor.role in (Role.ADMIN, Role.HEAD) or _assigned(actor, conv)


def may_edit_form(actor: Actor, conv: Conversation) -> bool:
    return actor.role in (Role.ADMIN, Role.HEAD) or _assigned(actor, conv)


def may_keep_paperwork(actor: Actor, conv: Conversation) -> bool:
    """The paperwork of a case, also once it is closed (a referral's receipt by the receiving
    body, a complaint's documents): admins, heads, and the counselor who had the case."""
    return actor.role in (Role.ADMIN, Role.HEAD) or conv.counselor_id == actor.staff_id


def may_confirm_triage(actor: Actor, conv: Conversation) -> bool:
    """Admins, heads, and the counselor of the case, also once it is closed (the tap comes
    with the closing)."""
    return actor.role in (Role.ADMIN, Role.HEAD) or conv.counselor_id == actor.staff_id


def may_hand_off(actor: Actor, conv: Conversation) -> bool:
    return actor.role in (Role.ADMIN, Role.HEAD)


def offered_to(log: Iterable[StepRecord], round_: int) -> frozenset[int] | None:
    """Whom the case was offered to in this round, from its step log (step "offered", the
    counselor's id as detail). None, anyone may take it: when it was handed off with nobody on
    duty or urgent (step "claim_open"), once its claim target has passed (the
    reminder offers it to every counselor, the escalation to the heads), or when it was offered
    to nobody (no counselor configured, or handed off before offers were logged), lest it wait
    for no one."""
    mine = [s for s in log if s.round == round_]
    if any(
        s.step == "claim_open" or (s.step in ("reminded", "escalated") and s.detail == "claimed")
        for s in mine
    ):
        return None
    offered = frozenset(
        int(s.detail) for s in mine if s.step == "offered" and (s.detail or "").isdigit()
    )
    return offered or None


def may_claim(actor: Actor, conv: Conversation, offered: frozenset[int] | None) -> bool:
    """The counselors it was offered to (the duty roster narrows a hand-off to those on duty),
    any counselor once it has waited past its target (`offered` None), the head always: an
    off-duty counselor cannot take a case, and with it the client's story, that was not theirs."""
    if actor.role is Role.HEAD:
        return True
    return actor.role is Role.COUNSELOR and (offered is None or actor.staff_id in offered)


def may_assign(actor: Actor, to: Actor) -> bool:
    """/tugaskan: the head gives a waiting case to a counselor of their choosing."""
    return actor.role is Role.HEAD and to.role is Role.COUNSELOR


def may_release(actor: Actor, conv: Conversation) -> bool:
    return actor.role is Role.HEAD or _assigned(actor, conv)


def may_close(actor: Actor, conv: Conversation) -> bool:
    if actor.role is Role.HEAD:
        return True
    if conv.state is State.WITH_COUNSELOR:
        return _assigned(actor, conv)
    return actor.role is Role.ADMIN


def may_link_contacts(actor: Actor) -> bool:
    return actor.role in (Role.ADMIN, Role.HEAD)


def may_join_cases(actor: Actor, *convs: Conversation) -> bool:
    """Joining two cases as one person: the admins, but a case in counseling only the head
    (its replies would start going to whichever contact wrote last)."""
    if any(c.state in COUNSELING_STATES for c in convs):
        return actor.role is Role.HEAD
    return may_link_contacts(actor)


def may_register_client(actor: Actor) -> bool:
    """A client who came in person, phoned, wrote or was referred: the admins record them (the
    Kaltim and Karangasem standards), and the head."""
    return actor.role in (Role.ADMIN, Role.HEAD)


def may_schedule(actor: Actor, conv: Conversation) -> bool:
    """A session with the client (and whether they came): the admins (a client phones for an
    appointment), the head, and the counselor whose case it is or was."""
    if actor.role in (Role.ADMIN, Role.HEAD):
        return True
    return conv.counselor_id == actor.staff_id


def may_dispose(actor: Actor) -> bool:
    """The disposition of a complaint is the head's (the complaint standard)."""
    return actor.role is Role.HEAD


def may_change_roster(actor: Actor) -> bool:
    """The duty roster is changed by the head and the admins."""
    return actor.role in (Role.ADMIN, Role.HEAD)


def may_give_code(actor: Actor) -> bool:
    """A login code for the office's Instagram account."""
    return actor.role in (Role.ADMIN, Role.HEAD)


def may_take_programme_step(actor: Actor, head_only: bool) -> bool:
    """The guidance programme: the coordinator (an admin) maps, submits and reports; the head
    comments, approves and assigns (triage.domain.programme)."""
    return actor.role is Role.HEAD or (actor.role is Role.ADMIN and not head_only)


def require(allowed: bool, actor: Actor, action: str) -> None:
    if not allowed:
        raise AccessDenied(actor.staff_id, action)
