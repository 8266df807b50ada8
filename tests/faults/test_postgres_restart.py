"""PostgreSQL restarted while the service runs (an upgrade, the database server rebooted):
every pooled connection dies at once. The service goes on by itself: what clients wrote
before, during and after is stored once, every queued reply is sent once."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from bot.bootstrap import build
from bot.config.settings import from_mapping
from bot.service import loops
from channels.simulated import RecordingSender, ScriptedSource
from tests.support.pg_cluster import fresh_pg_database
from tests.support.waiting import wait_for
from triage.domain.model import Channel, InboundMessage
from triage.domain.outbox import OutboxItem, Target

pytestmark = pytest.mark.pg


def message(n: int) -> InboundMessage:
    return InboundMessage(
        Channel.HOTLINE, f"chat:{n}", f"client-{n}", f"Klien {n}", f"pesan {n}", datetime.now(UTC)
    )


def reply(n: int) -> OutboxItem:
    now = datetime.now(UTC)
    return OutboxItem(None, f"reply:{n}", Target.HOTLINE, f"client-{n}", f"balasan {n}",
                      created_at=now, next_attempt_at=now)  # fmt: skip


def test_postgresql_restarted_while_the_service_runs_loses_and_doubles_nothing(
    tmp_path, own_pg_cluster, caplog
):
    url = fresh_pg_database(own_pg_cluster.url)
    settings = from_mapping(
        {"data_dir": str(tmp_path), "office": {"name": "PUSPAGA Uji"},
         "database": {"url": url}, "outbox": {"interval_seconds": 0.05,
                                              "retry_base_seconds": 0.1}},
        environ={},
    )  # fmt: skip
    script: list[InboundMessage] = []
    phone = RecordingSender(Target.HOTLINE)
    app = build(settings, sources=[ScriptedSource("sim:hotline", script)],
                senders={Target.HOTLINE: phone})  # fmt: skip
    stop = threading.Event()
    service = threading.Thread(target=loops.run_forever, args=(app, stop, 0.05))
    service.start()

    counter = create_engine(url, poolclass=NullPool)  # the test's own look, no pool to spoil

    def stored() -> int:
        try:
            with counter.connect() as conn:
                return conn.execute(text("SELECT count(*) FROM message")).scalar()
        except Exception:  # noqa: BLE001 - the database is restarting
            return -1

    def queue(n: int) -> None:  # a staff reply, as the Telegram side would write it
        with app.uows() as uow:
            uow.outbox.add(reply(n))
            uow.commit()
        app.wake.set()

    try:
        for n in range(5):
            script.append(message(n))
            queue(n)
        wait_for(lambda: stored() == 5 and len(phone.delivered) == 5, 20, "the first five")
        restarting = threading.Thread(target=own_pg_cluster.restart)
        restarting.start()
        for n in range(5, 10):
            script.append(message(n))  # clients write while the server goes down and up
        restarting.join(timeout=60)
        wait_for(lambda: stored() == 10, 30, "the messages written during the restart")
        for n in range(5, 10):
            queue(n)
        wait_for(lambda: len(phone.delivered) == 10, 30, "the replies queued after it")
    finally:
        stop.set()
        app.wake.set()
        service.join(timeout=30)
        app.engine.dispose()
    counter.dispose()
    # the service did meet the dead connections (and went on by itself)
    assert any("OperationalError" in r.getMessage() for r in caplog.records)
    keys = [item.idempotency_key for item in phone.delivered]
    assert sorted(keys) == sorted(f"reply:{n}" for n in range(10))  # each once
    assert stored() == 10
