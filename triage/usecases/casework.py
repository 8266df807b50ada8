"""Use cases: staff move a conversation through its lifecycle (hand off, claim, release, close).

Each checks the actor's role in the core, applies the state machine under a row lock (so two
counselors tapping "Ambil kasus" at once yield one winner) and logs the completed steps.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime

from triage.domain import access, lifecycle, notices
from triage.domain.errors import NeedsNextSession, TransitionNotAllowed
from triage.domain.model import Actor, Conversation, Direction, Outcome, StoredMessage
from triage.domain.notices import Kind, author_of
from triage.domain.records import AuditEntry
from triage.domain.schedule.roster import Roster
from triage.effects import ask_survey
from triage.effects.notify import client_fields, queue, queue_content
from triage.effects.offers import offer, offer_for
from triage.effects.steplog import load_locked, log_steps
from triage.ports import UnitOfWork, UnitOfWorkFactory
from triage.usecases._retry import on_conflict
from triage.usecases.appointments import cancel_ahead, next_session

# Told to the staff side inside the transition's transaction: (uow, before, after, actor, now,
# tag). The tag names the action in the notices' keys: the shell's request key, or the time.
Notify = Callable[[UnitOfWork, Conversation, Conversation, Actor, datetime, str], None]
Permission = Callable[[UnitOfWork, Actor, Conversation], bool]


def _plain(rule: Callable[[Actor, Conversation], bool]) -> Permission:
    return lambda _uow, actor, conv: rule(actor, conv)


def _transition(
    conv_id: int,
    event: lifecycle.Event,
    *,
    actor: Actor,
    permission: Permission,
    uow_factory: UnitOfWorkFactory,
    now: datetime,
    detail: str | None = None,
    notify: Notify | None = None,
    status: str | None = None,
    key: str | None = None,
    by: Actor | None = None,
) -> Conversation:
    """`key` names the request (e.g. the Telegram update): the same request again, after a
    restart, changes nothing, instead of acting on whatever the conversation has become. `by`
    acts for `actor` (the head assigning a case): a refusal is theirs. Refusals are audited."""
    tag = key or now.isoformat()
    asking = by or actor

    def work() -> Conversation:
        with uow_factory() as uow:
            conv = load_locked(uow, conv_id)
            if key is not None and status and uow.outbox.find_key(status_key(conv_id, status, key)):
                return conv  # done before
            if not lifecycle.allowed(conv, event):  # "taken by …" before "not yours"
                raise TransitionNotAllowed(conv.state.value, event.name)
            if not permission(uow, actor, conv):
                action, said = f"case.{event.name}.denied", f"request {tag}"
                if not any(  # the same refused request, delivered again: audited once
                    e.action == action and e.detail == said for e in uow.audit.entries(conv_id)
                ):
                    uow.audit.append(
                        AuditEntry(now, asking.staff_id, asking.role.value, action, conv_id, said)
                    )
                    uow.commit()
                access.require(False, asking, event.name)
            changed, logged = lifecycle.apply(conv, event, now)
            uow.conversations.save(changed)
            log_steps(uow, changed, logged, now, actor.staff_id, detail)
            if notify is not None:
                notify(uow, conv, changed, actor, now, tag)
            uow.commit()
            return changed

    return on_conflict(work, uow_factory.pause)


def status_key(conv_id: int, event: str, tag: str) -> str:
    return f"status:{conv_id}:{event}:{tag}"


def _status(event: str, **fields: str) -> Notify:
    """The admin topic is told of the change (status only, never counseling content)."""

    def notify(uow: UnitOfWork, before: Conversation, after: Conversation, actor: Actor, now, tag):  # noqa: ANN001
        assert after.id is not None
        queue(
            uow,
            key=status_key(after.id, event, tag),
            recipient=notices.group(after.id),
            kind=Kind.STATUS,
            now=now,
            conv=after,
            event=event,
            by=actor.name,
            **fields,
        )

    return notify


def hand_off(
    conv_id: int,
    *,
    actor: Actor,
    counselors: Sequence[int] = (),
    roster: Roster | None = None,
    uow_factory: UnitOfWorkFactory,
    now: datetime,
    key: str | None = None,
) -> Conversation:
    """Offer the case, each with an "Ambil kasus" button: through the duty `roster` when the
    office has one (triage.usecases.roster), else to every one of `counselors`. The admin topic
    hears
    whom it was offered to and why."""

    def notify(uow: UnitOfWork, before: Conversation, after: Conversation, actor: Actor, now, tag):  # noqa: ANN001
        to, said, narrowed = tuple(counselors), {}, False
        if roster is not None:
            routed = offer_for(uow, after, roster, now)
            names = ", ".join(roster.names.get(c, str(c)) for c in routed.to)
            to, said = routed.to, {"offered": names, "reason": routed.reason}
            narrowed = routed.reason != "everyone"  # someone is on duty now
        _status("handed_off", **said)(uow, before, after, actor, now, tag)
        offer(uow, after, to, now, f"offer:{after.id}:{tag}")
        if not narrowed or after.urgent:
            # nobody on duty (a night, a weekend) or urgent: offered first to `to`, but any
            # counselor may take it; the claim timer counts service time and would wait for
            # the office to open
            log_steps(uow, after, ["claim_open"], now, actor.staff_id)

    return _transition(
        conv_id,
        lifecycle.HandedOff(),
        actor=actor,
        permission=_plain(access.may_hand_off),
        uow_factory=uow_factory,
        now=now,
        notify=notify,
        status="handed_off",
        key=key,
    )


def claim(
    conv_id: int,
    *,
    actor: Actor,
    counselors: Sequence[int] = (),
    uow_factory: UnitOfWorkFactory,
    now: datetime,
    key: str | None = None,
    assigned_by: Actor | None = None,
) -> Conversation:
    """The first counselor wins; a later tap raises TransitionNotAllowed (state moved on).
    Only whom it was offered to may take it until it waits past its target
    (triage.domain.access.may_claim), or whom the head assigns (`assigned_by`: /tugaskan).
    The winner receives the case so far; the other `counselors` learn who took it."""

    def permission(uow: UnitOfWork, actor: Actor, conv: Conversation) -> bool:
        if assigned_by is not None:
            return access.may_assign(assigned_by, actor)
        assert conv.id is not None
        offered = access.offered_to(uow.steps.for_conversation(conv.id), conv.round)
        return access.may_claim(actor, conv, offered)

    def notify(uow: UnitOfWork, before: Conversation, after: Conversation, actor: Actor, now, tag):  # noqa: ANN001
        assert after.id is not None
        if assigned_by is None:
            _status("claimed")(uow, before, after, actor, now, tag)
        else:
            log_steps(uow, after, ["assigned"], now, assigned_by.staff_id, str(actor.staff_id))
            _status("assigned", head=assigned_by.name)(uow, before, after, actor, now, tag)
        fields = client_fields(uow, after)
        if assigned_by is not None:
            fields["assigned_by"] = assigned_by.name
        history = [
            m
            for m in uow.messages.for_conversation(after.id)
            if access.may_read_message(actor, after, m)
        ]
        # what waited for a counselor is theirs now, delivered with the case (not again by the
        # relay, and not to whoever takes the case after them)
        held = [m.id for m in history if _held(m) and m.id is not None]
        uow.messages.deliver_held(held, actor.staff_id)
        queue_content(
            uow,
            key=f"case:{after.id}:{tag}",
            recipient=notices.staff(actor.staff_id),
            kind=Kind.CASE,
            entries=notices.entries_of(history, author_of=author_of),
            now=now,
            conv=after,
            **fields,
        )
        for staff_id in counselors:
            if staff_id != actor.staff_id:
                queue(
                    uow,
                    key=f"taken:{after.id}:{tag}:{staff_id}",
                    recipient=notices.staff(staff_id),
                    kind=Kind.TAKEN,
                    now=now,
                    conv=after,
                    by=actor.name,
                )

    return _transition(
        conv_id,
        lifecycle.Claimed(actor.staff_id),
        actor=actor,
        permission=permission,
        uow_factory=uow_factory,
        now=now,
        notify=notify,
        status="assigned" if assigned_by is not None else "claimed",
        key=key,
        by=assigned_by,
    )


def _held(m: StoredMessage) -> bool:
    return m.confidential and m.direction is Direction.IN and m.counselor_id is None


def release(
    conv_id: int,
    *,
    actor: Actor,
    counselors: Sequence[int] = (),
    uow_factory: UnitOfWorkFactory,
    now: datetime,
    key: str | None = None,
) -> Conversation:
    """Back to the queue: offered again to the other counselors."""

    def notify(uow: UnitOfWork, before: Conversation, after: Conversation, actor: Actor, now, tag):  # noqa: ANN001
        _status("released")(uow, before, after, actor, now, tag)
        others = [c for c in counselors if c != actor.staff_id]
        offer(uow, after, others, now, f"offer:{after.id}:{tag}")

    return _transition(
        conv_id,
        lifecycle.Released(),
        actor=actor,
        permission=_plain(access.may_release),
        uow_factory=uow_factory,
        now=now,
        notify=notify,
        status="released",
        key=key,
    )


def close(
    conv_id: int,
    outcome: Outcome,
    *,
    actor: Actor,
    uow_factory: UnitOfWorkFactory,
    now: datetime,
    key: str | None = None,
    heads: Sequence[int] = (),
    survey_question: str | None = None,
    also: Callable[[UnitOfWork, Conversation], None] | None = None,
) -> Conversation:
    """Counseling content that came while the case waited and no counselor ever took goes to
    the `heads`, who alone may open it to others (the Tangerang standard): closing never buries it.
    `also`
    records what comes with the close (a referral) in its transaction; with a
    `survey_question` the client is asked it there too (triage.domain.survey)."""
    return _transition(
        conv_id,
        lifecycle.Closed(outcome),
        actor=actor,
        permission=_plain(access.may_close),
        uow_factory=uow_factory,
        now=now,
        detail=outcome.value,
        notify=_closed(outcome, heads, survey_question, also),
        status="closed",
        key=key,
    )


def withdrawn(uow: UnitOfWork, conv: Conversation, now: datetime) -> Conversation:
    """In the relay's transaction: the client confirmed BERHENTI. The case closes (outcome
    `berhenti`, by nobody), its sessions ahead are off, staff are told and the topic closes;
    no survey. Its data then goes by the retention rules, counted from today."""
    assert conv.id is not None
    if not lifecycle.allowed(conv, lifecycle.Closed(Outcome.BERHENTI)):
        return conv
    changed, logged = lifecycle.apply(conv, lifecycle.Closed(Outcome.BERHENTI), now)
    uow.conversations.save(changed)
    log_steps(uow, changed, logged, now, None, Outcome.BERHENTI.value)
    cancel_ahead(uow, conv.id, now)
    told = [notices.group(conv.id)]
    if conv.counselor_id is not None:
        told.append(notices.staff(conv.counselor_id))
    tag = f"{conv.round}:{now.isoformat()}"
    fields = client_fields(uow, changed)
    for recipient in told:
        queue(uow, key=f"withdrawn:{conv.id}:{tag}:{recipient}", recipient=recipient,
              kind=Kind.STATUS, now=now, conv=changed, event="consent_withdrawn",
              **fields)  # fmt: skip
    _close_topic(uow, changed, tag, now)
    return changed


def _close_topic(uow: UnitOfWork, conv: Conversation, tag: str, now: datetime) -> None:
    assert conv.id is not None
    queue(uow, key=f"topic:{conv.id}:close:{tag}", recipient=notices.group(conv.id),
          kind=Kind.TOPIC, now=now, conv=conv, action="close")  # fmt: skip


def _closed(
    outcome: Outcome,
    heads: Sequence[int],
    survey_question: str | None,
    also: Callable[[UnitOfWork, Conversation], None] | None,
) -> Notify:
    def notify(uow: UnitOfWork, before: Conversation, after: Conversation, actor: Actor, now, tag):  # noqa: ANN001
        assert after.id is not None
        if outcome is Outcome.ULANG and next_session(uow, after.id, now) is None:
            raise NeedsNextSession(after.id)  # the whole close is undone
        if outcome is not Outcome.ULANG:  # done or referred: no session is kept waiting
            cancel_ahead(uow, after.id, now)
        if also is not None:
            also(uow, after)
        held = [m for m in uow.messages.for_conversation(after.id) if _held(m)]
        if held and heads:
            fields = client_fields(uow, after)
            for head in heads:
                queue_content(
                    uow,
                    key=f"held:{after.id}:{tag}:{head}",
                    recipient=notices.staff(head),
                    kind=Kind.CLIENT,
                    entries=notices.entries_of(held),
                    now=now,
                    conv=after,
                    **fields,
                )
            uow.messages.deliver_held([m.id for m in held if m.id is not None], heads[0])
        unread = {"held": str(len(held))} if held else {}
        _status("closed", outcome=outcome.value, **unread)(uow, before, after, actor, now, tag)
        # one tap confirms (or /tingkat and /kategori correct) what triage said: the monthly
        # report counts how often it was right
        triage = {"risk": after.risk, "category": after.category or "lainnya"}
        triage["round"] = str(after.round)
        _status("confirm_triage", **triage)(uow, before, after, actor, now, tag)
        _close_topic(uow, after, tag, now)
        if survey_question:
            ask_survey.ask(uow, after, survey_question, now)

    return notify


def mark_urgent(
    conv_id: int,
    *,
    actor: Actor,
    uow_factory: UnitOfWorkFactory,
    now: datetime,
    key: str | None = None,
) -> Conversation:
    """Staff mark a case urgent: it goes first in every queue from now on."""
    tag = key or now.isoformat()

    def work() -> Conversation:
        with uow_factory() as uow:
            conv = load_locked(uow, conv_id)
            access.require(access.may_edit_form(actor, conv), actor, "mark_urgent")
            if conv.urgent:
                return conv
            changed = replace(conv, urgent=True, risk="mendesak", risk_set_at=now)
            uow.conversations.save(changed)
            log_steps(uow, changed, ["marked_urgent"], now, actor.staff_id)
            # staff's decision, not triage's (triage_checks reads triage's first reading here)
            log_steps(uow, changed, ["risk_set"], now, actor.staff_id, f"{conv.risk}->mendesak")
            _status("urgent")(uow, conv, changed, actor, now, tag)
            uow.commit()
            return changed

    return on_conflict(work, uow_factory.pause)


def form_completed(
    conv_id: int, *, actor: Actor, uow_factory: UnitOfWorkFactory, now: datetime
) -> Conversation:
    return _transition(
        conv_id,
        lifecycle.FormCompleted(),
        actor=actor,
        permission=_plain(access.may_edit_form),
        uow_factory=uow_factory,
        now=now,
    )
