"""The Telegram side at its edges: media and the size cap, edits, a plain group, a deleted
topic, two counselors tapping at once on PostgreSQL."""

from __future__ import annotations

import re
import threading

import pytest

from bot.telegram import staff_ops
from tests.support.office import ADMIN, CLIENT, GROUP, HEAD, MADE, NYOMAN, UNMASKED
from tests.support.telegram_office import STRANGER, running_office
from triage.domain.model import State


def test_photos_documents_and_voice_are_kept_and_big_files_only_noted(tmp_path):
    with running_office(
        tmp_path, telegram={"max_media_mb": 0.01}, consent=UNMASKED
    ) as office:  # ~10 KB cap
        state = office.state
        state.user_sends_file(
            CLIENT, "photo", b"\xff\xd8" + b"p" * 500, "x.jpg", "image/jpeg", caption="foto memar"
        )
        state.user_sends_file(
            CLIENT, "document", b"%PDF" + b"d" * 300, "../../surat <dokter>.pdf", "application/pdf"
        )
        state.user_sends_file(CLIENT, "voice", b"OggS" + b"v" * 200, "v.ogg", "audio/ogg")
        state.user_sends_file(CLIENT, "document", b"b" * 20_000, "besar.zip", "application/zip")
        office.wait(lambda: len(office.messages()) == 4, "four messages stored")
        photo, document, voice, big = office.messages()
        assert photo.text == "foto memar" and photo.attachments[0].size == 502
        saved = photo.attachments[0].stored_path
        assert saved and open(saved, "rb").read() == b"\xff\xd8" + b"p" * 500
        name = document.attachments[0].filename
        assert "/" not in name and ".." not in name.strip(".") and "<" not in name
        assert "[dokumen]" in document.text and "[pesan suara]" in voice.text
        assert big.attachments[0].stored_path is None and "tidak diunduh" in big.text
        thread = office.topic_of(1)
        office.wait_for_post(GROUP, "tidak diunduh", thread)  # staff see the file was not kept


def test_a_client_over_the_daily_file_allowance_is_told_to_staff_and_the_message_kept(tmp_path):
    with running_office(
        tmp_path, limits={"client_files_mb_per_day": 0.01}, consent=UNMASKED
    ) as office:  # 10 KB
        state = office.state
        state.user_sends_file(CLIENT, "photo", b"\xff\xd8" + b"a" * 6000, "a.jpg", "image/jpeg")
        state.user_sends_file(
            CLIENT, "photo", b"\xff\xd8" + b"b" * 6000, "b.jpg", "image/jpeg", caption="ini juga"
        )
        office.wait(lambda: len(office.messages()) == 2, "both messages stored")
        first, second = office.messages()
        assert first.attachments[0].stored_path is not None
        assert second.attachments[0].stored_path is None
        assert "ini juga" in second.text and "client_files_mb_per_day" in second.text
        stored = list((tmp_path / "data" / "attachments" / "hotline").iterdir())
        assert len(stored) == 1
        office.wait_for_post(GROUP, "tidak disimpan", office.topic_of(1))


def test_an_edited_message_reaches_staff_as_a_new_message(tmp_path):
    with running_office(tmp_path, consent=UNMASKED) as office:
        sent = office.state.user_writes(CLIENT, text="nomor saya 0812")
        office.wait(lambda: len(office.messages()) == 1, "the message stored")
        office.state.user_edits(sent, "nomor saya 0813")
        office.wait(lambda: len(office.messages()) == 2, "the edit stored")
        assert office.messages()[1].text == "[pesan diubah] nomor saya 0813"
        office.wait_for_post(GROUP, "nomor saya 0813", office.topic_of(1))


