"""Relaying client messages to staff: who sees what, coalescing, exactly once."""

from dataclasses import replace
from datetime import timedelta

from tests.builders import ADMIN, COUNSELOR, COUNSELOR_2, T0, inbound
from tests.fakes import FakeUnitOfWorkFactory
from triage.domain import notices
from triage.domain.model import Outcome, State
from triage.domain.notices import MAX_CONTENT, Kind
from triage.domain.outbox import OutboxStatus, Target
from triage.usecases import casework
from triage.usecases.ingest import ingest
from triage.usecases.relay import relay_new_messages

COUNSELORS = (COUNSELOR.staff_id, COUNSELOR_2.staff_id)
T1, T2 = T0 + timedelta(minutes=10), T0 + timedelta(minutes=20)


def staff_items(uows, recipient=None, kind=None):
    return [
        o
        for o in sorted(uows.db.outbox.values(), key=lambda o: o.id)
        if o.target is Target.TELEGRAM
        and (recipient is None or o.recipient == recipient)
        and (kind is None or o.options["kind"] == kind)
    ]


def texts(item):
    return [e.text for e in notices.load(item.text)]


def topic_texts(uows, conv):
    posts = staff_items(uows, notices.group(conv))
    return [t for o in posts if o.options["kind"] in (Kind.CARD, Kind.CLIENT) for t in texts(o)]


def relay(uows):
    return relay_new_messages(uow_factory=uows, now=T0)


def test_a_new_conversation_becomes_one_card_in_its_topic_with_every_message():
    uows = FakeUnitOfWorkFactory()
    conv = ingest(inbound(1, text="Halo"), uow_factory=uows, now=T0).conversation_id
    ingest(inbound(2, text="Saya butuh bantuan"), uow_factory=uows, now=T0)
    assert relay(uows) == 2
    [card] = staff_items(uows)
    assert card.recipient == notices.group(conv) and card.options["kind"] == Kind.CARD
    assert card.options["name"] == "Ibu Sari" and card.options["channel"] == "hotline"
    assert texts(card) == ["Halo", "Saya butuh bantuan"]
    assert relay(uows) == 0  # exactly once
    assert len(staff_items(uows)) == 1


def test_messages_join_a_post_still_waiting_and_start_a_new_one_once_it_is_taken():
    uows = FakeUnitOfWorkFactory()
    ingest(inbound(1, text="satu"), uow_factory=uows, now=T0)
    relay(uows)
    ingest(inbound(2, text="dua"), uow_factory=uows, now=T0)
    relay(uows)
    [card] = staff_items(uows)
    assert texts(card) == ["satu", "dua"]  # coalesced: the card was still pending
    uows.db.outbox[card.id] = replace(card, status=OutboxStatus.SENDING, claims=1)
    ingest(inbound(3, text="tiga"), uow_factory=uows, now=T0)
    relay(uows)
    card, later = staff_items(uows)
    assert texts(card) == ["satu", "dua"] and texts(later) == ["tiga"]
    assert later.options["kind"] == Kind.CLIENT


def test_a_long_message_is_split_into_posts_and_nothing_is_cut():
    uows = FakeUnitOfWorkFactory()
    long_text = "x" * (MAX_CONTENT * 2 + 10)
    ingest(inbound(1, text=long_text), uow_factory=uows, now=T0)
    relay(uows)
    posts = staff_items(uows)
    assert len(posts) == 3
    assert "".join(t for p in posts for t in texts(p)) == long_text
    assert [e.part for p in posts for e in notices.load(p.text)] == ["1/3", "2/3", "3/3"]


def test_after_hand_off_the_client_reaches_only_the_counselor_who_claimed():
    uows = FakeUnitOfWorkFactory()
    conv = ingest(inbound(1, text="awal"), uow_factory=uows, now=T0).conversation_id
    relay(uows)
    casework.hand_off(conv, actor=ADMIN, counselors=COUNSELORS, uow_factory=uows, now=T0)
    offers = staff_items(uows, kind=Kind.OFFER)
    assert {o.recipient for o in offers} == {notices.staff(c) for c in COUNSELORS}
    ingest(inbound(2, text="rahasia sebelum diambil"), uow_factory=uows, now=T0)
    relay(uows)
    assert topic_texts(uows, conv) == ["awal"]  # held, not in the admin topic

    casework.claim(conv, actor=COUNSELOR, counselors=COUNSELORS, uow_factory=uows, now=T0)
    [case] = staff_items(uows, notices.staff(COUNSELOR.staff_id), Kind.CASE)
    assert texts(case) == ["awal", "rahasia sebelum diambil"]
    [taken] = staff_items(uows, notices.staff(COUNSELOR_2.staff_id), Kind.TAKEN)
    assert taken.options["by"] == "Made"

    ingest(inbound(3, text="rahasia sesudah"), uow_factory=uows, now=T0)
    relay(uows)
    [direct] = staff_items(uows, notices.staff(COUNSELOR.staff_id), Kind.CLIENT)
    assert texts(direct) == ["rahasia sesudah"]
    assert topic_texts(uows, conv) == ["awal"]  # the topic only ever saw the intake
    statuses = [o.options["event"] for o in staff_items(uows, notices.group(conv), Kind.STATUS)]
    assert statuses == ["handed_off", "claimed"]


