"""The identity-form dialogue inside the relay: the client's consent starts it, each following
message on a chat channel answers the open question, and the register number is given when the
form is complete (triage/domain/forms/dialogue.py holds the rules of the dialogue itself)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, tzinfo

from triage.domain import consent as rules
from triage.domain import lifecycle
from triage.domain.errors import TransitionNotAllowed
from triage.domain.forms import by_mail
from triage.domain.forms.dialogue import FormState, answer, begin, period_of, register_number
from triage.domain.forms.spec import FormSpec, read
from triage.domain.model import Channel, Contact, Conversation, StoredMessage
from triage.domain.notices import Kind, group
from triage.effects import consent, minors
from triage.effects.auto_reply import send_auto
from triage.effects.notify import queue
from triage.effects.steplog import log_steps
from triage.ports import UnitOfWork

CHAT_CHANNELS = frozenset({Channel.HOTLINE, Channel.INSTAGRAM, Channel.WHATSAPP, Channel.MESSENGER})
# Asked for consent by a message in every new conversation (the hotline asks with the /start
# greeting's buttons, and again while the client has not answered: `_ask_consent`).
CONSENT_BY_TEXT = frozenset({Channel.INSTAGRAM, Channel.WHATSAPP, Channel.MESSENGER})
CONSENT_ASKED = "consent"  # the form's status while the client's yes or no is awaited
# the catalogue texts the dialogue needs (FormSetup.texts): its own, and one per problem
TEXT_KEYS = (
    "form.chat.consent",
    "form.chat.declined",
    "form.intro",
    "form.mail.intro",
    "form.mail.again",
    "form.mail.consent",
    "form.done",
    "form.incomplete",
    "form.stopped",
    "form.required",
    "form.yes_no",
    "form.gender",
    "form.choice",
    "form.phone",
    "form.age",
    "form.nik_digits",
    "form.nik_province",
    "form.nik_date",
    "form.nik_serial",
    "consent.withdraw_ask",
    "consent.withdraw_ask_typed",
    "consent.withdrawn",
    "consent.minor_wali",
    "consent.minor_konselor",
)


@dataclass(frozen=True)
class FormSetup:
    form: FormSpec
    lang: str
    consent_text: str  # the client's consent as the hotline stores it: the form starts there
    texts: Mapping[str, str]  # form.intro, form.done, form.stopped, form.incomplete, problems
    register_template: str  # e.g. "PUSPAGA/{year}/{month:02d}/{number:04d}"
    # per month ("2026-12"), the last number the office gave on paper before the program: the
    # register continues after it
    register_start: Mapping[str, int] = field(default_factory=dict)
    # the office's time zone: a register month is the office's month (a form done at 07:30
    # WITA on 1 January is January's, though it is still 31 December in UTC)
    zone: tzinfo | None = None
    refused_text: str = ""  # the client's refusal as the hotline stores it
    # staff see placeholders until the client answers the notice (triage.domain.consent): the
    # notice's sending is recorded, and a hotline client who writes unanswered is asked again
    mask_before_consent: bool = True
    minors: str = "wali"  # the office's rule for a child (triage.effects.minors)


def advance(
    uow: UnitOfWork,
    conv: Conversation,
    messages: Sequence[StoredMessage],
    setup: FormSetup,
    now: datetime,
    *,
    urgent: bool,
) -> Conversation:
    assert conv.id is not None
    contact = uow.contacts.get(conv.reply_contact_id)
    if contact is not None and contact.channel is Channel.EMAIL:
        return _by_mail(uow, conv, contact.external_id, messages, setup, now, urgent=urgent)
    if contact is None or contact.channel not in CHAT_CHANNELS:
        return conv
    state = uow.forms.get(conv.id)
    if not setup.mask_before_consent:
        consent.forget_asking(uow, conv, now)
    for m in messages:
        if urgent:  # nobody in danger is asked for their district: staff take over
            # (the consent question stays open: the answer still shows staff what was held)
            if state is not None and state.asking is not None and state.status != CONSENT_ASKED:
                state = replace(state, asking=None, status="paused")
                uow.forms.save(state)
            return conv
        button = _button(m, setup)  # the hotline's consent buttons
        if state is None and button is None and _ask_consent(uow, conv, contact, setup):
            state = FormState(conv.id, "persetujuan", {}, CONSENT_ASKED)
            uow.forms.save(state)
            if setup.mask_before_consent:
                consent.record(uow, conv, rules.ASKED, now)
            buttons = "consent" if contact.channel is Channel.HOTLINE else None
            _say(uow, conv, contact.channel, contact.external_id, m,
                 [setup.texts["form.chat.consent"]], now, buttons=buttons)  # fmt: skip
            continue
        if (state is None or state.status in ("stopped", CONSENT_ASKED)) and button is not None:
            state = _consented(uow, conv, contact, state, m, setup, now, button)
            continue
        if state is not None and state.status == CONSENT_ASKED:
            state = _consent_by_text(uow, conv, contact, state, m, setup, now)
            continue
        if state is None or state.status in ("stopped",):
            continue
        if state.asking is None:
            continue
        before = state.answers
        turn = answer(setup.form, state, m.text, setup.lang, now.date(), setup.texts)
        state = turn.state
        say = _minor(uow, conv, before, state.answers, setup, now) + list(turn.say)
        if turn.completed:
            conv, state = complete_form(uow, conv, state, setup, now)
            say.append(setup.texts["form.done"].format(register=state.register_no))
        elif state.status == "incomplete":
            say.append(setup.texts["form.incomplete"])
        uow.forms.save(state)
        _say(uow, conv, contact.channel, contact.external_id, m, say, now)
    return conv


def _consent_by_text(
    uow: UnitOfWork,
    conv: Conversation,
    contact: Contact,
    state: FormState,
    m: StoredMessage,
    setup: FormSetup,
    now: datetime,
) -> FormState:
    """Yes starts the questions, no is respected; anything else (their story) waits."""
    spec = setup.form.field("persetujuan")
    assert spec is not None
    given = read(spec, m.text, now.date()).value if len(m.text) <= 40 else None
    if given in ("ya", "tidak"):
        return _consented(uow, conv, contact, state, m, setup, now, given)
    return state


def _consented(
    uow: UnitOfWork,
    conv: Conversation,
    contact: Contact,
    state: FormState | None,
    m: StoredMessage,
    setup: FormSetup,
    now: datetime,
    given: str,
) -> FormState:
    """The client's answer to the notice, by a word or by the hotline's button."""
    assert conv.id is not None
    consent.record(uow, conv, rules.answer_of(given) or rules.REFUSED, now)
    if given == "ya":
        turn = begin(setup.form, conv.id, setup.lang, setup.texts["form.intro"])
        uow.forms.save(turn.state)
        _say(uow, conv, contact.channel, contact.external_id, m, turn.say, now)
        return turn.state
    stopped = FormState(conv.id, None, {"persetujuan": "tidak"}, "stopped")
    uow.forms.save(stopped)
    if contact.channel is not Channel.HOTLINE:  # the hotline thanks them itself (hotline.py)
        say = [setup.texts["form.chat.declined"]]
        _say(uow, conv, contact.channel, contact.external_id, m, say, now)
    return stopped


def _button(m: StoredMessage, setup: FormSetup) -> str | None:
    """ "ya" or "tidak" when the message is the hotline's record of a consent button."""
    said = m.text.strip()
    if said == setup.consent_text:
        return "ya"
    return "tidak" if setup.refused_text and said == setup.refused_text else None


