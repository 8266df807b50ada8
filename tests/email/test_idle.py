"""New mail arrives by IMAP IDLE within seconds, and a server killed and restarted while we
IDLE loses nothing and doubles nothing (the catch-up from the cursor after reconnecting)."""

from __future__ import annotations

import threading

from bot.service import loops as service
from channels.email.idle import IdleWatcher
from tests.email.mailbox import append, build_app, client_mail
from tests.support.waiting import wait_for
from triage.usecases import inbox


def stored_texts(app) -> list[str]:
    return sorted(m.text for v in inbox.snapshot(app.uows) for m in v.messages)


def test_idle_brings_mail_in_and_survives_a_killed_server(tmp_path, own_dovecot, smtp_sink):
    # Regular polling once an hour: only IDLE can bring these mails in quickly.
    app = build_app(tmp_path, own_dovecot, smtp_sink, poll_seconds=3600, idle_renew_seconds=5)
    (watcher,) = [w for w in app.watchers if isinstance(w, IdleWatcher)]  # beside the poller
    watcher.max_backoff = 1.0
    stop = threading.Event()
    loop = threading.Thread(target=service.run_forever, args=(app, stop))
    loop.start()
    try:
        wait_for(watcher.connected.is_set, 10, "the IDLE connection")
        append(app, client_mail("Pesan pertama", sender="a@example.com"))
        wait_for(lambda: stored_texts(app) == ["Pesan pertama"], 10, "the first mail by IDLE")

        own_dovecot.kill()  # a crash while we IDLE
        wait_for(lambda: not watcher.connected.is_set(), 10, "the watcher to notice")
        own_dovecot.start()
        append(app, client_mail("Pesan kedua", sender="b@example.com"))  # before we are back
        wait_for(watcher.connected.is_set, 15, "the watcher to reconnect")
        append(app, client_mail("Pesan ketiga", sender="c@example.com"))
        want = ["Pesan kedua", "Pesan ketiga", "Pesan pertama"]
        wait_for(lambda: stored_texts(app) == want, 15, "every mail, once")
    finally:
        stop.set()
        loop.join(timeout=10)
    assert not loop.is_alive()
    assert stored_texts(app) == want


def test_a_worker_not_holding_the_mailbox_does_not_watch_it_until_it_does(
    tmp_path, own_dovecot, smtp_sink
):
    """Several workers (bot/service/leases.py): the mailbox's IDLE runs where its lease is."""
    app = build_app(tmp_path, own_dovecot, smtp_sink, poll_seconds=3600, idle_renew_seconds=5)
    (idle,) = [w for w in app.watchers if isinstance(w, IdleWatcher)]
    holding = threading.Event()
    watcher = IdleWatcher(idle.account, look_now=lambda: None, allowed=holding.is_set)
    thread = threading.Thread(target=watcher.run, daemon=True)
    thread.start()
    try:
        assert not watcher.connected.wait(1.0)  # another worker holds it: no connection
        holding.set()
        wait_for(watcher.connected.is_set, 10, "the IDLE connection once it holds the lease")
        holding.clear()
        wait_for(lambda: not watcher.connected.is_set(), 5, "letting go once it lost the lease")
    finally:
        watcher.stop.set()
        thread.join(timeout=5)
    assert not thread.is_alive()
