"""Several offices in one install (bot/config/province.py): how one office's outbox reaches
another office's core. A transfer's messages (triage.domain.referral) are outbox items of
target `office`; this sender hands each to the use case of the office named, in that office's
own database, whose idempotency keys make a message handed over twice act once. Each office
keeps its data apart: nothing here reads one office's rows for another."""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.config.settings import Settings
from bot.service import switchboard
from bot.service.switchboard import Districts
from storage.db import is_database_outage
from triage.domain import notices
from triage.domain.outbox import OutboxItem
from triage.domain.referral import OfficeMessage, load_message
from triage.ports import SendError, SendResult
from triage.texts.catalog import Lang, text
from triage.usecases.offices import transfer as transfer_cases

if TYPE_CHECKING:
    from bot.app import App

log = logging.getLogger("puspaga")
AUTHORS = ("client", "staff", "note", "bot", "masked")


@dataclass(frozen=True)
class ProvinceHeads:
    """The province file's own part: its name and language, the provincial heads (telegram id
    to name), and the office whose bot sends them the province's figures."""

    name: str = ""
    lang: Lang = "id"
    heads: Mapping[int, str] = field(default_factory=dict)
    report_office: str = ""


class Offices:
    """Every office of the install by its key (its schema or its config folder's name): its
    name, and its service once built (one still waiting for its database is not there yet)."""

    def __init__(self, offices: Mapping[str, Settings], province: ProvinceHeads | None = None,
                 districts: Districts | None = None) -> None:  # fmt: skip
        self.province = province or ProvinceHeads()
        self.districts = districts  # a hotline shared by every office (bot/service/switchboard.py)
        self.names = {key: settings.office.name for key, settings in offices.items()}
        self._staff = {s.telegram_id: settings.office.name for settings in offices.values()
                       for s in settings.staff}  # fmt: skip
        self._keys = {settings.data_dir: key for key, settings in offices.items()}
        self._apps: dict[str, App] = {}
        self._lock = threading.Lock()

    def key_of(self, settings: Settings) -> str:
        return self._keys[settings.data_dir]  # each office its own (bot/config/province.py)

    def add(self, key: str, app: App) -> None:
        with self._lock:
            self._apps[key] = app

    def app(self, key: str) -> App | None:
        with self._lock:
            return self._apps.get(key)

    def started(self) -> list[tuple[str, App]]:
        """The offices running now, in the province file's order."""
        with self._lock:
            return [(k, self._apps[k]) for k in self.names if k in self._apps]

    def elsewhere(self, user_id: int, app: App) -> str | None:
        """The office whose staff `user_id` is, or whose bot they talk to as a provincial head,
        when it is not `app`'s: someone writing to this bot who is not a client."""
        if user_id in self.province.heads and not self.tells_province(app):
            return self.names.get(self.province.report_office)
        office = self._staff.get(user_id)
        return office if office is not None and office != app.settings.office.name else None

    def tells_province(self, app: App) -> bool:
        """Whether `app` is the office whose bot the provincial heads talk to."""
        return bool(self.province.heads) and app.office_key == self.province.report_office

    def find(self, written: str, but: str) -> str | None:
        """The office a head means by `written`: its key, or words of its name ("gianyar" for
        "PUSPAGA Kabupaten Gianyar"); None when none or several match. Never `but` (their own)."""
        words = written.casefold().split()
        if not words:
            return None
        others = {k: n for k, n in self.names.items() if k != but}
        if written.casefold() in others:
            return written.casefold()
        found = [k for k, n in others.items() if all(w in n.casefold().split() for w in words)]
        return found[0] if len(found) == 1 else None


