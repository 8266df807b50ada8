"""/jadwal: the duty roster in Telegram. Without arguments, the week ahead; with a day and
"+Name" / "-Name", a change of that day (the head and the admins; checked in the core).

  /jadwal                      the next 7 days
  /jadwal besok +Ayu -Budi     Ayu on duty tomorrow, Budi off
  /jadwal senin +Ayu           the coming Monday (today if it is Monday)
  /jadwal 30/11 -Budi          a date (day/month, or day/month/year, or 2026-11-30)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from bot.config.calendar import MONTHS
from bot.telegram.greeting import DAY_NAMES
from bot.telegram.render import esc
from triage.texts.catalog import Lang, text

WEEKDAY_WORDS = {
    **{name.lower(): n for n, name in enumerate(DAY_NAMES["id"])},
    **{name.lower(): n for n, name in enumerate(DAY_NAMES["en"])},
    **{name.lower()[:3]: n for n, name in enumerate(DAY_NAMES["en"])},
}
RELATIVE = {"hariini": 0, "today": 0, "besok": 1, "tomorrow": 1, "lusa": 2}
DAY_MONTH = re.compile(r"(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}))?")
ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


class DutyInputError(ValueError):
    """What was wrong, as a catalogue key and its values."""

    def __init__(self, key: str, **values: str) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


@dataclass(frozen=True)
class DutyRequest:
    day: date
    changes: tuple[tuple[int, bool], ...]  # (staff id, on duty)


def parse_day(word: str, today: date) -> date | None:
    word = word.strip().lower()
    if word in RELATIVE:
        return today + timedelta(days=RELATIVE[word])
    if word in WEEKDAY_WORDS:
        return today + timedelta(days=(WEEKDAY_WORDS[word] - today.weekday()) % 7)
    try:
        if found := ISO.fullmatch(word):
            return date(int(found[1]), int(found[2]), int(found[3]))
        if found := DAY_MONTH.fullmatch(word):
            year = int(found[3]) if found[3] else today.year
            day = date(year, int(found[2]), int(found[1]))
            if not found[3] and day < today - timedelta(days=31):
                day = day.replace(year=year + 1)  # "5/1" in December: the coming January
            return day
    except ValueError:
        return None
    return None


def parse(arg: str, today: date, counselors: dict[int, str]) -> DutyRequest | None:
    """None: no change asked (show the week). Raises DutyInputError on anything unclear."""
    arg = re.sub(r"(?i)\bhari ini\b", "hariini", arg.strip())
    if not arg:
        return None
    first, _, rest = arg.partition(" ")
    day = parse_day(first, today)
    if day is None:
        raise DutyInputError("staff.roster_usage")
    if day < today:
        raise DutyInputError("staff.roster_past")
    targets = re.findall(r"([+-])\s*([^+-]+)", rest)
    if not targets:
        raise DutyInputError("staff.roster_usage")
    changes = []
    for sign, name in targets:
        staff_id = staff_named(name.strip(), counselors)
        if staff_id is None:
            known = ", ".join(sorted(counselors.values()))
            raise DutyInputError("staff.roster_unknown", name=name.strip()[:40], names=known)
        changes.append((staff_id, sign == "+"))
    return DutyRequest(day, tuple(changes))


def staff_named(name: str, counselors: dict[int, str]) -> int | None:
    """The one staff member `name` names (exactly, or by a unique beginning, or by id)."""
    if name.isdigit() and int(name) in counselors:
        return int(name)
    wanted = name.casefold()
    exact = [i for i, n in counselors.items() if n.casefold() == wanted]
    if len(exact) == 1:
        return exact[0]
    starts = [i for i, n in counselors.items() if n.casefold().startswith(wanted)]
    return starts[0] if len(starts) == 1 else None


def day_label(day: date, lang: Lang) -> str:
    return f"{DAY_NAMES[lang][day.weekday()]}, {day.day} {MONTHS[lang][day.month - 1]}"


def week_text(
    days: list[tuple[date, list[int]]], names: dict[int, str], closed: set[date], lang: Lang
) -> str:
    lines = []
    for day, on in days:
        who = ", ".join(esc(names.get(c, str(c))) for c in on) or text("staff.roster_nobody", lang)
        mark = " " + text("staff.roster_closed", lang) if day in closed else ""
        lines.append(f"• <b>{esc(day_label(day, lang))}</b>{mark}: {who}")
    return text("staff.roster_week", lang, days="\n".join(lines))


def changed_text(request: DutyRequest, names: dict[int, str], lang: Lang) -> str:
    said = ", ".join(
        f"{'+' if on else '−'}{esc(names.get(staff_id, str(staff_id)))}"
        for staff_id, on in request.changes
    )
    return text("staff.roster_changed", lang, day=esc(day_label(request.day, lang)), changes=said)
