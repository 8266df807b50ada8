"""Calendar jobs in the database (APScheduler's SQLAlchemy job store): stored, found again after
a restart, and the morning roster posted once a day however often it runs."""

from datetime import datetime
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import text

from bot.bootstrap import build
from bot.config.settings import from_mapping
from bot.service import jobs
from bot.service import loops as service
from tests.builders import MovingClock
from triage.domain.notices import GENERAL

WITA = ZoneInfo("Asia/Makassar")


def office(tmp_path):
    settings = from_mapping(
        {
            "data_dir": str(tmp_path),
            "office": {"name": "PUSPAGA Uji"},
            "telegram": {"token": "1:x", "base_url": "http://127.0.0.1:9/bot", "admin_chat_id": -1},
            "staff": [
                {"telegram_id": 2001, "name": "Made", "role": "konselor"},
                {"telegram_id": 3001, "name": "Ketut", "role": "ketua"},
            ],
        },
        environ={},
    )
    return build(settings, clock=MovingClock())


def test_the_calendar_job_is_kept_in_the_database_and_found_after_a_restart(tmp_path):
    app = office(tmp_path)
    scheduler = service.start_scheduler(app)
    assert scheduler is not None
    scheduler.shutdown(wait=False)
    with app.engine.connect() as conn:
        stored = conn.execute(text("SELECT id FROM apscheduler_jobs")).scalars().all()
    assert sorted(stored) == ["monthly-report", "morning-roster", "retention-purge"]
    again = BackgroundScheduler()
    jobs.install(again, app)
    again.start(paused=True)
    try:
        found = {job.id: job for job in again.get_jobs(jobstore=jobs.STORE)}
        assert found["morning-roster"].next_run_time.hour == 7
        assert found["monthly-report"].next_run_time.day == 1
        assert found["retention-purge"].next_run_time.strftime("%H:%M") == "02:00"
    finally:
        again.shutdown(wait=False)
    app.engine.dispose()


def test_the_morning_roster_is_posted_once_a_working_day(tmp_path):
    app = office(tmp_path)
    jobs.install(BackgroundScheduler(), app)
    app.clock.at = datetime(2026, 11, 24, 7, 30, tzinfo=WITA)  # a Tuesday
    assert jobs.morning_roster() and not jobs.morning_roster()
    with app.uows() as uow:
        item = uow.outbox.find_key("morning-roster:2026-11-24")
    assert item is not None and item.recipient == GENERAL and "Made" in item.text
    app.clock.at = datetime(2026, 11, 28, 7, 30, tzinfo=WITA)  # a Saturday: closed
    assert not jobs.morning_roster()
    app.engine.dispose()
