"""The one registry of staff commands: each command is one function in one module of this
package, listed once with the roles it is shown to. The Telegram command menus, /bantuan and
the hotline's "this is for staff" answer are all built from it; their texts are in the message
catalogue (`cmd.<name>` for the menu, `cmd.<name>.help` for /bantuan, which may begin with
the command's own usage). Who may really do what is
checked again in the core."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

from bot.telegram import staff_ops
from bot.telegram.desk import Desk
from bot.telegram.parsing import case_number
from triage.domain import notices
from triage.domain.model import Actor, Role
from triage.texts.catalog import Lang, text

ADMINS = frozenset({Role.ADMIN})
CASEWORKERS = frozenset({Role.COUNSELOR, Role.HEAD})  # their private chat with the bot
HEADS = frozenset({Role.HEAD})
EVERYONE = ADMINS | CASEWORKERS


@dataclass(frozen=True)
class Request:
    """One staff command as it arrived: who, the command's words, and the case it is about (its
    topic, the bot post it replies to, or the counselor's selected case)."""

    desk: Desk
    registry: Registry
    actor: Actor
    name: str
    arg: str
    conv: int | None
    where: str  # the recipient of the answer: the topic, the group, or the staff member's chat
    key: str  # the Telegram update's key: a redelivered update acts once

    @property
    def lang(self) -> Lang:
        return self.desk.lang

    def case_first(self) -> tuple[int | None, list[str]]:
        """The case and the command's other words: a leading number ("12", "#12") names the
        case in a private chat, when no case is at hand, or written with "#"; elsewhere it is a
        word of the command (a police report's number in a reason is never taken for a case)."""
        words = self.arg.split()
        named = case_number(words[0]) if words else None
        if named is not None and (self.private or self.conv is None or words[0].startswith("#")):
            return named, words[1:]
        return self.conv, words

    @property
    def private(self) -> bool:
        """Written in the staff member's private chat with the bot (not the admin group)."""
        return self.where.startswith("staff:")

    async def say(self, suffix: str, body: str) -> None:
        """The answer, where it was asked; with a summary-only group (bot.telegram.summary), in
        the staff member's private chat, since an answer may show the client's data."""
        where = notices.staff(self.actor.staff_id) if self.desk.summary else self.where
        await self.desk.tell(f"{self.key}:{suffix}", where, body, conv=self.conv)


Handler = Callable[[Request], Awaitable[None]]


@dataclass(frozen=True)
class Command:
    name: str
    run: Handler
    shown_to: frozenset[Role]  # whose menu and /bantuan list it
    aliases: tuple[str, ...] = ()
    # A client who types it on the hotline is told it is for staff (the message is not passed
    # on). Only for commands no client would type as words of a message: the others, such as
    # "/terima kasih" or "/selesai", reach the office like any message.
    refused_to_clients: bool = False


class Registry:
    def __init__(self, commands: Iterable[Command]) -> None:
        self.commands = tuple(commands)
        self._by_name: dict[str, Command] = {}
        for command in self.commands:
            for name in (command.name, *command.aliases):
                if name in self._by_name:
                    raise ValueError(f"/{name} is registered twice")
                self._by_name[name] = command

    def get(self, name: str) -> Command | None:
        return self._by_name.get(name)

    def names(self) -> frozenset[str]:
        return frozenset(self._by_name)

    def refused_to_clients(self) -> frozenset[str]:
        return frozenset(c.name for c in self.commands if c.refused_to_clients)

    def shown_to(self, role: Role) -> list[Command]:
        return [c for c in self.commands if role in c.shown_to]

    def menu(self, role: Role, lang: Lang) -> list[tuple[str, str]]:
        """The command list Telegram shows in a chat: (command, short description)."""
        return [(c.name, text(f"cmd.{c.name}", lang)) for c in self.shown_to(role)]

    def help(self, role: Role, lang: Lang) -> str:
        """/bantuan: how staff of this role work, then one line per command they see."""
        head = "staff.help_admin" if role is Role.ADMIN else "staff.help_counselor"
        lines = []
        for command in self.shown_to(role):
            usage = text(f"cmd.{command.name}.help", lang)  # its own usage starts with the command
            lines.append(f"• {usage}" if usage.startswith("/") else f"• /{command.name} — {usage}")
        return "\n".join([text(head, lang), *lines])


def off_loop(fn: Callable[[Request], str], suffix: str = "") -> Handler:
    """A command whose work is a synchronous call into the core: run off the event loop, its
    answer told (none when the admin topic hears it as a status), a refusal explained. The
    answer's key ends with `suffix` (the command's name by default): the same update, handled
    again after a restart, is answered once."""

    async def run(request: Request) -> None:
        desk = request.desk
        try:
            said = await desk.run(fn, request)
        except staff_ops.REFUSALS as exc:
            await staff_ops.refuse(desk, exc, request.conv, request.where, request.key)
            return
        if said:
            await request.say(suffix or request.name, said)
        desk.wake()

    return run
