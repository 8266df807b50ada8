"""Meta's posts between the answer 200 and the drain, on SQLite and PostgreSQL: the same bytes
kept once (also posted at the same moment by two workers), drained once, a drain stopped
half-way going on where it was, the body gone once drained."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta

from bot.demo.local_graph import NUMBER_ID, GraphState
from channels.meta.graph import Graph
from channels.meta.source import MetaSource
from storage.webhook_events import WebhookEvents

NOW = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)
KEY = f"whatsapp:{NUMBER_ID}"


def two_messages() -> bytes:
    state = GraphState(clock=lambda: NOW)
    one = state.client_writes("628111", "Ani", "pertama")
    two = state.client_writes("628111", "Ani", "kedua")
    one["entry"].append(two["entry"][0])
    return json.dumps(one).encode()


def test_the_same_post_is_kept_once_even_from_two_workers_at_once(engine):
    events = WebhookEvents(engine)
    body = two_messages()
    outcomes: list[bool] = []
    barrier = threading.Barrier(4)

    def keep() -> None:
        barrier.wait()
        outcomes.append(events.keep(KEY, body, NOW))

    threads = [threading.Thread(target=keep) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == [False, False, False, True]
    assert len(events.pending(KEY, 10)) == 1
    assert events.pending("whatsapp:other", 10) == []


def test_a_drain_stopped_half_way_goes_on_from_its_cursor_and_the_body_goes(engine, tmp_path):
    events = WebhookEvents(engine)
    events.keep(KEY, two_messages(), NOW)
    source = MetaSource(events, NUMBER_ID, Graph("t"), tmp_path, mark_read=False,
                            clock=lambda: NOW)  # fmt: skip
    stored: list[tuple[str, str]] = []
    cursor: dict[str, str] = {}

    def deliver_then_die(message, mark):
        if stored:
            raise KeyboardInterrupt  # the process killed before the second commit
        stored.append((message.text, mark))
        cursor["at"] = mark

    try:
        source.poll_once(deliver_then_die, None)
    except KeyboardInterrupt:
        pass
    assert [t for t, _ in stored] == ["pertama"] and len(events.pending(KEY, 10)) == 1

    def deliver(message, mark):
        stored.append((message.text, mark))

    assert source.poll_once(deliver, cursor["at"]) == 1
    assert [t for t, _ in stored] == ["pertama", "kedua"]
    assert events.pending(KEY, 10) == []  # drained: the body is gone
    assert source.poll_once(deliver, stored[-1][1]) == 0
    # the digest stays to refuse Meta's late retry, then goes after a week and a day
    assert events.keep(KEY, two_messages(), NOW + timedelta(days=3)) is False
    assert events.purge(NOW + timedelta(days=1)) == 1
    assert events.keep(KEY, two_messages(), NOW + timedelta(days=9)) is True


def test_an_id_is_never_given_again_after_the_purge_empties_the_table(engine):
    """The drain's cursor names a post by id: a new post with an old id would be skipped."""
    events = WebhookEvents(engine)
    events.keep(KEY, b'{"n": 1}', NOW)
    ((first, _),) = events.pending(KEY, 10)
    events.finish(first)
    assert events.purge(NOW + timedelta(days=9)) == 1
    events.keep(KEY, b'{"n": 2}', NOW + timedelta(days=9))
    ((second, _),) = events.pending(KEY, 10)
    assert second > first
