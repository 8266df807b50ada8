"""Before a client answers the data-protection notice, staff see placeholders (channel, time,
risk level), never their words or name; the answer shows what was held back, once; an urgent
message is always shown. Through ingest and the relay, with the fakes."""

from dataclasses import replace
from datetime import timedelta

from tests.builders import T0, inbound
from tests.fakes import FakeUnitOfWorkFactory
from triage.domain import consent
from triage.domain.forms.spec import DEFAULT_FORM
from triage.domain.model import Channel, Direction
from triage.domain.notices import load
from triage.domain.outbox import Target
from triage.domain.rules.classify import Decision
from triage.effects.assess import RelaySetup
from triage.effects.form_prompts import TEXT_KEYS, FormSetup
from triage.texts.catalog import text
from triage.usecases.ingest import ingest
from triage.usecases.relay import relay_new_messages

SETUP = FormSetup(
    DEFAULT_FORM,
    "id",
    text("hotline.consent_given", "id"),
    {k: text(k, "id") for k in TEXT_KEYS},
    "PUSPAGA/{year}/{month:02d}/{number:04d}",
    refused_text=text("hotline.consent_refused", "id"),
)
STORY = "Suami saya sering marah dan anak saya takut pulang."


def decide(body):
    if "mau mati" in body:
        return Decision(True, "lainnya", ("urgent.suicide: mau mati",), {}, risk="mendesak")
    return Decision(False, "kdrt", ("category.kdrt: marah",), {})


TRIAGE = RelaySetup(decide, "Kami mendengar Anda. SAPA 129.", (), None, SETUP)


def write(uows, n, body, triage=TRIAGE, **where):
    at = T0 + timedelta(seconds=n)
    ingest(inbound(n, text=body, at=at, **where), uow_factory=uows, now=at)
    relay_new_messages(uow_factory=uows, now=at, triage=triage)


def group_posts(uows):
    return [
        o
        for o in sorted(uows.db.outbox.values(), key=lambda o: o.id)
        if o.target is Target.TELEGRAM and o.options.get("kind") in ("card", "client")
    ]


def shown_words(uows):
    return " ".join(e.text for o in group_posts(uows) for e in load(o.text))


def client(uows):
    (only,) = uows.db.clients.values()
    return only


IG = {"channel": Channel.INSTAGRAM, "sender": "ig-77", "name": "sari.bunda"}


def test_before_the_answer_staff_see_when_not_what_and_a_yes_shows_it_once():
    uows = FakeUnitOfWorkFactory()
    write(uows, 1, STORY, **IG)
    [card] = group_posts(uows)
    assert card.options["kind"] == "card" and card.options["masked"] == "1"
    assert card.options["name"] == "" and "triage" not in card.options
    [entry] = load(card.text)
    assert (entry.author, entry.text) == ("masked", "")
    assert entry.at == (T0 + timedelta(seconds=1)).isoformat()
    assert STORY not in card.text and "sari.bunda" not in str(card.options)
    assert client(uows).consent == consent.ASKED
    asked = [o.text for o in uows.db.outbox.values() if o.target is Target.INSTAGRAM]
    assert asked == [text("form.chat.consent", "id")]

    write(uows, 2, "ya", **IG)
    assert client(uows).consent == consent.GIVEN
    revealed = [o for o in group_posts(uows) if o.options.get("revealed")]
    assert len(revealed) == 1 and STORY in revealed[0].text
    assert revealed[0].options["name"] == "sari.bunda" and "masked" not in revealed[0].options
    inbound_rows = [m for m in uows.db.messages.values() if m.direction is Direction.IN]
    assert not any(m.masked for m in inbound_rows)
    write(uows, 3, "Sari", **IG)  # the identity form's first answer: shown as it is
    assert shown_words(uows).count(STORY) == 1 and "Sari" in shown_words(uows)


