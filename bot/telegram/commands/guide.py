"""/bantuan (also /start and /help): how staff of the writer's role work, and their commands;
/saya: the writer's Telegram id and role (someone not yet staff gets the id from the hotline,
bot/telegram/hotline.py); /daftar_grup: what `puspaga setup` asks for in the staff group
(bot/telegram/enrol.py), answered once the service runs."""

from __future__ import annotations

from bot.telegram.commands.registry import EVERYONE, Command, Request
from triage.texts.catalog import text


async def bantuan(request: Request) -> None:
    await request.say("help", request.registry.help(request.actor.role, request.lang))


async def saya(request: Request) -> None:
    actor = request.actor
    said = text("tg.my_id_staff", request.lang, id=actor.staff_id, role=actor.role.value)
    await request.say("saya", said)


async def daftar_grup(request: Request) -> None:
    key = "tg.group_where" if request.private else "tg.group_registered"
    await request.say("daftar_grup", text(key, request.lang))


COMMANDS = [
    Command("bantuan", bantuan, EVERYONE, aliases=("start", "help")),
    Command("saya", saya, EVERYONE),
    # enrol.GROUP_COMMAND (tests/test_docs.py): answered, in no menu (setup asks for it)
    Command("daftar_grup", daftar_grup, frozenset()),
]
