"""The complaint and psychoeducation workflows' setup from the office's configuration: its
calendar, the texts for clients in its language, how dates are written, the heads."""

from __future__ import annotations

from bot.config.calendar import when, when_day
from bot.config.settings import Settings
from triage.domain.schedule.calendar import ServiceCalendar
from triage.domain.workflow import WorkflowSetup
from triage.texts.catalog import text

CLIENT_TEXTS = (
    "complaint.received",
    "complaint.ask",
    "complaint.feedback",
    "complaint.outside_remit",
    "complaint.report",
    "psychoed.received",
    "psychoed.ask",
    "psychoed.accepted",
    "psychoed.declined",
)


def workflow_setup(settings: Settings, calendar: ServiceCalendar) -> WorkflowSetup:
    lang = settings.language
    return WorkflowSetup(
        calendar=calendar,
        lang=lang,
        texts={key: text(key, lang) for key in CLIENT_TEXTS},  # type: ignore[arg-type]
        when=lambda at: when(at, settings),
        when_day=lambda day: when_day(day, settings),
        complaint_days=settings.sla.complaint_working_days,
        heads=settings.heads,
    )


def survey_question(settings: Settings) -> str | None:
    """What a client is asked when their case closes (triage.domain.survey); None when it is off."""
    if not settings.survey.enabled:
        return None
    return text("survey.question", settings.language, office=settings.office.name)  # type: ignore[arg-type]