def test_a_refusal_shows_what_they_wrote_they_talk_without_the_identity_form():
    uows = FakeUnitOfWorkFactory()
    write(uows, 1, STORY, **IG)
    write(uows, 2, "tidak", **IG)
    assert client(uows).consent == consent.REFUSED
    assert STORY in shown_words(uows)
    write(uows, 3, "Anak saya umur 9 tahun.", **IG)
    assert "Anak saya umur 9 tahun." in shown_words(uows)
    (state,) = uows.db.forms.values()
    assert state.status == "stopped" and state.answers == {"persetujuan": "tidak"}


def test_an_urgent_message_is_shown_at_once_with_what_was_held_before_it():
    uows = FakeUnitOfWorkFactory()
    write(uows, 1, STORY, **IG)
    assert STORY not in shown_words(uows)
    write(uows, 2, "saya mau mati saja", **IG)
    words = shown_words(uows)
    assert "saya mau mati saja" in words and STORY in words
    urgent = [o for o in group_posts(uows) if "saya mau mati saja" in o.text]
    assert urgent[0].options.get("urgent") == "1" and "masked" not in urgent[0].options
    assert client(uows).consent == consent.ASKED  # nobody in danger is asked for anything


def test_the_hotline_asks_a_client_who_writes_unanswered_with_the_buttons_and_a_tap_answers():
    uows = FakeUnitOfWorkFactory()
    write(uows, 1, STORY)
    [question] = [o for o in uows.db.outbox.values() if o.target is Target.HOTLINE]
    assert question.options.get("buttons") == "consent"
    assert STORY not in shown_words(uows)
    write(uows, 2, "masih ada orang?")  # not asked twice in one conversation
    assert len([o for o in uows.db.outbox.values() if o.target is Target.HOTLINE]) == 1
    write(uows, 3, SETUP.consent_text)
    assert client(uows).consent == consent.GIVEN
    assert STORY in shown_words(uows) and "masih ada orang?" in shown_words(uows)
    hotline = [o.text for o in uows.db.outbox.values() if o.target is Target.HOTLINE]
    assert hotline[-1] == DEFAULT_FORM.field("nama").prompt["id"]  # the form begins


def test_a_client_who_consented_before_is_shown_in_a_new_conversation():
    uows = FakeUnitOfWorkFactory()
    write(uows, 1, SETUP.consent_text)
    assert client(uows).consent == consent.GIVEN
    (conv,) = uows.db.conversations.values()
    uows.db.conversations[conv.id] = replace(conv, state=conv.state.CLOSED)
    write(uows, 2, STORY)
    assert STORY in shown_words(uows)


def test_by_mail_the_form_letter_asks_and_its_answer_shows_the_first_mail():
    uows = FakeUnitOfWorkFactory()
    mail = {"channel": Channel.EMAIL, "sender": "sari@example.org", "name": "Sari"}
    write(uows, 1, STORY, **mail)
    assert client(uows).consent == consent.ASKED and STORY not in shown_words(uows)
    write(uows, 2, "Persetujuan: ya\nNama: Sari", **mail)
    assert client(uows).consent == consent.GIVEN and STORY in shown_words(uows)


def test_an_office_that_shows_everything_before_consent_masks_nothing():
    uows = FakeUnitOfWorkFactory()
    shown = replace(TRIAGE, form=replace(SETUP, mask_before_consent=False))
    write(uows, 1, STORY, shown, **IG)
    assert STORY in shown_words(uows) and client(uows).consent is None


def test_hidden_only_online_before_an_answer_and_never_when_urgent():
    assert consent.hidden(consent.ASKED, online=True, urgent=False)
    assert consent.hidden(consent.WITHDRAWN, online=True, urgent=False)
    assert not consent.hidden(consent.ASKED, online=True, urgent=True)
    assert not consent.hidden(consent.ASKED, online=False, urgent=False)
    assert not consent.hidden(None, online=True, urgent=False)
    assert not consent.hidden(consent.GIVEN, online=True, urgent=False)
    assert not consent.hidden(consent.REFUSED, online=True, urgent=False)


