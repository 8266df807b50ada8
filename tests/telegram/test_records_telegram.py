"""/rekam on the local Bot API server: the counselor writes and reads the case's record in the
private chat; the head reads it; an admin in the group and another counselor are refused; every
access is in the audit log; the database holds ciphertext only."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from bot.files.report import month_label
from tests.support.office import ADMIN, CLIENT, GROUP, HEAD, MADE, NYOMAN, UNMASKED
from tests.support.telegram_office import running_office
from triage.domain.model import State


@pytest.fixture
def office(tmp_path):
    with running_office(tmp_path, consent=UNMASKED) as running:
        yield running


def test_the_record_is_written_and_read_in_private_and_refused_elsewhere(office):
    state, app = office.state, office.app
    state.user_writes(CLIENT, text="Saya cemas terus soal anak saya.")
    thread = office.topic_of(1)
    card = office.wait_for_post(GROUP, "Percakapan #1", thread)
    office.tap(ADMIN, card, "handoff:1:1")
    offer = office.wait_for_post(MADE, "Kasus #1")
    office.tap(MADE, offer, "claim:1:1")
    office.wait(lambda: conversation_state(office) is State.WITH_COUNSELOR, "the claim")

    state.user_writes(MADE, text="/rekam\nKeluhan: cemas <berat>\nAsesmen: stres pengasuhan")
    office.wait_for_post(MADE, "versi 1 tersimpan")
    state.user_writes(MADE, text="/rekam")
    shown = office.wait_for_post(MADE, "Keluhan: cemas")
    assert "cemas <berat>" in shown["text"]  # escaped on the way, shown as written

    state.user_writes(ADMIN, GROUP, "/rekam", thread_id=thread)
    office.wait_for_post(GROUP, "hanya ditulis dan dibaca di chat pribadi", thread)
    state.user_writes(
        NYOMAN, text="/rekam", reply_to=office.known(offer_of(office, NYOMAN))["message_id"]
    )
    office.wait_for_post(NYOMAN, "hanya untuk konselor kasus itu dan ketua")
    state.user_writes(HEAD, text="/kasus 1")
    office.wait_for_post(HEAD, "#1")
    state.user_writes(HEAD, text="/rekam")
    office.wait_for_post(HEAD, "stres pengasuhan")

    with app.uows() as uow:
        actions = [(e.staff_id, e.action) for e in uow.audit.entries(1)]
    assert actions == [
        (MADE, "record.write"),
        (MADE, "record.read"),
        (NYOMAN, "record.read.denied"),
        (HEAD, "record.read"),
    ]
    with app.engine.connect() as conn:
        sealed = conn.execute(text("SELECT sealed FROM psych_record")).scalar_one()
    assert "cemas" not in sealed and "stres" not in sealed


def conversation_state(office):
    with office.app.uows() as uow:
        return uow.conversations.get(1).state


def offer_of(office, staff_id):
    return office.wait_for_post(staff_id, "Kasus #1")


def test_the_head_gets_the_monthly_report_files_and_an_admin_does_not(office):
    state, app = office.state, office.app
    state.user_writes(CLIENT, text="Halo, saya mau konsultasi.")
    office.topic_of(1)
    month = app.clock().strftime("%Y-%m")
    state.user_writes(ADMIN, GROUP, f"/laporan {month}")
    office.wait_for_post(GROUP, "hanya dikirim kepada ketua")
    state.user_writes(HEAD, text="/laporan 2999-01")
    office.wait_for_post(HEAD, "Bulan Januari 2999 belum tiba")  # nothing to report yet
    state.user_writes(HEAD, text=f"/laporan {month}")
    office.wait_for_post(HEAD, f"Laporan {month_label(month, 'id')} disiapkan: 7 berkas")

    def documents() -> list[str]:
        return [m["document"]["file_name"] for m in state.sent(HEAD) if "document" in m]

    office.wait(lambda: len(documents()) == 7, "the report's files in the head's chat")
    assert sorted(documents()) == sorted(
        [f"laporan-{month}{suffix}" for suffix in (".xlsx", "-kategori.png", "-kanal.png",
                                                    "-sla.png")]
        + [f"{form}-{month}.xlsx" for form in ("R-I-PPKS", "K-0-PPKS", "psikoedukasi")]
    )  # fmt: skip


def test_the_head_opens_a_case_to_another_counselor_and_an_admin_cannot(office):
    state, app = office.state, office.app
    state.user_writes(CLIENT, text="Saya cemas terus soal anak saya.")
    thread = office.topic_of(1)
    office.tap(ADMIN, office.wait_for_post(GROUP, "Percakapan #1", thread), "handoff:1:1")
    office.tap(MADE, office.wait_for_post(MADE, "Kasus #1"), "claim:1:1")
    office.wait(lambda: conversation_state(office) is State.WITH_COUNSELOR, "the claim")
    state.user_writes(MADE, text="/rekam\nKeluhan: cemas berat")
    office.wait_for_post(MADE, "versi 1 tersimpan")
    state.user_writes(ADMIN, GROUP, "/buka 1 Nyoman", thread_id=thread)
    office.wait_for_post(GROUP, "Hanya ketua yang dapat membuka kasus", thread)
    state.user_writes(HEAD, text="/buka 1 Nyoman")
    office.wait_for_post(HEAD, "Kasus #1 dibuka untuk Nyoman")
    history = office.wait_for_post(NYOMAN, "Saya cemas terus")
    state.user_writes(NYOMAN, text="/rekam", reply_to=office.known(history)["message_id"])
    office.wait_for_post(NYOMAN, "Keluhan: cemas berat")
    with app.uows() as uow:
        actions = [e.action for e in uow.audit.entries(1)]
    assert actions[-3:] == ["case.open.denied", "case.opened", "record.read"]
