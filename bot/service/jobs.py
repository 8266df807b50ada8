"""Calendar jobs: APScheduler jobs kept in the office's own database (APScheduler's
SQLAlchemy job store), so a restart keeps them, and a run missed while the service was down
happens once when it is back (within the grace time). Each run queues its post with an
idempotency key of the day, so several workers sharing the store post it once.

The monthly report to the heads on the 1st (and, in the office that tells the province, the
province's figures to the provincial heads), the morning duty roster for the admin
group, the guidance programme's steps past their target (to the group and the heads), and the
nightly retention purge (personal data kept no longer than its period;
several workers running it at once erase each thing once, as each erasure is marked).
"""

from __future__ import annotations

import logging
from datetime import tzinfo
from functools import partial
from zoneinfo import ZoneInfo

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.base import BaseScheduler

from bot.app import App
from bot.telegram.duty import week_text
from triage.domain import notices
from triage.effects import notify
from triage.texts.catalog import text
from triage.usecases import psychoeducation
from triage.usecases.roster import week

log = logging.getLogger(__name__)
STORE = "calendar"
GRACE_SECONDS = 3 * 3600
# Jobs come back from the store by name and find their office's app here, by its data folder
# (several offices in one process: bot/config/province.py; each office's store is its own).
_running: dict[str, App] = {}


def _office(app: App) -> str:
    return str(app.settings.data_dir)


def _app(office: str | None) -> App | None:
    """The job's office; a job stored before offices were named (replaced at each start) runs
    for the office installed last."""
    if office is None:
        return next(reversed(_running.values()), None)
    return _running.get(office)


def install(scheduler: BaseScheduler, app: App) -> None:
    """The job store in the database, and the calendar jobs in it (replaced on each start,
    so a changed configuration takes effect)."""
    _running.pop(_office(app), None)
    _running[_office(app)] = app  # the last installed is also the last in the dict
    scheduler.add_jobstore(SQLAlchemyJobStore(engine=app.engine), alias=STORE)
    zone = ZoneInfo(app.settings.office.timezone)
    job = partial(_calendar_job, scheduler, office=_office(app))
    job("monthly_report", "monthly-report", zone, day=1, hour=8)
    hour, minute = (int(part) for part in app.settings.retention.purge_at.split(":"))
    job("retention_purge", "retention-purge", zone, hour=hour, minute=minute)
    if app.roster is not None:
        job("morning_roster", "morning-roster", app.roster.calendar.zone, hour=7, minute=30)
    if app.workflows is not None:
        job("programme_due", "programme-due", app.workflows.calendar.zone, hour=8, minute=5)
    if app.offices is not None and app.offices.tells_province(app):
        job("province_report", "province-report", zone, day=1, hour=8, minute=15)


def uninstall(scheduler: BaseScheduler) -> None:
    """Another worker holds the calendar's lease now (bot/service/leases.py): this scheduler
    lets go of the store (the jobs stay in it, for the new holder)."""
    try:
        scheduler.remove_jobstore(STORE, shutdown=True)
    except KeyError:
        pass  # never installed here


def _calendar_job(scheduler: BaseScheduler, func: str, job_id: str, zone: tzinfo, *,
                  office: str, **when: int) -> None:  # fmt: skip
    """A cron job in the database store, replaced on each start; a run missed while the
    service was down happens once when it is back (within the grace time)."""
    scheduler.add_job(
        f"bot.service.jobs:{func}",
        "cron",
        timezone=zone,
        id=job_id,
        kwargs={"office": office},
        jobstore=STORE,
        replace_existing=True,
        coalesce=True,
        misfire_grace_time=GRACE_SECONDS,
        **when,
    )


def monthly_report(office: str | None = None) -> int:
    """On the 1st: last month's report files to every head (once: the key names the month)."""
    from bot.files import report as report_files

    app = _app(office)
    if app is None:
        return 0
    heads = list(app.settings.heads)
    if not heads:
        return 0
    month = report_files.office_last_month(app)
    return report_files.send_to_heads(app, month, f"monthly-report:{month}", heads)


def province_report(office: str | None = None) -> int:
    """On the 1st, in the office whose bot tells the province: last month's figures of every
    office to the provincial heads (once: the key names the month)."""
    from bot.files import province_report as figures
    from bot.files import report as report_files

    app = _app(office)
    if app is None or app.offices is None:
        return 0
    month = report_files.office_last_month(app)
    return figures.send_to_heads(app.offices, month, f"province-report:{month}")


def retention_purge(office: str | None = None) -> dict[str, int]:
    """Every night: erase what has been kept its retention period (bot.config.erasure)."""
    from bot.config import erasure as erasure_setup

    app = _app(office)
    return erasure_setup.purge(app) if app is not None else {}


def morning_roster(office: str | None = None) -> bool:
    """On a working day, who is on duty today, posted to the admin group once. True if it
    queued the post."""
    app = _app(office)
    if app is None or app.roster is None or not app.roster.counselors:
        return False
    roster = app.roster
    now = app.clock()
    today = now.astimezone(roster.calendar.zone).date()
    if not roster.calendar.is_working_day(today):
        return False
    days = week(app.uows, roster, today, days=1)
    names = {c: roster.names.get(c, str(c)) for c in roster.counselors}
    body = week_text(days, names, set(), app.settings.language)  # type: ignore[arg-type]
    with app.uows() as uow:
        key = f"morning-roster:{today.isoformat()}"
        if uow.outbox.find_key(key) is not None:
            return False
        notify.queue(uow, key=key, recipient=notices.GENERAL, kind=notices.Kind.INFO, now=now,
                      text=body)  # fmt: skip
        uow.commit()
    app.wake.set()
    return True


def programme_due(office: str | None = None) -> int:
    """On a working day: each step of the guidance programme past its target (the submission,
    the head's approval, the semester's report, the receipt: triage.domain.programme), told once
    to the admin group and the heads. Returns how many posts it queued."""
    app = _app(office)
    if app is None or app.workflows is None:
        return 0
    calendar, now = app.workflows.calendar, app.clock()
    today = now.astimezone(calendar.zone).date()
    if not calendar.is_working_day(today):
        return 0
    late = psychoeducation.programme_due(today, calendar=calendar, uow_factory=app.uows, now=now)
    lang = app.settings.language
    heads = app.workflows.heads
    queued = 0
    with app.uows() as uow:
        for semester, due in late:
            body = text(
                "prog.overdue", lang, semester=str(semester),  # type: ignore[arg-type]
                step=text(f"prog.step.{due.step}", lang),  # type: ignore[arg-type]
                due=due.due_at.astimezone(calendar.zone).strftime("%d-%m-%Y %H.%M"),
            )  # fmt: skip
            for where in [notices.GENERAL, *(notices.staff(h) for h in heads)]:
                key = f"programme-due:{semester}:{due.step}:{due.due_at.isoformat()}:{where}"
                if uow.outbox.find_key(key) is None:
                    notify.queue(uow, key=key, recipient=where, kind=notices.Kind.INFO, now=now,
                                 text=body)  # fmt: skip
                    queued += 1
        uow.commit()
    if queued:
        app.wake.set()
    return queued
