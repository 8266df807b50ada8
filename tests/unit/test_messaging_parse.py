"""A Messenger or Instagram webhook post read into the messages our Page or account was sent:
every entry and event of a batch, only our account's, files by their links, and nothing that
is not a client's message (echoes, reads, unsends)."""

from __future__ import annotations

import json

import pytest

from bot.demo.local_graph import IG_ID, PAGE_ID, GraphState
from channels.meta.items import addresses
from channels.meta.messaging_parse import items


def event(message: dict, sender: str = "555", **extra) -> dict:
    return {"sender": {"id": sender}, "recipient": {"id": PAGE_ID}, "timestamp": 1764900000123,
            "message": message, **extra}  # fmt: skip


def post(*events: dict, account: str = PAGE_ID, kind: str = "page", field: str = "messaging"
         ) -> str:  # fmt: skip
    return json.dumps({"object": kind, "entry": [{"id": account, field: list(events)}]})


def test_a_batch_is_read_whole_for_our_page_only_and_routed_by_account():
    state = GraphState()
    first = state.person_writes("111", "halo")
    second = state.person_writes("222", "tolong")
    other = GraphState(page_id="999").person_writes("333", "bukan untuk kantor ini")
    body = {"object": "page",
            "entry": [first["entry"][0], second["entry"][0], other["entry"][0]]}  # fmt: skip
    found = items(json.dumps(body), PAGE_ID, "page")
    assert [(m.sender, m.text) for m in found] == [("111", "halo"), ("222", "tolong")]
    stamp = first["entry"][0]["messaging"][0]["timestamp"]
    assert found[0].at.timestamp() == stamp / 1000  # Meta's milliseconds
    assert addresses(body) == {f"messenger:{PAGE_ID}", "messenger:999"}
    instagram = state.person_writes("444", "hai", instagram=True)
    assert addresses(instagram) == {f"instagram-graph:{IG_ID}"}


def test_another_object_is_not_read_as_ours():
    with pytest.raises(ValueError):
        items(post(event({"mid": "m_1", "text": "x"}), kind="instagram"), PAGE_ID, "page")
    with pytest.raises(ValueError):
        items("[1, 2]", PAGE_ID, "page")


def test_files_come_by_their_links_with_the_names_the_links_give():
    url = "https://lookaside.fbsbx.com/ig_messaging_cdn/123/Surat%20Keterangan.pdf?x=1"
    message = {"mid": "m_2", "text": "ini suratnya", "attachments": [
        {"type": "file", "payload": {"url": url}},
        {"type": "image", "payload": {"url": "https://scontent.xx.fbcdn.net/v/t1/abc"}},
        {"type": "audio", "payload": {"url": "https://cdn.example/voice/clip.mp4"}},
    ]}  # fmt: skip
    (found,) = items(post(event(message)), PAGE_ID, "page")
    assert found.text == "ini suratnya"
    assert [(m.kind, m.filename, m.mime_type) for m in found.media] == [
        ("document", "Surat Keterangan.pdf", "application/pdf"),
        ("image", None, "image/jpeg"),
        ("audio", "clip.mp4", "video/mp4"),
    ]
    assert all(m.url and not m.id for m in found.media)


def test_shares_story_mentions_and_buttons_become_words():
    shared = {"mid": "m_3", "attachments": [
        {"type": "share", "payload": {"url": "https://www.instagram.com/p/XYZ/"}},
        {"type": "story_mention", "payload": {"url": "https://cdn.example/story"}},
    ]}  # fmt: skip
    (found,) = items(post(event(shared)), PAGE_ID, "page")
    assert found.text.splitlines() == [
        "[share] https://www.instagram.com/p/XYZ/",
        "[story_mention] https://cdn.example/story",
    ]
    button = {"mid": "m_4", "title": "Mulai konsultasi", "payload": "START"}
    tapped = {"sender": {"id": "555"}, "recipient": {"id": PAGE_ID}, "timestamp": 1,
              "postback": button}  # fmt: skip
    (button,) = items(post(tapped), PAGE_ID, "page")
    assert (button.kind, button.text) == ("postback", "Mulai konsultasi")
    quick = {"mid": "m_5", "quick_reply": {"payload": "YA"}}
    (answer,) = items(post(event(quick)), PAGE_ID, "page")
    assert answer.text == "YA"


def test_echoes_reads_unsends_and_our_own_sends_are_skipped():
    echo = event({"mid": "m_6", "text": "dari Halaman", "is_echo": True, "app_id": 1})
    ours = event({"mid": "m_7", "text": "kami"}, sender=PAGE_ID)
    unsent = event({"mid": "m_8", "is_deleted": True})
    read = {"sender": {"id": "555"}, "recipient": {"id": PAGE_ID}, "read": {"watermark": 1}}
    reaction = {"sender": {"id": "555"}, "reaction": {"mid": "m_1", "action": "react"}}
    assert items(post(echo, ours, unsent, read, reaction), PAGE_ID, "page") == []


def test_standby_threads_and_the_dashboards_test_envelope_are_read():
    held = post(event({"mid": "m_9", "text": "saat bot lain memegang"}), field="standby")
    assert [m.text for m in items(held, PAGE_ID, "page")] == ["saat bot lain memegang"]
    change = {"field": "messages", "value": event({"mid": "m_10", "text": "tes dasbor"})}
    dashboard = json.dumps({"object": "instagram", "entry": [{"id": IG_ID, "changes": [change]}]})
    assert [m.text for m in items(dashboard, IG_ID, "instagram")] == ["tes dasbor"]


def test_odd_shapes_and_times_keep_the_words():
    odd = event({"mid": "m_11", "text": "x", "attachments": "not a list"}, timestamp="kemarin")
    (found,) = items(post(odd), PAGE_ID, "page")
    assert (found.id, found.text) == ("m_11", "x") and found.at.timestamp() == 0  # time: later
    seconds = event({"mid": "m_12", "text": "tes dasbor"}, timestamp=1764900000)
    (test_event,) = items(post(seconds), PAGE_ID, "page")
    assert test_event.at.timestamp() == 1764900000  # the dashboard's seconds, not 1970
    nameless = event({"text": "no mid"})
    assert items(post(nameless), PAGE_ID, "page") == []
