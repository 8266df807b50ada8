"""Reading what people type and tap: commands, `//` lines, case numbers, button data.
Strict on purpose: anything else is not a command, not a number, not a button of ours."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from telegram import Message

from bot.telegram.render import esc
from triage.domain.forms.by_mail import label
from triage.domain.forms.spec import FormSpec, read_lines
from triage.domain.model import STAFF_OUTCOMES, Outcome
from triage.texts.catalog import Lang, text

CASE_NUMBER = re.compile(r"#?([0-9]{1,9})")
BUTTON = re.compile(
    r"(?P<action>handoff|urgent|form|claim|close|confirm|open):(?P<conv>[0-9]{1,9})"
    r"(?::(?P<round>[0-9]{1,6}))?(?::(?P<outcome>tuntas|ulang|rujukan))?"
)
RESEND = re.compile(r"resend:(?P<item>[0-9]{1,12})")


def resend_of(data: str) -> int | None:
    """The outbox item a "send again" button names."""
    found = RESEND.fullmatch(data or "")
    return int(found.group("item")) if found else None


def split_internal(body: str) -> tuple[str, str]:
    """(what goes to the client, the internal note): lines starting with // stay internal."""
    public, internal = [], []
    for line in body.splitlines():
        if line.lstrip().startswith("//"):
            internal.append(line.lstrip()[2:].strip())
        else:
            public.append(line)
    return "\n".join(public).strip(), "\n".join(internal).strip()


def command_of(message: Message) -> tuple[str, str] | None:
    """("tutup", "tuntas") for "/tutup@bot tuntas"; None when not a command."""
    body = message.text or ""
    if not body.startswith("/"):
        return None
    parts = body[1:].split(None, 1)  # "/identitas\nNama: …" too: any whitespace ends the name
    head, rest = (parts[0], parts[1]) if len(parts) == 2 else (parts[0] if parts else "", "")
    return head.split("@", 1)[0].lower(), rest.strip()


def case_number(word: str) -> int | None:
    """12 for "12" or "#12"; None for anything else (also "²" or a 30-digit number)."""
    found = CASE_NUMBER.fullmatch(word.strip())
    return int(found.group(1)) if found else None


def trailing_case(arg: str) -> tuple[str, int | None]:
    """("tuntas", 12) for "tuntas 12"; the number is optional."""
    words = arg.split()
    if words and (number := case_number(words[-1])) is not None:
        return " ".join(words[:-1]), number
    return arg.strip(), None


def outcome_of(word: str) -> Outcome | None:
    try:
        outcome = Outcome(word.strip().lower())
    except ValueError:
        return None
    return outcome if outcome in STAFF_OUTCOMES else None


@dataclass(frozen=True)
class Button:
    action: str
    conv: int
    round: int | None
    outcome: Outcome | None


def button_of(data: str) -> Button | None:
    found = BUTTON.fullmatch(data or "")
    if found is None:
        return None
    outcome = found.group("outcome")
    if (found.group("action") == "close") != (outcome is not None):
        return None
    round_ = found.group("round")
    return Button(
        found.group("action"),
        int(found.group("conv")),
        int(round_) if round_ else None,
        Outcome(outcome) if outcome else None,
    )


def unread(lines: str, form: FormSpec, lang: Lang, today: date) -> list[str]:
    """What of staff's "Label: …" lines was not kept whole, said in their language: labels no
    field has, and long fields cut at their limit (nothing is dropped without a word)."""
    reading = read_lines(form, lines, today)
    said = []
    if reading.unknown:
        known = ", ".join(esc(label(f.name)) for f in form.fields)
        found = ", ".join(esc(u) for u in reading.unknown)
        said.append(text("staff.lines_unknown", lang, labels=found, known=known))
    if reading.cut:
        limit = max(f.max_len for f in form.fields if f.name in reading.cut)
        fields = ", ".join(esc(label(n)) for n in reading.cut)
        said.append(text("staff.lines_cut", lang, limit=limit, fields=fields))
    return said