def test_a_plain_group_works_by_replying_to_the_bots_posts(tmp_path):
    from tests.support.telegram_office import office_state

    state = office_state()
    state.add_group(
        GROUP,
        "Admin PUSPAGA",
        forum=False,
        members={ADMIN: "member", HEAD: "member", STRANGER: "member"},
    )
    with running_office(tmp_path, state, consent=UNMASKED) as office:
        state.user_writes(CLIENT, text="Halo dari grup biasa")
        card = office.wait_for_post(GROUP, "Percakapan #1")
        assert "message_thread_id" not in card
        state.user_writes(CLIENT, text="pesan kedua")
        second = office.wait_for_post(GROUP, "pesan kedua")
        assert second["reply_to_message"]["message_id"] == card["message_id"]  # threaded
        state.user_writes(
            ADMIN, GROUP, "Halo, kami bantu.", reply_to=office.known(second)["message_id"]
        )
        office.wait_for_post(CLIENT, "Halo, kami bantu.")
        state.user_writes(ADMIN, GROUP, "ngobrol antar admin tanpa balas")  # not for a client
        office.wait(lambda: office.conversation().state is State.WITH_ADMIN, "the admin reply")
        assert office.texts(CLIENT) == ["Halo, kami bantu."]


def test_a_deleted_topic_is_opened_again(tmp_path):
    with running_office(tmp_path, consent=UNMASKED) as office:
        office.state.user_writes(CLIENT, text="satu")
        first = office.topic_of(1)
        office.wait_for_post(GROUP, "satu", first)
        office.state.delete_topic(GROUP, first)
        office.state.user_writes(CLIENT, text="dua")
        office.wait(
            lambda: (t := office.app.telegram.maps.topic(1)) and t.thread_id != first,
            "a new topic",
        )
        office.wait_for_post(GROUP, "dua", office.app.telegram.maps.topic(1).thread_id)


@pytest.mark.pg
def test_two_counselors_tapping_at_once_on_postgresql_one_wins(tmp_path, pg_server_url):
    from tests.support.pg_cluster import fresh_pg_database

    with running_office(tmp_path, database_url=fresh_pg_database(pg_server_url)) as office:
        state = office.state
        state.user_writes(CLIENT, text="Halo")
        card = office.wait_for_post(GROUP, "Percakapan #1", office.topic_of(1))
        state.user_presses(ADMIN, card, "handoff:1:1")
        offers = {c: office.wait_for_post(c, "Kasus #1") for c in (MADE, NYOMAN)}
        # the two taps go through the core at the same moment, each in its own worker
        barrier = threading.Barrier(2)
        inbound = office.app.telegram.inbound
        outcomes = {}

        def tap(counselor):
            actor = inbound.staff.get(counselor)
            barrier.wait()
            try:
                staff_ops.transition(inbound.desk, "claim", actor, 1, f"tap:{counselor}")
                outcomes[counselor] = "won"
            except Exception as exc:  # noqa: BLE001
                outcomes[counselor] = type(exc).__name__

        threads = [threading.Thread(target=tap, args=(c,)) for c in offers]
        for t in threads:
            t.start()
        for t in threads:
            t.join(10)
        assert sorted(outcomes.values()) == ["TransitionNotAllowed", "won"]
        winner = next(c for c, o in outcomes.items() if o == "won")
        assert office.conversation().counselor_id == winner
        loser = NYOMAN if winner == MADE else MADE
        office.wait_for_post(loser, "sudah diambil oleh")  # the other sees who took it
        # and a late tap in Telegram is answered with who took it
        state.user_presses(loser, offers[loser], "claim:1:1")
        office.wait(lambda: any("sudah diambil" in a for a in office.answers()), "the answer")


def test_an_update_whose_handling_failed_is_handled_again_not_lost(tmp_path, caplog):
    with running_office(tmp_path, consent=UNMASKED) as office:
        hotline = office.app.telegram.inbound.hotline
        real, failures = hotline._ingest, []

        def flaky(message):
            if not failures:
                failures.append(message.external_id)
                raise OSError("database unreachable")  # an outage: handled again later
            real(message)

        hotline._ingest = flaky
        office.state.user_writes(CLIENT, text="jangan sampai hilang")
        office.wait(lambda: len(office.messages()) == 1, "the message stored on the retry")
        assert failures and office.messages()[0].text == "jangan sampai hilang"
        assert "jangan sampai hilang" not in caplog.text  # the failure is logged without it


