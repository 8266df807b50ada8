"""/kode: Instagram's login or challenge code, typed by an admin in the admin group when the
bot asks for it (codes expire; the core checks who may give one)."""

from __future__ import annotations

from bot.service.instagram import give_code
from bot.telegram.commands.guide import bantuan
from bot.telegram.commands.registry import ADMINS, Command, Request
from triage.domain import access
from triage.texts.catalog import text


async def kode(request: Request) -> None:
    if not access.may_give_code(request.actor):
        await bantuan(request)
        return
    app, code = request.desk.app, "".join(request.arg.split())
    if not request.private and code.isdigit() and give_code(app, code, app.clock()):
        await request.say("code", text("ig.code_saved", request.lang))
    else:
        await request.say("code", text("staff.code_usage", request.lang))


COMMANDS = [Command("kode", kode, ADMINS, refused_to_clients=True)]
