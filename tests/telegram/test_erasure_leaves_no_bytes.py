"""Erasure that a forensic reader cannot undo: a whole case with planted personal data runs on
the local Bot API server (the client's name and story, an identity card read in the topic, a
psychological record written and read), then the head erases the client with /hapus. The raw
bytes of every file under data_dir (the database, its WAL, whatever else is there) are scanned
for the planted values: before erasure the record must not be there in plaintext (nor the card
and the record as shown, in the outbox), after it nothing planted may."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storage.db import scrub
from tests.support.office import ADMIN, CLIENT, GROUP, HEAD, MADE
from tests.support.telegram_office import office_state, running_office
from triage.domain.model import State

PLANTED = {
    "name": "Zulvarda",  # the client's Telegram name
    "story": "Kalmarwisteria",  # in the client's message
    "address": "Xerophila",  # written by the admin with /identitas, shown on the card
    "record": "Quokkamelancholia",  # the counselor's record, written then read
}
SEALED = ("record",)  # never in plaintext on disk, even before erasure


def found(data_dir: Path) -> dict[str, list[str]]:
    """Which planted values appear in which files, in UTF-8 or UTF-16 (as SQLite may store
    text), at any case."""
    hits: dict[str, list[str]] = {}
    for path in sorted(p for p in data_dir.rglob("*") if p.is_file()):
        raw = path.read_bytes().lower()
        for what, value in PLANTED.items():
            forms = (value.lower().encode(), value.lower().encode("utf-16-le"))
            if any(form in raw for form in forms):
                hits.setdefault(what, []).append(path.name)
    return hits


@pytest.fixture
def office(tmp_path):
    state = office_state()
    state.add_user(CLIENT, "Sari", last_name=PLANTED["name"])
    with running_office(tmp_path, state) as running:
        yield running


def conversation(app):
    with app.uows() as uow:
        return uow.conversations.get(1)


def test_hapus_leaves_nothing_readable_on_disk(office):
    state, app = office.state, office.app
    data_dir = app.settings.data_dir
    state.user_writes(CLIENT, text=f"Saya sering cemas, {PLANTED['story']} kata orang rumah.")
    thread = office.topic_of(1)
    state.user_writes(
        ADMIN, GROUP, f"/identitas\nAlamat: Jalan {PLANTED['address']} 9", thread_id=thread
    )
    office.wait_for_post(GROUP, "Identitas klien #1", thread)
    office.tap(ADMIN, office.wait_for_post(GROUP, "Percakapan #1", thread), "handoff:1:1")
    office.tap(MADE, office.wait_for_post(MADE, "Kasus #1"), "claim:1:1")
    office.wait(lambda: conversation(app).state is State.WITH_COUNSELOR, "the claim")
    state.user_writes(MADE, text=f"/rekam\nAsesmen: {PLANTED['record']} ringan")
    office.wait_for_post(MADE, "versi 1 tersimpan")  # the record saved (not an earlier post)
    state.blocked.add(MADE)  # the record read back cannot be delivered yet: it waits, failed
    state.user_writes(MADE, text="/rekam")
    notice = office.wait_for_post(GROUP, "Tidak terkirim", thread)
    assert PLANTED["record"] not in notice["text"]  # a staff answer is never previewed
    scrub(app.engine)  # what erasure does after its commit: the WAL folded into the file
    waiting = found(data_dir)
    assert "story" in waiting and "name" in waiting, "the scan would prove nothing"
    assert {what: where for what, where in waiting.items() if what in SEALED} == {}
    state.blocked.discard(MADE)
    [[button]] = notice["reply_markup"]["inline_keyboard"]
    state.user_presses(ADMIN, notice, button["callback_data"])
    shown = office.wait_for_post(MADE, PLANTED["record"])  # read back: the text was sent
    assert "Asesmen" in shown["text"]
    state.user_writes(MADE, text="/tutup tuntas")
    office.wait(lambda: conversation(app).state is State.CLOSED, "closed")
    with app.engine.connect() as conn:  # what staff were shown went once sent
        rows = [" ".join(map(str, r)) for r in conn.exec_driver_sql("SELECT * FROM outbox")]
    assert rows and not [r for r in rows if PLANTED["address"] in r or PLANTED["record"] in r]

    state.user_writes(HEAD, text="/hapus 1 ya")
    office.wait_for_post(HEAD, "telah dihapus (1 percakapan)")
    office.wait(lambda: found(data_dir) == {}, "nothing planted left on disk", timeout=10)
    assert json.dumps(found(data_dir)) == "{}"
