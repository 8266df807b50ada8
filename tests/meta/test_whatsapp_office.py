"""WhatsApp end to end: Meta's signed posts into the real service (its receiver, the drain,
the relay, the outbox), the admin group and the counselor on the local Bot API server, the
replies out through the Graph API stand-in."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from bot.demo.local_graph import GraphState
from storage.webhook_events import WebhookEvents
from tests.support.meta_office import CLIENT_WA, VERIFY, whatsapp_office
from tests.support.office import ADMIN, GROUP, MADE, UNMASKED
from triage.domain.model import Channel, State


@pytest.fixture
def wa(tmp_path):
    with whatsapp_office(tmp_path, consent=UNMASKED) as running:
        yield running


def test_a_whatsapp_case_goes_from_the_client_to_the_admins_the_counselor_and_back(wa):
    office, graph, meta = wa.office, wa.graph, wa.meta
    post = graph.client_writes(CLIENT_WA, "Sari <b>WA</b>", "Halo kak, saya mau konsultasi <ya>")
    assert meta.post(post) == 200
    assert meta.post(post) == 200  # Meta's duplicate: stored once

    thread = office.topic_of(1)
    assert office.state.topics[(GROUP, thread)]["name"].startswith("🟢 Sari <b>WA</b>")
    card = office.wait_for_post(GROUP, "Percakapan #1", thread)
    assert "WhatsApp" in card["text"]
    posted = office.wait_for_post(GROUP, "saya mau konsultasi", thread)
    assert "<ya>" in posted["text"]  # shown as written, not taken as markup
    office.wait(lambda: graph.reads, "the client's message marked read")
    # the chat channels ask for consent in the conversation
    office.wait(lambda: graph.texts_to(CLIENT_WA), "the first message to the client")

    # the admin answers in the topic; WhatsApp carries it
    office.state.user_writes(ADMIN, GROUP, "Baik Kak, kami bantu ya.", thread_id=thread)
    office.wait(lambda: "Baik Kak, kami bantu ya." in graph.texts_to(CLIENT_WA), "the reply")

    # hand-off and claim; after it the client's words go to the counselor only
    office.tap(ADMIN, card, "handoff:1:1")
    offer = office.wait_for_post(MADE, "Kasus #1")
    office.tap(MADE, offer, "claim:1:1")
    office.wait(lambda: office.conversation(1).state is State.WITH_COUNSELOR, "the claim")
    assert meta.post(graph.client_writes(CLIENT_WA, "Sari", "ini rahasia keluarga")) == 200
    relayed = office.wait_for_post(MADE, "ini rahasia keluarga")
    office.state.user_writes(
        MADE, text="Saya Made, psikolog. Ceritakan pelan-pelan.",
        reply_to=office.known(relayed)["message_id"],
    )  # fmt: skip
    office.wait(
        lambda: "Saya Made, psikolog. Ceritakan pelan-pelan." in graph.texts_to(CLIENT_WA),
        "the counselor's reply on WhatsApp",
    )
    assert "rahasia keluarga" not in " ".join(office.texts(GROUP))

    stored = office.messages(1)
    inbound = [m for m in stored if m.direction == "in"]
    assert [m.channel for m in inbound] == [Channel.WHATSAPP] * 2  # the duplicate stored once
    assert graph.texts_to(CLIENT_WA).count("Baik Kak, kami bantu ya.") == 1
    assert office.conversation(1).steps.first_admin_response is not None


def test_a_reply_after_the_24_hour_window_sends_the_template_and_tells_staff(tmp_path):
    with whatsapp_office(
        tmp_path, consent=UNMASKED, whatsapp={"reopen_template": "puspaga_tulis_lagi"}
    ) as wa:
        office, graph, meta = wa.office, wa.graph, wa.meta
        old = office.app.clock() - timedelta(hours=30)
        assert meta.post(graph.client_writes(CLIENT_WA, "Sari", "halo, ada yang bisa bantu?",
                                             at=old)) == 200  # fmt: skip
        thread = office.topic_of(1)
        office.state.user_writes(ADMIN, GROUP, "Maaf baru membalas, Kak.", thread_id=thread)
        office.wait_for_post(GROUP, "24 jam", thread)  # the undelivered notice, with the reason
        assert graph.templates_to(CLIENT_WA) == ["puspaga_tulis_lagi"]
        assert "Maaf baru membalas, Kak." not in graph.texts_to(CLIENT_WA)


def test_the_receiver_refuses_what_meta_did_not_sign_and_answers_the_handshake(wa):
    office, graph, meta = wa.office, wa.graph, wa.meta
    base = f"http://127.0.0.1:{wa.port}/meta"
    ok = httpx.get(base, params={"hub.mode": "subscribe", "hub.verify_token": VERIFY,
                                 "hub.challenge": "1158201444"})  # fmt: skip
    assert (ok.status_code, ok.text) == (200, "1158201444")
    wrong = httpx.get(base, params={"hub.mode": "subscribe", "hub.verify_token": "nope",
                                    "hub.challenge": "1"})  # fmt: skip
    assert wrong.status_code == 403

    forged = graph.client_writes(CLIENT_WA, "Palsu", "pesan palsu")
    assert meta.post(forged, secret="another-secret") == 401
    assert meta.post(forged, signed=False) == 401
    assert httpx.post(base, content=b"x" * (5 * 1024 * 1024), timeout=10).status_code in (413,)
    assert meta.post(b"{not json") == 200  # signed but unreadable: kept as a dead letter
    office.wait(lambda: len(office.app.dead_letters.all()) >= 1, "the unreadable post kept")
    # signed, for a number this office does not have: what names it kept, not its words
    elsewhere = GraphState(number_id="999000111").client_writes("628777", "Lain", "rahasia lain")
    assert meta.post(elsewhere) == 200
    letters = office.app.dead_letters.all()
    (named,) = [d for d in letters if "999000111" in d.payload]
    assert "rahasia lain" not in named.payload and "628777" not in named.payload
    # a real message after the forgeries is taken in; none of them was
    assert meta.post(graph.client_writes("6289999", "Asli", "pesan asli")) == 200
    office.wait(lambda: office.topic_of(1), "the real message's conversation")
    with office.app.uows() as uow:
        assert uow.contacts.find(Channel.WHATSAPP, CLIENT_WA) is None
        assert uow.contacts.find(Channel.WHATSAPP, "6289999") is not None


def test_a_reply_accepted_then_reported_failed_is_failed_and_staff_are_told(tmp_path):
    """WhatsApp often accepts a send and reports later, in a status post, that it failed."""
    with whatsapp_office(
        tmp_path, consent=UNMASKED, whatsapp={"reopen_template": "puspaga_tulis_lagi"}
    ) as wa:
        office, graph, meta = wa.office, wa.graph, wa.meta
        assert meta.post(graph.client_writes(CLIENT_WA, "Sari", "halo kak")) == 200
        thread = office.topic_of(1)
        office.state.user_writes(ADMIN, GROUP, "Halo Kak Sari, kami bantu.", thread_id=thread)
        office.wait(lambda: "Halo Kak Sari, kami bantu." in graph.texts_to(CLIENT_WA), "sent")
        wamid = graph.last_sent_id(CLIENT_WA)
        assert meta.post(graph.status(wamid, "failed", CLIENT_WA, code=131047)) == 200
        office.wait_for_post(GROUP, "24 jam", thread)  # the notice, with the reason
        office.wait(lambda: graph.templates_to(CLIENT_WA) == ["puspaga_tulis_lagi"], "template")
        # the same failure reported again (another body: Meta's retry of another post) is drained
        # and tells no one twice
        assert meta.post(graph.status(wamid, "failed", CLIENT_WA, code=131026)) == 200
        events = WebhookEvents(office.app.engine)
        office.wait(lambda: events.pending(f"whatsapp:{graph.number_id}", 10) == [], "drained")
        with office.app.uows() as uow:
            (reply,) = [o for o in uow.outbox.failed() if o.target.value == "whatsapp"]
        assert reply.remote_id == f"wa:{wamid}" and "131047" in (reply.last_error or "")
        notices = [t for t in office.texts(GROUP, thread) if "Tidak terkirim" in t]
        assert len(notices) == 1
        assert graph.templates_to(CLIENT_WA) == ["puspaga_tulis_lagi"]


def test_an_urgent_whatsapp_message_gets_the_safe_first_reply_on_whatsapp(wa):
    office, graph, meta = wa.office, wa.graph, wa.meta
    words = "tolong kak suami saya lagi mukulin saya sekarang, saya kunci diri di kamar"
    assert meta.post(graph.client_writes(CLIENT_WA, "Sari", words)) == 200
    office.wait(lambda: any("129" in t for t in graph.texts_to(CLIENT_WA)), "the safe reply")
    assert office.conversation(1).urgent


def test_graph_answering_5xx_is_waited_out_and_the_reply_goes_once(wa):
    """Meta's rate-limit codes wait a minute (tests/unit/test_graph_errors.py); its 5xx wait one
    base delay, not counted against the reply."""
    office, graph, meta = wa.office, wa.graph, wa.meta
    assert meta.post(graph.client_writes(CLIENT_WA, "Sari", "halo kak")) == 200
    thread = office.topic_of(1)
    with graph.lock:
        graph.refusals += [(503, 1), (500, 2), (502, 1)]
    office.state.user_writes(ADMIN, GROUP, "Baik Kak, kami bantu.", thread_id=thread)
    office.wait(lambda: "Baik Kak, kami bantu." in graph.texts_to(CLIENT_WA), "the reply", 30)
    assert graph.refusals == []  # every refusal met, then the send went
    assert graph.texts_to(CLIENT_WA).count("Baik Kak, kami bantu.") == 1
    assert not [t for t in office.texts(GROUP, thread) if "tidak terkirim" in t.lower()]


def test_posts_out_of_order_keep_whatsapps_own_times(wa):
    """Meta promises no order: a later message may be posted first, a retry days late."""
    office, graph, meta = wa.office, wa.graph, wa.meta
    now = office.app.clock()
    first = graph.client_writes(CLIENT_WA, "Sari", "pesan pertama", at=now - timedelta(minutes=3))
    second = graph.client_writes(CLIENT_WA, "Sari", "pesan kedua", at=now - timedelta(minutes=1))
    assert meta.post(second) == 200 and meta.post(first) == 200 and meta.post(second) == 200
    office.wait(
        lambda: len([m for m in office.messages(1) if m.direction == "in"]) >= 2, "both stored"
    )  # the bot's own first reply may be stored between them
    inbound = sorted((m for m in office.messages(1) if m.direction == "in"),
                     key=lambda m: m.created_at)  # fmt: skip
    assert [m.text for m in inbound] == ["pesan pertama", "pesan kedua"]
    assert inbound[0].created_at == (now - timedelta(minutes=3)).replace(microsecond=0)
