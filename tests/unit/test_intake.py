"""Clients who do not write online: staff register a walk-in, a phone call, a letter or a
referral; the case lives like an online one, and the bot never writes to the client."""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from tests.builders import ADMIN, COUNSELOR, HEAD, T0
from tests.fakes import FakeUnitOfWorkFactory
from triage.domain.errors import AccessDenied
from triage.domain.intake import IntakeProblem, parse
from triage.domain.model import Channel, Outcome, State
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


def test_the_client_export_names_the_referral_and_what_staff_wrote_down_for_them():
    from bot.files.export import readable
    from tests.fakes import FakeSealer
    from triage.usecases.subject_access import export_client

    uows = FakeUnitOfWorkFactory()
    words = "rujukan Ibu Sari\nAsal: UPTD PPA\nNomor surat: 12/PPA\nTanggal surat: 20-11-2026\nKDRT"
    conv_id = registered(uows, words).conversation_id
    client_id = uows.db.conversations[conv_id].client_id
    data = export_client(client_id, actor=HEAD, sealer=FakeSealer(), uow_factory=uows, now=T0)
    [contact] = data["contacts"]
    assert contact["channel"] == "rujukan" and contact["address"] is None  # no made-up address
    [conv] = data["conversations"]
    assert conv["referred_by"] == {
        "origin": "UPTD PPA", "letter_number": "12/PPA", "letter_date": "2026-11-20",
    }  # fmt: skip
    assert [m["written_by_staff"] for m in conv["messages"]] == [True]
    shown = readable(data)
    assert "rujukan: - (Ibu Sari)" in shown and "klien (dicatat petugas): KDRT" in shown
    assert "Dirujuk oleh: UPTD PPA; surat nomor 12/PPA, tanggal 2026-11-20" in shown


def test_a_redelivered_note_is_kept_once_even_after_the_case_moved_on():
    uows = FakeUnitOfWorkFactory()
    conv_id = registered(uows, "telepon Pak Budi\nkonsultasi").conversation_id
    first = reply_to_client(conv_id, "sudah ditelepon balik", actor=ADMIN, idempotency_key="n1",
                            uow_factory=uows, now=T0)  # fmt: skip
    casework.close(conv_id, Outcome.TUNTAS, actor=ADMIN, uow_factory=uows, now=T0)
    again = reply_to_client(conv_id, "sudah ditelepon balik", actor=ADMIN, idempotency_key="n1",
                            uow_factory=uows, now=T0)  # fmt: skip
    assert again.duplicate and again.message_id == first.message_id


def test_a_year_written_with_two_digits_is_not_moved_back():
    with pytest.raises(IntakeProblem):  # 25 November 2026 is still to come on the 24th
        parse("rujukan Ibu R\nAsal: RS\nTanggal surat: 25/11/26", TODAY)
    assert parse("rujukan Ibu R\nAsal: RS\nTgl: 20/11/26", TODAY).letter_date == date(2026, 11, 20)


def test_staff_are_not_told_of_automatic_answers_or_replies_that_were_never_sent():
    from zoneinfo import ZoneInfo

    from bot.telegram.render import render
    from tests.unit.test_after_hours import CAL
    from triage.effects.assess import AfterHours

    night = T0 + timedelta(hours=12)  # 21.00 WITA: outside service hours
    setup = RelaySetup(decide, "Kami mendengar Anda.", alert_to=(2001,),
                       after_hours=AfterHours(CAL, lambda at: "Di luar jam layanan"))  # fmt: skip
    uows = FakeUnitOfWorkFactory()
    registered(uows, "telepon Ibu R\nanak dipukul ayahnya barusan", at=night)
    relay_new_messages(uow_factory=uows, now=night, triage=setup)
    zone = ZoneInfo("Asia/Makassar")
    posts = [render(o, "id", zone).text for o in uows.db.outbox.values()]
    assert not any("Di luar jam layanan" in p for p in posts)  # no after-hours answer shown
    alerts = [o for o in uows.db.outbox.values() if o.options.get("kind") == Kind.ALERT]
    assert alerts and len({render(o, "id", zone).text for o in alerts}) == 1
    alert = render(alerts[0], "id", zone).text
    assert "bot tidak mengirim apa pun" in alert and "sudah dikirim ke klien" not in alert
    [card] = [p for p in posts if "Klien ini tidak menulis daring" in p]
    assert "untuk menjawab klien" not in card
    assert not any(s.step == "auto_answer" for s in uows.db.steps)


def test_joined_with_the_same_client_online_replies_go_where_they_can_be_read():
    from tests.builders import inbound
    from triage.usecases.identity import link_contacts
    from triage.usecases.ingest import ingest

    uows = FakeUnitOfWorkFactory()
    walk_in = registered(uows, "langsung Ibu Sari\nkonsultasi").conversation_id
    later = T0 + timedelta(minutes=5)
    online = ingest(inbound(1, text="ini Sari yang tadi datang", at=later), uow_factory=uows,
                    now=later).conversation_id  # fmt: skip
    offline_contact = uows.db.conversations[walk_in].reply_contact_id
    online_contact = uows.db.conversations[online].reply_contact_id
    # the offline registration is the newer one here: replies must still go online
    newest = uows.db.conversations[walk_in]
    uows.db.conversations[walk_in] = replace(newest, last_message_at=T0 + timedelta(hours=1))
    link_contacts(offline_contact, online_contact, actor=ADMIN, uow_factory=uows, now=later)
    [conv] = [c for c in uows.db.conversations.values() if c.is_open]
    assert conv.reply_contact_id == online_contact
    done = reply_to_client(conv.id, "Bu Sari, jadwal besok jam 9", actor=ADMIN,
                           idempotency_key="r1", uow_factory=uows, now=later)  # fmt: skip
    assert uows.db.outbox[done.outbox_id].target is Target.HOTLINE
