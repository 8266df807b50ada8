"""Messenger (the office's Facebook Page) and Instagram through Meta's Messaging API, end to
end: Meta's signed posts into the real service beside WhatsApp (one receiver, one drain per
account), the admin group and the counselor on the local Bot API server, the replies out
through the Send API of the Graph stand-in, with its 24-hour window and the HUMAN_AGENT tag."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.files import report as report_files
from tests.support.meta_office import CLIENT_FB, CLIENT_IG, CLIENT_WA, whatsapp_office
from tests.support.office import ADMIN, GROUP, MADE, UNMASKED
from triage.domain.model import Channel, State
from triage.domain.outbox import failure_reason


@pytest.fixture
def meta(tmp_path):
    with whatsapp_office(tmp_path, consent=UNMASKED, messenger={}, instagram={}) as running:
        yield running


def test_a_messenger_case_goes_from_the_client_to_the_admins_the_counselor_and_back(meta):
    office, graph, post = meta.office, meta.graph, meta.meta.post
    first = graph.person_writes(CLIENT_FB, "Halo kak, mau konsultasi soal <anak> saya",
                                name="Rina Dewi")  # fmt: skip
    assert post(first) == 200
    assert post(first) == 200  # Meta's duplicate: stored once
    thread = office.topic_of(1)
    assert office.state.topics[(GROUP, thread)]["name"].startswith("🔵 Rina Dewi ")
    assert "Rina Dewi Rina" not in office.state.topics[(GROUP, thread)]["name"]
    card = office.wait_for_post(GROUP, "Percakapan #1", thread)
    assert "Messenger" in card["text"]
    shown = office.wait_for_post(GROUP, "mau konsultasi", thread)
    assert "<anak>" in shown["text"]  # shown as written, not taken as markup
    office.wait(lambda: graph.said_to(CLIENT_FB), "the consent question on Messenger")
    office.wait(lambda: CLIENT_FB in graph.seen, "the message marked seen")

    office.state.user_writes(ADMIN, GROUP, "Baik Kak Rina, kami bantu ya.", thread_id=thread)
    office.wait(lambda: "Baik Kak Rina, kami bantu ya." in graph.said_to(CLIENT_FB), "the reply")
    assert graph.tags_to(CLIENT_FB)[-1] == ""  # inside the window: a plain RESPONSE

    office.tap(ADMIN, card, "handoff:1:1")
    offer = office.wait_for_post(MADE, "Kasus #1")
    office.tap(MADE, offer, "claim:1:1")
    office.wait(lambda: office.conversation(1).state is State.WITH_COUNSELOR, "the claim")
    assert post(graph.person_writes(CLIENT_FB, "ini rahasia keluarga")) == 200
    relayed = office.wait_for_post(MADE, "ini rahasia keluarga")
    office.state.user_writes(MADE, text="Saya Made, psikolog.",
                             reply_to=office.known(relayed)["message_id"])  # fmt: skip
    office.wait(lambda: "Saya Made, psikolog." in graph.said_to(CLIENT_FB), "the counselor")
    assert "rahasia keluarga" not in " ".join(office.texts(GROUP))
    inbound = [m for m in office.messages(1) if m.direction == "in"]
    assert [m.channel for m in inbound] == [Channel.MESSENGER] * 2
    assert graph.said_to(CLIENT_FB).count("Baik Kak Rina, kami bantu ya.") == 1
    # timed like every channel's case, and counted under its own channel in the month's report
    steps = office.conversation(1).steps
    assert None not in (steps.first_admin_response, steps.claimed, steps.first_counselor_response)
    zone = ZoneInfo(office.app.settings.office.timezone)
    month = f"{office.app.clock().astimezone(zone):%Y-%m}"
    assert report_files.build(office.app, month).by_channel == {"messenger": 1}


def test_instagram_by_the_messaging_api_is_the_instagram_channel(meta):
    office, graph, post = meta.office, meta.graph, meta.meta.post
    photo = ("image", b"\xff\xd8\xff\xe0foto", "bukti.jpg")
    assert post(graph.person_writes(CLIENT_IG, "kak ini buktinya", instagram=True,
                                    files=(photo,), name="Ayu Lestari")) == 200  # fmt: skip
    thread = office.topic_of(1)
    assert office.state.topics[(GROUP, thread)]["name"].startswith("📸 Ayu Lestari")
    office.wait_for_post(GROUP, "kak ini buktinya", thread)
    (stored,) = [m for m in office.messages(1) if m.direction == "in"]
    assert stored.channel is Channel.INSTAGRAM and stored.external_id.startswith("igm:m_IG")
    assert graph.file_auth == [""]  # the file's link fetched without the office's token
    office.state.user_writes(ADMIN, GROUP, "Terima kasih Kak Ayu.", thread_id=thread)
    office.wait(lambda: "Terima kasih Kak Ayu." in graph.said_to(CLIENT_IG), "the reply on IG")
    card = office.wait_for_post(GROUP, "Percakapan #1", thread)
    office.tap(ADMIN, card, "handoff:1:1")
    office.tap(MADE, office.wait_for_post(MADE, "Kasus #1"), "claim:1:1")
    office.wait(lambda: office.conversation(1).state is State.WITH_COUNSELOR, "the claim")
    assert post(graph.person_writes(CLIENT_IG, "kak ini cerita lengkapnya", instagram=True)) == 200
    relayed = office.wait_for_post(MADE, "cerita lengkapnya")
    office.state.user_writes(MADE, text="Saya Made, psikolog.",
                             reply_to=office.known(relayed)["message_id"])  # fmt: skip
    office.wait(lambda: "Saya Made, psikolog." in graph.said_to(CLIENT_IG), "the counselor")
    with graph.lock:
        accounts = {m["_account"] for m in graph.sent if "message" in m}
    assert accounts == {graph.ig_id}


def test_one_receiver_takes_the_three_channels_each_to_its_own_drain(meta):
    office, graph, post = meta.office, meta.graph, meta.meta.post
    assert post(graph.client_writes(CLIENT_WA, "Sari", "halo dari WhatsApp")) == 200
    assert post(graph.person_writes(CLIENT_FB, "halo dari Messenger", name="Rina")) == 200
    assert post(graph.person_writes(CLIENT_IG, "halo dari Instagram", instagram=True)) == 200
    office.wait(lambda: all(office.topic_of(n) for n in (1, 2, 3)), "three conversations")
    with office.app.uows() as uow:
        for channel, who in ((Channel.WHATSAPP, CLIENT_WA), (Channel.MESSENGER, CLIENT_FB),
                             (Channel.INSTAGRAM, CLIENT_IG)):  # fmt: skip
            assert uow.contacts.find(channel, who) is not None


def test_a_reply_after_the_window_fails_for_staff_and_the_human_agent_tag_carries_it(tmp_path):
    with whatsapp_office(tmp_path, consent=UNMASKED, messenger={"human_agent": True}) as running:
        office, graph, post = running.office, running.graph, running.meta.post
        graph.human_agent = True
        days = office.app.clock() - timedelta(days=3)
        assert post(graph.person_writes(CLIENT_FB, "halo kak, masih buka?", at=days)) == 200
        thread = office.topic_of(1)
        office.state.user_writes(ADMIN, GROUP, "Maaf baru membalas, Kak.", thread_id=thread)
        office.wait(lambda: "Maaf baru membalas, Kak." in graph.said_to(CLIENT_FB), "tagged")
        # the person's reply is the only message that went: the bot's own consent question met
        # the closed window and was not tagged to get through
        assert graph.said_to(CLIENT_FB) == ["Maaf baru membalas, Kak."]
        assert graph.tags_to(CLIENT_FB) == ["HUMAN_AGENT"]

        late_client = "24871100000000077"
        weeks = office.app.clock() - timedelta(days=9)
        assert post(graph.person_writes(late_client, "halo", at=weeks)) == 200
        late = office.topic_of(2)
        office.state.user_writes(ADMIN, GROUP, "Maaf sekali baru membalas.", thread_id=late)
        # the notice quoting the admin's own reply (the consent question's came first)
        office.wait(lambda: [t for t in office.texts(GROUP, late)
                             if "«Maaf sekali baru membalas.»" in t], "the notice")  # fmt: skip
        with office.app.uows() as uow:
            (item,) = [o for o in uow.outbox.failed() if o.text == "Maaf sekali baru membalas."]
        assert failure_reason(item.last_error) == "window_messaging"  # tag tried: past 7 days
        assert graph.said_to(late_client) == []


def test_echoes_reads_and_unsends_are_not_client_messages(meta):
    office, graph, post = meta.office, meta.graph, meta.meta.post
    body = graph.person_writes(CLIENT_FB, "pesan asli", name="Rina")
    event = body["entry"][0]["messaging"][0]
    echo = {
        **event,
        "sender": {"id": graph.page_id},
        "recipient": {"id": CLIENT_FB},
        "message": {"mid": "m_ECHO1", "text": "dari kotak masuk Halaman", "is_echo": True},
    }
    read = {
        "sender": {"id": CLIENT_FB},
        "recipient": {"id": graph.page_id},
        "timestamp": event["timestamp"],
        "read": {"watermark": event["timestamp"]},
    }
    unsent = {**event, "message": {"mid": event["message"]["mid"], "is_deleted": True}}
    body["entry"][0]["messaging"] += [echo, read, unsent]
    assert post(body) == 200
    office.wait_for_post(GROUP, "pesan asli", office.topic_of(1))
    inbound = [m.text for m in office.messages(1) if m.direction == "in"]
    assert inbound == ["pesan asli"]  # kept: a counselor must not lose what was said


def test_posts_signed_with_instagram_logins_own_secret_are_taken(tmp_path):
    """Instagram Login may sign with its own app secret: accepted beside the Meta app's."""
    secret = "instagram-login-app-secret"  # noqa: S105 - the test's own
    with whatsapp_office(tmp_path, consent=UNMASKED, instagram={"app_secret": secret}) as running:
        office, graph, meta = running.office, running.graph, running.meta
        body = graph.person_writes(CLIENT_IG, "halo dari instagram", instagram=True)
        assert meta.post(body, secret="some-other-secret") == 401
        assert meta.post(body, secret=secret) == 200
        office.wait_for_post(GROUP, "halo dari instagram", office.topic_of(1))


def test_graph_answering_5xx_to_the_page_is_waited_out_and_the_reply_goes_once(meta):
    office, graph, post = meta.office, meta.graph, meta.meta.post
    assert post(graph.person_writes(CLIENT_FB, "halo kak", name="Rina")) == 200
    thread = office.topic_of(1)
    office.wait(lambda: graph.said_to(CLIENT_FB), "the consent question")
    with graph.lock:
        graph.refusals += [(503, 1), (500, 2)]
    office.state.user_writes(ADMIN, GROUP, "Baik Kak, kami bantu.", thread_id=thread)
    office.wait(lambda: "Baik Kak, kami bantu." in graph.said_to(CLIENT_FB), "the reply", 30)
    assert graph.refusals == [] and graph.said_to(CLIENT_FB).count("Baik Kak, kami bantu.") == 1
    assert not [t for t in office.texts(GROUP, thread) if "tidak terkirim" in t.lower()]
