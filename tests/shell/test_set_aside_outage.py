"""A full disk is an outage, not a bad message: with SQLite unable to grow (its page limit
reached, as a full disk would leave it), the polls fail again and again and nothing is set
aside; once there is room, every message comes in, in order."""

from __future__ import annotations

from sqlalchemy import event

from bot.bootstrap import build
from bot.config.settings import from_mapping
from bot.service import loops as service
from channels.simulated import ScriptedSource
from tests.builders import inbound
from triage.domain.model import Channel
from triage.usecases import inbox

PADDING = "x" * 3000  # a few pages a message, so the limit is reached at once


def test_a_full_disk_sets_nothing_aside_and_loses_nothing(tmp_path):
    messages = [
        inbound(n, channel=Channel.EMAIL, sender=f"c{n}@example.com", text=f"pesan {n} {PADDING}")
        for n in range(1, 13)
    ]
    source = ScriptedSource("email:uji@contoh:INBOX", messages[:4])
    app = build(from_mapping({"data_dir": str(tmp_path), "office": {"name": "Uji"}}, environ={}),
                sources=[source])  # fmt: skip
    assert service.poll_all(app) == {source.cursor_key: 4}
    with app.engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
    limit = {"pages": pages}

    @event.listens_for(app.engine, "connect")
    def _full(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        dbapi_conn.execute(f"PRAGMA max_page_count={limit['pages']}")

    app.engine.dispose()
    source.script = messages
    for _ in range(5):  # more than the tries that set a bad message aside
        assert service.poll_all(app) == {source.cursor_key: -1}
    assert app.dead_letters.all() == []
    limit["pages"] = 1_000_000  # room again
    app.engine.dispose()
    service.poll_all(app)
    stored = [m.text.split()[1] for v in inbox.snapshot(app.uows) for m in v.messages]
    assert sorted(stored, key=int) == [str(n) for n in range(1, 13)]
    assert app.dead_letters.all() == []
    app.engine.dispose()
