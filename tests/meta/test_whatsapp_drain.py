"""The drain against odd posts a client or Meta can send: a file name too long for the disk, a
NUL in it, a profile that is not an object, a media file that cannot be fetched. Each message is
stored (with a note) and the drain goes on: one post never blocks the office's WhatsApp."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime

import httpx

from bot.config.meta_settings import WebhookConfig
from bot.demo.local_graph import NUMBER_ID, GraphState, LocalGraph, Meta
from bot.service.webhook import Receiver, Route, WebhookServer
from channels.meta.graph import Graph
from channels.meta.source import MetaSource
from storage.dead_letters import DeadLetters
from storage.webhook_events import WebhookEvents
from tests.support.meta_office import APP_SECRET, VERIFY, free_port

NOW = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)
KEY = f"whatsapp:{NUMBER_ID}"


def test_odd_posts_are_stored_with_a_note_and_never_block_the_drain(sqlite_engine, tmp_path):
    events = WebhookEvents(sqlite_engine)
    with LocalGraph(GraphState(clock=lambda: NOW)) as graph:
        state = graph.state
        long_name = state.client_writes("628111", "Ani", "suratnya", media=("document", b"%PDF",
                                        "application/pdf"))  # fmt: skip
        doc = long_name["entry"][0]["changes"][0]["value"]["messages"][0]["document"]
        doc["filename"] = "surat\x00" + "x" * 300 + ".pdf"
        odd_profile = state.client_writes("628222", "Budi", "halo")
        odd_profile["entry"][0]["changes"][0]["value"]["contacts"][0]["profile"] = "Budi"
        gone = state.client_writes("628333", "Cici", "fotonya", media=("image", b"\xff\xd8",
                                   "image/jpeg"))  # fmt: skip
        expired = gone["entry"][0]["changes"][0]["value"]["messages"][0]["image"]["id"]
        del state.media[expired]  # the media id expired before the drain came to it
        for post in (long_name, odd_profile, gone):
            assert events.keep(KEY, json.dumps(post).encode(), NOW)
        source = MetaSource(events, NUMBER_ID, Graph(state.token, graph.base_url),
                                tmp_path / "files", clock=lambda: NOW)  # fmt: skip
        stored = []
        assert source.poll_once(lambda m, _: stored.append(m), None) == 3
    assert events.pending(KEY, 10) == []  # all three drained
    (kept,) = stored[0].attachments
    assert kept.stored_path is not None and len(kept.filename) <= 80 and "\x00" not in kept.filename
    assert open(kept.stored_path, "rb").read() == b"%PDF"
    assert stored[1].text == "halo" and stored[1].sender_name == "+628222"
    assert "tidak dapat diambil" in stored[2].text and stored[2].attachments[0].stored_path is None


def test_a_second_worker_waits_for_the_port_and_takes_over_when_the_first_stops(sqlite_engine):
    port = free_port()
    hook = WebhookConfig(port=port, verify_token=VERIFY, app_secret=APP_SECRET)
    stored: list[str] = []

    def server(name: str) -> WebhookServer:
        events = WebhookEvents(sqlite_engine)
        route = Route(KEY, events, lambda: stored.append(name))
        receiver = Receiver(hook, {KEY: route}, DeadLetters(sqlite_engine),
                            lambda: NOW)  # fmt: skip
        return WebhookServer(receiver, "127.0.0.1", port, retry_seconds=0.1)

    first, second = server("first"), server("second")
    threads = [threading.Thread(target=s.run, daemon=True) for s in (first, second)]
    threads[0].start()
    assert first.ready.wait(10)
    threads[1].start()
    meta = Meta(f"http://127.0.0.1:{port}/meta", APP_SECRET)
    state = GraphState(clock=lambda: NOW)
    assert meta.post(state.client_writes("628111", "Ani", "satu")) == 200
    assert not second.ready.is_set() and stored == ["first"]  # one process serves the port
    first.halt()
    threads[0].join(10)
    assert second.ready.wait(10)
    assert meta.deliver(state.client_writes("628111", "Ani", "dua")) == 200
    assert stored == ["first", "second"]
    second.halt()
    threads[1].join(10)
    with httpx.Client() as client:
        try:
            client.get(f"http://127.0.0.1:{port}/meta", timeout=1)
            refused = False
        except httpx.HTTPError:
            refused = True
    assert refused  # both stopped: nothing listens
