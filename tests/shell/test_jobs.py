"""Calendar jobs in the database (APScheduler's SQLAlchemy job store): stored, found again after
a restart, the morning roster posted once a day however often it runs, and the guidance
programme's late steps told once."""

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
    assert sorted(stored) == [
        "monthly-report",
        "morning-roster",
        "programme-due",
        "retention-purge",
    ]
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


def test_a_programme_step_past_its_target_is_told_once_to_the_group_and_the_head(tmp_path):
    from triage.domain import programme
    from triage.domain.model import Actor, Role
    from triage.usecases import psychoeducation

    app = office(tmp_path)
    jobs.install(BackgroundScheduler(), app)
    admin = Actor(staff_id=1001, role=Role.ADMIN, name="Wayan")
    mapped_at = datetime(2026, 11, 23, 9, tzinfo=WITA)  # a Monday
    psychoeducation.take_step(programme.Semester(2026, 2), programme.MAPPED, {}, actor=admin,
                              uow_factory=app.uows, now=mapped_at, today=mapped_at.date(),
                              key="m")  # fmt: skip
    app.clock.at = datetime(2026, 11, 24, 8, 5, tzinfo=WITA)  # the submission is due at 16.00
    assert jobs.programme_due() == 0
    app.clock.at = datetime(2026, 11, 25, 8, 5, tzinfo=WITA)
    assert jobs.programme_due() == 2 and jobs.programme_due() == 0  # the group and the head
    due = datetime(2026, 11, 24, 16, tzinfo=WITA).isoformat()
    with app.uows() as uow:
        told = [uow.outbox.find_key(f"programme-due:2026-2:submitted:{due}:{where}")
                for where in (GENERAL, "staff:3001")]  # fmt: skip
    assert all(i is not None and "«Program kerja diajukan kepada ketua»" in i.text for i in told)
    app.engine.dispose()


def test_each_office_in_one_process_runs_its_own_calendar_jobs(tmp_path):
    """Several offices in one process (bot/config/province.py): a job from one office's store
    acts on that office, whichever office was installed last."""
    badung, gianyar = office(tmp_path / "badung"), office(tmp_path / "gianyar")
    for app in (badung, gianyar):
        jobs.install(BackgroundScheduler(), app)
        app.clock.at = datetime(2026, 11, 24, 7, 30, tzinfo=WITA)
    scheduler = BackgroundScheduler()
    jobs.install(scheduler, badung)
    scheduler.start(paused=True)
    try:
        (roster,) = [j for j in scheduler.get_jobs(jobstore=jobs.STORE) if j.id == "morning-roster"]
        assert roster.kwargs == {"office": str(badung.settings.data_dir)}
    finally:
        scheduler.shutdown(wait=False)
    jobs.install(BackgroundScheduler(), gianyar)  # the last installed
    assert jobs.morning_roster(**roster.kwargs)
    for app, posted in ((badung, True), (gianyar, False)):
        with app.uows() as uow:
            assert (uow.outbox.find_key("morning-roster:2026-11-24") is not None) is posted
        app.engine.dispose()


def test_the_province_figures_go_to_the_provincial_heads_once_a_month(tmp_path):
    """Only in the office whose bot tells the province; counts of every office running, the
    one not running named in the caption; the same month again queues nothing."""
    from bot.files import province_report
    from bot.service.offices import Offices, ProvinceHeads
    from triage.domain.model import Channel, InboundMessage
    from triage.usecases.ingest import ingest

    def settings(key: str):
        return from_mapping({
            "data_dir": str(tmp_path / key), "office": {"name": f"PUSPAGA {key}"},
            "telegram": {"token": f"1:{key}", "base_url": "http://127.0.0.1:9/bot",
                         "admin_chat_id": -1},
        }, environ={})  # fmt: skip

    heads = ProvinceHeads("DP3A Uji", "id", {5550001: "Kabid"}, "badung")
    offices = Offices({k: settings(k) for k in ("badung", "gianyar", "bangli")}, heads)
    apps = {}
    for key in ("badung", "gianyar"):  # Bangli's database is not up
        apps[key] = build(settings(key), clock=MovingClock(datetime(2026, 12, 1, 8, 15,
                                                                    tzinfo=WITA)),
                          offices=offices)  # fmt: skip
        offices.add(key, apps[key])
        ingest(
            InboundMessage(
                Channel.HOTLINE,
                f"{key}-1",
                "77",
                "Sari Rahasia",
                "cerita",
                datetime(2026, 11, 20, 9, 0, tzinfo=WITA),
            ),
            uow_factory=apps[key].uows,
            now=datetime(2026, 11, 20, 9, 0, tzinfo=WITA),
        )
    for key, told in (("gianyar", False), ("badung", True)):
        scheduler = BackgroundScheduler()
        jobs.install(scheduler, apps[key])
        assert ("province-report" in {j.id for j in scheduler.get_jobs()}) is told
    assert jobs.province_report(jobs._office(apps["badung"])) == 1
    assert jobs.province_report(jobs._office(apps["badung"])) == 1  # the same key: kept once
    with apps["badung"].uows() as uow:
        (item,) = [i for i in uow.outbox.unsent() if i.options.get("kind") == "document"]
    assert item.recipient == "staff:5550001"
    assert "PUSPAGA bangli" in item.text and item.options["filename"] == "provinsi-2026-11.xlsx"
    table = (tmp_path / "badung" / "laporan" / "2026-11" / "provinsi-2026-11.csv").read_text(
        encoding="utf-8-sig")  # fmt: skip
    assert "PUSPAGA badung,1," in table and "PUSPAGA gianyar,1," in table
    assert "Sari" not in table and province_report.send_to_heads(offices, "2026-11", "x", [1])
    for app in apps.values():
        app.engine.dispose()
