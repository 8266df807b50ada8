"""/kontak on the local Bot API server: staff record how a client may safely be written to in
the case's topic; a reply written long after the client's last message is refused when we may
not write first, and kept for the client's hours when they gave some."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from tests.support.office import ADMIN, CLIENT, GROUP, UNMASKED, move_clock
from tests.support.telegram_office import running_office


def test_staff_set_safe_contact_and_a_late_reply_is_refused_or_kept(tmp_path):
    with running_office(tmp_path, consent=UNMASKED) as office:
        state, app = office.state, office.app
        state.user_writes(CLIENT, text="Suami saya sering membaca HP saya, tolong hati-hati.")
        thread = office.topic_of(1)
        state.user_writes(ADMIN, GROUP, "/kontak signal", thread_id=thread)
        office.wait_for_post(GROUP, "Tidak terbaca: «signal»", thread)
        state.user_writes(ADMIN, GROUP, "/kontak tidak samar", thread_id=thread)
        said = office.wait_for_post(GROUP, "Kontak aman klien kasus #1", thread)
        assert "jangan menulis lebih dulu" in said["text"] and "kata-kata samar" in said["text"]

        move_clock(app, app.clock() + timedelta(hours=1))  # long after the client's last message
        state.user_writes(ADMIN, GROUP, "Ibu, bagaimana kabarnya?", thread_id=thread)
        office.wait_for_post(GROUP, "TIDAK dikirim", thread)
        assert not any("bagaimana kabarnya" in t for t in office.texts(CLIENT))

        zone = ZoneInfo(app.settings.office.timezone)
        hour = (app.clock().astimezone(zone).hour + 3) % 23  # a window that is not now
        hours = f"{hour:02d}.00-{hour + 1:02d}.00"
        state.user_writes(ADMIN, GROUP, f"/kontak {hours}", thread_id=thread)
        office.wait_for_post(GROUP, f"hanya pukul {hours}", thread)
        state.user_writes(ADMIN, GROUP, "Ibu, jadwal Anda sudah kami siapkan.", thread_id=thread)
        office.wait_for_post(GROUP, "Balasan disimpan dan dikirim", thread)
        assert not any("jadwal Anda" in t for t in office.texts(CLIENT))  # not before the hours
        state.user_writes(ADMIN, GROUP, "/kontak", thread_id=thread)  # what holds now, and how

        def shown() -> bool:
            return any(hours in t and "Tulis /kontak" in t for t in office.texts(GROUP, thread))

        office.wait(shown, "/kontak shows the hours and how to change them")
