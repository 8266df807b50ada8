"""Telling systemd how the service is (sd_notify): READY once running, WATCHDOG on every pass
of the main loop, so a loop that hangs (a database call that never returns) is killed and
restarted by the unit's WatchdogSec (docs/deploy/puspaga-inbox.service). Without systemd
(NOTIFY_SOCKET unset) it does nothing."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time

log = logging.getLogger(__name__)
PING_SECONDS = 5.0  # WATCHDOG at most this often (a long catch-up calls `alive` per message)
STALL_SECONDS = 60.0  # a main loop without progress this long holds the pings back
_last_ping = [0.0]
_loops: dict[int, float] = {}  # each main loop's thread (one per office) -> its last progress


def watch_this_thread() -> None:
    """Each main loop calls this once (several offices: one loop each): progress on other
    threads (a mail poller) must not hide a main loop that hangs."""
    _loops[threading.get_ident()] = time.monotonic()


def unwatch_this_thread() -> None:
    """A main loop that has stopped."""
    _loops.pop(threading.get_ident(), None)


def alive() -> None:
    """A main loop is making progress: tell the watchdog while every main loop does
    (rate-limited, cheap to call often; a call from another thread is ignored)."""
    me = threading.get_ident()
    if me not in _loops:
        return
    now = time.monotonic()
    _loops[me] = now
    if now - _last_ping[0] >= PING_SECONDS and all(
        now - last < STALL_SECONDS for last in list(_loops.values())
    ):
        _last_ping[0] = now
        notify("WATCHDOG=1")


def notify(state: str) -> bool:
    """Send `state` ("READY=1", "WATCHDOG=1", "STOPPING=1") to systemd; False when not run by
    systemd or the socket is gone (never raises: the service goes on)."""
    address = os.environ.get("NOTIFY_SOCKET", "")
    if not address:
        return False
    if address.startswith("@"):  # an abstract socket
        address = "\0" + address[1:]
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
            sock.connect(address)
            sock.sendall(state.encode())
    except OSError as exc:
        log.warning("pemberitahuan ke systemd gagal (%s)", type(exc).__name__)
        return False
    return True
