"""RelaySetup inside the relay: each new client message is classified as it is passed on to staff.

An urgent message (docs/architecture.md, Triage) gets, at once and at any hour, the office's safe
first reply on
the client's own channel (once per round of the conversation), the case is marked urgent (it
jumps every queue), and the counselors and the head are alerted. The admin sees which rules
decided, on the post itself. Automatic mail (auto-replies, bounces) is never classified or
answered.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from triage.domain.consent import ANSWERED
from triage.domain.intake import OFFLINE
from triage.domain.model import CONSENT_MARK, Contact, Conversation, Direction, State, StoredMessage
from triage.domain.notices import URGENT_PRIORITY, Kind, group, staff
from triage.domain.rules.classify import BIASA, MENDESAK, PERLU_DICEK, Decision, highest
from triage.domain.rules.faq import OfficeFacts, topics_asked
from triage.domain.schedule.calendar import ServiceCalendar
from triage.domain.schedule.roster import Roster
from triage.domain.workflow import COMPLAINT, PSYCHOEDUCATION, WorkflowSetup
from triage.effects import complaint_intake, consent, psychoeducation_intake, withdrawal
from triage.effects.auto_reply import send_auto
from triage.effects.form_prompts import FormSetup, advance
from triage.effects.notify import client_fields, queue
from triage.effects.offers import alerted
from triage.effects.steplog import log_steps
from triage.ports import UnitOfWork


@dataclass(frozen=True)
class AfterHours:
    """Outside service hours the client hears when a person will answer."""

    calendar: ServiceCalendar
    reply: Callable[[datetime], str]  # the text naming when service resumes (office language)


@dataclass(frozen=True)
class RelaySetup:
    decide: Callable[[str], Decision]
    crisis_reply: str  # in the office's language, with the help numbers and the office's own
    alert_to: Sequence[int] = ()  # without a roster: every counselor and the head
    facts: OfficeFacts | None = None  # answers to information questions (triage.domain.rules.faq)
    form: FormSetup | None = None  # the identity form asked on chat channels
    after_hours: AfterHours | None = None
    roster: Roster | None = None  # with it, alerts go to the counselors on duty and the heads
    workflows: WorkflowSetup | None = None  # complaints and psychoeducation requests
    heads: Sequence[int] = ()


@dataclass(frozen=True)
class Shown:
    """An automatic answer sent to the client, for the admins to see: on the conversation's
    card when the card is made now (one post for a new conversation, not two), else a post of
    its own (`show`)."""

    key: str
    body: str


@dataclass(frozen=True)
class Findings:
    conv: Conversation  # as updated (urgent, category)
    reasons: str  # what the admin sees on the post: the rules that decided
    private: bool = False  # counseling content was read: the reasons are the counselor's only
    withdrawn: bool = False  # the client confirmed BERHENTI: the relay closes the case
    answered: tuple[Shown, ...] = ()  # automatic answers sent, not shown to the admins yet


def assess(
    uow: UnitOfWork,
    conv: Conversation,
    messages: Sequence[StoredMessage],
    triage: RelaySetup,
    now: datetime,
) -> Findings:
    if not any(not m.auto_generated and m.text for m in messages):
        return Findings(conv, "")  # automatic mail only: never classified or answered
    confirmed = False
    if triage.form is not None:
        messages, confirmed = withdrawal.read(uow, conv, messages, triage.form.texts, now)
        if not messages:
            return Findings(conv, "", withdrawn=withdrawal.holds(uow, conv, confirmed, now))
    readable = [m for m in messages if _readable(m)]
    answering = _form_waits_for_an_answer(uow, conv)
    decided = [(m, triage.decide(m.text)) for m in readable]
    # An answer to the identity form ("Kecamatan: Sukamaju") says nothing of risk or topic,
    # unless triage finds possible danger in it (a client may tell their story instead).
    counted = [(m, d) for m, d in decided if not answering or d.risk != BIASA]
    changed, urgent, reasons, private = _level_and_topic(uow, conv, counted, triage, now)
    offline = _offline(uow, changed)  # met in person, by phone, by letter: staff answer them
    answered: list[Shown | None] = []
    if not urgent and not offline and triage.facts is not None:
        asked = [m for m in messages if not m.auto_generated and not m.confidential and m.text]
        answered.append(_answer_questions(uow, changed, asked, triage.facts, now))
    if not urgent and not offline and triage.after_hours is not None:
        answered.append(_after_hours(uow, changed, messages, triage.after_hours, now))
    on_file = False
    if triage.workflows is not None and not changed.urgent:
        on_file = _case_file(uow, changed, messages, triage.workflows, now)
        if on_file:  # the office's public task, not counseling: shown (triage.domain.consent)
            consent.reveal(uow, changed, now)
    if triage.form is not None and not on_file:
        chat = [m for m in messages if not m.auto_generated and not m.confidential]
        changed = advance(uow, changed, chat, triage.form, now, urgent=bool(urgent))
    stop = withdrawal.holds(uow, changed, confirmed, now)
    return Findings(changed, reasons, withdrawn=stop, answered=tuple(a for a in answered if a))


def _level_and_topic(
    uow: UnitOfWork,
    conv: Conversation,
    counted: Sequence[tuple[StoredMessage, Decision]],
    triage: RelaySetup,
    now: datetime,
) -> tuple[Conversation, list[Decision], str, bool]:
    """The conversation's level (it only rises) and topic after these messages, saved; the
    crisis reply or the review alert when the level rose. Returns the conversation, the
    urgent decisions and what the admin sees of why."""
    if not counted:
        return conv, [], "", False
    uow.messages.mark_assessed({m.id: d.risk for m, d in counted if m.id is not None})
    whole, private = _conversation_so_far(uow, conv, counted, triage)
    decisions = [d for _, d in counted] + ([whole] if whole is not None else [])
    # a case staff marked urgent by hand stays urgent, whatever its level said before
    level = highest(conv.risk, MENDESAK if conv.urgent else BIASA, *(d.risk for d in decisions))
    urgent = [d for d in decisions if d.urgent]
    changed = replace(conv, risk=level, urgent=level == MENDESAK)
    follows = (
        not conv.category_by_staff
        and conv.state in (State.NEW, State.WITH_ADMIN)  # not once counseling has begun
        and (conv.id is None or uow.casefiles.get(conv.id) is None)
    )
    topic = (whole or decisions[0]).category
    if conv.category is None or (follows and topic != "lainnya"):
        named = [d.category for d in decisions if d.category != "lainnya"]
        changed = replace(changed, category=topic if topic != "lainnya" else (named or [topic])[0])
    if changed != conv:
        uow.conversations.save(changed)
    review = [d for d in decisions if d.risk == PERLU_DICEK]
    shown = urgent or review or decisions[:1]
    reasons = " · ".join(dict.fromkeys(r for d in shown for r in d.rules))
    if urgent and not conv.urgent:
        _crisis(uow, changed, urgent[0], triage, now)
    elif level == PERLU_DICEK and conv.risk == BIASA:
        _review(uow, changed, review or decisions, triage, now, private=private)
    return changed, urgent, reasons, private


CONTEXT = 20  # earlier client messages read with the new ones


def _offline(uow: UnitOfWork, conv: Conversation) -> bool:
    """A client staff registered offline (triage.domain.intake): no automatic answer is shown
    as sent; their level, topic and case file (a complaint by letter) as for anyone."""
    contact = uow.contacts.get(conv.reply_contact_id)
    return contact is not None and contact.channel in OFFLINE


def _readable(m: StoredMessage) -> bool:
    """Client text triage reads: not automatic mail, not the bot's own consent marker."""
    return (
        m.direction is Direction.IN
        and not m.auto_generated
        and bool(m.text)
        and not m.external_id.startswith(CONSENT_MARK)
    )


