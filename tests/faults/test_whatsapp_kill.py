"""kill -9 of `puspaga run` while Meta posts WhatsApp messages, then a restart: Meta's posts
that met no answer are posted again (as Meta does, for days), some twice; every message is
stored once and shown in the admin group once (a real subprocess, its own webhook receiver,
the Graph stand-in, the local Bot API server, SQLite)."""

from __future__ import annotations

import os
import signal

import httpx
import pytest

from bot.demo.local_api import LocalBotApi
from bot.demo.local_graph import LocalGraph, Meta
from tests.support.meta_office import APP_SECRET, VERIFY, free_port
from tests.support.office import GROUP
from tests.support.service_process import config, query, service
from tests.support.telegram_office import office_state
from tests.support.waiting import wait_for

CLIENTS, EACH = 3, 12


def listening(port: int) -> bool:
    params = {"hub.mode": "subscribe", "hub.verify_token": VERIFY, "hub.challenge": "ok"}
    try:
        return httpx.get(f"http://127.0.0.1:{port}/meta", params=params, timeout=1).text == "ok"
    except httpx.HTTPError:
        return False


@pytest.mark.slow
def test_sigkill_while_meta_posts_then_restart_stores_and_shows_each_message_once(tmp_path):
    port = free_port()
    expected = [f"[w{c}-m{m}] cerita" for m in range(EACH) for c in range(CLIENTS)]
    with LocalBotApi(office_state()) as api, LocalGraph() as graph:
        path = config(tmp_path, api)
        with path.open("a") as more:
            more.write(
                f'[webhook]\nport = {port}\nverify_token = "{VERIFY}"\n'
                f'app_secret = "{APP_SECRET}"\n'
                f'[whatsapp]\nphone_number_id = "{graph.state.number_id}"\n'
                f'access_token = "{graph.state.token}"\ngraph_url = "{graph.base_url}"\n'
                "poll_seconds = 0.5\n"
            )
        url = f"sqlite:///{tmp_path / 'data' / 'puspaga.sqlite3'}"

        def stored() -> int:
            rows = query(url, "SELECT count(*) FROM message WHERE direction = 'in'")
            return rows[0][0] if rows else 0

        meta = Meta(f"http://127.0.0.1:{port}/meta", APP_SECRET)
        posts = [graph.state.client_writes(f"62812000{n % CLIENTS}", f"Klien {n % CLIENTS}", body)
                 for n, body in enumerate(expected)]  # fmt: skip
        first = service(path)
        wait_for(lambda: listening(port), 30, "the webhook receiver")
        for n, post in enumerate(posts):
            assert meta.deliver(post, tries=300, pause=0.1) == 200
            if n % 5 == 0:
                assert meta.deliver(post) == 200  # Meta's duplicate
            if n == len(posts) // 2:
                wait_for(lambda: stored() >= 5, 30, "some messages stored")
                os.kill(first.pid, signal.SIGKILL)
                first.wait(timeout=10)
                assert meta.post(posts[n - 1]) == 0  # no answer now: Meta will post again
                second = service(path)
        assert first.returncode == -signal.SIGKILL
        try:
            wait_for(lambda: stored() == len(expected), 60, "every message stored")

            def all_posted() -> bool:
                shown = "\n".join(m.get("text", "") for m in api.state.sent(GROUP))
                return all(body in shown for body in expected)

            wait_for(all_posted, 90, "every message shown in the admin group")
        finally:
            second.send_signal(signal.SIGTERM)
            _, err = second.communicate(timeout=30)
        assert second.returncode == 0, err
    bodies = [r[0] for r in query(url, "SELECT text FROM message WHERE direction = 'in'")]
    assert sorted(bodies) == sorted(expected)  # stored exactly once each
    posts_shown = [
        m.get("text", "") for m in api.state.sent(GROUP) if "cerita" in m.get("text", "")
    ]
    # a post is sent twice only if the kill fell between Telegram's answer and our commit
    assert len(posts_shown) - len(set(posts_shown)) <= 1
