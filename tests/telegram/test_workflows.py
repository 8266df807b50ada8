"""The complaint (the complaint standard) and psychoeducation (the Kaltim standard) workflows end
to end on the local Bot
API server: the client on the hotline, the admin in the topic, the head in the private chat."""

from __future__ import annotations

import io
import re
from dataclasses import replace

import pytest
from docx import Document

from tests.support.office import ADMIN, CLIENT, CLIENT_2, GROUP, HEAD, MADE
from tests.support.telegram_office import running_office
from triage.domain.model import State


@pytest.fixture
def office(tmp_path):
    with running_office(tmp_path) as running:
        yield running


def docx_text(office, chat: int, name: str) -> str:
    """The last Word file `name` sent to `chat`, as its paragraphs and cells."""
    sent = [m for m in office.state.sent(chat) if m.get("document", {}).get("file_name") == name]
    doc = Document(io.BytesIO(office.state.files[sent[-1]["document"]["file_id"]].content))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def steps_table(office, chat: int, name: str) -> list[tuple[str, str, str]]:
    """The handling report's table of the 16 steps: (step, when, by) per row."""
    sent = [m for m in office.state.sent(chat) if m.get("document", {}).get("file_name") == name]
    doc = Document(io.BytesIO(office.state.files[sent[-1]["document"]["file_id"]].content))
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "Langkah")
    return [tuple(c.text for c in row.cells) for row in table.rows[1:]]  # type: ignore[misc]


def has_file(office, chat: int, name: str, count: int = 1):
    def sent() -> bool:
        found = [m for m in office.state.sent(chat) if "document" in m]
        return sum(m["document"]["file_name"] == name for m in found) >= count

    return sent


