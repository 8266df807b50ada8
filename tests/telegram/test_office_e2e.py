"""End to end on the local Bot API server: python-telegram-bot unchanged, the real service loop,
the outbox, SQLite. A client on the hotline, an admin in the forum group, two counselors."""

from __future__ import annotations

import json
import time

import pytest

from tests.support.office import ADMIN, CLIENT, GROUP, MADE, NYOMAN, UNMASKED
from tests.support.telegram_office import STRANGER, running_office
from triage.domain.model import Actor, Role, State
from triage.usecases import casework
from triage.usecases.replies import reply_to_client


@pytest.fixture
def office(tmp_path):
    with running_office(tmp_path) as running:
        yield running


@pytest.fixture
def unmasked(tmp_path):
    with running_office(tmp_path, consent=UNMASKED) as running:
        yield running


def test_a_whole_case_from_the_hotline_to_closing(office):
    state = office.state
    # the commands are registered: admin commands in the admin group, none for clients
    scopes = {
        json.loads(k)["type"] + str(json.loads(k).get("chat_id", "")): v
        for k, v in state.command_scopes.items()
    }
    names = {scope: {c["command"] for c in cmds} for scope, cmds in scopes.items()}
    assert {"serahkan", "tutup", "identitas", "catatan", "bantuan"} <= names[f"chat{GROUP}"]
    assert names["default"] == {"start"} and {"kasus", "lepas"} <= names[f"chat{MADE}"]
    # /start: the greeting, free and confidential, hours, and consent before personal details
    state.user_writes(CLIENT, text="/start")
    greeting = office.wait_for_post(CLIENT, "GRATIS dan RAHASIA")
    assert "Senin–Kamis 08.00–16.00" in greeting["text"] and "WITA" in greeting["text"]
    office.tap(CLIENT, greeting, "consent:yes")
    office.wait_for_post(CLIENT, "Nama (boleh nama panggilan)")  # the form begins

    # the client writes: a topic opens in the admin group with the card and the message
    state.user_writes(CLIENT, text="Halo, saya butuh bantuan <tolong>")
    thread = office.topic_of(1)
    topic = state.topics[(GROUP, thread)]
    assert topic["name"] == "📞 Sari <b>Dewi</b> · #1"  # plain text: nothing to escape
    card = office.wait_for_post(GROUP, "Percakapan #1", thread)
    assert "Persetujuan data pribadi: SETUJU" in card["text"]  # consent is on record
    posted = office.wait_for_post(GROUP, "saya butuh bantuan", thread)
    assert "<tolong>" in posted["text"]  # shown as the client wrote it, not taken as markup
    assert "Sari <b>Dewi</b>" in posted["text"]
    buttons = [b["callback_data"] for row in card["reply_markup"]["inline_keyboard"] for b in row]
    assert {"handoff:1:1", "urgent:1:1", "close:1:1:tuntas"} <= set(buttons)

    # the admin answers in the topic; the // line stays internal
    state.user_writes(ADMIN, GROUP, "Baik Ibu, kami bantu.\n// cek riwayat dulu", thread_id=thread)
    office.wait_for_post(CLIENT, "Baik Ibu, kami bantu.")
    assert not any("cek riwayat" in t for t in office.texts(CLIENT))
    office.wait(
        lambda: any(m.internal and m.text == "cek riwayat dulu" for m in office.messages(1)),
        "the internal note stored",
    )

    # hand-off: the topic says so, each counselor gets an offer with "Ambil kasus"
    office.tap(ADMIN, card, "handoff:1:1")
    office.wait_for_post(GROUP, "Diserahkan ke konselor oleh Wayan", thread)
    offer_made = office.wait_for_post(MADE, "Kasus #1")
    offer_nyoman = office.wait_for_post(NYOMAN, "Kasus #1")
    assert offer_made["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "claim:1:1"

    # a message after hand-off is held: never in the admin group
    state.user_writes(CLIENT, text="rahasia keluarga saya")
    office.wait(lambda: len(office.messages(1)) >= 5, "the held message stored")

    # two taps: the first wins, the other sees who took it
    office.tap(MADE, offer_made, "claim:1:1")
    office.wait(lambda: office.conversation(1).state is State.WITH_COUNSELOR, "the claim")
    office.tap(NYOMAN, offer_nyoman, "claim:1:1")
    office.wait(lambda: any("diambil oleh Made" in a for a in office.answers()), "refusal")
    assert office.conversation(1).counselor_id == MADE
    office.wait_for_post(GROUP, "diambil oleh konselor Made", thread)
    case = office.wait_for_post(MADE, "rahasia keluarga saya")
    assert "Kasus #1" in case["text"]

    # from now on the client's messages go to Made only
    state.user_writes(CLIENT, text="rahasia kedua")
    relayed = office.wait_for_post(MADE, "rahasia kedua")
    # Made answers by replying to the case message
    state.user_writes(
        MADE,
        text="Saya Made, psikolog. Ceritakan pelan-pelan.",
        reply_to=office.known(relayed)["message_id"],
    )
    office.wait_for_post(CLIENT, "Saya Made, psikolog.")

    # Made closes; the topic is told and closed
    state.user_writes(MADE, text="/tutup tuntas")
    office.wait_for_post(GROUP, "Ditutup oleh Made: Tuntas", thread)
    office.wait(lambda: state.topics[(GROUP, thread)]["closed"], "the topic closed")
    closed = office.conversation(1)
    assert closed.state is State.CLOSED
    assert all(
        getattr(closed.steps, s)
        for s in (
            "received",
            "first_admin_response",
            "handed_off",
            "claimed",
            "first_counselor_response",
            "closed",
        )
    )

    # counseling content never reached the admin group
    group_texts = " ".join(office.texts(GROUP))
    assert "rahasia" not in group_texts and "Saya Made, psikolog" not in group_texts
    # and the client got every reply exactly once
    client_texts = office.texts(CLIENT)
    assert client_texts.count("Baik Ibu, kami bantu.") == 1


def test_staff_commands_are_refused_to_clients_and_strangers(office):
    state = office.state
    state.user_writes(CLIENT, text="Halo")
    thread = office.topic_of(1)
    state.user_writes(STRANGER, GROUP, "/serahkan", thread_id=thread)
    office.wait_for_post(GROUP, "hanya untuk petugas", thread)
    state.user_writes(CLIENT, text="/serahkan")
    office.wait_for_post(CLIENT, "hanya untuk petugas")
    assert office.conversation(1).state is State.NEW
    card = office.wait_for_post(GROUP, "Percakapan #1", thread)
    office.tap(STRANGER, card, "handoff:1:1")
    office.wait(lambda: any("hanya untuk petugas" in a for a in office.answers()), "refusal")
    assert office.conversation(1).state is State.NEW


def reply_as_admin(office, conv_id, body, key):
    reply_to_client(
        conv_id,
        body,
        actor=Actor(ADMIN, Role.ADMIN, "Wayan"),
        idempotency_key=key,
        uow_factory=office.app.uows,
        now=office.app.clock(),
    )
    office.app.wake.set()


def outbox_items(office, conv_id):
    with office.app.uows() as uow:
        return uow.outbox.for_conversation(conv_id)


def test_a_429_is_waited_out_and_retried(unmasked):
    office = unmasked
    state = office.state
    state.user_writes(CLIENT, text="Halo")
    office.topic_of(1)
    # someone else used the client's chat a moment ago: Telegram answers our send with 429
    with state.lock:
        assert state.flood.check(CLIENT, False, state.clock()) is None
    reply_as_admin(office, 1, "Selamat siang, Ibu.", "k-429")
    office.wait_for_post(CLIENT, "Selamat siang, Ibu.")
    assert state.flood.refused >= 1

    def recorded():
        return [o for o in outbox_items(office, 1) if o.idempotency_key == "k-429"][0]

    office.wait(lambda: recorded().status.value == "sent", "the send recorded")
    # a 429 is Telegram asking us to wait, not a refusal: it is not held against the item
    assert recorded().attempts == 0
    assert office.texts(CLIENT).count("Selamat siang, Ibu.") == 1


def test_telegram_unreachable_for_a_while_then_everything_arrives_once_in_order(tmp_path):
    with running_office(tmp_path, max_attempts=2) as office:
        _outage(office)


def test_telegram_answering_502_and_500_for_a_while_loses_nothing(tmp_path):
    """A Telegram incident answers 5xx, not a refused connection: every reply waits it out
    (a 502 is no attempt that counts toward `failed`) and goes once, in order."""
    with running_office(tmp_path, max_attempts=2) as office:
        _outage(office, status=502, waited="Bad Gateway")
    with running_office(tmp_path / "500", max_attempts=2) as office:
        _outage(office, status=500, waited="Internal Server Error")


def _outage(office, status=None, waited="unreachable"):
    state = office.state
    state.user_writes(CLIENT, text="Halo")
    office.topic_of(1)
    office.wait_for_post(GROUP, "Percakapan #1")
    if status is None:
        office.api.pause()  # connections refused from now on, for longer than max_attempts tries
    else:
        office.api.fail_with(status)  # every call answered 5xx, for longer than max_attempts
    try:
        for n in range(1, 6):
            reply_as_admin(office, 1, f"balasan {n}", f"outage-{n}")
        casework.hand_off(
            1,
            actor=Actor(ADMIN, Role.ADMIN, "Wayan"),
            counselors=[MADE, NYOMAN],
            uow_factory=office.app.uows,
            now=office.app.clock(),
        )
        office.app.wake.set()
        office.wait(
            lambda: any(
                o.idempotency_key == "outage-1" and waited in (o.last_error or "")
                for o in outbox_items(office, 1)
            ),
            "tries during the outage",
        )
        if status is None:
            time.sleep(0.9)  # more tries (one each 0.3 s) than max_attempts allows
        else:  # each recipient's first item tried again and again, beyond max_attempts
            office.wait(lambda: state.failed_calls >= 12, "a dozen calls answered 5xx")
        assert not any(t.startswith("balasan") for t in office.texts(CLIENT))
        assert not any(o.status.value == "failed" for o in outbox_items(office, 1))
    finally:
        if status is None:
            office.api.resume()
        else:
            office.api.fail_with(None)
    office.wait(
        lambda: sum(t.startswith("balasan") for t in office.texts(CLIENT)) == 5,
        "every reply delivered after the outage",
        timeout=40,
    )
    replies = [t for t in office.texts(CLIENT) if t.startswith("balasan")]
    assert replies == [f"balasan {n}" for n in range(1, 6)]  # once each, in order
    # the staff side catches up too: the status in the topic, an offer to each counselor
    office.wait_for_post(GROUP, "Diserahkan ke konselor", office.topic_of(1))
    for counselor in (MADE, NYOMAN):
        office.wait_for_post(counselor, "Kasus #1")
        assert len(office.texts(counselor)) == 1
    assert not any(o.status.value == "failed" for o in outbox_items(office, 1))
