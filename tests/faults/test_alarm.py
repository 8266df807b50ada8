"""The alarm outside Telegram: the head hears by mail when the mailbox (Dovecot stopped) or
Telegram (502s) has been unreachable for `[alarm] after_minutes`, and again when it is back;
systemd hears READY and WATCHDOG from the main loop."""

from __future__ import annotations

import os
import socket
import threading
from datetime import timedelta

import pytest

from bot.bootstrap import build
from bot.config.settings import AlarmConfig
from bot.service import alarm, loops
from tests.builders import MovingClock
from tests.email.mailbox import email_settings
from triage.domain.outbox import OutboxItem, Target
from triage.ports import SendError

HEAD = "kepala@dinas.example"


def alarmed(tmp_path, dovecot, sink, clock):
    settings = email_settings(tmp_path, dovecot, sink, sent_folder="")
    settings = settings.model_copy(update={"alarm": AlarmConfig(emails=[HEAD], after_minutes=15)})
    return build(settings, clock=clock)


def test_the_head_hears_by_mail_of_a_mailbox_down_for_a_while_and_of_its_return(
    tmp_path, own_dovecot, smtp_sink
):
    clock = MovingClock()
    app = alarmed(tmp_path, own_dovecot, smtp_sink, clock)
    (source,) = app.sources
    assert loops.poll_all(app)[source.cursor_key] >= 0
    own_dovecot.kill()
    start = clock()
    assert loops.poll_all(app)[source.cursor_key] == -1
    clock.move_to(start + timedelta(minutes=14))
    loops.poll_all(app)
    assert alarm.sound(app) == 0 and smtp_sink.received == []  # not yet: a blip is not told
    clock.move_to(start + timedelta(minutes=16))
    loops.poll_all(app)
    assert alarm.sound(app) == 1
    (down,) = smtp_sink.received
    assert down["To"] == HEAD and down["Subject"].startswith("[PUSPAGA Kota Contoh] GANGGUAN")
    assert down["Auto-Submitted"] == "auto-generated"  # never answered by a robot (RFC 3834)
    body = down.get_content()
    assert "Saluran surel" in body and source.cursor_key in body and "puspaga check" in body
    clock.move_to(start + timedelta(minutes=30))
    loops.poll_all(app)
    assert alarm.sound(app) == 0  # once per outage, not every pass
    own_dovecot.start()
    assert loops.poll_all(app)[source.cursor_key] >= 0
    assert alarm.sound(app) == 1
    back = smtp_sink.received[-1]
    assert "PULIH" in back["Subject"] and "30 menit" in back.get_content()


def test_telegram_answering_502_for_a_while_is_told_by_mail_and_a_failed_mail_is_tried_again(
    tmp_path, dovecot, smtp_sink
):
    clock = MovingClock()
    app = alarmed(tmp_path, dovecot, smtp_sink, clock)

    class BadGateway:  # what bot/telegram/sender.py raises for a 502
        def send(self, item):
            raise SendError("502 Bad Gateway", transient=True, counts=False)

        def already_sent(self, item):
            return None

    app.senders[Target.TELEGRAM] = BadGateway()
    now = clock()
    with app.uows() as uow:
        uow.outbox.add(
            OutboxItem(None, "k1", Target.TELEGRAM, "-100", "kartu", created_at=now,
                       next_attempt_at=now)
        )  # fmt: skip
        uow.commit()
    loops.dispatch(app)
    clock.move_to(now + timedelta(minutes=20))
    loops.dispatch(app)  # due again (one base later): the 502s go on
    smtp_sink.stop()  # and the office's mail server is away too: the alarm waits, never lost
    assert alarm.sound(app) == 0
    smtp_sink.start()
    app.alarm_retry.clear()  # the minute's wait before trying again, skipped
    assert alarm.sound(app) == 1
    (mail,) = smtp_sink.received
    assert "Telegram (grup staf)" in mail.get_content()


