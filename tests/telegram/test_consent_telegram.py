"""Consent on the local Bot API server: a hotline client who writes before answering the
data-protection notice is shown to the admins as a placeholder (no words, no name, not even in
the topic's title) and asked again with the buttons; their tap shows the admins what they wrote."""

from __future__ import annotations

from tests.support.office import CLIENT, GROUP
from tests.support.telegram_office import running_office

STORY = "Saya bingung mengatur waktu anak saya bermain gawai."


def test_a_client_unanswered_is_a_placeholder_until_they_tap_agree(tmp_path):
    with running_office(tmp_path) as office:
        state = office.state
        state.user_writes(CLIENT, text="/start")
        office.wait_for_post(CLIENT, "GRATIS dan RAHASIA")
        state.user_writes(CLIENT, text=STORY)  # without tapping either button
        thread = office.topic_of(1)
        assert state.topics[(GROUP, thread)]["name"] == "📞 (belum menyetujui) · #1"
        card = office.wait_for_post(GROUP, "Percakapan #1", thread)
        assert "isi disembunyikan" in card["text"] and "belum menjawab" in card["text"]
        assert STORY not in card["text"] and "Sari" not in card["text"]
        asked = office.wait_for_post(CLIENT, "Apakah Anda setuju?")
        taps = [b["callback_data"] for row in asked["reply_markup"]["inline_keyboard"] for b in row]
        assert taps == ["consent:yes", "consent:no"]

        office.tap(CLIENT, asked, "consent:yes")
        shown = office.wait_for_post(GROUP, STORY, thread)
        assert "sudah menjawab pemberitahuan" in shown["text"] and "Sari" in shown["text"]
        named = "📞 Sari <b>Dewi</b> · #1"  # the topic's title names her now
        office.wait(lambda: state.topics[(GROUP, thread)]["name"] == named, "the topic renamed")
        office.wait_for_post(CLIENT, "Nama (boleh nama panggilan)")  # the form begins
        state.user_writes(CLIENT, text="Sari")
        office.wait_for_post(GROUP, "Sari", thread)
        every = "\n".join(office.texts(GROUP, thread))
        assert every.count(STORY) == 1


def test_possible_danger_before_consent_alerts_without_the_words_or_the_name(tmp_path):
    with running_office(tmp_path) as office:
        state = office.state
        state.user_writes(CLIENT, text="aku ngerasa cuma jadi beban buat keluarga")
        topic = office.topic_of(1)
        alert = office.wait_for_post(GROUP, "Perlu dicek", topic)
        assert "(belum menyetujui)" in alert["text"]
        assert "beban" not in alert["text"] and "Sari" not in alert["text"]
        asked = office.wait_for_post(CLIENT, "Apakah Anda setuju?")
        office.tap(CLIENT, asked, "consent:yes")
        office.wait_for_post(GROUP, "jadi beban", topic)


def test_berhenti_with_the_button_withdraws_consent_closes_the_case_and_tells_staff(tmp_path):
    with running_office(tmp_path) as office:
        state = office.state
        state.user_writes(CLIENT, text="/start")
        greeting = office.wait_for_post(CLIENT, "GRATIS dan RAHASIA")
        assert "tulis BERHENTI" in greeting["text"]
        office.tap(CLIENT, greeting, "consent:yes")
        office.wait_for_post(CLIENT, "Nama (boleh nama panggilan)")
        state.user_writes(CLIENT, text=STORY)
        thread = office.topic_of(1)
        state.user_writes(CLIENT, text="/berhenti")
        asked = office.wait_for_post(CLIENT, "menarik persetujuan data pribadi Anda?")
        taps = [b["callback_data"] for row in asked["reply_markup"]["inline_keyboard"] for b in row]
        assert taps == ["withdraw:yes", "withdraw:no"]
        office.tap(CLIENT, asked, "withdraw:yes")
        office.wait_for_post(CLIENT, "Persetujuan Anda sudah ditarik")
        told = office.wait_for_post(GROUP, "menarik persetujuan data pribadinya", thread)
        assert "#1" in told["text"]
        office.wait(lambda: state.topics[(GROUP, thread)]["closed"], "the topic closed")
        with office.app.uows() as uow:
            conv = uow.conversations.get(1)
            client = uow.clients.get(conv.client_id)
        assert conv.outcome.value == "berhenti" and client.consent == "withdrawn"