def _ask_consent(uow: UnitOfWork, conv: Conversation, contact: Contact, setup: FormSetup) -> bool:
    """Instagram asks each new conversation by a message; the hotline's /start greeting asks
    with buttons, and a client who writes without having answered is asked again (so that
    staff may read them: triage.domain.consent)."""
    if contact.channel in CONSENT_BY_TEXT:
        return True
    if not setup.mask_before_consent:
        return False
    client = uow.clients.get(conv.client_id)
    return client is not None and client.consent not in rules.ANSWERED


def _by_mail(
    uow: UnitOfWork,
    conv: Conversation,
    address: str,
    messages: Sequence[StoredMessage],
    setup: FormSetup,
    now: datetime,
    *,
    urgent: bool,
) -> Conversation:
    """Email: the questions in one reply to the first mail, then each answer read leniently."""
    assert conv.id is not None
    state = uow.forms.get(conv.id)
    for m in messages:
        if m.auto_generated or urgent or conv.urgent:
            continue  # robots are never answered; nobody in danger is sent a form
        if state is None:
            state, letter = by_mail.first_letter(
                setup.form, conv.id, setup.lang, setup.texts["form.mail.intro"]
            )
            uow.forms.save(state)
            if setup.mask_before_consent:  # the letter asks it first
                consent.record(uow, conv, rules.ASKED, now)
            _say(uow, conv, Channel.EMAIL, address, m, [letter], now)
            continue
        if state.status != by_mail.MAILED:
            continue
        before = state.answers
        state, say, complete = by_mail.read_answer(
            setup.form, state, m.text, setup.lang, now.date(), setup.texts
        )
        if answered := rules.answer_of(state.answers.get("persetujuan")):
            consent.record(uow, conv, answered, now)
        if complete:
            conv, state = complete_form(uow, conv, state, setup, now)
            say = [setup.texts["form.done"].format(register=state.register_no)]
        minor = _minor(uow, conv, before, state.answers, setup, now)
        say = ["\n\n".join(minor + say)] if minor else say  # one mail, not two
        uow.forms.save(state)
        _say(uow, conv, Channel.EMAIL, address, m, say, now)
    return conv


def _minor(uow, conv, before, after, setup, now) -> list[str]:  # noqa: ANN001
    """What a child who just gave their age is told (triage.effects.minors); nothing while the
    case is urgent (staff are told all the same)."""
    told = minors.check(uow, conv, before, after, setup.form, setup.minors, now)
    if told and not conv.urgent:
        return [setup.texts[f"consent.minor_{setup.minors}"]]
    return []


def _say(uow, conv, channel, recipient, m, texts, now, buttons=None) -> None:  # noqa: ANN001
    for n, body in enumerate(texts):
        key = f"form:{m.id}:{n}"
        send_auto(uow, conv, channel, recipient, key, body, now, priority=0, buttons=buttons)


def complete_form(
    uow: UnitOfWork, conv: Conversation, state: FormState, setup: FormSetup, now: datetime
) -> tuple[Conversation, FormState]:
    """Every required answer is in: the register number of this month, the SOP step stamped,
    the admins told. Whoever completed it (the client on any channel, or staff)."""
    local = now.astimezone(setup.zone) if setup.zone is not None else now
    period = period_of(local)
    number = uow.forms.next_number(period, after=setup.register_start.get(period, 0))
    state = replace(state, register_no=register_number(setup.register_template, local, number))
    try:
        changed, logged = lifecycle.apply(conv, lifecycle.FormCompleted(), now)
    except TransitionNotAllowed:
        changed, logged = conv, []
    if logged:
        uow.conversations.save(changed)
        log_steps(uow, changed, logged, now, detail=state.register_no)
    assert conv.id is not None
    queue(
        uow,
        key=f"status:{conv.id}:form_complete:{state.register_no}",
        recipient=group(conv.id),
        kind=Kind.STATUS,
        now=now,
        conv=changed,
        event="form_complete",
        register=state.register_no or "",
    )
    return changed, state