def _form_waits_for_an_answer(uow: UnitOfWork, conv: Conversation) -> bool:
    """A question of the identity form is open (not the consent question: what a client writes
    then is their story)."""
    state = uow.forms.get(conv.id) if conv.id is not None else None
    return state is not None and state.asking is not None


def _conversation_so_far(
    uow: UnitOfWork,
    conv: Conversation,
    counted: Sequence[tuple[StoredMessage, Decision]],
    triage: RelaySetup,
) -> tuple[Decision | None, bool]:
    """The client's messages read together (danger told over several messages, a topic that
    becomes clear later), from when staff last set the level; None when there is only one.
    True when counseling content is among them."""
    new = {m.id for m, _ in counted}
    since = conv.risk_set_at
    earlier = [
        m
        for m in (uow.messages.for_conversation(conv.id) if conv.id is not None else [])
        if m.id not in new
        and m.risk is not None
        and m.direction is Direction.IN
        and (since is None or m.created_at > since)
    ][-CONTEXT:]
    read = earlier + [m for m, _ in counted]
    private = any(m.confidential for m in read)
    if len(read) < 2:
        return None, private
    return triage.decide("\n".join(m.text for m in read)), private


def _case_file(
    uow: UnitOfWork,
    conv: Conversation,
    messages: Sequence[StoredMessage],
    setup: WorkflowSetup,
    now: datetime,
) -> bool:
    """A complaint or a psychoeducation request opens its case file (the complaint and Kaltim
    standards), and
    what the client sends later is read into it. True when the conversation has one (the
    identity form is then not asked: the file asks what it needs)."""
    assert conv.id is not None
    human = [m for m in messages if not m.auto_generated and not m.confidential and m.text]
    cf = uow.casefiles.get(conv.id)
    flow = {COMPLAINT: complaint_intake, PSYCHOEDUCATION: psychoeducation_intake}
    if cf is None:
        if conv.category not in flow or not human:
            return False
        story = "\n".join(m.text for m in human)
        flow[conv.category].open_file(uow, conv, story, setup, now)
        return True
    if cf.is_open:
        flow[cf.kind].on_client_messages(uow, conv, cf, human, setup, now)
    return True


