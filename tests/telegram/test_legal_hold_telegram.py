"""The legal hold on the local Bot API server: the head holds a case in its topic, a request to
erase its client is refused with the reason, and once the hold is lifted in the head's private
chat the erasure goes ahead."""

from __future__ import annotations

from tests.support.office import ADMIN, CLIENT, CLIENT_2, GROUP, HEAD, UNMASKED
from tests.support.telegram_office import running_office
from triage.domain.model import State


def test_a_held_case_is_not_erased_until_the_head_lifts_the_hold(tmp_path):
    with running_office(tmp_path, consent=UNMASKED) as office:
        state, app = office.state, office.app
        state.user_writes(CLIENT, text="Anak saya dilecehkan tetangga, sudah lapor polisi.")
        thread = office.topic_of(1)
        state.user_writes(
            HEAD, GROUP, "/tahan_hukum Polres Contoh, LP/123/XII/2026", thread_id=thread
        )
        told = office.wait_for_post(GROUP, "ditahan untuk proses hukum", thread)
        assert "LP/123/XII/2026" in told["text"] and "/lepas_tahan" in told["text"]
        state.user_writes(ADMIN, GROUP, "/tutup tuntas", thread_id=thread)

        def closed() -> bool:
            with app.uows() as uow:
                return uow.conversations.get(1).state is State.CLOSED

        office.wait(closed, "the case closed")
        state.user_writes(HEAD, text="/hapus 1 ya")
        refused = office.wait_for_post(HEAD, "TIDAK dihapus")
        assert "Klien kasus #1 TIDAK dihapus: kasus #1 ditahan" in refused["text"]
        with app.uows() as uow:
            assert uow.clients.get(uow.conversations.get(1).client_id).display_name != "(dihapus)"
        state.user_writes(CLIENT_2, text="Saya mau tanya jadwal konseling.")
        office.topic_of(2)
        state.user_writes(HEAD, text="/kasus 2")  # the head's selected case is another one
        office.wait_for_post(HEAD, "#2")
        state.user_writes(HEAD, text="/lepas_tahan 1")  # the number written wins
        office.wait_for_post(HEAD, "Penahanan kasus #1 dilepas")
        state.user_writes(HEAD, text="/hapus 1 ya")
        office.wait_for_post(HEAD, "telah dihapus")
