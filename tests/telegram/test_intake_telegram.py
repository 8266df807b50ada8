"""/klien_baru against the local Bot API server: a client who came in person gets a card and a
topic like an online one, the identity form and register number through /identitas, and what
staff type in the topic is kept as notes (nothing goes to any client)."""

from __future__ import annotations

import re

from tests.support.office import ADMIN, GROUP, MADE
from tests.support.telegram_office import running_office
from triage.domain.model import Channel, State
from triage.domain.outbox import Target


def test_an_admin_registers_a_walk_in_who_then_lives_like_an_online_client(tmp_path):
    with running_office(tmp_path) as office:
        state = office.state
        state.user_writes(ADMIN, GROUP, "/klien_baru")
        office.wait_for_post(GROUP, "Tulis dulu cara klien datang")
        state.user_writes(
            ADMIN, GROUP, "/klien_baru langsung Ibu <b>Sari</b>\nAnaknya mogok sekolah sebulan"
        )
        office.wait_for_post(GROUP, "terdaftar sebagai kasus #1")
        card = office.wait_for_post(GROUP, "Percakapan #1")
        assert "Anaknya mogok sekolah" in card["text"] and "🚶" in card["text"]
        assert "<b>Sari</b>" in card["text"]  # the name shown as typed, not as markup
        topic = office.topic_of(1)
        state.user_writes(ADMIN, GROUP, "Ibu Sari menunggu di ruang konseling", thread_id=topic)
        office.wait_for_post(GROUP, "Disimpan sebagai catatan", topic)
        state.user_writes(ADMIN, GROUP, "Sudah masuk ruang 2", thread_id=topic)
        state.user_writes(
            ADMIN,
            GROUP,
            "/identitas\npersetujuan: ya\nusia: 34\njk: P\nalamat: Denpasar Barat\n"
            "hubungan: ibu\ntopik: anak mogok sekolah",
            thread_id=topic,
        )
        card = office.wait_for_post(GROUP, "Usia: 34", topic)
        assert re.search(r"Nomor registrasi: PUSPAGA/\d{4}/\d{2}/0001", card["text"])
        with office.app.uows() as uow:
            conv = uow.conversations.get(1)
            messages = uow.messages.for_conversation(1)
            contact = uow.contacts.get(conv.reply_contact_id)
            queued = uow.outbox.for_conversation(1)
        assert contact.channel is Channel.LANGSUNG
        assert conv.state is State.WITH_ADMIN and conv.steps.first_admin_response is not None
        assert conv.steps.form_completed is not None
        note = next(m for m in messages if m.text == "Ibu Sari menunggu di ruang konseling")
        assert note.internal and note.staff_id == ADMIN
        assert any(m.internal and m.text == "Sudah masuk ruang 2" for m in messages)
        hints = [t for t in office.texts(GROUP, topic) if "Disimpan sebagai catatan" in t]
        assert len(hints) == 1  # said once per case, not after every note
        assert {item.target for item in queued} == {Target.TELEGRAM}  # staff only
        assert all(t.startswith(("group:", "staff:")) for t in (i.recipient for i in queued))


def test_a_counselor_cannot_register_and_a_referral_without_its_origin_is_refused(tmp_path):
    with running_office(tmp_path) as office:
        state = office.state
        state.user_writes(MADE, text="/klien_baru langsung Ibu Sari")
        office.wait_for_post(MADE, "Hanya admin dan kepala")
        state.user_writes(ADMIN, GROUP, "/klien_baru rujukan Pak Tono\nNomor surat: 1/A")
        office.wait_for_post(GROUP, "lembaga yang merujuk")
        with office.app.uows() as uow:
            assert uow.conversations.get(1) is None
        state.user_writes(
            ADMIN,
            GROUP,
            "/klien_baru rujukan Pak Tono\nAsal: UPTD PPA\nNomor surat: 12/PPA\n"
            "Tanggal surat: 2-11-2026\nPendampingan anak pasca kekerasan",
        )
        office.wait_for_post(GROUP, "Percakapan #1")
        state.user_writes(ADMIN, GROUP, "/identitas", thread_id=office.topic_of(1))
        card = office.wait_for_post(GROUP, "Identitas klien #1", office.topic_of(1))
        assert "Dirujuk oleh: UPTD PPA · surat nomor 12/PPA, tanggal 02-11-2026" in card["text"]
        assert "Kontak: Rujukan\n" in card["text"]  # no made-up address shown
        # the chronology the referring body sent: kept sealed with the case, given back on request
        topic = office.topic_of(1)
        chronology = b"%PDF-1.4 kronologi: anak didampingi sejak Oktober"
        pdf = "application/pdf"
        state.user_sends_file(ADMIN, "document", chronology, "kronologi PPA.pdf", pdf, GROUP,
                              "dari UPTD PPA", thread_id=topic)  # fmt: skip
        office.wait_for_post(GROUP, "kronologi_PPA.pdf disimpan tersegel bersama kasus #1", topic)
        sealed = next((office.app.settings.data_dir / "rujukan" / "masuk-1").glob("*.sealed"))
        assert b"kronologi" not in sealed.read_bytes()  # sealed with the office key
        state.user_writes(ADMIN, GROUP, "/berkas", thread_id=topic)
        office.wait_for_post(GROUP, "1 berkas kasus #1 dikirim", topic)
        got = lambda: [m for m in state.sent(ADMIN) if "document" in m]  # noqa: E731
        office.wait(got, "the chronology in the admin's private chat")
        assert got()[0]["document"]["file_name"] == "kronologi_PPA.pdf"
        assert state.files[got()[0]["document"]["file_id"]].content == chronology
        with office.app.uows() as uow:
            notes = [m for m in uow.messages.for_conversation(1) if m.attachments]
            actions = [e.action for e in uow.audit.entries(1)]
        assert notes[0].internal and "dari UPTD PPA" in notes[0].text
        assert "kept_files.read" in actions
