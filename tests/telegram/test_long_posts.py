"""Messages over Telegram's 4,096 characters go out as several (the local Bot API server refuses
a longer one as Telegram does): a complaint's long chronology reaches the head in full for the
disposition, and an admin's long reply reaches the client in full, in order."""

from __future__ import annotations

import pytest

from bot.telegram.render import split_html
from tests.support.office import ADMIN, CLIENT, GROUP, HEAD
from tests.support.telegram_office import running_office
from triage.domain.outbox import parts

WORDS = [f"kata{n:04d}" for n in range(700)]  # ~6,300 characters, each word findable


def test_a_long_complaint_reaches_the_head_in_full_and_a_long_reply_the_client(tmp_path):
    fields = {  # each within its own limit, together well over one post
        "Terlapor": WORDS[0:40], "Objek": WORDS[40:80], "Waktu": WORDS[80:120],
        "Tempat": WORDS[120:160], "Kronologi": WORDS[160:480],
    }  # fmt: skip
    lines = "\n".join(f"{label}: {' '.join(words)}" for label, words in fields.items())
    reply = " ".join(WORDS)
    with running_office(tmp_path) as office:
        state = office.state
        state.user_writes(CLIENT, text="Saya mau mengadukan petugas loket yang membentak saya.")
        thread = office.topic_of(1)
        office.wait_for_post(GROUP, "Pengaduan", thread)
        form = f"/pengaduan\nNama: Sari Dewi\nAlamat: Jl. Mawar 3\n{lines}"
        state.user_writes(ADMIN, GROUP, form, thread_id=thread)
        office.wait_for_post(HEAD, WORDS[479])  # the chronology's last word: the last part came
        shown = "\n".join(office.texts(HEAD))
        assert all(word in shown for word in WORDS[:480])
        assert len([t for t in office.texts(HEAD) if "kata" in t]) >= 2
        state.user_writes(ADMIN, GROUP, reply, thread_id=thread)
        office.wait_for_post(CLIENT, WORDS[-1])
        got = " ".join(t for t in office.texts(CLIENT) if "kata" in t)
        assert got.split() == WORDS  # every word, once, in order


@pytest.mark.parametrize("limit", [500, 1000, 4096])
def test_html_parts_stay_within_the_limit_and_keep_their_tags_balanced(limit):
    text = "<b>Kronologi:</b> " + " ".join(f"<i>a&amp;b {n}</i>" for n in range(300))
    got = split_html(text, limit)
    assert all(len(p) <= limit for p in got) and (len(got) > 1) == (len(text) > limit)
    for part in got:
        assert part.count("<i>") == part.count("</i>") and part.count("<b>") == part.count("</b>")
        assert "&amp" not in part.replace("&amp;", "")  # no entity cut in two
    assert " ".join(got).count("a&amp;b") == 300


@pytest.mark.parametrize(
    "text",
    ['<b><a href="https://contoh.id/a b">' + "y" * 1000, "<b>\n" + "z " * 600,
     "<tg-spoiler>" + "w " * 400 + "</tg-spoiler>"],
)  # fmt: skip
def test_html_parts_end_on_awkward_posts_and_none_is_empty(text):
    got = split_html(text, 450)  # a tag with a space, a long word, a tag with a hyphen
    assert got and all(len(p) <= 450 for p in got)
    assert all(p.replace("<b>", "").replace("</b>", "").strip() for p in got)
    assert "</tg>" not in "".join(got)


def test_plain_parts_cut_at_a_line_then_a_space_and_lose_no_word():
    text = "baris satu\n" + " ".join(WORDS)
    got = parts(text, 1000)
    assert got[0] == "baris satu" or len(got[0]) <= 1000
    assert all(0 < len(p) <= 1000 for p in got)
    assert " ".join(got).split() == text.split()
