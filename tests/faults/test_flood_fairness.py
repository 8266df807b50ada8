"""A client writing a flood of long messages does not hold up another client's card: the
group's budget (about one post a second, 19 a minute) is shared out by topic, each topic its
own outbox recipient, and nothing of the flood is lost; staff read one note that it is one
client flooding."""

from __future__ import annotations

import pytest

from tests.support.office import CLIENT, CLIENT_2, GROUP, UNMASKED
from tests.support.telegram_office import running_office

FLOOD = 40
STORY = "anak saya susah makan sayur, bagaimana caranya. " * 22  # calm: no priority of its own


@pytest.mark.long  # the flood takes the group's budget for a minute or two to drain
def test_a_flood_from_one_client_does_not_hold_up_another_clients_card(tmp_path):
    with running_office(tmp_path, consent=UNMASKED) as office:
        state = office.state
        for n in range(FLOOD):  # about ten posts' worth: ten seconds of the group's budget
            state.user_writes(
                CLIENT,
                text=f"pesan {n:02d} " + "anak saya susah makan sayur, bagaimana caranya. " * 22,
            )
        office.topic_of(1)
        office.wait(lambda: len(office.texts(GROUP, office.topic_of(1))) >= 2, "the flood posts")
        state.user_writes(CLIENT_2, text="Selamat siang, saya mau konsultasi.")
        office.wait_for_post(GROUP, "saya mau konsultasi", office.topic_of(2))
        flood_so_far = "\n".join(office.texts(GROUP, office.topic_of(1)))
        assert f"pesan {FLOOD - 1:02d}" not in flood_so_far  # the card did not wait behind it
        office.wait(
            lambda: f"pesan {FLOOD - 1:02d}" in "\n".join(office.texts(GROUP, office.topic_of(1))),
            "the whole flood",
            timeout=180,
        )
        # the note is queued after the posts of the relay pass that counted past 30, so it may
        # arrive after the flood's last words
        office.wait_for_post(GROUP, "Banjir pesan", office.topic_of(1))
        shown = "\n".join(office.texts(GROUP, office.topic_of(1)))
        assert all(shown.count(f"pesan {n:02d} ") == 1 for n in range(FLOOD))  # once each
        assert shown.count("Banjir pesan") == 1  # over 30 a minute: one note, not one a pass
