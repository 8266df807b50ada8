"""/nonaktif and /aktif on the local Bot API server, without a restart: the head deactivates a
counselor holding a case and names a replacement, who receives the case and its session; the
deactivated
counselor's words are not acted on and the client's next message goes to the replacement;
activated again, the counselor works as before."""

from __future__ import annotations

from tests.support.office import ADMIN, CLIENT, GROUP, HEAD, MADE, NYOMAN, UNMASKED
from tests.support.telegram_office import running_office
from triage.domain.model import State


def test_a_counselor_deactivated_hands_their_case_to_the_replacement(tmp_path):
    with running_office(tmp_path, consent=UNMASKED) as office:
        state, app = office.state, office.app
        state.user_writes(CLIENT, text="Saya ingin konsultasi soal anak remaja saya.")
        thread = office.topic_of(1)
        office.tap(ADMIN, office.wait_for_post(GROUP, "Percakapan #1", thread), "handoff:1:1")
        office.tap(MADE, office.wait_for_post(MADE, "Kasus #1"), "claim:1:1")

        def counselor() -> int | None:
            with app.uows() as uow:
                conv = uow.conversations.get(1)
                return conv.counselor_id if conv.state is State.WITH_COUNSELOR else None

        office.wait(lambda: counselor() == MADE, "Made holds the case")
        state.user_writes(MADE, text="/janji besok 10.00 Ruang konseling 1")
        office.wait_for_post(MADE, "Ruang konseling 1")
        state.user_writes(HEAD, text="/nonaktif Made Nyoman")
        said = office.wait_for_post(HEAD, "dinonaktifkan")
        assert "#1" in said["text"] and "Nyoman" in said["text"]
        office.wait(lambda: counselor() == NYOMAN, "the case with Nyoman")
        office.wait_for_post(NYOMAN, "Kasus #1")
        state.user_writes(NYOMAN, text="/sesi")  # the session came with the case
        office.wait_for_post(NYOMAN, "Ruang konseling 1")

        state.user_writes(MADE, text="Bu, saya masih di sini")  # not a client, not staff now
        office.wait_for_post(MADE, "Akun staf Anda sedang dinonaktifkan")
        state.user_writes(CLIENT, text="Anak saya tidak mau sekolah sejak minggu lalu.")
        office.wait_for_post(NYOMAN, "tidak mau sekolah")
        assert not any("tidak mau sekolah" in t for t in office.texts(MADE))

        state.user_writes(HEAD, text="/buka 1 Made")  # no case is opened to a deactivated member
        office.wait_for_post(HEAD, "Tulis /buka")
        state.user_writes(HEAD, text="/aktif Made")
        office.wait_for_post(HEAD, "Made aktif kembali")
        state.user_writes(MADE, text="/sesi")
        office.wait_for_post(MADE, "Sesi ")  # answered as staff again
        assert len([t for t in office.texts(MADE) if "dinonaktifkan" in t]) == 1
