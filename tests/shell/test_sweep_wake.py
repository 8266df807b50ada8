"""The SLA sweeper wakes at the next deadline, not only on its interval: a reminder due between
two passes is queued within about a second of its due time (bot.service.loops)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.bootstrap import build
from bot.config.settings import from_mapping
from bot.service import loops as service
from tests.builders import MovingClock, inbound
from tests.support.waiting import wait_for
from triage.usecases.ingest import ingest

WITA = ZoneInfo("Asia/Makassar")
ALL_DAY = {day: ["00:00-23:59"] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


def test_a_reminder_due_between_two_passes_is_queued_at_its_due_time(tmp_path):
    settings = from_mapping(
        {
            "data_dir": str(tmp_path),
            "office": {"name": "PUSPAGA Uji", "hours": ALL_DAY, "after_hours_reply": False},
            "sla": {"sweep_seconds": 30},  # the interval alone would be up to 30 s late
            "telegram": {"token": "1:x", "base_url": "http://127.0.0.1:9/bot", "admin_chat_id": -1},
            "staff": [{"telegram_id": 3001, "name": "Ketut", "role": "ketua"}],
        },
        environ={},
    )
    app = build(settings, clock=MovingClock())
    app.clock.move_to(datetime(2026, 12, 8, 10, tzinfo=WITA))  # a Tuesday, no holiday
    wrote = app.clock() - timedelta(minutes=5) + timedelta(seconds=2)  # due in 2 s
    ingest(inbound(1, text="halo, saya perlu bantuan", at=wrote), uow_factory=app.uows, now=wrote)
    scheduler = service.start_scheduler(app)
    try:

        def fired() -> list:
            with app.uows() as uow:
                return [(s, d) for s, d in uow.deadlines.for_conversation(1) if s == "fired"]

        wait_for(fired, timeout=10, what="the reminder fired")
        with app.uows() as uow:
            reminders = [i for i in uow.outbox.for_conversation(1)
                         if i.options.get("kind") == "reminder"]  # fmt: skip
        assert reminders, "the reminder is queued"
        late = (reminders[0].created_at - fired()[0][1].due_at).total_seconds()
        assert 0 <= late < 2.0, late  # the next interval pass is 30 s away
    finally:
        scheduler.shutdown(wait=False)
        app.engine.dispose()
