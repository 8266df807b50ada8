"""A case's lifecycle and its notes: /serahkan, /kasus, /ambil, /tugaskan, /lepas, /tutup,
/catatan.

The case is the one the message is about (its topic, the bot post it replies to, or the
counselor's selected case); /ambil, /lepas and /tutup also take its number last ("/tutup tuntas
12")."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.telegram import duty, staff_ops
from bot.telegram.commands import closing
from bot.telegram.commands.registry import (
    ADMINS,
    CASEWORKERS,
    EVERYONE,
    HEADS,
    Command,
    Request,
)
from bot.telegram.parsing import case_number, outcome_of, trailing_case
from bot.telegram.render import esc
from triage.domain import access
from triage.domain.model import Actor, State
from triage.texts.catalog import text
from triage.usecases.identity import identity
from triage.usecases.replies import add_note

Work = Callable[[int, str], Awaitable[bool | None]]  # (case, argument) -> False: said why not


async def on_case(request: Request, work: Work, *, named: bool = False, done: bool = False):
    """Run `work` on the request's case (or the one named last, when `named`); a refusal is
    explained; `done` confirms in a private chat, where no topic shows the change."""
    desk, conv, arg = request.desk, request.conv, request.arg
    if named:
        arg, number = trailing_case(arg)
        conv = number if number is not None else conv
    if conv is None:
        await request.say("where", text("staff.no_case", request.lang))
        return
    try:
        if await work(conv, arg) is False:
            return
    except staff_ops.REFUSALS as exc:
        await staff_ops.refuse(desk, exc, conv, request.where, request.key)
        return
    if done and request.private:
        await request.say("done", text("staff.done", request.lang))
    desk.wake()


async def serahkan(request: Request) -> None:
    desk = request.desk

    async def work(conv: int, _: str) -> None:
        await desk.run(staff_ops.transition, desk, "hand_off", request.actor, conv, request.key)
        await staff_ops.warn_if_nobody(desk, request.where, request.key, conv)

    await on_case(request, work, done=True)


async def ambil(request: Request) -> None:
    desk = request.desk

    async def work(conv: int, _: str) -> None:
        await desk.run(staff_ops.transition, desk, "claim", request.actor, conv, request.key)
        await request.say("claimed", text("staff.claimed", request.lang, conv=conv))

    await on_case(request, work, named=True)


async def tugaskan(request: Request) -> None:
    """/tugaskan NAMA [N]: the head gives a waiting case to a counselor, who receives it as if
    they had claimed it (also one it was not offered to)."""
    desk, lang = request.desk, request.lang

    async def work(conv: int, arg: str) -> bool:
        names = {c: desk.staff.name(c) for c in desk.staff.counselors}
        staff_id = duty.staff_named(arg.strip(), names) if arg.strip() else None
        to = desk.staff.get(staff_id)
        if to is None:
            known = esc(", ".join(sorted(names.values())) or "—")
            await request.say("usage", text("staff.assign_usage", lang, names=known))
            return False
        await desk.run(
            staff_ops.transition, desk, "assign", request.actor, conv, request.key, None, to
        )
        await request.say("assigned", text("staff.assigned", lang, conv=conv, name=esc(to.name)))
        return True

    await on_case(request, work, named=True)


async def lepas(request: Request) -> None:
    desk = request.desk

    async def work(conv: int, _: str) -> None:
        await desk.run(staff_ops.transition, desk, "release", request.actor, conv, request.key)

    await on_case(request, work, named=True, done=True)


async def tutup(request: Request) -> None:
    """/tutup tuntas|ulang [N]; /tutup rujukan TUJUAN … is /rujuk TUJUAN …"""
    words = request.arg.split(None, 1)
    if words[:1] and words[0].lower() == "rujukan":
        rest = words[1] if len(words) > 1 else ""
        await closing.rujuk_request(request, rest)
        return
    desk = request.desk

    async def work(conv: int, arg: str) -> bool:
        outcome = outcome_of(arg)
        if outcome is None:
            await request.say("usage", text("staff.close_usage", request.lang))
            return False
        await desk.run(
            staff_ops.transition, desk, "close", request.actor, conv, request.key, outcome
        )
        return True

    await on_case(request, work, named=True, done=True)


async def catatan(request: Request) -> None:
    desk = request.desk

    async def work(conv: int, arg: str) -> None:
        if arg:
            key = f"note:{request.key}"
            await desk.run(staff_ops.write, desk, add_note, request.actor, conv, arg, key)
            await request.say("noted", text("staff.note_saved", request.lang))

    await on_case(request, work)


async def kasus(request: Request) -> None:
    """/kasus: the counselor's cases; /kasus N selects case N for what they write next."""
    desk, lang, actor = request.desk, request.lang, request.actor
    if request.arg.strip():
        conv_id = case_number(request.arg)
        conv = await desk.run(staff_ops.load, desk, conv_id) if conv_id is not None else None
        if conv is None or not access.may_reply(actor, conv):
            shown = esc(request.arg.strip()[:20])
            await request.say("denied", text("staff.denied", lang, conv=shown))
            return
        await desk.run(desk.maps.set_focus, actor.staff_id, conv_id)
        name = (await desk.run(identity, conv_id, actor=actor, uow_factory=desk.app.uows)).name
        await request.say("focus", text("staff.focus", lang, conv=conv_id, name=esc(name)))
        return
    mine = await desk.run(_cases_of, desk.app, actor)
    body = (
        text("staff.my_cases", lang, cases=", ".join(f"#{c}" for c in mine))
        if mine
        else text("staff.no_cases", lang)
    )
    await request.say("cases", body)


def _cases_of(app, actor: Actor) -> list[int]:  # noqa: ANN001 - bot.app.App
    with app.uows() as uow:
        return [
            c.id
            for c in uow.conversations.all()
            if c.id is not None
            and c.state is State.WITH_COUNSELOR
            and c.counselor_id == actor.staff_id
        ]


COMMANDS = [
    Command("serahkan", serahkan, ADMINS, refused_to_clients=True),
    Command("kasus", kasus, CASEWORKERS, refused_to_clients=True),
    Command("ambil", ambil, CASEWORKERS, refused_to_clients=True),
    Command("lepas", lepas, CASEWORKERS, refused_to_clients=True),
    Command("tugaskan", tugaskan, HEADS, refused_to_clients=True),
    Command("tutup", tutup, EVERYONE, refused_to_clients=True),
    Command("catatan", catatan, EVERYONE, refused_to_clients=True),
]