def test_closing_tells_the_topic_and_closes_it_and_a_reopen_gets_a_new_card():
    uows = FakeUnitOfWorkFactory()
    conv = ingest(inbound(1), uow_factory=uows, now=T0).conversation_id
    relay(uows)
    casework.close(conv, Outcome.TUNTAS, actor=ADMIN, uow_factory=uows, now=T0)
    [topic] = staff_items(uows, kind=Kind.TOPIC)
    assert topic.options["action"] == "close"
    ingest(inbound(2, text="saya kembali"), uow_factory=uows, now=T0)
    relay(uows)
    cards = staff_items(uows, notices.group(conv), Kind.CARD)
    assert [c.options["round"] for c in cards] == ["1", "2"]


def test_an_urgent_case_goes_first():
    uows = FakeUnitOfWorkFactory()
    calm = ingest(inbound(1, sender="a"), uow_factory=uows, now=T0).conversation_id
    urgent = ingest(inbound(1, sender="b"), uow_factory=uows, now=T0).conversation_id
    casework.mark_urgent(urgent, actor=ADMIN, uow_factory=uows, now=T0)
    relay(uows)
    by_conv = {o.conversation_id: o for o in staff_items(uows, kind=Kind.CARD)}
    assert by_conv[urgent].priority > by_conv[calm].priority
    assert by_conv[urgent].options["urgent"] == "1"


def test_a_counselor_who_takes_over_does_not_receive_the_previous_counselors_content():
    uows = FakeUnitOfWorkFactory()
    conv = ingest(inbound(1, text="awal"), uow_factory=uows, now=T0).conversation_id
    casework.hand_off(conv, actor=ADMIN, counselors=COUNSELORS, uow_factory=uows, now=T0)
    casework.claim(conv, actor=COUNSELOR, counselors=COUNSELORS, uow_factory=uows, now=T0)
    ingest(inbound(2, text="rahasia untuk Made"), uow_factory=uows, now=T0)
    relay(uows)
    casework.release(conv, actor=COUNSELOR, counselors=COUNSELORS, uow_factory=uows, now=T1)
    ingest(inbound(3, text="menunggu konselor baru"), uow_factory=uows, now=T1)
    casework.claim(conv, actor=COUNSELOR_2, counselors=COUNSELORS, uow_factory=uows, now=T2)
    [case] = staff_items(uows, notices.staff(COUNSELOR_2.staff_id), Kind.CASE)
    assert texts(case) == ["awal", "menunggu konselor baru"]  # not Made's session


def test_a_message_waiting_at_the_claim_comes_with_the_case_and_not_again():
    uows = FakeUnitOfWorkFactory()
    conv = ingest(inbound(1, text="awal"), uow_factory=uows, now=T0).conversation_id
    casework.hand_off(conv, actor=ADMIN, counselors=COUNSELORS, uow_factory=uows, now=T0)
    ingest(inbound(2, text="DITAHAN"), uow_factory=uows, now=T0)  # not yet relayed
    casework.claim(conv, actor=COUNSELOR, counselors=COUNSELORS, uow_factory=uows, now=T0)
    relay(uows)
    mine = staff_items(uows, notices.staff(COUNSELOR.staff_id))
    assert [o.options["kind"] for o in mine] == [Kind.OFFER, Kind.CASE]  # no CLIENT after
    assert texts(mine[1]) == ["awal", "DITAHAN"]


