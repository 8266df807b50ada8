"""A mail server whose connections go silent without closing (a NAT that forgot them, a router
rebooted, a firewall dropping packets): no FIN, no RST, nothing arrives. The IDLE watcher finds
out at its next renewal and connects again; a poll stuck on such a connection holds up only
the mail, never the outbox."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest

from bot.service import loops as service
from channels.email.idle import IdleWatcher
from channels.simulated import RecordingSender
from tests.email.mailbox import append, build_app, client_mail
from tests.support.tcp_proxy import TcpProxy
from tests.support.waiting import wait_for
from triage.domain.outbox import OutboxItem, Target
from triage.usecases import inbox


@pytest.fixture
def proxy(own_dovecot):
    proxy = TcpProxy((own_dovecot.host, own_dovecot.port)).start()
    try:
        yield proxy
    finally:
        proxy.stop()


class Behind:
    """The Dovecot fixture as the service sees it: through the proxy."""

    def __init__(self, dovecot, proxy: TcpProxy) -> None:
        self.host, self.port, self.password = proxy.host, proxy.port, dovecot.password


def stored(app) -> list[str]:
    return sorted(m.text for v in inbox.snapshot(app.uows) for m in v.messages)


def running(app):
    stop = threading.Event()
    loop = threading.Thread(target=service.run_forever, args=(app, stop))
    loop.start()
    return stop, loop


def test_an_idle_connection_gone_silent_is_dropped_at_its_renewal_and_mail_comes_in(
    tmp_path, own_dovecot, proxy, smtp_sink
):
    app = build_app(tmp_path, Behind(own_dovecot, proxy), smtp_sink, poll_seconds=3600,
                    idle_renew_seconds=5, timeout_seconds=3)  # fmt: skip
    (watcher,) = [w for w in app.watchers if isinstance(w, IdleWatcher)]
    watcher.max_backoff = 1.0
    stop, loop = running(app)
    try:
        wait_for(watcher.connected.is_set, 10, "the IDLE connection")
        before = proxy.accepted
        proxy.silence_open_connections()  # the connection IDLE waits on is dead, unannounced
        append(app, client_mail("Masuk saat sambungan mati", sender="a@example.com"))
        # Polling is once an hour: only a new IDLE connection can bring it in.
        wait_for(lambda: stored(app) == ["Masuk saat sambungan mati"], 30, "the mail")
        assert proxy.accepted > before  # it came over a new connection
    finally:
        stop.set()
        loop.join(timeout=15)
    assert not loop.is_alive()


def test_a_mail_server_dropping_packets_does_not_hold_up_the_outbox(
    tmp_path, own_dovecot, proxy, smtp_sink
):
    # A minute's timeout: a poll stuck on the silent server would hold the main loop that long.
    app = build_app(tmp_path, Behind(own_dovecot, proxy), smtp_sink, poll_seconds=1, idle=False,
                    timeout_seconds=60)  # fmt: skip
    phone = RecordingSender(Target.HOTLINE)
    app.senders[Target.HOTLINE] = phone
    stop, loop = running(app)
    try:
        (source,) = app.sources
        wait_for(lambda: proxy.accepted >= 1, 10, "a first poll")
        proxy.blackhole()  # the poll under way, or the next one within a second, hangs
        wait_for(app.poll_locks[source.cursor_key].locked, 10, "a poll that hangs")
        now = datetime.now(UTC)
        with app.uows() as uow:
            uow.outbox.add(OutboxItem(None, "k1", Target.HOTLINE, "client-1", "Kami di sini.",
                                      created_at=now, next_attempt_at=now))  # fmt: skip
            uow.commit()
        app.wake.set()
        wait_for(lambda: len(phone.delivered) == 1, 10, "the reply, while the poll hangs")
        assert app.poll_locks[source.cursor_key].locked()  # it still hangs: the outbox did not wait
    finally:
        stop.set()
        loop.join(timeout=15)
    assert not loop.is_alive()  # the stuck poller does not keep the service from stopping
