"""A new member of the admin group is told to the heads in private (the group sees every
client's intake): loudly when not registered staff. The local Bot API server sends
`chat_member` updates as Telegram does: only to an administrator bot that asked for them."""

from __future__ import annotations

from tests.support.office import ADMIN, CLIENT, GROUP, HEAD, MADE
from tests.support.telegram_office import running_office


def test_someone_added_to_the_admin_group_is_told_to_the_heads(tmp_path):
    with running_office(tmp_path) as office:
        state = office.state
        state.user_writes(CLIENT, text="Halo")  # the bot is polling (it asked for chat_member)
        office.topic_of(1)
        assert "chat_member" in state.allowed_updates
        state.add_user(7777, "Tamu", last_name="<i>Asing</i>")
        state.user_joins(GROUP, 7777, by=ADMIN)
        told = office.wait_for_post(HEAD, "BUKAN staf")
        assert "&lt;i&gt;Asing&lt;/i&gt;" not in told["text"]  # shown as typed, not as markup
        assert "<i>Asing</i>" in told["text"] and "7777" in told["text"]
        assert "ditambahkan oleh Wayan" in told["text"]
        state.user_joins(GROUP, MADE)  # a counselor joins by the invite link
        office.wait_for_post(HEAD, "staf terdaftar")
        assert not any("Tamu" in t for t in office.texts(GROUP))  # not in the group itself
