"""Many offices in one install (bot/config/province.py): one `puspaga run` given a province file
serves two offices, each with its own bot, admin group and data (a SQLite file each, or a
schema each in one PostgreSQL); a client of one office is never shown to the other's staff;
`puspaga check` checks each office; the provincial heads' report adds the offices' figures up
and holds no case; offices that would share a bot, a group or a database are refused with
the fix."""

from __future__ import annotations

import re
import signal
from datetime import UTC, datetime

import pytest

from bot.demo.local_api import LocalBotApi
from tests.support.office import ADMIN, GROUP, HEAD
from tests.support.pg_cluster import fresh_pg_database
from tests.support.province import (
    CLIENT,
    GIANYAR_GROUP,
    PROVINCIAL_HEAD,
    province_file,
    puspaga,
    texts,
    two_offices,
)
from tests.support.service_process import config, query
from tests.support.telegram_office import office_state
from tests.support.waiting import wait_for


@pytest.mark.slow
@pytest.mark.parametrize("db", ["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def test_one_service_two_offices_that_never_see_each_other(tmp_path, request, db):
    url = fresh_pg_database(request.getfixturevalue("pg_server_url")) if db != "sqlite" else ""
    with two_offices(tmp_path, url) as (states, path):
        states[0].user_writes(CLIENT, text="cerita dari Badung")
        states[1].user_writes(CLIENT, text="cerita dari Gianyar")

        def shown(n: int) -> str:
            return texts(states[n], (GROUP, GIANYAR_GROUP)[n])

        wait_for(lambda: "cerita dari Badung" in shown(0), 60, "Badung's card")
        wait_for(lambda: "cerita dari Gianyar" in shown(1), 60, "Gianyar's card")
        assert "Gianyar" not in shown(0) and "Badung" not in shown(1)
        checked = puspaga("check", "--config", str(path))
        assert "== PUSPAGA Kabupaten badung" in checked.stdout
        assert "== PUSPAGA Kabupaten gianyar" in checked.stdout
        assert checked.stdout.count("OK    basis data") == 2, checked.stdout + checked.stderr
        # the provincial head asks Badung's bot: the offices' figures, never taken for a client
        badung = states[0]
        month = datetime.now(UTC).strftime("%Y-%m")
        badung.user_writes(PROVINCIAL_HEAD, text="halo, apa kabar?")
        wait_for(lambda: "kepala provinsi" in texts(badung, PROVINCIAL_HEAD), 30, "head's help")
        badung.user_writes(PROVINCIAL_HEAD, text=f"/laporan {month}")
        wait_for(lambda: any(m.get("document") for m in badung.sent(PROVINCIAL_HEAD)), 30,
                 "the province's file")  # fmt: skip
        (sent,) = [m for m in badung.sent(PROVINCIAL_HEAD) if m.get("document")]
        assert sent["document"]["file_name"] == f"provinsi-{month}.xlsx"
        assert "DP3A Provinsi Uji" in sent["caption"] and "halo" not in shown(0)

    month = datetime.now(UTC).strftime("%Y-%m")
    made = puspaga("report", "--config", str(path), "--month", month, "--out", str(tmp_path / "r"))
    assert made.returncode == 0, made.stderr
    table = (tmp_path / "r" / f"provinsi-{month}.csv").read_text(encoding="utf-8-sig")
    lines = table.splitlines()
    assert lines[1].startswith("PUSPAGA Kabupaten badung,1,")
    assert lines[2].startswith("PUSPAGA Kabupaten gianyar,1,")
    assert lines[3].startswith("Jumlah provinsi,2,")
    assert "cerita" not in table and "Klien" not in table  # counts, never a case


@pytest.mark.slow
@pytest.mark.parametrize("db", ["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def test_a_case_moves_to_another_office_by_the_heads_of_both(tmp_path, request, db):
    """The client moved: Badung's head asks, Gianyar's heads hear no personal data until one
    accepts; then the case is in Gianyar's group with its history, closed in Badung as a
    referral, the client told; what the client writes to Gianyar next joins it. Admins of
    either office cannot do it; every step is audited where it happens."""
    url = fresh_pg_database(request.getfixturevalue("pg_server_url")) if db != "sqlite" else ""
    badung_url = f"{url}?options=-csearch_path%3Dkab_badung" if url else (
        f"sqlite:///{tmp_path / 'badung' / 'data' / 'puspaga.sqlite3'}")  # fmt: skip
    gianyar_url = f"{url}?options=-csearch_path%3Dkab_gianyar" if url else (
        f"sqlite:///{tmp_path / 'gianyar' / 'data' / 'puspaga.sqlite3'}")  # fmt: skip
    with two_offices(tmp_path, url) as (states, _):
        badung, gianyar = states
        badung.user_writes(CLIENT, text="Saya sudah pindah ke Gianyar, anak saya dipukul")
        wait_for(lambda: "dipukul" in texts(badung, GROUP), 60, "Badung's card")
        card = next(m for m in badung.sent(GROUP) if "dipukul" in m.get("text", ""))
        conv = int(re.search(r"#(\d+)", card["text"]).group(1))
        thread = card["message_thread_id"]
        badung.user_writes(ADMIN, GROUP, "/pindah gianyar klien pindah", thread_id=thread)
        wait_for(lambda: "Hanya ketua" in texts(badung, GROUP, thread), 30, "admin refused")
        badung.user_writes(HEAD, GROUP, "/pindah gianyar klien pindah domisili", thread_id=thread)
        ref = f"{'kab_badung' if url else 'badung'}-{conv}-1"  # its schema, or its folder
        wait_for(lambda: f"kode {ref}" in texts(badung, GROUP, thread), 30, "asked")
        wait_for(lambda: f"/terima_pindahan {ref}" in texts(gianyar, HEAD), 30, "heads told")
        assert "dipukul" not in texts(gianyar, HEAD) and "Klien" not in texts(gianyar, HEAD)
        assert "klien pindah domisili" in texts(gianyar, HEAD)
        assert "pindah" not in texts(gianyar, GIANYAR_GROUP)  # nothing of it in the group yet

        gianyar.user_writes(ADMIN, text=f"/terima_pindahan {ref}")
        wait_for(lambda: "Hanya ketua" in texts(gianyar, ADMIN), 30, "admin refused there")
        gianyar.user_writes(HEAD, text=f"/terima_pindahan {ref}")
        wait_for(lambda: "Diterima" in texts(gianyar, HEAD), 30, "accepted")
        wait_for(lambda: "dipukul" in texts(gianyar, GIANYAR_GROUP), 60, "the case in Gianyar")
        moved = texts(gianyar, GIANYAR_GROUP)
        assert "Dipindahkan dari PUSPAGA Kabupaten badung" in moved
        assert "klien pindah domisili" in moved
        wait_for(lambda: "dipindahkan ke PUSPAGA Kabupaten gianyar" in texts(badung, GROUP, thread),
                 30, "Badung's topic told")  # fmt: skip
        wait_for(lambda: "PUSPAGA Kabupaten gianyar" in texts(badung, CLIENT), 30, "client told")
        assert "Kasus Anda kami teruskan" in texts(badung, CLIENT)

        gianyar.user_writes(CLIENT, text="halo, saya yang pindah dari Badung")
        wait_for(lambda: "yang pindah" in texts(gianyar, GIANYAR_GROUP), 30, "joins the case")
        joined = next(m for m in gianyar.sent(GIANYAR_GROUP) if "yang pindah" in m.get("text", ""))
        first = next(m for m in gianyar.sent(GIANYAR_GROUP) if "dipukul" in m.get("text", ""))
        assert joined.get("message_thread_id") == first.get("message_thread_id")

    actions = {row[0] for row in query(badung_url, "SELECT action FROM audit_log")}
    assert {"transfer.offer", "transfer.send"} <= actions
    actions = {row[0] for row in query(gianyar_url, "SELECT action FROM audit_log")}
    assert {"transfer.accept", "transfer.receive"} <= actions
    (state,) = query(badung_url, f"SELECT state, outcome FROM conversation WHERE id = {conv}")
    assert tuple(state) == ("closed", "rujukan")


def test_offices_sharing_a_bot_or_a_data_folder_are_refused_with_the_fix(tmp_path):
    state = office_state()
    with LocalBotApi(state) as api:
        offices = []
        for key in ("a", "b"):
            folder = tmp_path / key
            folder.mkdir()
            offices.append(config(folder, api, name=f"PUSPAGA {key}"))
        text = offices[1].read_text().replace('data_dir = "data"', 'data_dir = "../a/data"')
        offices[1].write_text(text)
        refused = puspaga("run", "--config", str(province_file(tmp_path, offices)))
    said = " ".join(refused.stdout.split() + refused.stderr.split())
    assert refused.returncode == 2, said
    assert "memakai bot Telegram yang sama" in said and "@BotFather" in said
    assert "memakai data_dir yang sama" in said and "memakai grup admin yang sama" in said


def test_offices_sharing_a_postgresql_database_each_need_their_own_schema(tmp_path):
    """The default search path would also read a schema named after the database user, and
    public is everyone's: neither keeps two offices apart."""
    from bot.config.province import load_province
    from bot.config.settings import ConfigError

    url = "postgresql+psycopg://puspaga@127.0.0.1:1/provinsi"
    offices = []
    for key, schema in (("a", ""), ("b", "kab_b")):
        folder = tmp_path / key
        folder.mkdir()
        database = f'[database]\nurl = "{url}"\nschema_name = "{schema}"\n'
        (folder / "config.toml").write_text(
            f'data_dir = "data"\n{database}[office]\nname = "{key}"\n'
        )
        offices.append(folder / "config.toml")
    with pytest.raises(ConfigError) as refused:
        load_province(province_file(tmp_path, offices), {})
    (problem,) = refused.value.problems
    assert str(offices[0]) in problem and 'schema_name = "kab_namakantor"' in problem
    offices[0].write_text(
        offices[0].read_text().replace('schema_name = ""', 'schema_name = "public"')
    )
    with pytest.raises(ConfigError) as refused:
        load_province(province_file(tmp_path, offices), {})
    assert "bukan public" in str(refused.value)


def test_a_stop_signal_while_the_main_loop_holds_its_event_still_stops_the_service():
    """The handler runs in the main thread, perhaps inside `wake.clear()` (the event's lock
    held): setting the event there would wait for itself forever."""
    import threading

    from bot.cli.province import stopper

    stop, wake = threading.Event(), threading.Event()
    handle = stopper([stop, wake])
    with wake._cond:  # the main loop in the middle of wake.clear() when SIGTERM comes
        handle(signal.SIGTERM, None)
    assert stop.wait(5) and wake.wait(5)


def test_a_transfer_message_waits_for_an_office_not_running_and_refuses_what_is_not_one(
    tmp_path,
):
    """The other office still waiting for its database: the message waits without counting
    as a failed try; an office the install does not have, or a text that is not a transfer's
    message, fails for staff to see instead of being retried for a day."""
    from bot.config.settings import from_mapping
    from bot.service.offices import Offices, OfficeSender
    from triage.domain.outbox import OutboxItem, Target
    from triage.domain.referral import OfficeMessage, Transfer, dump_message
    from triage.ports import SendError

    settings = from_mapping({"data_dir": str(tmp_path / "g"), "office": {"name": "Gianyar"}})
    sender = OfficeSender(Offices({"gianyar": settings}))
    now = datetime.now(UTC)
    offer = OfficeMessage("offer", Transfer("badung", 1, 1), "badung", "Badung", {})

    def item(recipient: str, text: str) -> OutboxItem:
        return OutboxItem(1, "k", Target.OFFICE, recipient, text, now, now)

    with pytest.raises(SendError) as waiting:
        sender.send(item("gianyar", dump_message(offer)))
    assert waiting.value.transient and not waiting.value.counts
    for wrong in (item("karangasem", dump_message(offer)), item("gianyar", '{"kind": "x"}')):
        with pytest.raises(SendError) as refused:
            sender.send(wrong)
        assert not refused.value.transient
    assert sender.offices.find("Gianyar", but="badung") == "gianyar"
    assert sender.offices.find("gianyar", but="gianyar") is None  # never one's own office


def test_a_report_office_the_province_does_not_have_is_refused_with_the_codes(tmp_path):
    from bot.config.province import load_province, report_office
    from bot.config.settings import ConfigError

    offices = []
    for key in ("badung", "gianyar"):
        (tmp_path / key).mkdir()
        (tmp_path / key / "config.toml").write_text(f'[office]\nname = "PUSPAGA {key}"\n')
        offices.append(tmp_path / key / "config.toml")
    path = province_file(tmp_path, offices)
    assert report_office(load_province(path, {})) == ""  # no office has a bot
    path.write_text('report_office = "denpasar"\n' + path.read_text())
    with pytest.raises(ConfigError) as refused:
        load_province(path, {})
    assert 'report_office = "denpasar"' in str(refused.value)
    assert "badung, gianyar" in str(refused.value)


def test_staff_of_another_office_and_a_provincial_head_are_never_taken_for_clients(tmp_path):
    from types import SimpleNamespace

    from bot.config.settings import from_mapping
    from bot.service.offices import Offices, ProvinceHeads

    def office(key: str, staff_id: int):
        return from_mapping({"data_dir": str(tmp_path / key), "office": {"name": key.title()},
                             "staff": [{"telegram_id": staff_id, "name": "X", "role": "admin"}]},
                            environ={})  # fmt: skip

    settings = {"badung": office("badung", 11), "gianyar": office("gianyar", 22)}
    offices = Offices(settings, ProvinceHeads("P", "id", {PROVINCIAL_HEAD: "Kabid"}, "badung"))
    badung, gianyar = (SimpleNamespace(settings=settings[k], office_key=k) for k in settings)
    assert offices.elsewhere(22, badung) == "Gianyar"  # Gianyar's admin on Badung's bot
    assert offices.elsewhere(11, badung) is None  # one of its own: staff, handled as such
    assert offices.elsewhere(PROVINCIAL_HEAD, gianyar) == "Badung"  # their bot is Badung's
    assert offices.elsewhere(PROVINCIAL_HEAD, badung) is None  # the province desk answers
    assert offices.elsewhere(99, gianyar) is None  # a client


def test_offices_sharing_a_facebook_page_or_an_instagram_account_are_refused(tmp_path):
    """Meta posts one Page's messages once: two offices draining it would split its clients."""
    from bot.config.province import Office, _shared
    from bot.config.settings import from_mapping

    meta = {
        "webhook": {"verify_token": "x" * 16, "app_secret": "s"},
        "messenger": {"page_id": "104729381256001", "access_token": "t"},
        "instagram": {"mode": "graph", "account_id": "17841400000000001", "access_token": "t"},
    }
    offices = []
    for key in ("a", "b"):
        raw = {"data_dir": str(tmp_path / key), "office": {"name": key}, **meta}
        raw["webhook"] = {**meta["webhook"], "port": 8787 if key == "a" else 8788}
        offices.append(Office(tmp_path / f"{key}.toml", from_mapping(raw, environ={})))
    said = " ".join(_shared(offices, "id"))
    assert "memakai Halaman Facebook yang sama" in said
    assert "memakai akun Instagram yang sama" in said
    assert "port" not in said  # each its own receiver's port
