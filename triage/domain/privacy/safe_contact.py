"""Safe-contact preferences: for a client whose safety depends on who reads their phone or
mailbox (a violence case), staff record with /kontak whether we may write first, on which
channel, at what hours, and whether in discreet wording.

They govern what we send on our own initiative: reminders, the survey, notices, a staff reply
written long after the client's last message. An answer while the client is writing to us
(their last message at most `RESPONSE_WINDOW` ago) goes where they wrote, at once: they are
holding the phone, and an urgent message always gets the safe reply.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from triage.domain.model import StoredMessage

RESPONSE_WINDOW = timedelta(minutes=15)

CHANNEL_WORDS = {
    "email": "email",
    "surel": "email",
    "mail": "email",
    "instagram": "instagram",
    "ig": "instagram",
    "whatsapp": "whatsapp",
    "wa": "whatsapp",
    "messenger": "messenger",
    "facebook": "messenger",
    "fb": "messenger",
    "telegram": "hotline",
    "hotline": "hotline",
    "chat": "hotline",
}
NEVER_FIRST = {"tidak", "jangan", "no", "never"}
DISCREET = {"samar", "discreet"}
RESET = {"bebas", "hapus", "clear", "reset"}
HOURS = re.compile(r"(\d{1,2})(?:[.:](\d{2}))?\s*[-–]\s*(\d{1,2})(?:[.:](\d{2}))?")


class Unreadable(ValueError):
    """The words of /kontak that could not be read (shown back to staff)."""


@dataclass(frozen=True)
class SafeContact:
    write_first: bool = True
    channel: str | None = None  # a Channel value: the one channel we may use
    start: time | None = None  # the hours we may write, in the office's time zone
    end: time | None = None
    discreet: bool = False  # no office name, no subject, no place: the discreet texts only
    zone: str = "Asia/Jakarta"

    @property
    def any(self) -> bool:
        return not self.write_first or bool(self.channel or self.start or self.discreet)

    def dumps(self) -> str | None:
        if not self.any:
            return None
        data = {
            "write_first": self.write_first,
            "channel": self.channel,
            "hours": [self.start.strftime("%H:%M"), self.end.strftime("%H:%M")]  # type: ignore[union-attr]
            if self.start
            else None,
            "discreet": self.discreet,
            "zone": self.zone,
        }
        return json.dumps(data, sort_keys=True)

    def hours(self) -> str:
        return f"{self.start:%H.%M}-{self.end:%H.%M}" if self.start and self.end else ""

    def summary(self) -> str:
        """In /kontak's own words, as staff would write them (the step log keeps it)."""
        if not self.any:
            return "bebas"
        words = [] if self.write_first else ["tidak"]
        words += [w for w in (self.channel, self.hours()) if w]
        return " ".join([*words, *(["samar"] if self.discreet else [])])


def loads(raw: str | None) -> SafeContact:
    if not raw:
        return SafeContact()
    try:
        data = json.loads(raw)
        hours = data.get("hours") or None
        return SafeContact(
            write_first=bool(data.get("write_first", True)),
            channel=data.get("channel"),
            start=time.fromisoformat(hours[0]) if hours else None,
            end=time.fromisoformat(hours[1]) if hours else None,
            discreet=bool(data.get("discreet")),
            zone=data.get("zone") or "Asia/Jakarta",
        )
    except (ValueError, TypeError, AttributeError, IndexError):
        # unreadable preferences are the strictest ones: we write nothing first
        return SafeContact(write_first=False, discreet=True)


def stricter(keep: SafeContact, gone: SafeContact) -> SafeContact:
    """Two clients found to be one person (/gabung): what either asked for holds; the channel
    of the client kept wins over the other's, and the hours are those both allow (the kept
    client's when they do not meet)."""
    if not gone.any:
        return keep
    if not keep.any:
        return gone
    start, end = keep.start, keep.end
    if gone.start and gone.end:
        start, end = (gone.start, gone.end) if not (start and end) else _both(keep, gone)
    return replace(
        keep,
        write_first=keep.write_first and gone.write_first,
        channel=keep.channel or gone.channel,
        start=start,
        end=end,
        discreet=keep.discreet or gone.discreet,
    )


