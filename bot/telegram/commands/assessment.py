"""Staff decide the risk and the topic: /tingkat <mendesak|perlu_dicek|biasa> [N] and
/kategori <code> [N] (triage/usecases/assessment.py). Without a value, the current ones and the
choices are shown."""

from __future__ import annotations

from bot.telegram.commands.cases import on_case
from bot.telegram.commands.registry import EVERYONE, Command, Request
from bot.telegram.render import esc
from triage.domain.rules.classify import CATEGORIES, LEVELS
from triage.texts.catalog import text
from triage.usecases.assessment import set_assessment


async def tingkat(request: Request) -> None:
    await _set(request, "risk", LEVELS)


async def kategori(request: Request) -> None:
    await _set(request, "category", CATEGORIES)


async def _set(request: Request, what: str, choices: tuple[str, ...]) -> None:
    desk, lang = request.desk, request.lang

    async def work(conv: int, arg: str) -> bool:
        value = arg.strip().lower().replace("-", "_").replace(" ", "_")
        if value not in choices:
            usage = text(f"staff.{what}_usage", lang, choices=", ".join(choices))
            await request.say("usage", usage)
            return False
        app = desk.app
        changed = await desk.run(
            lambda: set_assessment(
                conv,
                actor=request.actor,
                uow_factory=app.uows,
                now=app.clock(),
                **{what: value},
            )
        )
        await request.say("set", text(f"staff.{what}_set", lang, conv=changed.id, value=esc(value)))
        return True

    await on_case(request, work, named=True)


COMMANDS = [
    Command("tingkat", tingkat, EVERYONE, refused_to_clients=True),
    Command("kategori", kategori, EVERYONE, refused_to_clients=True),
]