class OfficeSender:
    """The outbox's sender for target `office`."""

    def __init__(self, offices: Offices) -> None:
        self.offices = offices

    def send(self, item: OutboxItem) -> SendResult:
        if item.recipient not in self.offices.names:
            raise SendError(f"no office {item.recipient!r} in this install", transient=False)
        try:
            message = load_message(item.text)
        except ValueError as exc:
            raise SendError(str(exc), transient=False) from None
        app = self.offices.app(item.recipient)
        if app is None:  # its database is not up yet: waited for, never a failure
            raise SendError(f"office {item.recipient} not started", transient=True, counts=False)
        try:
            arrive(app, message)
        except Exception as exc:
            if is_database_outage(exc):  # the other office's database is down: waited for
                raise SendError(f"office {item.recipient}: database unavailable", transient=True,
                                counts=False) from None  # fmt: skip
            raise
        return SendResult(f"{item.recipient}:{item.idempotency_key}")

    def already_sent(self, item: OutboxItem) -> SendResult | None:
        return None  # sending again is harmless: the receiving side acts once


def arrive(app: App, message: OfficeMessage) -> str:
    """One message from another office, acted on in this office's database."""
    now, lang = app.clock(), app.settings.language
    heads = _heads(app)
    if message.kind == "offer":
        told = transfer_cases.transfer_offered(
            message, heads=heads, office=app.office_key, office_name=app.settings.office.name,
            unheard=text("transfer.unheard", lang), uow_factory=app.uows, now=now,
        )  # fmt: skip
        if not told:
            log.warning("kantor ini tidak punya ketua untuk menjawab permintaan pindah %s; "
                        "ditolak otomatis", message.ref)  # fmt: skip
        result = "offered"
    elif message.kind == "answer":
        phone = str(message.fields.get("phone", ""))
        said = text("client.transfer_phone", lang, phone=phone) if phone else ""
        body = text("client.transfer", lang, office=message.sender_name) + said
        result = transfer_cases.transfer_answered(
            message, origin_name=app.settings.office.name, client_text=body, heads=heads,
            uow_factory=app.uows, now=now,
        )  # fmt: skip
    else:
        tz = ZoneInfo(app.settings.office.timezone)
        summary = "" if message.fields.get("cancelled") else history(message, lang, tz)
        made = transfer_cases.receive_transfer(message, summary=summary, heads=heads,
                                         uow_factory=app.uows, now=now)  # fmt: skip
        if made is not None:
            _follow(app, message)
        result = "received" if made is not None else "cancelled"
    log.info("pindah kasus %s: %s (%s)", message.ref, result, message.kind)
    app.wake.set()
    return result


def _follow(app: App, message: OfficeMessage) -> None:
    """With a hotline shared by the offices, what the moved client writes next comes here."""
    districts = app.offices.districts
    hub = app.offices.app(districts.hub) if districts is not None else None
    if hub is None:
        return
    for channel, client, _ in message.fields.get("contacts") or []:
        if channel == "hotline":
            switchboard.reroute(hub, str(client), app.office_key)


def history(message: OfficeMessage, lang: Lang, tz: tzinfo) -> str:
    """What a transferred case comes with, as its card in the new office shows it: where it
    came from and why, what stayed behind, then the messages as the first office's admins saw
    them."""
    fields = message.fields
    lines = [text("transfer.summary.from", lang, office=message.sender_name, ref=message.ref)]
    if fields.get("reason"):
        lines.append(text("transfer.summary.reason", lang, reason=fields["reason"]))
    if int(fields.get("held_back") or 0):
        lines.append(text("transfer.summary.held_back", lang, n=fields["held_back"],
                          office=message.sender_name))  # fmt: skip
    lines += ["", text("transfer.summary.history", lang)]
    for entry in notices.load(str(fields.get("entries") or "[]")):
        author = entry.author if entry.author in AUTHORS else "client"
        when = _local(entry.at, tz)
        words = entry.text if author != "masked" else text("transfer.summary.masked", lang)
        files = f" [{', '.join(entry.files)}]" if entry.files else ""
        lines.append(f"{when} {text(f'transfer.author.{author}', lang)}: {words}{files}")
    return "\n".join(lines)


def _local(iso: str, tz: tzinfo) -> str:
    try:
        return datetime.fromisoformat(iso).astimezone(tz).strftime("%d-%m-%Y %H.%M")
    except ValueError:
        return "?"


def _heads(app: App) -> list[int]:
    """The office's heads now (those the head set inactive are left out)."""
    if app.telegram is not None:
        return list(app.telegram.staff.heads)
    return list(app.settings.heads)