def _both(a: SafeContact, b: SafeContact) -> tuple[time | None, time | None]:
    """The hours inside both (within one day; else `a`'s)."""
    assert a.start and a.end and b.start and b.end
    if a.start > a.end or b.start > b.end:  # a night on either side: keep the first's
        return a.start, a.end
    start, end = max(a.start, b.start), min(a.end, b.end)
    return (start, end) if start < end else (a.start, a.end)


class TwoRanges(Unreadable):
    """Two ranges of hours given: one only (the second would silently replace the first)."""


def parse(words: str, zone: str) -> SafeContact:
    """`/kontak email 09.00-12.00 samar`, `/kontak tidak`, `/kontak 20.00-06.00` (a night),
    `/kontak bebas` (all lifted)."""
    prefs = SafeContact(zone=zone)
    rest = words.lower().replace(",", " ").replace(";", " ")
    ranges = list(HOURS.finditer(rest))
    if len(ranges) > 1:
        raise TwoRanges(" ".join(m.group(0) for m in ranges))
    for m in ranges:
        h1, m1, h2, m2 = (int(g) if g else 0 for g in m.groups())
        if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59:
            raise Unreadable(m.group(0))
        start, end = time(h1, m1), time(23, 59) if h2 == 24 else time(h2, m2)
        if start == end:
            raise Unreadable(m.group(0))
        prefs = replace(prefs, start=start, end=end)  # start after end: through the night
    rest = HOURS.sub(" ", rest)
    for word in rest.split():
        if word in RESET:
            return SafeContact(zone=zone)
        if word in NEVER_FIRST:
            prefs = replace(prefs, write_first=False)
        elif word in DISCREET:
            prefs = replace(prefs, discreet=True)
        elif word in CHANNEL_WORDS:
            prefs = replace(prefs, channel=CHANNEL_WORDS[word])
        elif word not in {"jam", "pukul", "lewat", "via", "hanya", "only", "at"}:
            raise Unreadable(word)
    return prefs


@dataclass(frozen=True)
class Plan:
    """What becomes of one message we would send: `held` says why it is not sent (and staff
    are told); otherwise it goes on `channel` (None: where it was going) at `at`, with `body`."""

    body: str
    at: datetime
    channel: str | None = None
    held: str | None = None  # "never_first", "no_discreet", "no_channel", "too_late"
    quiet: bool = False  # the discreet wording: no office name, no subject of the client's


def last_written(message: StoredMessage | None) -> datetime | None:
    """When the client last wrote themselves: an out-of-office reply or a bounce is not the
    client holding their phone."""
    return message.created_at if message is not None and not message.auto_generated else None


def plan(
    prefs: SafeContact,
    body: str,
    now: datetime,
    *,
    last_inbound: datetime | None,
    discreet: str | None = None,
    before: datetime | None = None,
    urgent: bool = False,
) -> Plan:
    """`discreet`: the message's discreet wording (None: it has none, so a client who asked for
    discretion does not get it, also while they write); `before`: it is worthless from then (a
    session's start); `urgent`: the crisis reply, which always goes at once."""
    if urgent or not prefs.any:
        return Plan(body, now)
    if prefs.discreet and discreet is None:
        return Plan(body, now, held="no_discreet")
    quiet = prefs.discreet
    if last_inbound is not None and now - last_inbound <= RESPONSE_WINDOW:
        return Plan(discreet, now, quiet=True) if quiet else Plan(body, now)  # type: ignore[arg-type]
    if not prefs.write_first:
        return Plan(body, now, held="never_first")
    at = next_open(prefs, now)
    if before is not None and at >= before:
        return Plan(body, at, prefs.channel, held="too_late")
    if quiet:
        return Plan(discreet, at, prefs.channel, quiet=True)  # type: ignore[arg-type]
    return Plan(body, at, prefs.channel)


def next_open(prefs: SafeContact, now: datetime) -> datetime:
    """The first moment from `now` inside the client's hours (now, when they set none); hours
    whose start is after their end run through the night."""
    if prefs.start is None or prefs.end is None:
        return now
    zone = ZoneInfo(prefs.zone)
    local = now.astimezone(zone)
    for days in (-1, 0, 1):
        day = local.date() + timedelta(days=days)
        opens = datetime.combine(day, prefs.start, zone)
        closes = datetime.combine(day + timedelta(days=prefs.start > prefs.end), prefs.end, zone)
        if local < closes:
            return max(local, opens).astimezone(now.tzinfo)
    raise AssertionError("unreachable: tomorrow's hours always open after now")
