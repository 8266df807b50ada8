"""Consent taken back: a message that is only BERHENTI asks to confirm; only a confirmation
that answers that question (typed, or the hotline's button) stops the processing: consent
withdrawn, the case closed by the bot (outcome berhenti), its sessions ahead off, staff told, the
topic closed; writing again is a new conversation, masked and asked again. Not while the case
is urgent, not in a complaint. Through ingest and the relay, with the fakes."""

from dataclasses import replace
from datetime import timedelta

from tests.builders import T0, inbound
from tests.fakes import FakeUnitOfWorkFactory
from tests.unit.test_consent import IG, SETUP, STORY, TRIAGE, client, shown_words, write
from triage.domain import consent
from triage.domain.appointments import CANCELLED, SCHEDULED, Appointment
from triage.domain.model import Channel, Outcome, State
from triage.domain.outbox import Target
from triage.effects.withdrawal import BUTTON
from triage.texts.catalog import text
from triage.usecases.ingest import ingest
from triage.usecases.relay import relay_new_messages


def said_to(uows, target):
    return [o.text for o in sorted(uows.db.outbox.values(), key=lambda o: o.id)
            if o.target is target]  # fmt: skip


def conversation(uows):
    return max(uows.db.conversations.values(), key=lambda c: c.id)


def tap_stop(uows, n):
    """The hotline's record of "Ya, berhenti" (bot/telegram/hotline.py on_withdraw)."""
    at = T0 + timedelta(seconds=n)
    tap = replace(inbound(n, text="[DITARIK]", at=at), external_id=f"{BUTTON}client-1:q{n}")
    ingest(tap, uow_factory=uows, now=at)
    relay_new_messages(uow_factory=uows, now=at, triage=TRIAGE)


def test_berhenti_asks_first_and_ya_berhenti_stops_everything():
    uows = FakeUnitOfWorkFactory()
    write(uows, 1, STORY, **IG)
    write(uows, 2, "ya", **IG)
    conv = conversation(uows)
    later = T0 + timedelta(days=3)
    uows.db.appointments[99] = Appointment(99, conv.id, later, "Ruang 1", None, SCHEDULED, 1, T0)
    write(uows, 3, "BERHENTI", **IG)
    assert said_to(uows, Target.INSTAGRAM)[-1] == text("consent.withdraw_ask_typed", "id")
    assert conversation(uows).is_open and client(uows).consent == consent.GIVEN
    (form,) = uows.db.forms.values()
    assert "BERHENTI" not in str(form.answers)  # not taken as the name asked

    write(uows, 4, "Ya, berhenti", **IG)
    assert client(uows).consent == consent.WITHDRAWN
    closed = conversation(uows)
    assert closed.state is State.CLOSED and closed.outcome is Outcome.BERHENTI
    steps = [(s.step, s.detail) for s in uows.db.steps if s.conversation_id == closed.id]
    assert ("closed", "berhenti") in steps
    to_client = said_to(uows, Target.INSTAGRAM)
    assert to_client[-1] == text("consent.withdrawn", "id")
    events = [o.options.get("event") or o.options.get("action") for o in uows.db.outbox.values()
              if o.target is Target.TELEGRAM]  # fmt: skip
    assert "consent_withdrawn" in events and "close" in events
    assert uows.db.appointments[99].status == CANCELLED
    write(uows, 5, "Ya, berhenti", **IG)  # said again: a new conversation, nothing to stop
    assert len(said_to(uows, Target.INSTAGRAM)) == len(to_client) + 1  # only the notice


def test_a_confirmation_nobody_asked_for_stops_nothing():
    uows = FakeUnitOfWorkFactory()
    write(uows, 1, STORY, **IG)
    write(uows, 2, "ya", **IG)
    write(uows, 3, "Apakah suami Ibu sudah berhenti minum?", **IG)
    write(uows, 4, "ya berhenti", **IG)  # an answer, not a withdrawal
    assert conversation(uows).is_open and client(uows).consent == consent.GIVEN
    tap_stop(uows, 5)  # an old button, not asked in this round
    assert conversation(uows).is_open