def test_a_complaint_from_the_hotline_to_its_closing_report(office):
    state, app = office.state, office.app
    state.user_writes(CLIENT, text="Saya mau mengadukan petugas loket yang membentak saya kemarin.")
    told = office.wait_for_post(CLIENT, "pengaduan Anda sudah kami terima")
    assert "lapor.go.id" in told["text"]  # the national complaint channel named too
    assert "Nama: " in told["text"] and "Kronologi: " in told["text"]
    thread = office.topic_of(1)
    office.wait_for_post(GROUP, "Pengaduan", thread)

    state.user_writes(
        ADMIN,
        GROUP,
        "/pengaduan\nNama: Sari Dewi\nAlamat: Jl. Mawar 3\nTerlapor: petugas loket\n"
        "Objek: layanan loket\nWaktu: Senin pagi\nTempat: kantor\n"
        "Kronologi: saya bertanya, petugas membentak <keras>",
        thread_id=thread,
    )
    office.wait_for_post(GROUP, "Tersimpan: Nama", thread)
    for_head = office.wait_for_post(HEAD, "menunggu disposisi Anda")
    assert "petugas membentak <keras>" in for_head["text"]  # escaped, shown as written
    assert "Jl. Mawar 3" not in for_head["text"] and "Alamat: Jl.•••" in for_head["text"]

    # step 6: the disposition sheet, blank where the head writes, to the head and the admin
    state.user_writes(ADMIN, GROUP, "/lembar_disposisi", thread_id=thread)
    office.wait_for_post(GROUP, "lembar-disposisi-1.docx", thread)
    for chat in (HEAD, ADMIN):
        office.wait(has_file(office, chat, "lembar-disposisi-1.docx"), "the disposition sheet")
    sheet = docx_text(office, HEAD, "lembar-disposisi-1.docx")
    for expected in ("LEMBAR DISPOSISI", "PGD/", "Sari Dewi", "petugas membentak <keras>",
                     "Diteruskan kepada", "…………"):  # fmt: skip
        assert expected in sheet, expected
    state.user_writes(ADMIN, GROUP, "/disposisi Bidang PPA cek", thread_id=thread)
    office.wait_for_post(GROUP, "tidak berwenang", thread)  # only the head disposes
    state.user_writes(
        HEAD,
        text="/disposisi Bidang PPA mohon klarifikasi",
        reply_to=office.known(for_head)["message_id"],
    )
    office.wait_for_post(GROUP, "ditangani Bidang PPA", thread)

    state.user_writes(ADMIN, GROUP, "/klarifikasi petugas mengakui", thread_id=thread)
    office.wait_for_post(GROUP, "klarifikasi tersimpan", thread)
    state.user_writes(ADMIN, GROUP, "/tanggapan Petugas sudah ditegur.", thread_id=thread)
    office.wait_for_post(CLIENT, "Petugas sudah ditegur.")
    office.wait_for_post(GROUP, "menunggu umpan balik", thread)
    state.user_writes(CLIENT, text="Terima kasih, sudah cukup.")
    office.wait_for_post(GROUP, "Umpan balik pengadu tercatat", thread)
    state.user_writes(ADMIN, GROUP, "/pengaduan", thread_id=thread)  # the card: the steps so far
    steps = office.wait_for_post(GROUP, "✅ 14. Umpan balik", thread)["text"]
    assert "✅ 7. Disposisi kepala" in steps and "⬜ 15. Laporan penanganan" in steps
    assert "Ketut" in steps.split("✅ 7.")[1].splitlines()[0]  # who gave the disposition
    state.user_writes(ADMIN, GROUP, "/selesai Petugas ditegur, pengadu puas.", thread_id=thread)
    office.wait_for_post(GROUP, "Pengaduan selesai", thread)
    office.wait_for_post(CLIENT, "Petugas ditegur, pengadu puas.")  # step 16: the report
    office.wait(has_file(office, HEAD, "laporan-pengaduan-1.docx"), "the handling report")
    report = docx_text(office, HEAD, "laporan-pengaduan-1.docx")
    for expected in ("LAPORAN PENANGANAN PENGADUAN", "Bidang PPA", "mohon klarifikasi",
                     "petugas mengakui", "Terima kasih, sudah cukup.", "Petugas ditegur",
                     "16. Laporan penanganan disampaikan", "Tembusan:",
                     "Pihak terlapor: petugas loket"):  # fmt: skip
        assert expected in report, expected
    steps = steps_table(office, HEAD, "laporan-pengaduan-1.docx")
    stamp = re.compile(r"\d\d-\d\d-\d{4} \d\d\.\d\d")  # every step done, with its time
    assert len(steps) == 16 and all(stamp.fullmatch(when) for _, when, _ in steps)
    assert steps[6][2] == "Ketut" and steps[13][2] == "otomatis"  # the head; the complainant
    # the reported party among the staff gets the report too (step 16), by name
    state.user_writes(
        HEAD, text="/laporan_pengaduan Siapa", reply_to=office.known(for_head)["message_id"]
    )
    office.wait_for_post(HEAD, "Tidak ada petugas bernama «Siapa»")
    state.user_writes(
        HEAD, text="/laporan_pengaduan Made", reply_to=office.known(for_head)["message_id"]
    )
    office.wait_for_post(HEAD, "dikirim ke Made (tercatat sebagai langkah 16)")
    office.wait(has_file(office, MADE, "laporan-pengaduan-1.docx"), "the report to Made")
    with app.uows() as uow:
        given = [s for s in uow.steps.for_conversation(1) if s.step == "complaint_report_delivered"]
    assert [(s.staff_id, s.detail) for s in given] == [(HEAD, str(MADE))]
    office.wait(lambda: state.topics[(GROUP, thread)]["closed"], "the topic closed")
    with app.uows() as uow:
        cf = uow.casefiles.get(1)
        assert uow.conversations.get(1).state is State.CLOSED
    assert cf.status == "closed" and cf.data["feedback"] == "Terima kasih, sudah cukup."
    assert cf.data["division"] == "Bidang PPA" and cf.data["report"].startswith("Petugas")


def school_asks(office) -> tuple[int, dict]:
    """A school's psychoeducation request, complete (case #1): its topic and the post saying so."""
    state = office.state
    state.user_writes(
        CLIENT_2, text="Kami dari SMP 3 ingin mengundang narasumber penyuluhan parenting."
    )
    office.wait_for_post(CLIENT_2, "permohonan psikoedukasi")
    thread = office.topic_of(1)
    state.user_writes(
        CLIENT_2,
        text="Institusi: SMP 3 Contoh\nNarahubung: Bu Rina 0812\nTopik: parenting remaja\n"
        "Peserta: 40 orang tua\nTanggal: besok",
    )
    return thread, office.wait_for_post(GROUP, "Permohonan lengkap", thread)


def session_day_comes(office, conv: int = 1) -> None:
    """The accepted session's day is today (a week's wait, skipped)."""
    with office.app.uows() as uow:
        cf = uow.casefiles.get(conv)
        today = office.app.clock().astimezone(office.app.workflows.calendar.zone).date()
        uow.casefiles.save(replace(cf, data={**cf.data, "session": today.isoformat()}))
        uow.commit()