def _answer_questions(
    uow: UnitOfWork,
    conv: Conversation,
    messages: Sequence[StoredMessage],
    facts: OfficeFacts,
    now: datetime,
) -> Shown | None:
    """Each topic once per round (the step log remembers); the admin topic shows what was
    sent."""
    assert conv.id is not None
    answered = {
        s.detail
        for s in uow.steps.for_conversation(conv.id)
        if s.step == "auto_answer" and s.round == conv.round
    }
    topics = [
        t
        for t in dict.fromkeys(t for m in messages for t in topics_asked(m.text))
        if t not in answered
    ]
    body = facts.reply(topics)
    contact = uow.contacts.get(conv.reply_contact_id)
    if body is None or contact is None:
        return None
    key = f"faq:{conv.id}:{conv.round}:{'+'.join(topics)}"
    for topic in topics:
        log_steps(uow, conv, ["auto_answer"], now, detail=topic)
    return _answer(uow, conv, contact, key, body, now)


def _answer(
    uow: UnitOfWork, conv: Conversation, contact: Contact, key: str, body: str, now: datetime
) -> Shown:
    """One of our automatic answers to the client; the same text is for the admins (`show`)."""
    send_auto(uow, conv, contact.channel, contact.external_id, key, body, now, priority=0)
    return Shown(key, body)


def show(uow: UnitOfWork, conv: Conversation, shown: Shown, now: datetime) -> None:
    """An automatic answer shown to the admins as a post of its own (the card was made before)."""
    assert conv.id is not None
    queue(
        uow,
        key=f"shown:{shown.key}",
        recipient=group(conv.id),
        kind=Kind.STATUS,
        now=now,
        conv=conv,
        text=shown.body,
        event="auto_answer",
    )


def _after_hours(
    uow: UnitOfWork,
    conv: Conversation,
    messages: Sequence[StoredMessage],
    after: AfterHours,
    now: datetime,
) -> Shown | None:
    """Once per closed spell (until service resumes) and round: the hours, the help numbers,
    and when a person will answer. Urgent messages get the crisis reply instead."""
    assert conv.id is not None
    # Judged now, not when the message was written: mail caught up after the weekend, or an
    # Instagram pause, must not be told "we answer at <a time already past>".
    if conv.urgent or after.calendar.is_open(now):
        return None
    if not any(not m.auto_generated for m in messages):
        return None
    resumes = after.calendar.next_open(now)
    key = f"after-hours:{conv.id}:{conv.round}:{resumes.isoformat()}"
    contact = uow.contacts.get(conv.reply_contact_id)
    if contact is None or uow.outbox.find_key(key) is not None:
        return None
    return _answer(uow, conv, contact, key, after.reply(resumes), now)