def test_an_edit_of_counseling_content_goes_to_its_counselor_even_after_closing():
    uows = FakeUnitOfWorkFactory()
    conv = ingest(inbound(1, text="awal"), uow_factory=uows, now=T0).conversation_id
    relay(uows)
    casework.hand_off(conv, actor=ADMIN, counselors=COUNSELORS, uow_factory=uows, now=T0)
    casework.claim(conv, actor=COUNSELOR, counselors=COUNSELORS, uow_factory=uows, now=T0)
    ingest(inbound(2, text="RAHASIA"), uow_factory=uows, now=T0)
    relay(uows)
    casework.close(conv, Outcome.TUNTAS, actor=COUNSELOR, uow_factory=uows, now=T1)
    edit = inbound(3, text="[pesan diubah] RAHASIA juga", edit_of=inbound(2).external_id)
    result = ingest(edit, uow_factory=uows, now=T2)
    assert result.conversation_id == conv and not result.reopened
    relay(uows)
    assert uows.db.conversations[conv].state.value == "closed"  # nothing reopened
    assert topic_texts(uows, conv) == ["awal"]
    direct = staff_items(uows, notices.staff(COUNSELOR.staff_id), Kind.CLIENT)
    assert [t for o in direct for t in texts(o)] == ["RAHASIA", "[pesan diubah] RAHASIA juga"]


def test_edits_made_during_counseling_reach_the_counselor_only():
    uows = FakeUnitOfWorkFactory()
    conv = ingest(inbound(1, text="awal"), uow_factory=uows, now=T0).conversation_id
    relay(uows)
    casework.hand_off(conv, actor=ADMIN, counselors=COUNSELORS, uow_factory=uows, now=T0)
    ingest(inbound(2, text="DITAHAN"), uow_factory=uows, now=T0)
    casework.claim(conv, actor=COUNSELOR, counselors=COUNSELORS, uow_factory=uows, now=T0)
    # the intake message edited after the claim, and the held one edited after the claim
    ingest(
        inbound(3, text="awal, suami saya memukul", edit_of=inbound(1).external_id),
        uow_factory=uows,
        now=T1,
    )
    ingest(
        inbound(4, text="DITAHAN diubah", edit_of=inbound(2).external_id), uow_factory=uows, now=T1
    )
    relay(uows)
    assert topic_texts(uows, conv) == ["awal"]
    direct = staff_items(uows, notices.staff(COUNSELOR.staff_id), Kind.CLIENT)
    assert [t for o in direct for t in texts(o)] == ["awal, suami saya memukul", "DITAHAN diubah"]
    # and a counselor who takes over later sees none of Made's
    casework.release(conv, actor=COUNSELOR, counselors=COUNSELORS, uow_factory=uows, now=T1)
    casework.claim(conv, actor=COUNSELOR_2, counselors=COUNSELORS, uow_factory=uows, now=T2)
    [case] = staff_items(uows, notices.staff(COUNSELOR_2.staff_id), Kind.CASE)
    assert texts(case) == ["awal"]


def test_held_messages_of_a_case_closed_unclaimed_go_to_the_head():
    uows = FakeUnitOfWorkFactory()
    conv = ingest(inbound(1, text="awal"), uow_factory=uows, now=T0).conversation_id
    relay(uows)
    casework.hand_off(conv, actor=ADMIN, counselors=COUNSELORS, uow_factory=uows, now=T0)
    ingest(inbound(2, text="SAYA TAKUT"), uow_factory=uows, now=T0)
    relay(uows)
    casework.close(conv, Outcome.RUJUKAN, actor=ADMIN, uow_factory=uows, now=T1, heads=[3001])
    [to_head] = staff_items(uows, notices.staff(3001), Kind.CLIENT)
    assert texts(to_head) == ["SAYA TAKUT"]
    [closed] = [
        o
        for o in staff_items(uows, notices.group(conv), Kind.STATUS)
        if o.options["event"] == "closed"
    ]
    assert closed.options["held"] == "1"
    assert topic_texts(uows, conv) == ["awal"]  # the topic learns how many, not what