def test_a_psychoeducation_request_is_answered_and_listed_for_the_head(office):
    state = office.state
    thread, complete = school_asks(office)
    assert "diusulkan" in complete["text"]
    state.user_writes(ADMIN, GROUP, "/terima", thread_id=thread)
    office.wait_for_post(CLIENT_2, "kami terima. Jadwal:")
    state.user_writes(HEAD, text="/psikoedukasi")
    listed = office.wait_for_post(HEAD, "Jadwal psikoedukasi")
    assert "SMP 3 Contoh" in listed["text"]
    state.user_writes(ADMIN, GROUP, "/terlaksana 37", thread_id=thread)
    office.wait_for_post(GROUP, "belum diterima (/terima) atau tanggal sesinya belum tiba", thread)
    session_day_comes(office)
    state.user_writes(ADMIN, GROUP, "/terlaksana tiga puluh", thread_id=thread)
    office.wait_for_post(GROUP, "Tulis: /terlaksana JUMLAH", thread)
    state.user_writes(ADMIN, GROUP, "/terlaksana 37 orang tua kelas 7", thread_id=thread)
    office.wait_for_post(GROUP, "Psikoedukasi terlaksana: 37 peserta hadir", thread)
    with office.app.uows() as uow:
        assert uow.casefiles.get(1).data["participants"] == 37


def test_the_head_answers_a_complaint_outside_the_offices_remit_from_its_post(office):
    state = office.state
    state.user_writes(CLIENT, text="Saya mau mengadukan petugas kelurahan yang mempersulit saya.")
    office.wait_for_post(CLIENT, "pengaduan Anda sudah kami terima")
    thread = office.topic_of(1)
    state.user_writes(
        ADMIN, GROUP, "/pengaduan\nNama: Sari Dewi\nAlamat: Jl. Mawar 3\nTerlapor: petugas "
        "kelurahan\nObjek: surat pindah\nWaktu: Senin\nTempat: kelurahan\nKronologi: ditolak",
        thread_id=thread,
    )  # fmt: skip
    for_head = office.wait_for_post(HEAD, "menunggu disposisi Anda")
    state.user_writes(
        HEAD, text="/luar_wewenang urusan kelurahan; silakan ke Ombudsman atau kantor camat",
        reply_to=office.known(for_head)["message_id"],
    )  # fmt: skip
    told = office.wait_for_post(CLIENT, "bukan wewenang kantor kami")
    assert "silakan ke Ombudsman atau kantor camat" in told["text"]
    office.wait_for_post(GROUP, "di luar wewenang kantor", thread)
    office.wait(lambda: state.topics[(GROUP, thread)]["closed"], "the topic closed")


def test_a_complaint_by_phone_goes_the_whole_path_through_staff(office):
    """The complaint standard's phoned complaint: staff register it, type what they heard, and
    hand the response and the report over by phone or letter (the bot writes to no one)."""
    from triage.domain.outbox import Target

    state, app = office.state, office.app
    state.user_writes(ADMIN, GROUP, "/klien_baru telepon Pak Dodi\nMengadukan petugas loket")
    office.wait_for_post(GROUP, "terdaftar sebagai kasus #1")
    thread = office.topic_of(1)
    state.user_writes(
        ADMIN,
        GROUP,
        "/pengaduan\nAduan: petugas loket tidak ramah\nNama: Dodi\nAlamat: Jl. Kenanga 2\n"
        "Terlapor: petugas loket\nObjek: loket\nWaktu: Selasa\nTempat: kantor\n"
        "Kronologi: ditanya jadwal, petugas tidak menjawab",
        thread_id=thread,
    )
    for_head = office.wait_for_post(HEAD, "menunggu disposisi Anda")
    to_head = office.known(for_head)["message_id"]
    state.user_writes(HEAD, text="/disposisi Bidang PPA", reply_to=to_head)
    office.wait_for_post(GROUP, "ditangani Bidang PPA", thread)
    state.user_writes(ADMIN, GROUP, "/tanggapan Petugas diberi pembinaan.", thread_id=thread)
    office.wait_for_post(GROUP, "sampaikan tanggapannya lewat surat atau telepon", thread)
    state.user_writes(ADMIN, GROUP, "/selesai Petugas diberi pembinaan.", thread_id=thread)
    office.wait_for_post(GROUP, "sampaikan laporannya lewat surat atau telepon", thread)
    office.wait(has_file(office, HEAD, "laporan-pengaduan-1.docx"), "the handling report")
    assert "Telepon" in docx_text(office, HEAD, "laporan-pengaduan-1.docx")
    with app.uows() as uow:
        queued = uow.outbox.for_conversation(1)
        cf = uow.casefiles.get(1)
    assert {item.target for item in queued} == {Target.TELEGRAM}  # staff only, no client
    assert cf.status == "closed" and cf.facts["nama"] == "Dodi"