def test_the_main_loop_tells_systemd_it_is_ready_and_alive(
    tmp_path, dovecot, smtp_sink, monkeypatch
):
    path = f"/tmp/puspaga-notify-{os.getpid()}-{threading.get_ident()}"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as listener:
        listener.bind(path)
        listener.settimeout(10)
        monkeypatch.setenv("NOTIFY_SOCKET", path)
        app = alarmed(tmp_path, dovecot, smtp_sink, MovingClock())
        stop = threading.Event()
        loop = threading.Thread(target=loops.run_forever, args=(app, stop))
        loop.start()
        try:
            heard = [listener.recv(64).decode() for _ in range(3)]
        finally:
            stop.set()
            app.wake.set()
            loop.join(timeout=20)
        assert heard[0] == "READY=1" and heard[1:] == ["WATCHDOG=1", "WATCHDOG=1"]
        assert listener.recv(64).decode() in ("WATCHDOG=1", "STOPPING=1")
    os.unlink(path)


def test_without_systemd_nothing_is_sent(monkeypatch):
    from bot.service import systemd

    monkeypatch.delenv("NOTIFY_SOCKET", raising=False)
    assert systemd.notify("READY=1") is False
    monkeypatch.setenv("NOTIFY_SOCKET", "/nonexistent/socket")
    assert systemd.notify("READY=1") is False  # logged, never raised


def test_puspaga_alarm_as_systemd_runs_it_mails_the_head_that_the_service_stopped(
    tmp_path, smtp_sink
):
    import shlex
    from pathlib import Path

    from typer.testing import CliRunner

    from bot.cli.main import app as cli

    config = tmp_path / "config.toml"
    config.write_text(
        f'data_dir = "{tmp_path / "data"}"\n[office]\nname = "PUSPAGA Uji"\n'
        '[email]\nimap_host = "127.0.0.1"\nimap_port = 1\nusername = "u"\npassword = "p"\n'
        f'use_ssl = false\nsmtp_host = "{smtp_sink.host}"\nsmtp_port = {smtp_sink.port}\n'
        'smtp_security = "plain"\nfrom_address = "puspaga@kota.example"\n'
        f'[alarm]\nemails = ["{HEAD}", "it@dinas.example"]\n'
    )
    unit = Path(__file__).parents[2] / "docs/deploy/puspaga-alarm.service"
    (line,) = [x for x in unit.read_text().splitlines() if x.startswith("ExecStart=")]
    args = shlex.split(line.removeprefix("ExecStart="))[1:]  # the unit's own command line
    args[args.index("--config") + 1] = str(config)
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    (mail,) = smtp_sink.received
    assert mail["To"] == f"{HEAD}, it@dinas.example"
    assert "layanan Puspaga Inbox berhenti" in mail["Subject"]
    assert "systemctl status puspaga-inbox" in mail.get_content()
    assert "gagal dijalankan ulang" in mail.get_content()  # the unit's --keterangan
    smtp_sink.stop()
    again = CliRunner().invoke(cli, args)
    assert again.exit_code == 1 and "gagal dikirim" in again.output  # systemd logs a failure


def test_the_service_waits_for_a_database_not_up_yet_and_the_head_hears_of_a_long_wait(tmp_path):
    """PostgreSQL still starting after a power cut: `puspaga run` waits for it instead of
    exiting (systemd would give up after five quick restarts)."""
    from bot.config.settings import from_mapping
    from bot.service.starting import build_when_ready
    from channels.simulated import RecordingSender

    raw = {
        "data_dir": str(tmp_path),
        "office": {"name": "PUSPAGA Uji"},
        "email": {"imap_host": "127.0.0.1", "username": "u", "password": "p",
                  "smtp_host": "127.0.0.1", "from_address": "puspaga@kota.example"},
        "alarm": {"emails": [HEAD], "after_minutes": 15},
    }  # fmt: skip
    settings = from_mapping(raw, environ={})
    refused = from_mapping(
        {**raw, "database": {"url": "postgresql+psycopg://u@127.0.0.1:1/puspaga"}}, environ={}
    )  # nothing listens on port 1: the driver's own OperationalError
    clock, tries, mail = MovingClock(), [], RecordingSender(Target.EMAIL)

    def build_(wanted):
        tries.append(clock())
        clock.move_to(clock() + timedelta(minutes=10))
        return build(refused if len(tries) <= 3 else wanted, clock=clock)

    app = build_when_ready(
        settings, threading.Event(), build=build_, mailer=lambda: mail, clock=clock,
        first_pause=0.01,
    )  # fmt: skip
    assert app is not None and len(tries) == 4
    (down,) = mail.delivered  # the third failure, 20 minutes after the first
    assert down.recipient == HEAD and "GANGGUAN" in down.options["new_subject"]
    assert "Basis data" in down.text
    alarm.saw(app, "database", True)  # the running service's first outbox read
    (back,) = app.outages.due(clock())
    first_failure = tries[0] + timedelta(minutes=10)
    assert abs(back.since - first_failure) < timedelta(seconds=5)  # the wait, whole


