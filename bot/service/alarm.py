"""The alarm outside Telegram: the head hears by mail when a channel, Telegram or the database
has been down for `[alarm] after_minutes`, and again when it is back (triage/domain/outage.py
decides when). The mail goes straight out over SMTP, not through the outbox: the database may
be what is down. `stopped()` is the mail systemd's OnFailure unit sends when the service
itself could not be kept running (docs/deploy/puspaga-alarm.service)."""

from __future__ import annotations

import logging
import time
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.app import App
from bot.config.settings import Settings
from triage.domain.outage import Alarm, AlarmKind
from triage.domain.outbox import OutboxItem, Target
from triage.ports import Sender, SendError
from triage.texts.catalog import text

log = logging.getLogger(__name__)
RETRY_SECONDS = 60.0  # a mail that could not go is tried again this much later
KINDS = ("email", "instagram", "telegram", "office", "database")
META = ("whatsapp", "messenger", "instagram-graph")  # drains and senders through Meta's Graph API
TELEGRAM = "telegram"  # the staff group, the hotline and the updates poller: one Telegram


def send_name(target: str) -> str:
    """What a send target's outage is called: Telegram's targets are one outage, one mail."""
    return TELEGRAM if target in (Target.TELEGRAM.value, Target.HOTLINE.value) else f"send:{target}"


def saw(app: App, name: str, ok: bool) -> None:
    """One observation: `name` answered (`ok`) or failed just now."""
    with app.outage_lock:
        app.outages.saw(name, ok, app.clock())


def sound(app: App) -> int:
    """Tell the head what is due (one mail each); returns how many went. Called every pass of
    the main loop: cheap when nothing is due."""
    now = app.clock()
    with app.outage_lock:
        due = app.outages.due(now)
    for waiting in set(app.alarm_retry) - set(due):  # told meanwhile, or its outage is over
        del app.alarm_retry[waiting]
    told = 0
    for alarm in due:
        if time.monotonic() < app.alarm_retry.get(alarm, 0.0):
            continue
        minutes = int((now - alarm.since).total_seconds() // 60)
        log.warning(
            "ALARM %s: %s sejak %s (%d menit)",
            "gangguan" if alarm.kind is AlarmKind.DOWN else "pulih",
            alarm.name, alarm.since.isoformat(timespec="seconds"), minutes,
        )  # fmt: skip
        if not tell(app.settings, app.senders.get(Target.EMAIL), alarm, now):
            app.alarm_retry[alarm] = time.monotonic() + RETRY_SECONDS
            continue
        app.alarm_retry.pop(alarm, None)
        with app.outage_lock:
            app.outages.sent(alarm)
        told += 1
    return told


def stopped(settings: Settings, sender: Sender | None, now: datetime, detail: str = "") -> bool:
    """`puspaga alarm`: the service has stopped and systemd gave up restarting it."""
    lang = settings.language
    body = text("alarm.stopped.body", lang, office=settings.office.name, detail=detail or "-")
    subject = text("alarm.stopped.subject", lang, office=settings.office.name)
    return _send(settings, sender, f"alarm:stopped:{now.isoformat()}", subject, body, now)


def tell(settings: Settings, sender: Sender | None, alarm: Alarm, now: datetime) -> bool:
    """Mail one alarm to `[alarm] emails`; True when it went (or there is no one to mail)."""
    lang, tz = settings.language, ZoneInfo(settings.office.timezone)
    kind = _kind(alarm.name, meta_instagram=settings.instagram_graph is not None)
    values = {
        "what": text(f"alarm.what.{kind}", lang),
        "name": alarm.name,
        "since": _at(alarm.since, tz),
        "until": _at(alarm.until or now, tz),
        "minutes": int(((alarm.until or now) - alarm.since).total_seconds() // 60),
        "office": settings.office.name,
        "todo": text(f"alarm.todo.{kind}", lang),
    }
    subject = text(f"alarm.{alarm.kind.value}.subject", lang, **values)
    body = text(f"alarm.{alarm.kind.value}.body", lang, **values)
    key = f"alarm:{alarm.kind.value}:{alarm.name}:{alarm.since.isoformat()}"
    return _send(settings, sender, key, subject, body, now)


def _send(
    settings: Settings, sender: Sender | None, key: str, subject: str, body: str, now: datetime
) -> bool:
    """True when the mail went, or when there is no one to mail (the log line is all)."""
    if not settings.alarm.emails or sender is None:
        return True
    item = OutboxItem(
        id=None,
        idempotency_key=key,
        target=Target.EMAIL,
        recipient=", ".join(settings.alarm.emails),
        text=body,
        created_at=now,
        next_attempt_at=now,
        options={"new_subject": subject},
    )
    try:
        sender.send(item)
    except Exception as exc:  # noqa: BLE001 - the alarm must never stop the service
        why = str(exc) if isinstance(exc, SendError) else type(exc).__name__
        log.error("surel alarm ke kepala gagal dikirim (%s); dicoba lagi nanti", why)
        return False
    return True


def _kind(name: str, *, meta_instagram: bool = False) -> str:
    """What an observed name is: a source's cursor key ("email:…", "instagram:…"), a send
    target ("send:email"), Telegram (its sends and its updates), Meta's channels (Instagram
    too when it goes by the Messaging API), or "database"."""
    head = name.removeprefix("send:").split(":", 1)[0]
    if head in META or (head == "instagram" and meta_instagram):
        return "meta"
    return head if head in KINDS else "database"


def _at(moment: datetime, tz: ZoneInfo) -> str:
    local = moment.astimezone(tz)
    return f"{local:%d-%m-%Y %H.%M} {local.tzname()}"
