"""The hotline's /start greeting, with the office's own hours written the way people say them."""

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


def greeting(settings: Settings) -> str:
    lang = settings.language
    office = settings.office
    return text(
        "hotline.greeting",
        lang,
        office=office.name,
        hours=hours_phrase(office.hours, lang),
        zone=ZONES.get(office.timezone, office.timezone),
    )