def test_an_urgent_message_gets_the_safe_reply_at_once_is_marked_and_alerts_staff():
    from triage.domain.rules.classify import Decision
    from triage.effects.assess import RelaySetup

    def decide(text):
        danger = "mukul" in text
        rules = ("urgent.violence: memukul",) if danger else ("category.informasi: 2",)
        return Decision(danger, "kekerasan" if danger else "informasi", rules, {})

    triage = RelaySetup(decide, "Kami mendengar Anda. SAPA 129, 112.", alert_to=(2001, 3001))
    uows = FakeUnitOfWorkFactory()
    calm = ingest(inbound(1, sender="a", text="jam buka?"), uow_factory=uows, now=T0)
    relay_new_messages(uow_factory=uows, now=T0, triage=triage)
    conv = ingest(inbound(1, sender="b", text="suami mukul saya"), uow_factory=uows, now=T0)
    ingest(inbound(2, sender="b", text="suami mukul lagi"), uow_factory=uows, now=T0)
    relay_new_messages(uow_factory=uows, now=T0, triage=triage)
    relay_new_messages(uow_factory=uows, now=T0, triage=triage)
    urgent = uows.db.conversations[conv.conversation_id]
    assert urgent.urgent and urgent.category == "kekerasan"
    assert uows.db.conversations[calm.conversation_id].category == "informasi"
    replies = [o for o in uows.db.outbox.values() if o.target is Target.HOTLINE]
    assert [(o.recipient, o.text, o.priority) for o in replies] == [
        ("b", "Kami mendengar Anda. SAPA 129, 112.", notices.URGENT_PRIORITY)
    ]  # once, however many urgent messages
    alerts = staff_items(uows, kind=Kind.ALERT)
    assert {o.recipient for o in alerts} == {"staff:2001", "staff:3001"}
    assert all("mukul" not in o.text for o in alerts)  # where to look, not what was said
    [card] = staff_items(uows, notices.group(urgent.id), Kind.CARD)
    assert card.priority == notices.URGENT_PRIORITY
    assert card.options["triage"] == "urgent.violence: memukul"
    transcript = [m for m in uows.db.messages.values() if m.conversation_id == urgent.id]
    assert any(m.auto_generated and m.direction.value == "out" for m in transcript)


def test_information_topics_are_recognised_in_everyday_words():
    from triage.domain.rules.faq import topics_asked

    assert topics_asked("kak jam bukanya kapan? ada biayanya gk?") == ["hours", "cost"]
    assert topics_asked("alamat kantornya di mana ya") == ["address"]
    assert topics_asked("Is it free? What are your opening hours?") == ["hours", "cost"]
    assert topics_asked("suami saya selingkuh") == []
    assert topics_asked("hari apa layanan konseling remaja?") == ["themes"]
    assert topics_asked("jadwal konseling pranikah kapan ya") == ["themes"]


def test_a_client_flooding_the_conversation_gets_one_note_and_everything_is_passed_on():
    uows = FakeUnitOfWorkFactory()

    def flood(first, count, at, relay_at):
        for n in range(first, first + count):
            msg = inbound(n, text=f"pesan {n}", at=at + timedelta(seconds=(n - first) % 50))
            conv = ingest(msg, uow_factory=uows, now=msg.received_at).conversation_id
        relay_new_messages(uow_factory=uows, now=relay_at, flood_per_minute=30)
        return conv

    conv = flood(1, 30, T0, T0 + timedelta(seconds=55))  # as many as the limit: not a flood
    notes = lambda: staff_items(uows, notices.group(conv), Kind.STATUS)  # noqa: E731
    assert notes() == []
    start = T0 + timedelta(minutes=5)
    flood(31, 40, start, start + timedelta(minutes=3))  # a poll three minutes late sees it too
    [note] = notes()
    assert note.options["event"] == "flood" and note.options["count"] == "40"
    assert "pesan" not in note.text  # a count, no words of the client's
    later = T0 + timedelta(days=1)
    flood(71, 40, later, later + timedelta(seconds=55))  # the same case: no second note
    assert len(notes()) == 1
    assert len(topic_texts(uows, conv)) == 110  # nothing held back


def test_a_catch_up_after_an_outage_is_not_a_flood_and_a_counselor_holding_the_case_is_told():
    uows = FakeUnitOfWorkFactory()
    for n in range(40):  # one message every ten seconds for over six minutes
        msg = inbound(n + 1, at=T0 + timedelta(seconds=10 * n))
        conv = ingest(msg, uow_factory=uows, now=msg.received_at).conversation_id
    relay_new_messages(uow_factory=uows, now=T0 + timedelta(hours=2), flood_per_minute=30)
    assert staff_items(uows, kind=Kind.STATUS) == []
    with uows() as uow:
        held = uow.conversations.get(conv)
        uow.conversations.save(
            replace(held, state=State.WITH_COUNSELOR, counselor_id=COUNSELOR.staff_id)
        )
        uow.commit()
    for n in range(41, 80):
        msg = inbound(n, at=T0 + timedelta(hours=3, seconds=n - 41))
        ingest(msg, uow_factory=uows, now=msg.received_at)
    relay_new_messages(
        uow_factory=uows, now=T0 + timedelta(hours=3, minutes=1), flood_per_minute=30
    )
    told = {o.recipient for o in staff_items(uows, kind=Kind.STATUS)}
    assert told == {notices.group(conv), notices.staff(COUNSELOR.staff_id)}