def test_replies_carry_the_staff_name_only_when_configured(tmp_path):
    with running_office(tmp_path, telegram={"sign_with_staff_name": True}) as office:
        office.state.user_writes(CLIENT, text="Halo")
        thread = office.topic_of(1)
        office.state.user_writes(ADMIN, GROUP, "Selamat pagi.", thread_id=thread)
        assert office.wait_for_post(CLIENT, "Selamat pagi.")["text"] == "Selamat pagi.\n\n— Wayan"


def test_the_head_takes_a_case_by_command_and_answers_from_the_private_chat(tmp_path):
    with running_office(tmp_path) as office:
        state = office.state
        state.user_writes(CLIENT, text="Halo")
        thread = office.topic_of(1)
        state.user_writes(ADMIN, GROUP, "/serahkan", thread_id=thread)
        office.wait_for_post(GROUP, "Diserahkan ke konselor", thread)
        state.user_writes(STRANGER, text="/ambil 1")  # a client: refused, nothing happens
        office.wait_for_post(STRANGER, "hanya untuk petugas")
        state.user_writes(HEAD, text="/ambil 1")
        office.wait_for_post(HEAD, "Kasus #1 sekarang milik Anda")
        assert office.conversation().counselor_id == HEAD
        state.user_writes(HEAD, text="Ibu, saya ketua PUSPAGA.")  # the taken case is selected
        office.wait_for_post(CLIENT, "Ibu, saya ketua PUSPAGA.")
        office.wait_for_post(MADE, "sudah diambil oleh Ketut")


def test_stickers_and_locations_are_described_and_staff_files_are_not_passed_on(tmp_path):
    with running_office(tmp_path, consent=UNMASKED) as office:
        state = office.state
        sticker = {
            "file_id": "S1",
            "file_unique_id": "s1",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": "😢",
        }
        state.user_writes(CLIENT, sticker=sticker)
        state.user_writes(CLIENT, location={"latitude": -8.65, "longitude": 115.21})
        office.wait(lambda: len(office.messages()) == 2, "both stored")
        assert [m.text for m in office.messages()] == ["[stiker 😢]", "[lokasi: -8.65, 115.21]"]
        thread = office.topic_of(1)
        state.user_sends_file(ADMIN, "photo", b"img", "a.jpg", "image/jpeg", chat_id=GROUP)
        # (in General: ignored) and in the topic: the admin is told only text is passed on
        with state.lock:
            stored = state.store_file(b"img", "a.jpg")
        state.user_writes(
            ADMIN,
            GROUP,
            thread_id=thread,
            photo=[{"file_id": stored.file_id, "file_unique_id": "u", "width": 1, "height": 1}],
        )
        office.wait_for_post(GROUP, "belum dapat diteruskan", thread)
        assert office.texts(CLIENT) == []


def test_a_second_claim_keeps_the_selected_case_and_strangers_to_a_case_see_nothing(tmp_path):
    state = office_state_with_second_client()
    with running_office(tmp_path, state) as office:
        for client, body in ((CLIENT, "Halo dari Sari"), (SECOND, "Halo dari Budi")):
            state.user_writes(client, text=body)
            office.wait(lambda: len(office.state.topics) >= 1, "a topic")
        office.wait(lambda: office.conversation(2) is not None, "two conversations")
        for conv in (1, 2):
            card = office.wait_for_post(GROUP, f"Percakapan #{conv}", office.topic_of(conv))
            state.user_presses(ADMIN, card, f"handoff:{conv}:1")
            office.wait(lambda c=conv: office.conversation(c).state is State.HANDED_OFF, "hand-off")
        offer_1 = office.wait_for_post(MADE, "Kasus #1")
        offer_2 = office.wait_for_post(MADE, "Kasus #2")
        state.user_presses(MADE, offer_1, "claim:1:1")
        office.wait(lambda: office.conversation(1).counselor_id == MADE, "claim of #1")
        state.user_presses(MADE, offer_2, "claim:2:1")
        office.wait(lambda: office.conversation(2).counselor_id == MADE, "claim of #2")
        state.user_writes(MADE, text="Untuk Ibu Sari")  # still case #1, selected first
        office.wait_for_post(CLIENT, "Untuk Ibu Sari")
        assert "Untuk Ibu Sari" not in office.texts(SECOND)
        # Nyoman, not assigned, asks for the identity through his old offer: refused
        old_offer = office.wait_for_post(NYOMAN, "Kasus #1")
        state.user_writes(NYOMAN, text="/identitas", reply_to=office.known(old_offer)["message_id"])
        refusal = office.wait_for_post(NYOMAN, "tidak berwenang")
        assert "Sari" not in refusal["text"]
        # garbage case numbers are answered, and the next request is still handled
        state.user_writes(MADE, text="/kasus ²")
        office.wait_for_post(MADE, "tidak berwenang")
        state.user_writes(MADE, text="/kasus 99999999999999999999")
        state.user_writes(MADE, text="/kasus")
        office.wait_for_post(MADE, "Kasus Anda: #1, #2")


