"""Clients who do not write online: staff register a walk-in, a phone call, a letter or a
referral; the case lives like an online one, and the bot never writes to the client."""

from datetime import date, timedelta

import pytest

from tests.builders import ADMIN, COUNSELOR, HEAD, T0
from tests.fakes import FakeUnitOfWorkFactory
from triage.domain.errors import AccessDenied
from triage.domain.intake import IntakeProblem, parse
from triage.domain.model import Channel, State
from triage.domain.notices import Kind
from triage.domain.outbox import Target
from triage.domain.rules.classify import MENDESAK, Decision
from triage.effects.assess import RelaySetup
from triage.usecases import casework
from triage.usecases.ingest import register
from triage.usecases.relay import relay_new_messages
from triage.usecases.replies import reply_to_client

TODAY = date(2026, 11, 24)


def decide(body: str) -> Decision:
    if "pukul" in body:
        return Decision(True, "kekerasan", ("urgent.violence: pukul",), {}, MENDESAK)
    return Decision(False, "remaja" if "sekolah" in body else "lainnya", (), {})


TRIAGE = RelaySetup(decide, "Kami mendengar Anda.", alert_to=(2001,))


def test_the_way_the_name_and_the_summary_are_read_from_staff_words():
    walk_in = parse("langsung  Ibu   Sari\nAnaknya tidak mau sekolah.\nSudah sebulan.", TODAY)
    assert walk_in.channel is Channel.LANGSUNG and walk_in.name == "Ibu Sari"
    assert walk_in.summary == "Anaknya tidak mau sekolah.\nSudah sebulan."
    assert parse("Telp Pak Budi", TODAY).channel is Channel.TELEPON
    assert parse("surat Ibu R", TODAY).summary == ""
    # "Tanggal:" in a walk-in's story is part of the story, not a letter date
    assert parse("langsung Ibu R\nTanggal: kemarin", TODAY).summary == "Tanggal: kemarin"


def test_a_referral_keeps_its_origin_letter_number_and_date():
    referred = parse(
        "rujukan Bapak Tono\nAsal: Puskesmas Sukamaju\nNomor surat: 440/123/PKM\n"
        "Tanggal surat: 1 November 2026\nKeluarga butuh pendampingan.",
        TODAY,
    )
    assert referred.channel is Channel.RUJUKAN
    assert (referred.origin, referred.letter_number) == ("Puskesmas Sukamaju", "440/123/PKM")
    assert referred.letter_date == date(2026, 11, 1)
    assert referred.summary == "Keluarga butuh pendampingan."
    # a date without its year is the last such day, not the next one
    assert parse("rujukan X\nDari: RSUD\nTgl: 30 des", TODAY).letter_date == date(2025, 12, 30)


@pytest.mark.parametrize(
    ("words", "problem"),
    [
        ("", "way"),
        ("kemarin Ibu Sari", "way"),
        ("langsung", "name"),
        ("rujukan Ibu Sari\nNomor surat: 12", "origin"),
        ("rujukan Ibu Sari\nAsal: RS\nTanggal surat: besok lusa", "date"),
        ("rujukan Ibu Sari\nAsal: RS\nTanggal surat: 1 Januari 2027", "date"),  # not yet
    ],
)
def test_words_that_cannot_make_a_case_say_what_is_missing(words, problem):
    with pytest.raises(IntakeProblem) as raised:
        parse(words, TODAY)
    assert raised.value.code == problem


def registered(uows, words, key="u1", actor=ADMIN, at=T0):
    return register(parse(words, TODAY), actor=actor, key=key, uow_factory=uows, now=at)


def test_a_walk_in_gets_a_case_a_card_and_the_admin_answer_step_but_nothing_is_sent_to_them():
    uows = FakeUnitOfWorkFactory()
    conv_id = registered(uows, "langsung Ibu Sari\nAnaknya mogok sekolah").conversation_id
    conv = uows.db.conversations[conv_id]
    assert conv.state is State.WITH_ADMIN and conv.steps.first_admin_response == T0
    [contact] = uows.db.contacts.values()
    assert contact.channel is Channel.LANGSUNG and contact.display_name == "Ibu Sari"
    assert relay_new_messages(uow_factory=uows, now=T0, triage=TRIAGE) == 1
    assert uows.db.conversations[conv_id].category == "remaja"  # triage reads staff's summary
    [card] = [o for o in uows.db.outbox.values() if o.target is Target.TELEGRAM]
    assert card.options["kind"] == Kind.CARD and card.options["channel"] == "langsung"
    step = next(s for s in uows.db.steps if s.step == "first_admin_response")
    assert (step.staff_id, step.detail) == (ADMIN.staff_id, "langsung")


