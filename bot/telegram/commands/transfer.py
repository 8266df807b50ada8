"""A case moved to another office of the install (a province's, bot/service/offices.py):

/pindah KANTOR alasan        (head) ask the other office to take the case (in a private chat
                             the case number comes first)
/terima_pindahan KODE        (head of the office asked) accept: the case comes with its history
/tolak_pindahan KODE alasan  (head of the office asked) refuse: it stays where it is
/batal_pindah                (head) withdraw the case's ask that waits for an answer
"""

from __future__ import annotations

from bot.telegram.commands.registry import HEADS, Command, Request, off_loop
from bot.telegram.parsing import case_number
from bot.telegram.render import esc
from triage.domain.errors import AccessDenied, NotFound, TransitionNotAllowed
from triage.domain.model import Role
from triage.domain.referral import TransferWaiting, transfer_ref
from triage.texts.catalog import text
from triage.usecases.offices import transfer as transfer_cases


def transfer(request: Request) -> str:
    app, lang = request.desk.app, request.lang
    offices = app.offices
    if offices is None:
        return text("staff.transfer_none", lang)
    if request.actor.role is not Role.HEAD:
        return text("staff.transfer_head_only", lang)
    conv, words = request.case_first()
    office, reason = _office_and_reason(offices, words, app.office_key)
    if conv is None or office is None or not reason:
        known = ", ".join(f"{key} ({esc(name)})" for key, name in offices.names.items()
                          if key != app.office_key)  # fmt: skip
        return text("staff.transfer_usage", lang, offices=known)
    name = offices.names[office]
    try:
        ref = transfer_cases.offer_transfer(
            conv, office, office_name=name, reason=reason, origin=app.office_key,
            origin_name=app.settings.office.name, actor=request.actor, uow_factory=app.uows,
            now=app.clock(), key=request.key,
        )  # fmt: skip
    except TransferWaiting as waiting:
        named_office = offices.names.get(waiting.office, waiting.office)
        return text("staff.transfer_waiting", lang, conv=conv, office=esc(named_office))
    except TransitionNotAllowed:
        return text("staff.transfer_closed", lang, conv=conv)
    return text("staff.transfer_asked", lang, conv=conv, office=esc(name), ref=esc(ref))


def _office_and_reason(offices, words: list[str], own: str) -> tuple[str | None, str]:  # noqa: ANN001
    """The office named by the longest run of first words ("kota denpasar …"), and the rest."""
    for n in range(min(len(words), 4), 0, -1):
        found = offices.find(" ".join(words[:n]), but=own)
        if found is not None:
            return found, " ".join(words[n:])
    return None, ""


def cancel(request: Request) -> str:
    """/batal_pindah: the case's waiting ask withdrawn (in a private chat, the number first)."""
    app, lang, conv, words = request.desk.app, request.lang, request.conv, request.arg.split()
    if app.offices is None:
        return text("staff.transfer_none", lang)
    if request.actor.role is not Role.HEAD:
        return text("staff.transfer_head_only", lang)
    named = case_number(words[0]) if words else None
    if named is not None:
        conv = named
    if conv is None:
        return text("staff.transfer_cancel_usage", lang)
    office = transfer_cases.cancel_transfer(conv, actor=request.actor, uow_factory=app.uows,
                                      now=app.clock(), key=request.key)  # fmt: skip
    if office is None:
        return text("staff.transfer_nothing_waits", lang, conv=conv)
    name = app.offices.names.get(office, office)
    return text("staff.transfer_cancelled", lang, conv=conv, office=esc(name))


def accept(request: Request) -> str:
    return _answer(request, accepted=True)


def refuse(request: Request) -> str:
    return _answer(request, accepted=False)


def _answer(request: Request, *, accepted: bool) -> str:
    app, lang, words = request.desk.app, request.lang, request.arg.split()
    if app.offices is None:
        return text("staff.transfer_none", lang)
    ref = transfer_ref(words[0]) if words else None
    if ref is None:
        return text("staff.transfer_answer_usage", lang)
    reason = " ".join(words[1:])
    if not accepted and not reason:
        return text("staff.transfer_refuse_reason", lang, ref=esc(ref))
    origin = app.offices.names.get(ref.origin, ref.origin)
    try:
        answered = transfer_cases.answer_transfer(
            ref, accepted, reason=reason, office=app.office_key,
            office_name=app.settings.office.name, phone=app.settings.office.phone,
            heads=request.desk.staff.heads, actor=request.actor, uow_factory=app.uows,
            now=app.clock(),
        )  # fmt: skip
    except AccessDenied:
        return text("staff.transfer_head_only", lang)
    except NotFound:
        return text("staff.transfer_unknown", lang, ref=esc(ref))
    if not answered:
        return text("staff.transfer_answered_before", lang, ref=esc(ref))
    said = "staff.transfer_accepted" if accepted else "staff.transfer_refused"
    return text(said, lang, origin=esc(origin))


COMMANDS = [
    Command("pindah", off_loop(transfer), HEADS, refused_to_clients=True),
    Command("terima_pindahan", off_loop(accept), HEADS, refused_to_clients=True),
    Command("tolak_pindahan", off_loop(refuse), HEADS, refused_to_clients=True),
    Command("batal_pindah", off_loop(cancel), HEADS, refused_to_clients=True),
]
