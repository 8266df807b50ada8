"""/klien_baru: a client who came in person, phoned, wrote a letter or was referred by another
body (triage.domain.intake). The case gets its card and topic like any other; what staff type
in that topic is kept as notes, since the bot cannot write to this client, and a file sent there
(the referral's chronology, a letter) is kept sealed with the case: /berkas sends them back
(bot.telegram.kept_files)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.telegram import kept_files
from bot.telegram.commands.registry import ADMINS, EVERYONE, HEADS, Command, Request, off_loop
from bot.telegram.desk import Desk
from bot.telegram.render import esc
from triage.domain.errors import AccessDenied
from triage.domain.intake import Intake, IntakeProblem, parse
from triage.domain.model import Actor
from triage.texts.catalog import text
from triage.usecases.ingest import register


async def klien_baru(request: Request) -> None:
    desk, lang = request.desk, request.lang
    app = desk.app
    today = app.clock().astimezone(ZoneInfo(app.settings.office.timezone)).date()
    try:
        intake = parse(request.arg, today)
    except IntakeProblem as problem:
        usage = text("staff.intake_usage", lang)
        await request.say("usage", f"{text(f'staff.intake_{problem.code}', lang)}\n\n{usage}")
        return
    try:
        done = await desk.run(_register, desk, request.actor, intake, request.key)
    except AccessDenied:
        await request.say("denied", text("staff.intake_denied", lang))
        return
    way = text(f"channel.{intake.channel.value}", lang)
    said = text("staff.intake_done", lang, conv=done, name=esc(intake.name), way=esc(way))
    await request.say("done", said)
    desk.wake()  # the relay posts the card and opens the topic


def _register(desk: Desk, actor: Actor, intake: Intake, key: str) -> int:
    app = desk.app
    return register(
        intake, actor=actor, key=key, uow_factory=app.uows, now=app.clock()
    ).conversation_id


def berkas(request: Request) -> str:
    if request.conv is None:
        return text("staff.no_case", request.lang)
    count = kept_files.send(request.desk, request.actor, request.conv, request.key)
    return text("staff.files_sent" if count else "staff.files_none", request.lang,
                conv=request.conv, count=count)  # fmt: skip


COMMANDS = [
    Command("klien_baru", klien_baru, ADMINS | HEADS, refused_to_clients=True),
    Command("berkas", off_loop(berkas), EVERYONE, refused_to_clients=True),
]