def _crisis(
    uow: UnitOfWork, conv: Conversation, decision: Decision, triage: RelaySetup, now: datetime
) -> None:
    assert conv.id is not None
    log_steps(uow, conv, ["marked_urgent"], now, detail="; ".join(decision.rules)[:200])
    contact = uow.contacts.get(conv.reply_contact_id)
    key = f"crisis:{conv.id}:{conv.round}{_spell(conv)}"
    if contact is not None and uow.outbox.find_key(key) is None:
        send_auto(
            uow,
            conv,
            contact.channel,
            contact.external_id,
            key,
            triage.crisis_reply,
            now,
            priority=URGENT_PRIORITY,
        )
    reasons = "; ".join(decision.rules)
    recipients = [staff(s) for s in _on_duty(uow, triage, triage.heads, now)]
    _alert(uow, conv, "alert", recipients, reasons, now)


def _on_duty(
    uow: UnitOfWork, triage: RelaySetup, heads: Sequence[int], now: datetime
) -> Sequence[int]:
    """Who is alerted: the counselors on duty (and `heads`), or without a roster everyone in
    the setup's list."""
    if triage.roster is None:
        return triage.alert_to
    return alerted(uow, triage.roster, heads, now)


def _alert(
    uow: UnitOfWork,
    conv: Conversation,
    prefix: str,
    recipients: Sequence[str],
    reasons: str,
    now: datetime,
    *,
    private: bool = False,
    hidden: bool = False,
    **extra: str,
) -> None:
    """Where to look, never what was said; counseling content's reasons are the counselor's:
    the admin topic (when `private`) is told only that it rose. `hidden`: before the client's
    consent, neither their name nor the words that decided."""
    assert conv.id is not None
    fields = client_fields(uow, conv)
    if hidden:
        fields.update(name="", masked="1")
    for recipient in recipients:
        shown = "" if hidden or (private and recipient == group(conv.id)) else reasons[:300]
        queue(
            uow,
            key=f"{prefix}:{conv.id}:{conv.round}{_spell(conv)}:{_key_part(recipient)}",
            recipient=recipient,
            kind=Kind.ALERT,
            now=now,
            conv=conv,
            rules=shown,
            **extra,
            **fields,
        )


def _key_part(recipient: str) -> str:
    """A staff member by their id (the crisis alerts' keys as they always were), or the topic."""
    return recipient.removeprefix("staff:")


def _spell(conv: Conversation) -> str:
    """Alerts and the crisis reply go once per round, and again after staff have set the level
    by hand (danger that rises again is news)."""
    return f":{conv.risk_set_at.isoformat()}" if conv.risk_set_at else ""


def _review(
    uow: UnitOfWork,
    conv: Conversation,
    decisions: Sequence[Decision],
    triage: RelaySetup,
    now: datetime,
    *,
    private: bool = False,
) -> None:
    """Possible danger: no crisis reply to the client (it may be nothing), but the counselors
    on duty and the admins are told at once, and the conversation tops the queue board."""
    assert conv.id is not None
    reasons = "; ".join(dict.fromkeys(r for d in decisions for r in d.rules))
    log_steps(uow, conv, ["marked_review"], now, detail=reasons[:200])
    recipients = [staff(s) for s in _on_duty(uow, triage, (), now)] + [group(conv.id)]
    hidden = _before_consent(uow, conv, triage)
    _alert(uow, conv, "review", recipients, reasons, now, private=private, hidden=hidden,
           level=PERLU_DICEK)  # fmt: skip


def _before_consent(uow: UnitOfWork, conv: Conversation, triage: RelaySetup) -> bool:
    """An online client who has not answered the data-protection notice (asked in this very
    pass, or before): staff are alerted without their words or name (triage.domain.consent)."""
    if triage.form is None or not triage.form.mask_before_consent or _offline(uow, conv):
        return False
    client = uow.clients.get(conv.client_id)
    return client is not None and client.consent not in ANSWERED
