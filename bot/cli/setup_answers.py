"""What `puspaga setup` knows before it asks: the options given, the office's current values
(when config.toml exists, they are the answers offered), and how an office writes its hours."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import typer

from triage.texts.catalog import Lang, text

ZONES = {"wib": "Asia/Jakarta", "wita": "Asia/Makassar", "wit": "Asia/Jayapura"}
ROLES = {"a": "admin", "k": "konselor", "e": "ketua", "admin": "admin", "konselor": "konselor",
         "kepala": "ketua",
         "ketua": "ketua"}  # fmt: skip
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_GROUPS = (("mon", "tue", "wed", "thu"), ("fri",), ("sat",), ("sun",))
# 08:00-16:00, 8.00-11.30, 8-16 (whole hours), "s/d" or "sampai" for the dash
TIME = r"(\d{1,2})(?:[:.]([0-5]\d))?"
RANGE = re.compile(rf"^{TIME}(?:-|s/d|sampai|sd|–)+{TIME}$")
# well-known mail providers: (IMAP host, SMTP host, SMTP port, security, sent folder)
PROVIDERS = {
    "gmail.com": ("imap.gmail.com", "smtp.gmail.com", 465, "ssl", ""),
    "yahoo.com": ("imap.mail.yahoo.com", "smtp.mail.yahoo.com", 465, "ssl", "Sent"),
    "yahoo.co.id": ("imap.mail.yahoo.com", "smtp.mail.yahoo.com", 465, "ssl", "Sent"),
    "outlook.com": ("outlook.office365.com", "smtp-mail.outlook.com", 587, "starttls", "Sent"),
    "hotmail.com": ("outlook.office365.com", "smtp-mail.outlook.com", 587, "starttls", "Sent"),
}
CLOSED = ("", "-", "tutup", "libur", "closed")


@dataclass
class Given:
    """What the options answered before any question."""

    update: bool
    token: str | None
    group: int | None
    staff: list[str]
    office: str | None
    timezone: str | None
    hours: list[str]
    phone: str | None
    address: str | None
    email: str | None
    imap_host: str | None
    smtp_host: str | None
    instagram: str | None
    data_dir: str | None
    telegram_url: str | None
    proxy: str | None
    whatsapp: str | None = None  # the number's id (Meta's Phone number ID)
    # the clients' and staff's language written to the file: only `--lang` sets it (PUSPAGA_LANG
    # and an English setup dialogue do not change what an office's clients read)
    lang: str | None = None
    messenger: str | None = None  # the Facebook Page's id
    instagram_graph: str | None = None  # the Instagram account's id (Meta's Messaging API)


class Stop(Exception):
    """The setup cannot go on (exit 2): the message says why and what to do."""


def parse_hours(said: str) -> list[str] | None:
    """ "08:00-12:00, 13:00-16:00" (or 08.00-16.00, as Indonesians write it) → the ranges;
    [] for a closed day; None for what is not hours."""
    said = said.strip().lower()
    if said in CLOSED:
        return []
    ranges = []
    for part in said.replace(" ", "").split(","):
        found = RANGE.match(part)
        if found is None:
            return None
        h1, m1, h2, m2 = found.groups()
        start, end = (int(h1), int(m1 or 0)), (int(h2), int(m2 or 0))
        if start[0] > 23 or end > (24, 0) or start >= end:
            return None
        ranges.append(f"{start[0]:02d}:{start[1]:02d}-{end[0]:02d}:{end[1]:02d}")
    return ranges


def parse_day_option(said: str, lang: Lang = "id") -> dict[str, list[str]]:
    """--hours "mon-thu=08:00-16:00": the days (one, or a span) and their ranges."""
    days, _, ranges = said.partition("=")
    first, _, last = days.strip().lower().partition("-")
    last = last or first
    hours = parse_hours(ranges)
    if first not in DAYS or last not in DAYS or hours is None:
        raise Stop(text("setup.bad_hours_option", lang, value=said))
    span = DAYS[DAYS.index(first) : DAYS.index(last) + 1]
    return {day: hours for day in span}


def parse_staff_option(said: str, lang: Lang = "id") -> tuple[int, str, str]:
    """--staff "123456789:konselor:Made Sari"."""
    parts = said.split(":", 2)
    if len(parts) == 3 and parts[0].strip().isdigit() and parts[1].strip().lower() in ROLES:
        return int(parts[0]), parts[2].strip(), ROLES[parts[1].strip().lower()]
    raise Stop(text("setup.bad_staff_option", lang, value=said))


class Dialogue:
    """Asks the operator (or takes the options' answers when `--yes`)."""

    def __init__(self, lang: Lang, interactive: bool) -> None:
        self.lang = lang
        self.interactive = interactive

    def t(self, key: str, **values: object) -> str:
        return text(key, self.lang, **values)

    def say(self, key: str, **values: object) -> None:
        typer.echo(self.t(key, **values))

    def ask(self, key: str, given: str | None, *, default: str = "", secret: bool = False,
            option: str = "", **values: object) -> str:  # fmt: skip
        if given is not None:
            return given
        if not self.interactive:
            if default or not option:
                return default
            raise Stop(self.t("setup.missing_option", option=option))
        answer = str(
            typer.prompt(
                self.t(key, **values),
                default=default,
                hide_input=secret,
                show_default=bool(default),
            )
        )
        return answer if secret else answer.strip()  # a password keeps its spaces

    def yes(self, key: str, default: bool = True, **values: object) -> bool:
        if not self.interactive:
            return default
        return typer.confirm(self.t(key, **values), default=default)


@dataclass
class Known:
    """The office's current values, offered as the answers when setup runs again."""

    token: str | None = None
    group: int | None = None
    staff: list[tuple[int, str, str]] = field(default_factory=list)
    office: str = ""
    zone: str = "WITA"  # WIB, WITA, WIT, or the zone's own name (Asia/Pontianak)
    telegram_url: str | None = None
    hours: dict[str, list[str]] | None = None
    phone: str = ""
    address: str = ""
    email: str = ""
    instagram: str = ""
    whatsapp: str = ""
    messenger: str = ""
    instagram_graph: str = ""
    data_dir: str | None = None
    language: str | None = None


def known_from(config: dict[str, Any], env: dict[str, str]) -> Known:
    office = config.get("office") or {}
    zones = {v: k.upper() for k, v in ZONES.items()}
    staff = [
        (s["telegram_id"], s.get("name", ""), s["role"])
        for s in config.get("staff") or []
        if isinstance(s.get("telegram_id"), int) and s.get("role") in ROLES.values()
    ]
    telegram = config.get("telegram") or {}
    return Known(
        token=env.get("PUSPAGA_TELEGRAM_TOKEN") or telegram.get("token") or None,
        group=telegram.get("admin_chat_id"),
        staff=staff,
        office=office.get("name", ""),
        zone=zones.get(office.get("timezone", ""), office.get("timezone") or "WITA"),
        telegram_url=telegram.get("base_url"),
        hours=office.get("hours"),
        phone=office.get("phone", ""),
        address=office.get("address", ""),
        email=(config.get("email") or {}).get("username", ""),
        instagram=(config.get("instagram") or {}).get("username", ""),
        whatsapp=str((config.get("whatsapp") or {}).get("phone_number_id", "")),
        messenger=str((config.get("messenger") or {}).get("page_id", "")),
        instagram_graph=str((config.get("instagram") or {}).get("account_id", "")),
        data_dir=config.get("data_dir"),
        language=config.get("language") if config.get("language") in ("id", "en") else None,
    )


def day_groups(hours: dict[str, list[str]] | None) -> list[tuple[str, ...]]:
    """The days asked together (Monday to Thursday, then one by one), unless the office's days
    differ within a group: then each of them is asked on its own."""
    groups: list[tuple[str, ...]] = []
    for days in DAY_GROUPS:
        same = hours is None or len({tuple(hours.get(day) or ()) for day in days}) == 1
        groups.extend([days] if same else [(day,) for day in days])
    return groups


def hours_text(hours: dict[str, list[str]] | None, day: str, fallback: str) -> str:
    """A day's hours as the question offers them: "08:00-12:00, 13:00-16:00" or "tutup"."""
    if hours is None:
        return fallback
    return ", ".join(hours.get(day) or []) or "tutup"


TOKEN = re.compile(r"\d{5,}:[\w-]{10,}")


def token_in(said: str) -> str:
    """The token in what was pasted ("Use this token to access the HTTP API: 123:AA…")."""
    found = TOKEN.search(said)
    return found.group(0) if found else said.strip()