SECOND = 4343


def office_state_with_second_client():
    from tests.support.telegram_office import office_state

    state = office_state()
    state.add_user(SECOND, "Budi")
    return state


def test_a_button_answered_too_late_still_acts_and_does_not_stop_the_bot(tmp_path):
    with running_office(tmp_path) as office:
        state = office.state
        state.user_writes(CLIENT, text="Halo")
        card = office.wait_for_post(GROUP, "Percakapan #1", office.topic_of(1))
        state.stale_callbacks = True
        state.user_presses(ADMIN, card, "urgent:1:1")
        office.wait(lambda: office.conversation().urgent, "the case marked urgent")
        state.user_writes(CLIENT, text="masih di sini")  # the next update is handled
        office.wait(lambda: len(office.messages()) == 2, "the next message")


def test_an_update_that_keeps_failing_is_kept_as_a_dead_letter_and_the_admins_told(tmp_path):
    from sqlalchemy import text as sql

    with running_office(tmp_path, consent=UNMASKED) as office:
        hotline = office.app.telegram.inbound.hotline
        real = hotline._ingest

        def broken(message):
            if "rusak" in message.text:
                raise ValueError("a bug")
            real(message)

        hotline._ingest = broken
        office.state.user_writes(CLIENT, text="pesan rusak")
        office.state.user_writes(CLIENT, text="pesan berikutnya")
        office.wait(lambda: len(office.messages()) == 1, "the next message handled", timeout=30)
        office.wait_for_post(GROUP, "tidak dapat diproses")
        with office.app.engine.connect() as conn:
            payload = conn.execute(sql("SELECT payload FROM dead_letter")).scalar_one()
        assert "pesan rusak" in payload


def test_a_database_outage_while_saving_the_offset_does_not_stop_the_bot(tmp_path):
    from sqlalchemy.exc import OperationalError

    with running_office(tmp_path, consent=UNMASKED) as office:
        runtime = office.app.telegram
        real, failed = runtime._save_offset, []

        def flaky(offset):
            if not failed:
                failed.append(offset)
                raise OperationalError("UPDATE channel_cursor", {}, Exception("database locked"))
            real(offset)

        runtime._save_offset = flaky
        office.state.user_writes(CLIENT, text="satu")
        office.state.user_writes(CLIENT, text="dua")
        office.wait(lambda: len(office.messages()) == 2, "both messages", timeout=20)
        assert failed and [m.text for m in office.messages()] == ["satu", "dua"]


def test_an_urgent_message_on_the_hotline_gets_the_safe_reply_and_alerts_at_once(tmp_path):
    with running_office(tmp_path) as office:
        office.state.user_writes(CLIENT, text="tolonggg suami sy lg ngamuk mukulin sy")
        reply = office.wait_for_post(CLIENT, "SAPA 129")
        assert "112" in reply["text"] and "+62 361 000000" in reply["text"]
        assert "?" not in reply["text"]  # no questions, least of all about method
        for person in (MADE, NYOMAN, HEAD):
            office.wait_for_post(person, "MENDESAK")
        card = office.wait_for_post(GROUP, "Percakapan #1", office.topic_of(1))
        assert "MENDESAK" in card["text"] and "urgent.violence" in card["text"]
        assert office.conversation().urgent and office.conversation().category == "kekerasan"
        assert office.texts(ADMIN) == []  # admins see it in the topic, first in line