def test_registering_twice_by_the_same_staff_action_makes_one_case():
    uows = FakeUnitOfWorkFactory()
    first = registered(uows, "telepon Pak Budi")
    again = registered(uows, "telepon Pak Budi")
    assert again.duplicate and again.conversation_id == first.conversation_id
    assert len(uows.db.conversations) == 1
    other = registered(uows, "telepon Pak Budi", key="u2")  # another call: another case
    assert other.conversation_id != first.conversation_id


def test_an_urgent_walk_in_alerts_staff_and_no_crisis_reply_is_queued_for_the_client():
    uows = FakeUnitOfWorkFactory()
    conv_id = registered(uows, "langsung Ibu R\nIbu dipukul suami tadi pagi").conversation_id
    relay_new_messages(uow_factory=uows, now=T0, triage=TRIAGE)
    assert uows.db.conversations[conv_id].urgent
    assert all(o.target is Target.TELEGRAM for o in uows.db.outbox.values())
    alerts = [o for o in uows.db.outbox.values() if o.recipient == "staff:2001"]
    assert alerts  # the counselor on duty is alerted as for any urgent case


def test_what_staff_write_in_the_topic_is_a_note_and_counts_as_their_answer():
    uows = FakeUnitOfWorkFactory()
    conv_id = registered(uows, "langsung Ibu Sari\nkonsultasi").conversation_id
    relay_new_messages(uow_factory=uows, now=T0, triage=TRIAGE)
    before = len(uows.db.outbox)
    done = reply_to_client(
        conv_id, "Ibu Sari sudah diterima di ruang konseling", actor=ADMIN,
        idempotency_key="k1", uow_factory=uows, now=T0,
    )  # fmt: skip
    assert len(uows.db.outbox) == before  # nothing to send
    note = uows.db.messages[done.message_id]
    assert note.internal and note.channel is Channel.LANGSUNG and note.staff_id == ADMIN.staff_id
    again = reply_to_client(
        conv_id, "Ibu Sari sudah diterima di ruang konseling", actor=ADMIN,
        idempotency_key="k1", uow_factory=uows, now=T0,
    )  # fmt: skip
    assert again.duplicate and again.message_id == done.message_id
    # the counselor's notes of the session are theirs, and stamp their first response
    later = T0 + timedelta(minutes=3)
    casework.hand_off(conv_id, actor=ADMIN, counselors=(COUNSELOR.staff_id,), uow_factory=uows,
                      now=later, key="h")  # fmt: skip
    casework.claim(conv_id, actor=COUNSELOR, counselors=(COUNSELOR.staff_id,), uow_factory=uows,
                   now=later, key="c")  # fmt: skip
    session = reply_to_client(
        conv_id, "Sesi pertama: ibu bercerita", actor=COUNSELOR,
        idempotency_key="k2", uow_factory=uows, now=later,
    )  # fmt: skip
    assert uows.db.messages[session.message_id].confidential
    assert uows.db.conversations[conv_id].steps.first_counselor_response == later
    assert all(o.target is Target.TELEGRAM for o in uows.db.outbox.values())  # all for staff


def test_a_referral_is_kept_with_the_case_and_only_admins_and_the_head_register():
    uows = FakeUnitOfWorkFactory()
    words = "rujukan Bapak Tono\nAsal: UPTD PPA\nNomor surat: 12/PPA\nTanggal surat: 20-11-2026"
    conv_id = registered(uows, words, actor=HEAD).conversation_id
    kept = uows.db.incoming[conv_id]
    assert (kept.origin, kept.letter_number, kept.letter_date) == (
        "UPTD PPA", "12/PPA", date(2026, 11, 20),
    )  # fmt: skip
    assert kept.staff_id == HEAD.staff_id
    with pytest.raises(AccessDenied):
        registered(uows, "langsung Ibu Sari", key="u9", actor=COUNSELOR)
