"""Minimal disclosure (`[consent] group_view = "ringkas"`) on the local Bot API server: the
admin group sees the case number, channel, category, risk and waiting time, never the client's
words or name; an admin opens the story in their private chat (audited) and answers the client
by replying to it there; answers to staff commands go to the private chat too."""

from __future__ import annotations

import json

from tests.support.office import ADMIN, CLIENT, CLIENT_2, GROUP
from tests.support.telegram_office import running_office

WORDS = "anak saya susah tidur dan sering marah-marah"


def everything_in_the_group(state) -> str:
    posts = [json.dumps(m, ensure_ascii=False) for m in state.sent(GROUP)]
    titles = [t.get("name", "") for (chat, _), t in state.topics.items() if chat == GROUP]
    return "\n".join(posts + titles)


def test_the_group_sees_a_summary_and_the_admin_reads_and_answers_in_private(tmp_path):
    consent = {"mask_before": False, "group_view": "ringkas"}
    with running_office(tmp_path, consent=consent) as office:
        state = office.state
        state.user_writes(CLIENT, text=f"Selamat pagi, saya Rina. {WORDS}.")
        thread = office.topic_of(1)
        card = office.wait_for_post(GROUP, "Mode ringkas", thread)
        assert "#1" in card["text"] and "Hotline" in card["text"]
        buttons = [b["callback_data"] for row in card["reply_markup"]["inline_keyboard"]
                   for b in row]  # fmt: skip
        assert "open:1" in buttons and "handoff:1:1" in buttons  # the work goes on as usual

        office.tap(ADMIN, office.known(card), "open:1")
        story = office.wait_for_post(ADMIN, WORDS)
        assert "Balas (reply) pesan ini untuk menjawab klien" in story["text"]
        state.user_writes(ADMIN, text="Halo Bu Rina, kami bantu ya.", reply_to=story["message_id"])
        office.wait_for_post(CLIENT, "Halo Bu Rina, kami bantu ya.")

        state.user_writes(ADMIN, GROUP, "/identitas", thread_id=thread)  # shows the client's data
        office.wait_for_post(ADMIN, "Identitas klien #1")
        state.user_writes(CLIENT, text="Terima kasih kak, Rina tunggu.")
        placeholders = lambda: sum("isi dapat dibuka" in t for t in office.texts(GROUP, thread))  # noqa: E731
        office.wait(lambda: placeholders() >= 2, "the new message as a placeholder")
        # danger: the client gets the safe reply at once, the group an alert without the words
        state.user_writes(CLIENT_2, text="aku mau bunuh diri malam ini, udah ga kuat")
        office.wait_for_post(CLIENT_2, "tidak sendiri")
        alert = office.wait_for_post(GROUP, "MENDESAK", office.topic_of(2))
        assert "open:2" in json.dumps(alert["reply_markup"])
        office.tap(ADMIN, office.known(alert), "open:2")
        office.wait_for_post(ADMIN, "Percakapan #2")
        state.user_writes(ADMIN, text="Mas, kami di sini. Boleh kami telepon?")  # no reply gesture
        office.wait_for_post(CLIENT_2, "Boleh kami telepon?")  # the case opened last, not #1
        assert not any("Boleh kami telepon" in t for t in office.texts(CLIENT))
        shown = everything_in_the_group(state)
        assert WORDS not in shown and "Rina" not in shown and "Identitas klien" not in shown
        assert "bunuh diri" not in shown and "ga kuat" not in shown
        with office.app.uows() as uow:
            opened = [e for e in uow.audit.entries(1) if e.action == "content.open"]
        assert [e.staff_id for e in opened] == [ADMIN]
