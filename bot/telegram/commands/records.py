"""The psychological record and who may read a case: /rekam (only in the private chat with the
bot: with "Keluhan: …" lines a new version, without them the latest; both audited) and /buka N
Nama (the head opens case N to another staff member, as the Tangerang standard has it)."""

from __future__ import annotations

from bot.telegram import duty
from bot.telegram.commands.registry import CASEWORKERS, HEADS, Command, Request, off_loop
from bot.telegram.parsing import case_number, unread
from bot.telegram.render import esc
from triage.domain import records
from triage.domain.errors import AccessDenied, NotFound
from triage.domain.forms.by_mail import label
from triage.texts.catalog import text
from triage.usecases import records as record_cases


def rekam(request: Request) -> str:
    app, lang, conv = request.desk.app, request.lang, request.conv
    if not request.private:
        return text("staff.record_private", lang)
    if conv is None:
        return text("staff.no_case", lang)
    common = {"actor": request.actor, "sealer": app.sealer, "uow_factory": app.uows}
    try:
        if request.arg:
            today = app.clock().date()
            version, parts = record_cases.write(conv, request.arg, now=app.clock(), **common)
            if not parts:
                usage = text("staff.record_usage", lang)
                return "\n".join([usage, *unread(request.arg, records.RECORD_FORM, lang, today)])
            names = ", ".join(esc(label(p)) for p in parts)
            saved = text("staff.record_saved", lang, conv=conv, version=version, parts=names)
            return "\n".join([saved, *unread(request.arg, records.RECORD_FORM, lang, today)])
        found = record_cases.read(conv, now=app.clock(), **common)
    except AccessDenied:
        return text("staff.record_denied", lang, conv=conv)
    if found is None:
        return text("staff.record_none", lang, conv=conv)
    lines = "\n".join(
        f"<b>{esc(label(name))}:</b> {esc(found.parts[name])}"
        for name in records.PARTS
        if found.parts.get(name)
    )
    return text("staff.record", lang, conv=conv, version=found.version, parts=lines)


def buka(request: Request) -> str:
    desk, lang = request.desk, request.lang
    number, _, who = request.arg.strip().partition(" ")
    conv = case_number(number) if number else None
    away = desk.staff.inactive()  # a deactivated member (/nonaktif) is opened nothing
    names = {a.staff_id: a.name for a in desk.staff.members.values() if a.staff_id not in away}
    staff_id = duty.staff_named(who.strip(), names) if who.strip() else None
    if conv is None or staff_id is None:
        return text("staff.open_usage", lang)
    try:
        record_cases.open_case(
            conv, staff_id, actor=request.actor, uow_factory=desk.app.uows, now=desk.app.clock()
        )
    except AccessDenied:
        return text("staff.open_head_only", lang)
    except NotFound:
        return text("staff.no_case", lang)
    return text("staff.opened", lang, conv=conv, name=esc(names[staff_id]))


COMMANDS = [
    Command("rekam", off_loop(rekam, "record"), CASEWORKERS),
    Command("buka", off_loop(buka, "open"), HEADS),
]
