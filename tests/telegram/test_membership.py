"""A new member of the admin group is told to the heads in private (the group sees every
client's intake): loudly when not registered staff. The local Bot API server sends
`chat_member` updates as Telegram does: only to an administrator bot that asked for them."""

from __future__ import annotations

from tests.support.office import ADMIN, CLIENT, GROUP, HEAD, MADE, UNMASKED
from tests.support.telegram_office import running_office

GUEST, LURKER = 7777, 7778
GUEST_OF_FUTURE = 5555  # a member already (tests/support/office.py STRANGER)


def test_who_joins_the_admin_group_is_told_to_the_heads_and_who_leaves_is_not(tmp_path):
    with running_office(tmp_path) as office:
        state = office.state
        state.user_writes(CLIENT, text="Halo")  # the bot is polling (it asked for chat_member)
        office.topic_of(1)
        assert "chat_member" in state.allowed_updates
        state.add_user(GUEST, "Tamu", last_name="<i>Asing</i>")
        state.user_joins(GROUP, GUEST, by=ADMIN)
        told = office.wait_for_post(HEAD, "BUKAN staf")["text"]
        assert "<i>Asing</i>" in told and "7777" in told  # shown as typed, not as markup
        assert "ditambahkan oleh Wayan" in told
        state.user_joins(GROUP, MADE)  # a counselor joins by the invite link
        staff = office.wait_for_post(HEAD, "Anggota baru di grup admin: Made")["text"]
        assert "staf terdaftar" in staff and "tautan undangan" in staff
        # a promotion, a leave and a ban are not new eyes; a restricted newcomer is
        state.member_becomes(GROUP, MADE, "administrator", by=ADMIN)
        state.member_becomes(GROUP, GUEST, "left")
        state.member_becomes(GROUP, GUEST, "kicked", by=ADMIN)
        state.add_user(LURKER, "Pengintip")
        state.member_becomes(GROUP, LURKER, "restricted", by=ADMIN)
        office.wait_for_post(HEAD, "Pengintip")
        texts = office.texts(HEAD)
        assert sum("Anggota baru" in t for t in texts) == 3  # Tamu, Made, Pengintip: no more
        assert not any("Tamu" in t for t in office.texts(GROUP))  # not in the group itself


def test_an_update_this_library_cannot_read_is_set_aside_and_the_bot_hears_the_rest(tmp_path):
    """A field of a newer Bot API (or a broken update) must not make the bot deaf."""
    with running_office(tmp_path, consent=UNMASKED) as office:
        state = office.state
        state.user_writes(CLIENT, text="Halo")
        office.topic_of(1)
        member = {"status": "restricted", "user": state.users[GUEST_OF_FUTURE]}  # no rights
        state.push_update(chat_member={
            "chat": state.chats[GROUP], "from": state.users[ADMIN], "date": 0,
            "old_chat_member": member, "new_chat_member": member,
        })  # fmt: skip
        state.user_writes(CLIENT, text="Tolong dibalas")
        office.wait_for_post(GROUP, "Tolong dibalas", office.topic_of(1))
        office.wait_for_post(
            GROUP, "tidak dapat diproses"
        )  # the admins are told something was set aside
        assert len(office.app.dead_letters.all()) == 1


def test_daftar_grup_once_the_service_runs_says_the_group_is_registered(tmp_path):
    """What `puspaga setup` asked for is answered by the service too, not with the help text."""
    with running_office(tmp_path) as running:
        running.state.user_writes(ADMIN, GROUP, "/daftar_grup")
        running.wait_for_post(GROUP, "sudah terdaftar sebagai grup staf Puspaga Inbox")
        assert not any("Bantuan admin" in t for t in running.texts(GROUP))
