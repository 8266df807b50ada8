"""On the local Bot API server: the counselor refers a case with /rujuk and gets the letter (a
Word file with the chronology and the record, sealed on disk); the client is asked the
satisfaction questions and their scores reopen nothing; the head erases the client's data on
request with /hapus, an admin cannot."""

from __future__ import annotations

import io
import json

import pytest
from docx import Document

from tests.support.office import ADMIN, CLIENT, GROUP, HEAD, MADE
from tests.support.telegram_office import running_office
from triage.domain.model import State


@pytest.fixture
def office(tmp_path):
    with running_office(tmp_path) as running:
        yield running


def letter_text(office) -> str:
    sent = [m for m in office.state.sent(MADE) if "document" in m]
    assert [m["document"]["file_name"] for m in sent] == ["surat-rujukan-1-1.docx"]
    content = office.state.files[sent[0]["document"]["file_id"]].content
    doc = Document(io.BytesIO(content))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_referral_letter_survey_and_erasure(office):
    state, app = office.state, office.app
    state.user_writes(CLIENT, text="Saya sulit tidur dan cemas terus sejak bercerai.")
    thread = office.topic_of(1)
    # the category set by staff, as they may (no survey is asked after a violence case, and
    # what the model makes of this one sentence is not what this test is about)
    state.user_writes(ADMIN, GROUP, "/kategori keluarga_harmonis", thread_id=thread)
    office.wait(lambda: office.conversation().category == "keluarga_harmonis", "the category")
    office.tap(ADMIN, office.wait_for_post(GROUP, "Percakapan #1", thread), "handoff:1:1")
    office.tap(MADE, office.wait_for_post(MADE, "Kasus #1"), "claim:1:1")
    office.wait(lambda: office.conversation().state is State.WITH_COUNSELOR, "the claim")
    state.user_writes(MADE, text="/rekam\nKeluhan: cemas <berat>, sulit tidur")
    office.wait_for_post(MADE, "versi 1 tersimpan")

    state.user_writes(ADMIN, GROUP, "/rujuk uptd alasan yang rahasia", thread_id=thread)
    office.wait_for_post(GROUP, "tulis /rujuk di chat pribadi", thread)
    state.user_writes(MADE, text="/tutup Rujukan")  # any case: a referral needs where to
    office.wait_for_post(MADE, "Tulis tujuan dan alasan rujukan")
    state.user_writes(MADE, text="/rujuk dukun")
    office.wait_for_post(MADE, "Tulis tujuan dan alasan rujukan")
    state.user_writes(MADE, text="/rujuk puskesmas perlu pemeriksaan kesehatan jiwa")
    office.wait_for_post(MADE, "dirujuk ke Puskesmas Kecamatan Contoh")
    office.wait(lambda: any("document" in m for m in state.sent(MADE)), "the letter")
    body = letter_text(office)
    for expected in ("Puskesmas Kecamatan Contoh", "perlu pemeriksaan kesehatan jiwa",
                     "cemas <berat>, sulit tidur", "Kronologi penanganan", "Made"):  # fmt: skip
        assert expected in body
    closed = office.conversation()
    assert closed.state is State.CLOSED and closed.outcome.value == "rujukan"
    sealed = next((app.settings.data_dir / "rujukan").rglob("*.sealed"))
    assert b"cemas" not in sealed.read_bytes() and b"PK" not in sealed.read_bytes()[:4]

    # the body's confirmation that it has the case (for the SIMFONI-PPA sheet)
    state.user_writes(MADE, text="/rujukan_diterima 1 diterima Bu Wayan, reg. 45/XI")
    office.wait_for_post(MADE, "Puskesmas Kecamatan Contoh telah menerima rujukan kasus #1")
    said = office.wait_for_post(GROUP, "mengonfirmasi telah menerima rujukan", thread)
    assert "diterima Bu Wayan, reg. 45/XI" in said["text"]
    office.wait_for_post(CLIENT, "Mohon bantu kami menilai layanan kami")
    state.user_writes(CLIENT, text="4 3 4 terima kasih")
    office.wait(lambda: _answered(office), "the survey's answer")
    assert office.conversation().state is State.CLOSED and office.conversation().round == 1

    # the right of access: the head receives everything held, in private only
    state.user_writes(ADMIN, GROUP, "/ekspor 1", thread_id=thread)
    office.wait_for_post(GROUP, "Hanya ketua yang dapat mengekspor data klien", thread)
    state.user_writes(HEAD, text="/ekspor 1")
    office.wait_for_post(HEAD, "dikirim ke sini (2 berkas")
    office.wait(lambda: len(_documents(office, HEAD)) == 2, "the export's files")
    exported = {m["document"]["file_name"]: m for m in _documents(office, HEAD)}
    client_id = office.conversation().client_id
    as_json = exported[f"data-klien-{client_id}.json"]["document"]["file_id"]
    data = json.loads(state.files[as_json].content)
    assert data["conversations"][0]["referrals"][0]["target"] == "puskesmas"
    assert "cemas terus sejak bercerai" in data["conversations"][0]["messages"][0]["text"]
    state.user_writes(ADMIN, GROUP, "/hapus 1", thread_id=thread)
    office.wait_for_post(GROUP, "Hanya ketua yang dapat menghapus data klien", thread)
    state.user_writes(HEAD, text="/hapus 1")
    office.wait_for_post(HEAD, "Tulis /hapus 1 YA untuk melanjutkan")
    assert _texts(office) != {""}
    assert (GROUP, thread) in state.topics and state.sent(GROUP, thread_id=thread)
    state.user_writes(HEAD, text="/hapus 1 ya")
    office.wait_for_post(HEAD, "telah dihapus (1 percakapan)")
    assert _texts(office) == {""}
    # the topic goes from the admin group with its posts (its title named the client)
    office.wait(lambda: (GROUP, thread) not in state.topics, "the topic deleted")
    assert state.sent(GROUP, thread_id=thread) == []
    assert not sealed.exists() and not sealed.parent.exists()  # the case's letters, all
    assert list((app.settings.data_dir / "ekspor").iterdir()) == []  # and the sealed export
    with app.uows() as uow:
        assert uow.records.versions(1) == []
        actions = [e.action for e in uow.audit.entries()]
    assert "client.erased" in actions and "referral.letter" in actions


def _documents(office, chat: int) -> list[dict]:
    return [m for m in office.state.sent(chat) if "document" in m]


def _answered(office) -> bool:
    with office.app.uows() as uow:
        survey = uow.surveys.get(1, 1)
    return survey is not None and survey.scores == (4, 3, 4)


def _texts(office) -> set[str]:
    with office.app.uows() as uow:
        return {m.text for m in uow.messages.for_conversation(1)}
