"""/janji, /sesi and closing as Ulang against the local Bot API server: the session is set from
the topic, the client hears of it on the hotline, Ulang is refused until a session is set, and
the head sees the week's sessions. The day is "besok": a weekday name said on that weekday
means the next week's, outside the week /sesi shows, so the test would hang on the calendar."""

from __future__ import annotations

from tests.support.office import ADMIN, CLIENT, GROUP, HEAD
from tests.support.telegram_office import running_office


def test_a_session_is_set_the_client_told_and_ulang_needs_it(tmp_path):
    with running_office(tmp_path) as office:
        state = office.state
        state.user_writes(CLIENT, text="Halo, saya mau konsultasi soal anak")
        office.wait_for_post(GROUP, "Percakapan #1")
        topic = office.topic_of(1)
        state.user_writes(ADMIN, GROUP, "/tutup ulang", thread_id=topic)
        office.wait_for_post(GROUP, "sesi berikutnya sudah dijadwalkan", topic)
        state.user_writes(ADMIN, GROUP, "/janji besok Ruang konseling 1", thread_id=topic)
        office.wait_for_post(GROUP, "Jamnya tidak terbaca", topic)
        state.user_writes(ADMIN, GROUP, "/janji besok 10.00 Ruang <b>1</b>", thread_id=topic)
        done = office.wait_for_post(GROUP, "pukul 10.00", topic)
        assert "📅 Sesi kasus #1" in done["text"]
        assert "pukul 10.00, Ruang <b>1</b>" in done["text"]  # shown as typed, not as markup
        told = office.wait_for_post(CLIENT, "Jadwal sesi konseling Anda")
        assert "pukul 10.00, Ruang <b>1</b>" in told["text"]
        state.user_writes(ADMIN, GROUP, "/tutup ulang", thread_id=topic)
        office.wait(lambda: _state(office) == "closed", "the case closed as Ulang")
        state.user_writes(HEAD, text="/sesi")
        week = office.wait_for_post(HEAD, "Sesi ")
        assert "#1 · Ruang <b>1</b>" in week["text"] and "terjadwal" in week["text"]


def _state(office) -> str:
    with office.app.uows() as uow:
        return uow.conversations.get(1).state.value
