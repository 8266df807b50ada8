"""/bantuan (also /start and /help): how staff of the writer's role work, and their commands."""

from __future__ import annotations

from bot.telegram.commands.registry import EVERYONE, Command, Request


async def bantuan(request: Request) -> None:
    await request.say("help", request.registry.help(request.actor.role, request.lang))


COMMANDS = [Command("bantuan", bantuan, EVERYONE, aliases=("start", "help"))]