def test_an_information_question_is_answered_at_once_and_the_admin_sees_it(tmp_path):
    with running_office(tmp_path, consent=UNMASKED) as office:
        office.state.user_writes(CLIENT, text="Permisi kak, jam buka kantornya? Ada biayanya?")
        answer = office.wait_for_post(CLIENT, "jawaban otomatis")
        assert "Senin–Kamis 08.00–16.00" in answer["text"] and "GRATIS" in answer["text"]
        thread = office.topic_of(1)
        shown = office.wait_for_post(GROUP, "Jawaban otomatis terkirim", thread)
        assert "GRATIS" in shown["text"] and "Percakapan #1" in shown["text"]  # on the card
        office.state.user_writes(CLIENT, text="jam buka hari sabtu?")  # asked again: not twice
        office.wait(lambda: len(office.messages()) == 3, "the second question stored")
        office.wait_for_post(GROUP, "hari sabtu", thread)
        assert sum("jawaban otomatis" in t for t in office.texts(CLIENT)) == 1


def test_the_identity_form_on_the_hotline_survives_a_restart_in_the_middle(tmp_path):
    import threading

    from bot.bootstrap import build
    from bot.demo.local_api import LocalBotApi
    from bot.service import loops as service
    from tests.support.office import office_settings
    from tests.support.telegram_office import Office, office_state

    def start(api):
        app = build(office_settings(api, tmp_path / "data", interval_seconds=0.1))
        stop = threading.Event()
        loop = threading.Thread(target=service.run_forever, args=(app, stop), daemon=True)
        loop.start()
        assert app.telegram.ready.wait(15)
        return Office(api, app), stop, loop

    def halt(office, stop, loop):
        stop.set()
        office.app.wake.set()
        loop.join(timeout=20)
        office.app.engine.dispose()

    with LocalBotApi(office_state()) as api:
        office, stop, loop = start(api)
        state = api.state
        state.user_writes(CLIENT, text="/start")
        greeting = office.wait_for_post(CLIENT, "GRATIS")
        state.user_presses(CLIENT, greeting, "consent:yes")
        office.wait_for_post(CLIENT, "Nama (boleh nama panggilan)")
        state.user_writes(CLIENT, text="Sari")
        office.wait_for_post(CLIENT, "Usia atau tanggal lahir")
        halt(office, stop, loop)  # the service stops in the middle of the form

        office, stop, loop = start(api)
        try:
            for answer, next_question in (
                ("34", "Jenis kelamin"),
                ("perempuan", "Domisili"),
                ("Denpasar Barat", "Nomor HP"),
                ("lewati", "Anda menghubungi sebagai"),
                ("ibu", "Apa yang ingin Anda konsultasikan"),
            ):
                state.user_writes(CLIENT, text=answer)
                office.wait_for_post(CLIENT, next_question)
            state.user_writes(CLIENT, text="anak saya susah makan")
            done = office.wait_for_post(CLIENT, "nomor registrasi")
            assert "PUSPAGA/" in done["text"] and "/0001" in done["text"]
            office.wait_for_post(GROUP, "Formulir identitas lengkap", office.topic_of(1))
            assert office.conversation().steps.form_completed is not None
        finally:
            halt(office, stop, loop)


