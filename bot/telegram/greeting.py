"""The hotline's /start greeting, with the office's own hours written the way people say them,
and what the client consents to (also in the form's consent texts: bot/config/triage.py)."""

from __future__ import annotations

from bot.config.settings import WEEKDAYS, Settings
from triage.texts.catalog import Lang, text

DAY_NAMES = {
    "id": ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
ZONES = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}


def hours_phrase(hours: dict[str, list[str]], lang: Lang) -> str:
    """{"mon": ["08:00-16:00"], …, "fri": ["08:00-11:30"]} → "Senin–Kamis 08.00–16.00,
    Jumat 08.00–11.30": consecutive days with the same periods are grouped."""
    names = DAY_NAMES[lang]
    groups: list[tuple[int, int, tuple[str, ...]]] = []
    for index, day in enumerate(WEEKDAYS):
        periods = tuple(hours.get(day, ()))
        if not periods:
            continue
        if groups and groups[-1][1] == index - 1 and groups[-1][2] == periods:
            groups[-1] = (groups[-1][0], index, periods)
        else:
            groups.append((index, index, periods))
    parts = []
    for first, last, periods in groups:
        days = names[first] if first == last else f"{names[first]}–{names[last]}"
        spans = ", ".join(p.replace(":", ".").replace("-", "–") for p in periods)
        parts.append(f"{days} {spans}")
    return "; ".join(parts) if parts else "-"


def privacy_notice(settings: Settings) -> str:
    """What the client consents to (UU 27/2022 Pasal 20 and 21): the purpose, who reads, how long
    each kind is kept (from [retention]), and the client's rights with how to use them."""
    lang, kept = settings.language, settings.retention
    messages = (kept.messages_days, kept.attachments_days)
    records = (kept.forms_days, kept.case_files_days, kept.records_days, kept.identity_days)
    return text(
        "privacy.notice",
        lang,
        messages=_kept_for(_longest(messages), lang),
        records=_kept_for(_longest(records), lang),
    )


def _longest(days: tuple[int, ...]) -> int:
    return 0 if 0 in days else max(days)  # 0: one of them is kept until erased: say so


def _kept_for(days: int, lang: Lang) -> str:
    if days == 0:
        return text("privacy.until_erased", lang)
    if days == 365:
        return text("privacy.one_year", lang)
    if days % 365 == 0:
        return text("privacy.years", lang, n=days // 365)
    if days % 30 == 0:
        n = days // 30
        return text("privacy.one_month", lang) if n == 1 else text("privacy.months", lang, n=n)
    return text("privacy.one_day", lang) if days == 1 else text("privacy.days", lang, n=days)


def greeting(settings: Settings) -> str:
    lang = settings.language
    office = settings.office
    return text(
        "hotline.greeting",
        lang,
        office=office.name,
        hours=hours_phrase(office.hours, lang),
        zone=ZONES.get(office.timezone, office.timezone),
        privacy=privacy_notice(settings),
    )
