"""No personal data in log lines: a whole case with planted personal data
(name, NIK, phone, address, the story, the record) runs end to end on the local Bot API server,
and every log line of the run, at the service's INFO level, is scanned for it."""

from __future__ import annotations

import logging

import pytest

from tests.support.office import ADMIN, CLIENT, GROUP, MADE
from tests.support.telegram_office import running_office
from triage.domain.model import State

PLANTED = {
    "name": "Sulastri Planted",
    "nik": "5171044107900001",
    "phone": "081299998888",
    "address": "Jl. Kenanga Rahasia 7",
    "story": "suami saya selingkuh dengan tetangga",
    "record": "gangguan cemas berat",
}


def test_a_whole_case_leaves_no_personal_data_in_the_logs(tmp_path, caplog):
    caplog.set_level(logging.INFO)
    with running_office(tmp_path) as office:
        state, app = office.state, office.app
        state.user_writes(
            CLIENT,
            text=f"Nama saya {PLANTED['name']}, NIK {PLANTED['nik']}, HP {PLANTED['phone']}, "
            f"alamat {PLANTED['address']}. {PLANTED['story']}",
        )
        thread = office.topic_of(1)
        state.user_writes(ADMIN, GROUP, f"/identitas\nNIK: {PLANTED['nik']}", thread_id=thread)
        card_shown = office.wait_for_post(GROUP, "Identitas klien #1", thread)
        assert PLANTED["nik"] not in card_shown["text"]  # masked in Telegram too
        card = office.wait_for_post(GROUP, "Percakapan #1", thread)
        office.tap(ADMIN, card, "handoff:1:1")
        office.tap(MADE, office.wait_for_post(MADE, "Kasus #1"), "claim:1:1")
        office.wait(lambda: state_of(app) is State.WITH_COUNSELOR, "the claim")
        state.user_writes(MADE, text=f"/rekam\nAsesmen: {PLANTED['record']}")
        office.wait_for_post(MADE, "versi 1 tersimpan")  # the record saved, not an earlier post
        state.user_writes(MADE, text="/tutup tuntas")
        office.wait(lambda: state_of(app) is State.CLOSED, "closed")
    lines = [record.getMessage() for record in caplog.records]
    lines += [str(record.args) for record in caplog.records if record.args]
    assert lines, "the run logged nothing: the scan would prove nothing"
    leaked = [(what, line) for line in lines for what, value in PLANTED.items() if value in line]
    assert leaked == []


def state_of(app):
    with app.uows() as uow:
        return uow.conversations.get(1).state


@pytest.fixture(autouse=True)
def _quiet_third_parties():
    """httpx logs every request URL at INFO, with the bot token in it: the service's own setup
    (bot.cli.main) quiets it; this test runs the service without the CLI, so it does the same."""
    from bot.cli.main import QUIET_LOGGERS

    levels = {name: logging.getLogger(name).level for name in QUIET_LOGGERS}
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    yield
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)