def test_a_bug_at_start_is_not_waited_out(tmp_path):
    from bot.config.settings import from_mapping
    from bot.service.starting import build_when_ready

    settings = from_mapping({"data_dir": str(tmp_path), "office": {"name": "x"}}, environ={})

    def broken(settings):
        raise ValueError("a bug")

    with pytest.raises(ValueError):
        build_when_ready(settings, threading.Event(), build=broken, mailer=lambda: None)


def test_a_database_gone_is_blamed_on_the_database_not_on_every_channel(tmp_path):
    from bot.config.settings import from_mapping
    from channels.simulated import ScriptedSource

    settings = from_mapping({"data_dir": str(tmp_path), "office": {"name": "x"}}, environ={})
    source = ScriptedSource("sim:hotline", [])
    app = build(settings, sources=[source])
    app.engine.dispose()
    database = tmp_path / "puspaga.sqlite3"
    database.unlink()
    database.mkdir()  # the file cannot be opened: sqlite3's OperationalError
    assert loops.poll_all(app) == {"sim:hotline": -1}
    assert set(app.outages.down) == {"database"}


def test_telegram_answering_502_to_the_updates_poller_is_one_outage_with_the_sends(tmp_path):
    """The staff group, the hotline and the updates poller are one Telegram: one outage."""
    from tests.support.office import CLIENT
    from tests.support.telegram_office import running_office

    with running_office(tmp_path) as office:
        office.state.user_writes(CLIENT, text="Halo")
        office.topic_of(1)
        office.api.fail_with(502)
        try:
            office.wait(lambda: "telegram" in office.app.outages.down, "the poller's 502 seen")
        finally:
            office.api.fail_with(None)
        office.wait(lambda: "telegram" not in office.app.outages.down, "Telegram back")
        assert not any(name.startswith("send:") for name in office.app.outages.down)


def test_telegram_answering_one_chat_is_up_though_another_chat_got_no_answer(
    tmp_path, dovecot, smtp_sink
):
    """The staff group and the hotline are one Telegram: one answer in a pass means it is up,
    whatever order the pass met them in."""
    from channels.simulated import RecordingSender

    app = alarmed(tmp_path, dovecot, smtp_sink, MovingClock())

    class BadGateway:
        def send(self, item):
            raise SendError("502 Bad Gateway", transient=True, counts=False)

        def already_sent(self, item):
            return None

    app.senders[Target.TELEGRAM] = RecordingSender(Target.TELEGRAM)
    app.senders[Target.HOTLINE] = BadGateway()
    now = app.clock()
    with app.uows() as uow:
        for key, target in (("g1", Target.TELEGRAM), ("h1", Target.HOTLINE)):
            uow.outbox.add(OutboxItem(None, key, target, "-100", "x", created_at=now,
                                      next_attempt_at=now))  # fmt: skip
        uow.commit()
    loops.dispatch(app)
    assert "telegram" not in app.outages.down


def test_metas_channels_are_told_as_meta_not_as_the_database():
    """A lapsed Page token is no PostgreSQL trouble: the mail says which token to renew."""
    from bot.service.alarm import _kind

    assert [_kind(n) for n in ("messenger:104", "send:messenger", "whatsapp:1",
                               "instagram-graph:17", "send:whatsapp")] == ["meta"] * 5  # fmt: skip
    assert _kind("send:instagram") == "instagram"  # the private API's login
    assert _kind("send:instagram", meta_instagram=True) == "meta"
    assert _kind("email:kantor") == "email" and _kind("something else") == "database"
