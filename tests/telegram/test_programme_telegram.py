"""The semester's guidance programme (the Tangerang standard's steps 2-9) on the local Bot API
server: the coordinator maps and submits in the admin group, the head comments and approves in
the private chat, a session held gets its activity report, the semester's report reaches the
head and the documentation section's receipt is kept; every document read back from Word."""

from __future__ import annotations

from datetime import datetime

from tests.support.office import ADMIN, CLIENT_2, GROUP, HEAD, MADE
from tests.telegram.test_workflows import (  # noqa: F401 (office: the fixture)
    docx_text,
    has_file,
    office,
    school_asks,
    session_day_comes,
)


def test_a_semesters_programme_from_the_mapping_to_the_receipt(office):  # noqa: F811
    state, app = office.state, office.app
    zone = app.workflows.calendar.zone
    app.clock.move_to(datetime(2026, 12, 14, 10, tzinfo=zone))  # a Monday of December
    semester = "2026-2"
    # a session the office held this semester: its activity report (step 6)
    thread, _ = school_asks(office)
    state.user_writes(ADMIN, GROUP, "/terima", thread_id=thread)
    office.wait_for_post(CLIENT_2, "kami terima. Jadwal:")
    session_day_comes(office)
    state.user_writes(ADMIN, GROUP, "/terlaksana 37 orang tua kelas 7", thread_id=thread)
    office.wait_for_post(GROUP, "laporan-kegiatan-1.docx (laporan kegiatan #1)", thread)
    office.wait(has_file(office, HEAD, "laporan-kegiatan-1.docx"), "the activity report")
    activity = docx_text(office, HEAD, "laporan-kegiatan-1.docx")
    for words in ("LAPORAN PELAKSANAAN KEGIATAN", "SMP 3 Contoh", "37", "orang tua kelas 7"):
        assert words in activity
    assert "Bu Rina" not in activity and "0812" not in activity  # the contact stays out

    state.user_writes(MADE, text="/program")  # a counselor is not part of it
    office.wait_for_post(MADE, "dipegang admin (koordinator) dan ketua")
    state.user_writes(HEAD, text="/program setuju")
    office.wait_for_post(HEAD, f"semester {semester} belum diajukan")

    # in December, planning is for the next semester unless another is named
    state.user_writes(ADMIN, GROUP, "/program")
    office.wait_for_post(GROUP, "Program kerja bimbingan dan informasi 2027-1 (Januari–Juni 2027)")
    state.user_writes(ADMIN, GROUP, "/program setuju")  # the head's step
    office.wait_for_post(GROUP, "Umpan balik dan persetujuan program kerja diberikan oleh ketua")

    # steps 2-3: the coordinator maps the needs and submits the programme from the group
    state.user_writes(ADMIN, GROUP, f"/program pemetaan {semester} dengar pendapat UPTD PPA")
    office.wait_for_post(GROUP, f"Pemetaan kebutuhan semester {semester} dicatat")
    office.wait(has_file(office, ADMIN, f"program-kerja-{semester}.docx"), "the form")
    state.user_writes(ADMIN, GROUP, "/program ajukan")
    office.wait_for_post(GROUP, "satu kegiatan per baris")
    state.user_writes(
        ADMIN, GROUP, f"/program ajukan {semester}\n1. Pola asuh positif; orang tua SD; Oktober\n"
        "2. Cegah perundungan <b>; siswa SMP; November",
    )  # fmt: skip
    office.wait_for_post(GROUP, f"Program kerja semester {semester} diajukan kepada ketua")
    office.wait(has_file(office, HEAD, f"program-kerja-{semester}.docx"), "the form to the head")
    form = docx_text(office, HEAD, f"program-kerja-{semester}.docx")
    for words in ("FORMULIR PROGRAM KERJA", "A. Pemetaan kebutuhan", "dengar pendapat UPTD PPA",
                  "Pola asuh positif", "Cegah perundungan <b>", "D. Disposisi Ketua"):  # fmt: skip
        assert words in form

    # step 4: the head comments, the coordinator is told; then approves: the letter (step 5)
    state.user_writes(
        HEAD, text="/program catatan tambahkan kegiatan untuk remaja & <i>\nserta jadwal Desember"
    )
    told = office.wait_for_post(ADMIN, "Umpan balik ketua (Ketut)")
    assert "tambahkan kegiatan untuk remaja & <i>\nserta jadwal Desember" in told["text"]
    assert f"/program ajukan {semester}" in told["text"]  # the way back names the semester
    state.user_writes(HEAD, text="/program setuju lanjutkan")
    office.wait_for_post(HEAD, f"Program kerja semester {semester} disetujui")
    office.wait(has_file(office, ADMIN, f"surat-tugas-{semester}.docx"), "the letter")
    letter = docx_text(office, ADMIN, f"surat-tugas-{semester}.docx")
    assert "SURAT TUGAS" in letter and "Wayan" in letter and "Pola asuh positif" in letter

    # steps 7-9: the report handed to the head, the documentation section's receipt
    state.user_writes(ADMIN, GROUP, "/program laporan")  # the approved one not yet reported
    office.wait(has_file(office, HEAD, f"laporan-program-{semester}.docx"), "the report")
    report = docx_text(office, HEAD, f"laporan-program-{semester}.docx")
    for words in ("LAPORAN PELAKSANAAN PROGRAM KERJA", "Bersama ini kami serahkan", "SMP 3 Contoh",
                  "terlaksana", "tambahkan kegiatan untuk remaja"):  # fmt: skip
        assert words in report
    state.user_writes(ADMIN, GROUP, "/program terima Bu Sari (arsip)")
    card = office.wait_for_post(GROUP, "Tanda terima bagian dokumentasi untuk laporan program")
    for step in ("✅ 2.", "✅ 3.", "✅ 4.", "✅ 5.", "✅ 7.", "✅ 8.", "✅ 9."):
        assert step in card["text"]
    office.wait(has_file(office, HEAD, f"tanda-terima-{semester}.docx"), "the receipt")
    receipt = docx_text(office, HEAD, f"tanda-terima-{semester}.docx")
    assert "TANDA TERIMA" in receipt and "Bu Sari (arsip)" in receipt
    state.user_writes(ADMIN, GROUP, f"/program terima {semester} Pak Eko")
    office.wait_for_post(GROUP, f"laporan program semester {semester} sudah dicatat")