def test_a_complaint_is_the_offices_public_task_shown_without_the_notice():
    from tests.unit.test_complaint import SETUP as COMPLAINTS

    uows = FakeUnitOfWorkFactory()
    complaints = replace(TRIAGE, workflows=COMPLAINTS, decide=lambda body: Decision(
        False, "pengaduan", ("category.pengaduan: 6",), {}))  # fmt: skip
    write(uows, 1, "Saya mau mengadukan petugas yang membentak saya.", complaints, **IG)
    assert "membentak" in shown_words(uows)
    assert not any(o.options.get("masked") for o in group_posts(uows))


def test_staff_opening_a_complaint_on_a_masked_conversation_show_what_was_held():
    from tests.builders import ADMIN
    from tests.unit.test_complaint import SETUP as COMPLAINTS
    from triage.effects import complaint_intake
    from triage.usecases import workflow

    uows = FakeUnitOfWorkFactory()
    write(uows, 1, STORY, **IG)
    assert STORY not in shown_words(uows)
    (conv,) = uows.db.conversations.values()
    workflow.start(conv.id, complaint_intake.open_file, actor=ADMIN, setup=COMPLAINTS,
                   uow_factory=uows, now=T0 + timedelta(minutes=2))  # fmt: skip
    assert STORY in shown_words(uows)
    write(uows, 3, "Kronologi: kemarin siang.", **IG)
    assert "Kronologi: kemarin siang." in shown_words(uows)


def test_an_urgent_message_leaves_the_consent_question_open_for_after_it():
    uows = FakeUnitOfWorkFactory()
    write(uows, 1, STORY, **IG)
    write(uows, 2, "saya mau mati saja", **IG)
    (state,) = uows.db.forms.values()
    assert state.status == "consent"
    (conv,) = uows.db.conversations.values()  # staff lower the level: placeholders again
    uows.db.conversations[conv.id] = replace(conv, urgent=False, risk="biasa")
    write(uows, 3, "Anak saya juga takut.", **IG)
    assert "Anak saya juga takut." not in shown_words(uows)
    write(uows, 4, "ya", **IG)
    assert client(uows).consent == consent.GIVEN
    assert "Anak saya juga takut." in shown_words(uows)


def test_staff_recording_the_answer_with_identitas_show_what_was_held():
    from tests.builders import ADMIN
    from triage.usecases.identity import correct_fields

    uows = FakeUnitOfWorkFactory()
    write(uows, 1, STORY, **IG)
    (conv,) = uows.db.conversations.values()
    correct_fields(conv.id, "Persetujuan: ya\nNama: Sari", actor=ADMIN, setup=SETUP,
                   uow_factory=uows, now=T0 + timedelta(minutes=3))  # fmt: skip
    assert client(uows).consent == consent.GIVEN and STORY in shown_words(uows)


def test_merging_a_masked_client_into_one_who_agreed_shows_what_was_held():
    from tests.builders import ADMIN
    from triage.usecases.identity import link_contacts

    uows = FakeUnitOfWorkFactory()
    write(uows, 1, SETUP.consent_text)  # the hotline client agrees
    write(uows, 2, STORY, **IG)  # the same person on Instagram, unanswered
    assert STORY not in shown_words(uows)
    hotline, insta = sorted(uows.db.contacts.values(), key=lambda c: c.id)
    link_contacts(hotline.id, insta.id, actor=ADMIN, uow_factory=uows, now=T0 + timedelta(1))
    assert client(uows).consent == consent.GIVEN and STORY in shown_words(uows)


def test_an_office_that_turns_the_placeholders_off_shows_a_client_already_asked():
    uows = FakeUnitOfWorkFactory()
    write(uows, 1, STORY, **IG)
    shown = replace(TRIAGE, form=replace(SETUP, mask_before_consent=False))
    write(uows, 2, "halo?", shown, **IG)
    assert STORY in shown_words(uows) and "halo?" in shown_words(uows)
    assert client(uows).consent is None
