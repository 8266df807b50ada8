"""The service loop: channels polled into the inbox, the outbox drained, a stop honoured."""

import threading
import time
from datetime import UTC, datetime

import pytest

from bot.bootstrap import build
from bot.config.settings import from_mapping
from bot.service import loops as service
from channels.simulated import RecordingSender, ScriptedSource
from tests.builders import ADMIN, inbound
from triage.domain.outbox import OutboxItem, OutboxStatus, Target
from triage.usecases import inbox
from triage.usecases.replies import reply_to_client


def wait_for(condition, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)


def test_run_forever_ingests_sends_and_stops(tmp_path):
    settings = from_mapping(
        {
            "data_dir": str(tmp_path),
            "office": {"name": "Uji"},
            "outbox": {"interval_seconds": 0.05},
        },
        environ={},
    )
    sender = RecordingSender(Target.HOTLINE)
    app = build(
        settings,
        sources=[ScriptedSource("sim:hotline", [inbound(1), inbound(2)])],
        senders={Target.HOTLINE: sender},
    )
    stop = threading.Event()
    loop = threading.Thread(
        target=service.run_forever, args=(app, stop), kwargs={"poll_every": 0.05}
    )
    loop.start()
    try:
        # each message is its own commit: wait for both, not just the conversation
        wait_for(lambda: [len(v.messages) for v in inbox.snapshot(app.uows)] == [2])
        (view,) = inbox.snapshot(app.uows)
        reply_to_client(
            view.conversation.id,
            "Halo",
            actor=ADMIN,
            idempotency_key="r1",
            uow_factory=app.uows,
            now=datetime.now(UTC),
        )
        wait_for(lambda: len(sender.delivered) == 1)
    finally:
        stop.set()
        loop.join(timeout=5)
    assert not loop.is_alive()
    assert sender.delivered[0].text == "Halo" and sender.delivered[0].recipient == "client-1"
    with app.uows() as uow:
        assert uow.cursors.get("sim:hotline") == "2"


def test_a_stop_does_not_wait_for_a_batch_of_slow_sends(tmp_path):
    """An Instagram send takes a second or more (instagrapi waits between requests): with a
    backlog of replies, the stop must not wait for the twenty a pass claims; what was not
    tried is pending again, for the next start, at once."""
    settings = from_mapping(
        {
            "data_dir": str(tmp_path),
            "office": {"name": "Uji"},
            "outbox": {"interval_seconds": 0.05},
        },
        environ={},
    )

    class Slow(RecordingSender):
        def send(self, item):
            time.sleep(0.3)
            return super().send(item)

    sender = Slow(Target.HOTLINE)
    app = build(settings, sources=[], senders={Target.HOTLINE: sender})
    now = datetime.now(UTC)
    with app.uows() as uow:
        for n in range(30):
            uow.outbox.add(OutboxItem(id=None, idempotency_key=f"r{n}", target=Target.HOTLINE,
                                      recipient=f"client-{n}", text="Halo", created_at=now,
                                      next_attempt_at=now))  # fmt: skip
        uow.commit()
    stop = threading.Event()
    loop = threading.Thread(target=service.run_forever, args=(app, stop))
    loop.start()
    wait_for(lambda: len(sender.delivered) >= 1)
    stop.set()
    loop.join(timeout=2)
    assert not loop.is_alive()
    with app.uows() as uow:
        unsent = uow.outbox.unsent()
    assert len(sender.delivered) + len(unsent) == 30 and len(unsent) >= 10
    assert all(i.status is OutboxStatus.PENDING and i.lease_until is None for i in unsent)


def test_a_failing_channel_does_not_stop_the_others(tmp_path):
    class Broken:
        cursor_key = "broken"

        def poll_once(self, deliver, cursor):
            raise ConnectionError("server said no")

    settings = from_mapping({"data_dir": str(tmp_path), "office": {"name": "Uji"}}, environ={})
    app = build(settings, sources=[Broken(), ScriptedSource("sim:hotline", [inbound(1)])])
    assert service.poll_all(app) == {"broken": -1, "sim:hotline": 1}


def test_the_built_app_is_sealed_what_differs_goes_into_build(tmp_path):
    settings = from_mapping({"data_dir": str(tmp_path), "office": {"name": "Uji"}}, environ={})
    source = ScriptedSource("sim:hotline", [inbound(1)])
    app = build(settings, sources=[source])
    assert app.sources == [source]
    with pytest.raises(AttributeError, match="bot/bootstrap.py"):
        app.sources = []
    assert app.sealer is app.sealer  # made once, on first use