def test_the_hotline_button_confirms_and_writing_again_is_a_new_conversation_asked_again():
    uows = FakeUnitOfWorkFactory()
    write(uows, 1, SETUP.consent_text)
    write(uows, 2, "/berhenti")
    [asked] = [o for o in uows.db.outbox.values() if o.options.get("buttons") == "withdraw"]
    assert asked.text == text("consent.withdraw_ask", "id")
    tap_stop(uows, 3)
    first = conversation(uows)
    assert first.state is State.CLOSED and client(uows).consent == consent.WITHDRAWN
    write(uows, 4, STORY)  # within the reopening window, yet a new conversation
    assert conversation(uows).id != first.id and conversation(uows).is_open
    assert STORY not in shown_words(uows)
    questions = [o for o in uows.db.outbox.values() if o.options.get("buttons") == "consent"]
    assert len(questions) == 1  # the notice again, with its buttons
    write(uows, 5, SETUP.consent_text)
    assert client(uows).consent == consent.GIVEN and STORY in shown_words(uows)


def test_while_the_case_is_urgent_the_confirmation_tells_staff_and_closes_nothing():
    uows = FakeUnitOfWorkFactory()
    write(uows, 1, SETUP.consent_text)
    write(uows, 2, "BERHENTI")
    at = T0 + timedelta(seconds=3)
    for n, body in ((3, "saya mau mati saja"), (4, "YA BERHENTI")):  # one batch
        ingest(inbound(n, text=body, at=at), uow_factory=uows, now=at)
    relay_new_messages(uow_factory=uows, now=at, triage=TRIAGE)
    conv = conversation(uows)
    assert conv.is_open and conv.urgent and client(uows).consent == consent.GIVEN
    assert text("form.chat.consent", "id") not in said_to(uows, Target.HOTLINE)
    assert "Kami mendengar Anda. SAPA 129." in said_to(uows, Target.HOTLINE)  # the safe reply
    events = [o.options.get("event") for o in uows.db.outbox.values()]
    assert "consent_withdraw_urgent" in events and "consent_withdrawn" not in events
    assert "saya mau mati saja" in shown_words(uows)


def test_a_mail_signed_below_confirms_and_a_complaint_is_not_withdrawn():
    uows = FakeUnitOfWorkFactory()
    mail = {"channel": Channel.EMAIL, "sender": "sari@example.org", "name": "Sari"}
    write(uows, 1, STORY, **mail)
    write(uows, 2, "Persetujuan: ya\nNama: Sari", **mail)
    write(uows, 3, "BERHENTI\n\nSalam,\nSari", **mail)
    write(uows, 4, "YA BERHENTI\n\nDikirim dari iPhone saya", **mail)
    assert conversation(uows).outcome is Outcome.BERHENTI

    from tests.unit.test_complaint import SETUP as COMPLAINTS
    from triage.domain.rules.classify import Decision

    uows = FakeUnitOfWorkFactory()
    complaints = replace(TRIAGE, workflows=COMPLAINTS, decide=lambda body: Decision(
        False, "pengaduan", ("category.pengaduan: 6",), {}))  # fmt: skip
    write(uows, 1, "Saya mau mengadukan petugas yang membentak saya.", complaints, **IG)
    write(uows, 2, "BERHENTI", complaints, **IG)
    assert not any(o.text == text("consent.withdraw_ask_typed", "id")
                   for o in uows.db.outbox.values())  # fmt: skip
    assert "BERHENTI" in shown_words(uows)  # staff read it: the complaint is theirs to answer


def test_only_the_word_alone_asks_and_staff_cannot_close_with_it():
    from bot.telegram.parsing import outcome_of

    assert consent.asks_to_stop("BERHENTI") and consent.asks_to_stop(" berhenti. ")
    assert consent.asks_to_stop("/berhenti@puspaga_bot")
    assert not consent.asks_to_stop("anak saya mau berhenti sekolah")
    assert consent.confirms_stop("YA BERHENTI") and consent.confirms_stop("ya, berhenti!")
    assert not consent.confirms_stop("ya")
    assert outcome_of("berhenti") is None and outcome_of("tuntas") is Outcome.TUNTAS
