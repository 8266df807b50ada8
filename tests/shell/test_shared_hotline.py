"""A hotline shared by the offices of a province (bot/service/switchboard.py): Badung's bot takes
every client; one who names no district is asked once and their messages go, with the answer,
to that office's inbox and group; one who names it goes straight there; an urgent message
never waits for the question; the office's replies reach the client through the shared bot;
the other offices' bots send clients on to it; a client who never answers is not forgotten."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.support.office import ADMIN, GROUP
from tests.support.pg_cluster import fresh_pg_database
from tests.support.province import CLIENT, GIANYAR_GROUP, texts, two_offices
from tests.support.waiting import wait_for


def shared(url: str) -> str:
    """Badung's bot for both; on PostgreSQL each office is called by its schema."""
    prefix = "kab_" if url else ""
    return (f'hotline_office = "{prefix}badung"\n[districts]\n'
            f'{prefix}gianyar = ["ubud", "sukawati"]\n')  # fmt: skip


CLIENT_2, CLIENT_3 = CLIENT + 1, CLIENT + 2


@pytest.mark.slow
@pytest.mark.parametrize("db", ["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def test_one_bot_for_every_office_routes_each_client_by_their_district(tmp_path, request, db):
    url = fresh_pg_database(request.getfixturevalue("pg_server_url")) if db != "sqlite" else ""
    with two_offices(tmp_path, url, shared(url)) as (states, _):
        badung, gianyar = states
        for state in states:
            state.add_user(CLIENT_2, "Klien Dua")
            state.add_user(CLIENT_3, "Klien Tiga")

        badung.user_writes(CLIENT, text="Halo, saya mau cerita soal anak saya")
        wait_for(lambda: "tinggal di mana" in texts(badung, CLIENT), 30, "the question")
        assert "2. PUSPAGA Kabupaten gianyar" in texts(badung, CLIENT)
        badung.user_writes(CLIENT, text="2")
        wait_for(lambda: "soal anak saya" in texts(gianyar, GIANYAR_GROUP), 60, "Gianyar's card")
        card = next(m for m in gianyar.sent(GIANYAR_GROUP) if "soal anak" in m.get("text", ""))
        assert "soal anak" not in texts(badung, GROUP)  # held, then sent to its own office

        gianyar.user_writes(ADMIN, GIANYAR_GROUP, "Halo, kami dari PUSPAGA Gianyar",
                            thread_id=card["message_thread_id"])  # fmt: skip
        wait_for(lambda: "kami dari PUSPAGA Gianyar" in texts(badung, CLIENT), 30,
                 "the reply through the shared bot")  # fmt: skip
        badung.user_writes(CLIENT, text="terima kasih, kapan bisa datang?")
        wait_for(lambda: "kapan bisa datang" in texts(gianyar, GIANYAR_GROUP), 30, "routed")

        badung.user_writes(CLIENT_2, text="Saya di Sukawati, suami saya sering memukul")
        wait_for(lambda: "Sukawati" in texts(gianyar, GIANYAR_GROUP), 30, "named: no question")
        assert "tinggal di mana" not in texts(badung, CLIENT_2)

        badung.user_writes(CLIENT_3, text="tolong saya mau bunuh diri malam ini")
        wait_for(lambda: "bunuh diri" in texts(badung, GROUP), 30, "urgent: straight to Badung")
        assert "tinggal di mana" not in texts(badung, CLIENT_3)

        gianyar.user_writes(CLIENT_3, text="halo bot gianyar")
        wait_for(lambda: "hotline Telegram PUSPAGA Kabupaten badung" in texts(gianyar, CLIENT_3),
                 30, "sent on to the shared hotline")  # fmt: skip
        assert "halo bot gianyar" not in texts(gianyar, GIANYAR_GROUP)


def test_a_client_who_never_answers_goes_to_the_hotline_office(tmp_path):
    """Held messages are sealed; after WAIT_MINUTES they go to the hotline office, once."""
    from bot.bootstrap import build
    from bot.config.settings import from_mapping
    from bot.service import switchboard
    from bot.service.offices import Offices
    from tests.builders import MovingClock
    from triage.domain.model import Channel, InboundMessage
    from triage.usecases import inbox

    def settings(key: str):
        return from_mapping({"data_dir": str(tmp_path / key),
                             "office": {"name": f"PUSPAGA Kabupaten {key.title()}"}},
                            environ={})  # fmt: skip

    names = {"badung": "PUSPAGA Kabupaten Badung", "gianyar": "PUSPAGA Kabupaten Gianyar"}
    districts = switchboard.Districts.of("badung", names, {"gianyar": ["ubud"]})
    assert districts.named("saya tinggal di Ubud") == "gianyar"
    assert districts.named("dari Badung atau di Gianyar?") is None  # both: not one
    assert districts.answer(" 1 ") == "badung" and districts.answer("3") is None
    assert districts.answer("nomor 2") == "gianyar" and districts.answer("Gianyar") == "gianyar"
    common = switchboard.Districts.of(
        "a", {"a": "PUSPAGA Kota Malang", "b": "PUSPAGA Kabupaten Lombok Tengah"}, {}
    )
    assert common.named("nasib saya malang sekali") is None  # a word, not a place
    assert common.named("saya sedang di tengah masalah") is None
    assert common.named("saya tinggal di Malang") == "a"
    assert common.named("dari Lombok") == "b"
    at = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)
    offices = Offices({k: settings(k) for k in names}, districts=districts)
    apps = {k: build(settings(k), clock=MovingClock(at), offices=offices) for k in names}
    for key, app in apps.items():
        offices.add(key, app)
    hub = apps["badung"]
    first = InboundMessage(Channel.HOTLINE, "77:1", "77", "Sari", "halo, saya bingung", at)
    assert switchboard.deliver(hub, first, urgent=False) == switchboard.Delivered(None, ask=True)
    with hub.uows() as uow:
        assert "bingung" not in (uow.cursors.get("hotline-wait:77") or "x")  # sealed
    assert inbox.snapshot(hub.uows) == []
    assert switchboard.release_waiting(hub, at + timedelta(minutes=9)) == 0
    assert switchboard.release_waiting(hub, at + timedelta(minutes=10)) == 1
    assert switchboard.release_waiting(hub, at + timedelta(minutes=11)) == 0
    (view,) = inbox.snapshot(hub.uows)
    assert view.messages[0].text == "halo, saya bingung"
    later = InboundMessage(Channel.HOTLINE, "77:2", "77", "Sari", "saya di Ubud", at)
    assert switchboard.deliver(hub, later, urgent=False).office == "badung"  # routed: stays
    assert inbox.snapshot(apps["gianyar"].uows) == []
    for app in apps.values():
        app.engine.dispose()


def test_an_office_not_running_yet_keeps_its_clients_held_and_no_one_else_waiting(tmp_path):
    """Its messages wait, sealed, at the hotline office, and go once it runs; the same update
    delivered again is held once; a client moved by /pindah is followed."""
    from bot.bootstrap import build
    from bot.config.settings import from_mapping
    from bot.service import switchboard
    from bot.service.offices import Offices
    from tests.builders import MovingClock
    from triage.domain.model import Channel, InboundMessage
    from triage.usecases import inbox

    names = {"badung": "PUSPAGA Kabupaten Badung", "gianyar": "PUSPAGA Kabupaten Gianyar"}
    settings = {k: from_mapping({"data_dir": str(tmp_path / k), "office": {"name": n}},
                                environ={}) for k, n in names.items()}  # fmt: skip
    offices = Offices(settings, districts=switchboard.Districts.of("badung", names, {}))
    at = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)
    hub = build(settings["badung"], clock=MovingClock(at), offices=offices)
    offices.add("badung", hub)
    first = InboundMessage(Channel.HOTLINE, "88:1", "88", "Ayu", "saya di Gianyar, tolong", at)
    assert switchboard.deliver(hub, first, urgent=False).office == "gianyar"
    assert switchboard.deliver(hub, first, urgent=False) == switchboard.Delivered("gianyar")
    other = InboundMessage(Channel.HOTLINE, "99:1", "99", "Komang", "saya di Badung", at)
    assert switchboard.deliver(hub, other, urgent=False).office == "badung"  # not held up
    assert switchboard.release_waiting(hub, at) == 0  # Gianyar still away
    gianyar = build(settings["gianyar"], clock=MovingClock(at), offices=offices)
    offices.add("gianyar", gianyar)
    assert switchboard.release_waiting(hub, at) == 1
    (view,) = inbox.snapshot(gianyar.uows)
    assert [m.text for m in view.messages] == ["saya di Gianyar, tolong"]
    switchboard.reroute(hub, "99", "gianyar")  # Komang's case moved there
    again = InboundMessage(Channel.HOTLINE, "99:2", "99", "Komang", "halo lagi", at)
    assert switchboard.deliver(hub, again, urgent=False).office == "gianyar"
    for app in (hub, gianyar):
        app.engine.dispose()