def test_an_admin_fills_and_corrects_the_identity_form_with_identitas(tmp_path):
    with running_office(tmp_path) as office:
        state = office.state
        state.user_writes(CLIENT, text="Halo, saya mau konsultasi soal anak")
        office.wait_for_post(GROUP, "Percakapan #1")
        topic = office.topic_of(1)
        state.user_writes(
            ADMIN,
            GROUP,
            "/identitas\nNama: Rina Wulandari\nUsia: tua sekali\nNIK: 5171014107900001",
            thread_id=topic,
        )
        saved = office.wait_for_post(GROUP, "Tersimpan: Nama, NIK", topic)
        assert "Belum tersimpan — Usia" in saved["text"]  # named, not stored
        card = office.wait_for_post(GROUP, "Identitas klien #1", topic)
        assert "Nama: Rina Wulandari" in card["text"] and "Nomor registrasi: —" in card["text"]
        assert "5171014107900001" not in card["text"] and "0001" in card["text"]  # NIK masked
        state.user_writes(
            ADMIN,
            GROUP,
            "/identitas\npersetujuan: ya\nusia: 34\njk: P\nalamat: Denpasar Barat\n"
            "hubungan: ibu\ntopik: anak susah makan",
            thread_id=topic,
        )
        office.wait_for_post(GROUP, "Formulir identitas lengkap", topic)
        card = office.wait_for_post(GROUP, "Usia: 34", topic)
        assert re.search(r"Nomor registrasi: PUSPAGA/\d{4}/\d{2}/0001", card["text"])
        assert office.conversation().steps.form_completed is not None
        state.user_writes(STRANGER, GROUP, "/identitas\nNama: Penyusup", thread_id=topic)
        state.user_writes(ADMIN, GROUP, "/identitas", thread_id=topic)

        def cards():
            return [t for t in office.texts(GROUP, topic) if "Identitas klien #1" in t]

        office.wait(lambda: len(cards()) == 3, "the third card")
        assert "Nama: Rina Wulandari" in cards()[-1]  # a non-staff member changed nothing
        assert not any("Penyusup" in t for t in office.texts(GROUP, topic))


def test_an_admin_joins_two_conversations_of_the_same_person_with_gabung(tmp_path):
    with running_office(tmp_path) as office:
        state = office.state
        state.user_writes(CLIENT, text="Halo, saya Rina")
        office.wait_for_post(GROUP, "Percakapan #1")
        state.user_writes(STRANGER, text="Halo, ini Rina dari nomor lain")
        office.wait_for_post(GROUP, "Percakapan #2")
        state.user_writes(ADMIN, GROUP, "/gabung", thread_id=office.topic_of(1))
        office.wait_for_post(GROUP, "Tulis /gabung", office.topic_of(1))
        state.user_writes(ADMIN, GROUP, "/gabung 2", thread_id=office.topic_of(1))
        office.wait_for_post(GROUP, "🔗 Klien percakapan #2 dan #1", office.topic_of(1))
        with office.app.uows() as uow:
            clients = {c.client_id for c in uow.conversations.all()}
            contacts = uow.contacts.for_client(next(iter(clients)))
        assert len(clients) == 1 and len(contacts) == 2  # one person, both chats


def test_outside_service_hours_the_client_hears_when_a_person_will_answer(tmp_path):
    from datetime import UTC, datetime, timedelta

    today = datetime.now(UTC).date()
    closed = [str(today + timedelta(days=d)) for d in (-1, 0, 1)]  # closed whatever the hour
    office_config = {"after_hours_reply": True, "closed_days": closed}
    with running_office(tmp_path, office=office_config, consent=UNMASKED) as office:
        office.state.user_writes(CLIENT, text="Halo kak, saya mau cerita")
        reply = office.wait_for_post(CLIENT, "di luar jam layanan")
        assert "SAPA 129" in reply["text"] and "Petugas kami akan membalas mulai" in reply["text"]
        office.wait_for_post(GROUP, "di luar jam layanan", office.topic_of(1))  # admin sees it
        office.state.user_writes(CLIENT, text="kak?")
        office.wait(lambda: len(office.messages()) == 2, "the second message stored")
        office.wait_for_post(GROUP, "kak?", office.topic_of(1))
        assert len([t for t in office.texts(CLIENT) if "di luar jam layanan" in t]) == 1


def test_anyone_learns_their_telegram_id_with_saya_and_nothing_is_stored(tmp_path):
    """Setting up: a new staff member sends /saya to the bot and reads the number that goes in
    [[staff]]; it opens no conversation (it is not a client's message)."""
    with running_office(tmp_path) as office:
        office.state.user_writes(STRANGER, text="/saya")
        told = office.wait_for_post(STRANGER, f"ID Telegram Anda: {STRANGER}")
        assert f"telegram_id = {STRANGER}" in told["text"]
        office.state.user_writes(ADMIN, text="/saya")
        told = office.wait_for_post(ADMIN, f"ID Telegram Anda: {ADMIN}")
        assert "terdaftar sebagai admin" in told["text"]
        with office.app.uows() as uow:
            assert uow.conversations.get(1) is None  # no client conversation was opened
