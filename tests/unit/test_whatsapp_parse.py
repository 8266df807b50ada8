"""A WhatsApp webhook post read into items: every entry, change, message and status of a batch,
only our number's, the kinds WhatsApp sends, and what is not a post."""

from __future__ import annotations

import json

import pytest

from bot.demo.local_graph import NUMBER_ID, GraphState
from channels.meta.items import Message, Status, addresses
from channels.meta.whatsapp_parse import items


def test_a_batch_of_several_entries_and_changes_is_read_whole_and_only_for_our_number():
    state = GraphState()
    first = state.client_writes("628111", "Ani", "halo")
    second = state.client_writes("628222", "Budi", "tolong")
    other = GraphState(number_id="999")
    elsewhere = other.client_writes("628333", "Cici", "bukan untuk kantor ini")
    status = state.status("wamid.OUT1", "read", "628111")
    post = {
        "object": "whatsapp_business_account",
        "entry": [
            {"id": "1", "changes": first["entry"][0]["changes"] + second["entry"][0]["changes"]},
            elsewhere["entry"][0],
            status["entry"][0],
        ],
    }
    found = items(json.dumps(post), NUMBER_ID)
    messages = [i for i in found if isinstance(i, Message)]
    assert [(m.sender, m.name, m.text) for m in messages] == [
        ("628111", "Ani", "halo"),
        ("628222", "Budi", "tolong"),
    ]
    statuses = [i for i in found if isinstance(i, Status)]
    assert statuses == [Status("wamid.OUT1", "read", (), "628111")]
    assert addresses(post) == {f"whatsapp:{NUMBER_ID}", "whatsapp:999"}


def message(kind: str, content: dict, **extra) -> str:
    body = {"from": "628111", "id": "wamid.X", "timestamp": "1764900000", "type": kind,
            kind: content, **extra}  # fmt: skip
    value = {"metadata": {"phone_number_id": NUMBER_ID}, "messages": [body]}
    change = {"field": "messages", "value": value}
    return json.dumps({"object": "whatsapp_business_account", "entry": [{"changes": [change]}]})


@pytest.mark.parametrize(
    ("kind", "content", "expected"),
    [
        ("text", {"body": "halo <b>"}, "halo <b>"),
        ("location", {"latitude": -8.5, "longitude": 115.2, "name": "Balai Desa"},
         "📍 Balai Desa (-8.5, 115.2)"),
        ("interactive", {"type": "button_reply", "button_reply": {"id": "y", "title": "Ya"}}, "Ya"),
        ("button", {"text": "Mau konsultasi", "payload": "x"}, "Mau konsultasi"),
        ("unsupported", {}, ""),
    ],
)  # fmt: skip
def test_each_kind_becomes_words(kind, content, expected):
    (found,) = items(message(kind, content), NUMBER_ID)
    assert isinstance(found, Message) and found.text == expected and found.kind == kind


def test_a_voice_note_and_a_document_carry_their_media():
    (voice,) = items(message("audio", {"id": "55", "mime_type": "audio/ogg", "voice": True}),
                     NUMBER_ID)  # fmt: skip
    assert [(m.voice, m.id) for m in voice.media] == [(True, "55")]
    (doc,) = items(message("document", {"id": "56", "mime_type": "application/pdf",
                                        "filename": "surat.pdf", "caption": "ini suratnya"}),
                   NUMBER_ID)  # fmt: skip
    assert [m.filename for m in doc.media] == ["surat.pdf"]
    assert doc.text == "ini suratnya"


def test_a_reaction_is_no_message_and_a_bad_time_is_left_to_the_source():
    assert items(message("reaction", {"message_id": "wamid.Y", "emoji": "👍"}), NUMBER_ID) == []
    (found,) = items(message("text", {"body": "x"}, timestamp="kemarin"), NUMBER_ID)
    assert found.at.timestamp() == 0


@pytest.mark.parametrize("body", ["{bukan json", "[]", '{"object": "page", "entry": []}'])
def test_what_is_not_a_whatsapp_post_is_refused(body):
    with pytest.raises(ValueError):
        items(body, NUMBER_ID)
