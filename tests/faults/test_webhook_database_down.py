"""PostgreSQL stopped while Meta posts WhatsApp messages: the receiver answers 503 (never 200
for what it could not commit), Meta posts again, and once the database is back every message
is stored exactly once, whatever was posted during the outage or twice."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest

from bot.config.meta_settings import WebhookConfig
from bot.demo.local_graph import NUMBER_ID, GraphState, Meta
from bot.service.webhook import Receiver, Route, WebhookServer
from channels.meta.graph import Graph
from channels.meta.source import MetaSource
from storage.db import make_engine
from storage.dead_letters import DeadLetters
from storage.migrate import upgrade
from storage.webhook_events import WebhookEvents
from tests.support.meta_office import APP_SECRET, VERIFY, free_port
from tests.support.pg_cluster import fresh_pg_database

pytestmark = pytest.mark.pg
NOW = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)
KEY = f"whatsapp:{NUMBER_ID}"


def test_posts_while_postgresql_is_down_get_503_and_are_stored_once_after(own_pg_cluster, tmp_path):
    engine = make_engine(fresh_pg_database(own_pg_cluster.url))
    upgrade(engine)
    events = WebhookEvents(engine)
    port = free_port()
    hook = WebhookConfig(port=port, verify_token=VERIFY, app_secret=APP_SECRET)
    receiver = Receiver(hook, {KEY: Route(KEY, events, lambda: None)},
                        DeadLetters(engine), lambda: NOW)  # fmt: skip
    server = WebhookServer(receiver, "127.0.0.1", port)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    assert server.ready.wait(10)
    meta = Meta(f"http://127.0.0.1:{port}/meta", APP_SECRET)
    state = GraphState(clock=lambda: NOW)
    posts = [state.client_writes(f"62811{n}", f"Klien {n}", f"pesan {n}") for n in range(6)]
    try:
        assert [meta.post(p) for p in posts[:2]] == [200, 200]
        own_pg_cluster.halt()
        down = [meta.post(p) for p in posts[2:5]]
        assert down == [503, 503, 503]  # nothing committed: Meta must post them again
        own_pg_cluster.resume()
        for post in posts[1:]:  # Meta's retries, and one it had already had answered
            assert meta.deliver(post, tries=50, pause=0.2) == 200
    finally:
        server.halt()
        thread.join(10)
    source = MetaSource(events, NUMBER_ID, Graph("t"), tmp_path, clock=lambda: NOW)
    stored: list[str] = []
    source.poll_once(lambda m, _: stored.append(m.text), None)
    engine.dispose()
    assert sorted(stored) == [f"pesan {n}" for n in range(6)]
