"""A referral and a client's data requests: /rujuk, /ekspor, /hapus.

/rujuk TUJUAN alasan   close the case as Rujukan; the letter comes to your private chat
                       (TUJUAN: uptd, puskesmas, rs, polisi, lbh, or "lain Nama lembaga")
/tutup rujukan …       the same (commands/cases.py hands it here)
/rujukan_diterima ket  the receiving body confirmed it has the case (in a private chat the
                       case number comes first)
/ekspor N              (head, private chat) everything held about case N's client
/hapus N               (head) what erasing case N's client would do; /hapus N YA does it
/tahan_hukum alasan    (head) a legal hold: nothing of the case is purged or erased until
                       /lepas_tahan (in a private chat the case number comes first)
"""

from __future__ import annotations

from bot.config import erasure as erasure_setup
from bot.config.workflows import survey_question
from bot.files import export as export_files
from bot.files import letter as referral_letter
from bot.telegram.commands.registry import EVERYONE, HEADS, Command, Request, off_loop
from bot.telegram.parsing import case_number
from bot.telegram.render import esc
from triage.domain import referral
from triage.domain.errors import NotFound, OnLegalHold
from triage.domain.model import COUNSELING_STATES, Role
from triage.texts.catalog import text
from triage.usecases import erasure as erasure_cases
from triage.usecases import referral as referral_cases
from triage.usecases.subject_access import export_client

CONFIRM = frozenset({"ya", "yes"})


def refer(request: Request, arg: str) -> str:
    app, lang, conv = request.desk.app, request.lang, request.conv
    parsed = referral.parse(arg)
    if parsed is None:
        return text("staff.refer_usage", lang)
    if conv is None:
        return text("staff.no_case", lang)
    with app.uows() as uow:
        current = uow.conversations.get(conv)
    if not request.private and current is not None and current.state in COUNSELING_STATES:
        return text("staff.refer_private", lang)  # the reason is counseling content
    target, addressee, reason = parsed
    made = referral_cases.refer(
        conv, target, reason, addressee=addressee, actor=request.actor, uow_factory=app.uows,
        now=app.clock(), key=request.key, heads=request.desk.staff.heads,
        survey_question=survey_question(app.settings),
    )  # fmt: skip
    referral_letter.queue_letter(app, request.actor, conv, made.round, request.key)
    place = referral_letter.place_of(made, app.settings)
    return text("staff.referred", lang, conv=conv, place=esc(place))


async def rujuk_request(request: Request, arg: str) -> None:
    await off_loop(lambda r: refer(r, arg), "rujuk")(request)


async def rujuk(request: Request) -> None:
    await rujuk_request(request, request.arg)


def export(request: Request) -> str:
    app, lang, actor = request.desk.app, request.lang, request.actor
    conv = case_number(request.arg.split()[0]) if request.arg.split() else None
    if conv is None:
        return text("staff.export_usage", lang)
    if actor.role is not Role.HEAD:
        return text("staff.export_head_only", lang)
    if not request.private:
        return text("staff.export_private", lang)
    data = export_client(_client_of(request, conv), actor=actor, sealer=app.sealer,
                         uow_factory=app.uows, now=app.clock())  # fmt: skip
    count = export_files.send_sealed(app, data, actor.staff_id, f"export:{request.key}")
    return text("staff.exported", lang, conv=conv, count=count)


def forget(request: Request) -> str:
    app, lang, actor = request.desk.app, request.lang, request.actor
    words = request.arg.split()
    conv = case_number(words[0]) if words else None
    if conv is None:
        return text("staff.forget_usage", lang)
    if actor.role is not Role.HEAD:
        return text("staff.forget_head_only", lang)
    client_id = _client_of(request, conv)
    if len(words) < 2 or words[1].lower() not in CONFIRM:
        return text("staff.forget_confirm", lang, conv=conv)
    try:
        erased = erasure_setup.forget(app, client_id, actor)
    except OnLegalHold as held:  # said of the case written, not the chat's selected one
        cases = ", ".join(f"#{n}" for n in held.conv_ids)
        return text("staff.forget_held", lang, conv=conv, held=cases)
    return text("staff.forgotten", lang, conv=conv, count=len(erased))


def referral_received(request: Request) -> str:
    """The case is the topic's; in a private chat (or written "#N") its number comes first."""
    app, lang = request.desk.app, request.lang
    conv, words = request.case_first()
    if conv is None or not words:
        return text("staff.received_usage", lang)
    try:
        made = referral_cases.confirm_receipt(conv, " ".join(words), actor=request.actor,
                                              uow_factory=app.uows, now=app.clock(),
                                              key=request.key)  # fmt: skip
    except NotFound:
        return text("staff.received_none", lang, conv=conv)
    if not request.private:
        return ""  # the topic hears it as a status
    place = referral_letter.place_of(made, app.settings)
    return text("staff.received", lang, conv=conv, place=esc(place))


def legal_hold(request: Request) -> str:
    return _hold(request, lift=False)


def lift_hold(request: Request) -> str:
    return _hold(request, lift=True)


def _hold(request: Request, *, lift: bool) -> str:
    """The case is the topic's; in a private chat (or written "#N") its number comes first,
    so that a number in the reason (a police report's) is never taken for a case."""
    app, lang = request.desk.app, request.lang
    conv, words = request.case_first()  # not the private chat's selected case
    if conv is None:
        return text("staff.hold_usage", lang)
    reason = " ".join(words)
    with app.uows() as uow:
        current = uow.erasure.hold_of(conv)
    if current is None and (lift or not reason):
        return text("staff.hold_none", lang, conv=conv) + "\n" + text("staff.hold_usage", lang)
    if not lift and not reason:
        assert current is not None
        return text("staff.hold_now", lang, conv=conv, reason=esc(current.reason))
    erasure_cases.hold(conv, None if lift else reason, actor=request.actor, uow_factory=app.uows,
                       now=app.clock(), key=request.key)  # fmt: skip
    if not request.private:
        return ""  # the topic hears it as a status
    return text("staff.hold_lifted" if lift else "staff.hold_placed", lang, conv=conv)


def _client_of(request: Request, conv: int) -> int:
    """The client of case `conv` (the number staff know), or NotFound."""
    with request.desk.app.uows() as uow:
        found = uow.conversations.get(conv)
    if found is None:
        raise NotFound(f"conversation {conv}")
    return found.client_id


COMMANDS = [
    Command("rujuk", rujuk, EVERYONE),
    Command("rujukan_diterima", off_loop(referral_received), EVERYONE, refused_to_clients=True),
    Command("ekspor", off_loop(export), HEADS),
    Command("hapus", off_loop(forget), HEADS),
    Command("tahan_hukum", off_loop(legal_hold), HEADS, refused_to_clients=True),
    Command("lepas_tahan", off_loop(lift_hold), HEADS, refused_to_clients=True),
]
