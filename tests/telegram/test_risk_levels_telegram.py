"""Risk levels through the real service and python-telegram-bot against the local Bot API:
possible danger marked and alerted in the topic without a crisis reply to the client; staff set
the level and the category with /tingkat and /kategori."""

from __future__ import annotations

from tests.support.office import ADMIN, CLIENT, GROUP, UNMASKED
from tests.support.telegram_office import running_office


def test_possible_danger_is_marked_and_staff_set_level_and_category(tmp_path):
    with running_office(tmp_path, consent=UNMASKED) as office:
        state = office.state
        state.user_writes(CLIENT, text="aku ngerasa cuma jadi beban buat keluarga")
        topic = office.topic_of(1)
        alert = office.wait_for_post(GROUP, "Perlu dicek", topic)
        assert "jadi beban" in alert["text"]  # the words that decided, for the admin
        office.wait(lambda: office.conversation().risk == "perlu_dicek", "the level stored")
        assert not any("tidak sendiri" in t for t in office.texts(CLIENT))  # no crisis reply
        card = office.wait_for_post(GROUP, "Percakapan #1", topic)
        assert "PERLU DICEK" in card["text"]
        state.user_writes(ADMIN, GROUP, "/tingkat sedang", thread_id=topic)
        office.wait_for_post(GROUP, "Tulis tingkatnya", topic)  # a wrong value: the choices
        state.user_writes(ADMIN, GROUP, "/tingkat biasa", thread_id=topic)
        office.wait_for_post(GROUP, "Tingkat risiko kasus #1: biasa", topic)
        state.user_writes(ADMIN, GROUP, "/kategori keluarga_harmonis", thread_id=topic)
        office.wait_for_post(GROUP, "Kategori kasus #1: keluarga_harmonis", topic)
        conv = office.conversation()
        assert (conv.risk, conv.category, conv.category_by_staff) == (
            "biasa",
            "keluarga_harmonis",
            True,
        )
        with office.app.uows() as uow:
            actions = [e.action for e in uow.audit.entries(1)]
        assert actions == ["risk_set", "category_set"]
        state.user_writes(ADMIN, GROUP, "/tutup tuntas", thread_id=topic)
        ask = office.wait_for_post(GROUP, "Penilaian triase kasus #1", topic)
        assert "keluarga_harmonis" in ask["text"]
        state.user_presses(ADMIN, ask, "confirm:1:1")

        def confirmed():
            with office.app.uows() as uow:
                return [
                    s.detail for s in uow.steps.for_conversation(1) if s.step == "triage_confirmed"
                ]

        office.wait(confirmed, "the confirmation recorded")
        [detail] = confirmed()  # what triage said first, against what staff confirmed
        assert detail.startswith("auto=perlu_dicek/")
        assert detail.endswith(";final=biasa/keluarga_harmonis")
