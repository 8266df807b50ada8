"""`puspaga setup`'s talk with Telegram before the service runs: the token works, the staff
group is found from a /daftar_grup sent there (its id is not shown anywhere in the apps), and
the staff are found from the /saya each sends to the bot in private. It reads the bot's
updates itself, so it cannot run while the service does (Telegram answers 409 Conflict).

The Bot API calls run on a loop of their own in a thread, so that the people who write to the
bot are noted while the operator's terminal waits on a question."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from telegram import Bot, Message, Update
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.request import HTTPXRequest

from bot.telegram.gateway import wait_seconds
from bot.telegram.probe import group_problem
from bot.telegram.runtime import file_url
from channels.network import explain
from triage.texts.catalog import Lang, text

POLL_SECONDS = 2  # one getUpdates wait: how soon a stop is heard
RETRY_SECONDS = 5  # after a network trouble, before asking again
# what people send while the setup runs: in the staff group, and to the bot in private
GROUP_COMMAND, PERSON_COMMAND = "daftar_grup", "saya"


class EnrolError(Exception):
    """What keeps the setup from talking to Telegram, in the operator's words; `passing`: a
    network trouble that may end by itself (the setup waits and asks again)."""

    def __init__(self, said: str, *, passing: bool = False) -> None:
        super().__init__(said)
        self.passing = passing


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    username: str | None


@dataclass(frozen=True)
class Group:
    id: int
    title: str
    problem: str | None  # what to fix before the bot can serve there; None: ready


def _command(message: Message | None) -> tuple[str, str] | None:
    """(command, chat type) for "/daftar_grup" or "/daftar_grup@nama_bot"."""
    if message is None or not message.text or not message.text.startswith("/"):
        return None
    word = message.text.split()[0][1:].split("@", 1)[0].lower()
    return word, message.chat.type


class Enrolment:
    def __init__(self, token: str, base_url: str, proxy: str | None, lang: Lang) -> None:
        request = HTTPXRequest(proxy=proxy) if proxy else None
        updates = HTTPXRequest(proxy=proxy, read_timeout=POLL_SECONDS + 10)
        self.bot = Bot(
            token,
            base_url=base_url,
            base_file_url=file_url(base_url),
            request=request,
            get_updates_request=updates,
        )
        self.base_url = base_url
        self.lang = lang
        self.offset = 0  # the next update to read
        # the next update to tell Telegram is done: only past updates meant for the setup, so
        # a client's message among them is read again by the service, not lost
        self.done = 0
        self._foreign = False
        self._pending: asyncio.Future[Any] | None = None
        self.people: dict[int, Person] = {}
        self._groups: list[int] = []  # asked for with /daftar_grup, in order
        self._titles: dict[int, str] = {}
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._lock = threading.Lock()

    def _run(self, coroutine: Coroutine[Any, Any, Any], timeout: float | None = None) -> Any:
        future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        self._pending = future  # type: ignore[assignment]
        return future.result(timeout)

    def _host(self) -> str:
        return urlparse(self.base_url).hostname or self.base_url  # as check says it (probe.py)

    # --- the token --------------------------------------------------------------------------

    def start(self) -> str:
        """The bot's @name once the token works; EnrolError says why not."""
        try:
            self._run(self._start())
        except InvalidToken:
            raise EnrolError(text("setup.tg.token", self.lang)) from None
        except NetworkError as exc:
            raise EnrolError(explain(exc, self.lang, self._host(), "--proxy")) from None
        except TelegramError as exc:
            raise EnrolError(text("check.tg.answer", self.lang, message=exc.message)) from None
        return f"@{self.bot.username}"

    async def _start(self) -> None:
        await self.bot.initialize()  # getMe

    # --- updates ----------------------------------------------------------------------------

    def poll(self) -> None:
        """One wait for the bot's news: /daftar_grup in a group, /saya in private."""
        try:
            self._run(self._poll())
        except Conflict:
            raise EnrolError(text("setup.tg.conflict", self.lang)) from None
        except InvalidToken:  # the token revoked in @BotFather meanwhile
            raise EnrolError(text("setup.tg.token", self.lang)) from None
        except RetryAfter as exc:
            time.sleep(min(wait_seconds(exc.retry_after), 5.0))
        except NetworkError as exc:  # TimedOut too: the network may come back
            said = explain(exc, self.lang, self._host(), "--proxy")
            raise EnrolError(said, passing=True) from None
        except TelegramError as exc:
            raise EnrolError(text("check.tg.answer", self.lang, message=exc.message)) from None

    async def _poll(self) -> None:
        # From `done` on: an update below the offset asked for is confirmed (Telegram forgets
        # it), so once something not meant for the setup came (a client's message), the rest
        # is read again each time, unconfirmed, and the service gets it all when it starts.
        # The bot's remembered allowed_updates (the service's) are left as they are.
        wait = 0 if self._foreign else POLL_SECONDS  # pending updates answer at once anyway
        updates = await self.bot.get_updates(offset=self.done, timeout=wait)
        fresh = [u for u in updates if u.update_id >= self.offset]
        for update in fresh:
            self.offset = update.update_id + 1
            ours = await self._on(update)
            self._foreign = self._foreign or not ours
            if not self._foreign:
                self.done = self.offset
        if self._foreign and not fresh:
            await asyncio.sleep(1.0)  # nothing new: ask again in a moment, not in a busy loop

    async def _on(self, update: Update) -> bool:
        """Note a /saya or /daftar_grup; False for anything else (a client's message)."""
        message = update.message
        found = _command(message)
        if message is None or found is None or message.from_user is None:
            return False
        word, kind = found
        user = message.from_user
        if word == PERSON_COMMAND and kind == "private":
            with self._lock:
                self.people[user.id] = Person(user.id, user.full_name, user.username)
            said = text("setup.tg.saya_noted", self.lang, name=user.full_name, id=user.id)
            await self._tell(message.chat_id, said)
        elif word == GROUP_COMMAND and kind in ("group", "supergroup"):
            with self._lock:
                self._groups.append(message.chat_id)
                self._titles[message.chat_id] = message.chat.title or str(message.chat_id)
        else:
            return False
        return True

    async def _tell(self, chat_id: int, said: str) -> None:
        for _ in range(2):  # a group takes about one post a second: wait once if told to
            try:
                await self.bot.send_message(chat_id, said)  # plain text: names are not markup
                return
            except RetryAfter as exc:
                await asyncio.sleep(min(wait_seconds(exc.retry_after), 5.0))
            except TelegramError:
                return  # a courtesy: the terminal shows the same

    def acknowledge(self) -> None:
        """Tell Telegram the updates meant for the setup are done, so the service does not
        answer them again, then let go of the connection."""
        if self._pending is not None:  # a wait cut short by Ctrl+C holds the connection
            self._pending.cancel()
        try:
            self._run(self._acknowledge(), timeout=30)
        except (TelegramError, TimeoutError):
            pass  # the service would only answer a /saya or /daftar_grup once more
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=5)

    async def _acknowledge(self) -> None:
        if self.done:
            await self.bot.get_updates(offset=self.done, timeout=0)
        await self.bot.shutdown()

    # --- the group --------------------------------------------------------------------------

    def next_group(self) -> int | None:
        with self._lock:
            return self._groups.pop(0) if self._groups else None

    def group(self, chat_id: int) -> Group:
        """The group as the service would use it: a supergroup with topics, the bot an
        administrator there with the rights it needs. Says in the group what was found."""
        return self._run(self._group(chat_id))

    async def _group(self, chat_id: int) -> Group:
        lang = self.lang
        try:
            problem, chat = await group_problem(self.bot, chat_id, lang)
        except ChatMigrated as exc:  # turning Topics on made the group a supergroup: a new id
            return await self._group(exc.new_chat_id)
        except (BadRequest, Forbidden):
            return Group(chat_id, self._titles.get(chat_id, str(chat_id)), text(
                "setup.group.unseen", lang))  # fmt: skip
        title = chat.title or str(chat_id)
        if chat.type != "supergroup" or not chat.is_forum:
            problem = text("setup.group.topics", lang)
        said = text("setup.tg.group_ok", lang) if problem is None else problem
        await self._tell(chat_id, said)
        return Group(chat_id, title, problem)

    # --- the staff --------------------------------------------------------------------------

    def staff(self) -> list[Person]:
        with self._lock:
            return list(self.people.values())

    def collect(
        self,
        stop: threading.Event,
        on_person: Callable[[Person], None],
        on_trouble: Callable[[str], None],
    ) -> None:
        """Poll until `stop`, telling `on_person` of each new /saya (runs on a thread of the
        caller's while its terminal waits on a question); a network trouble is told and waited
        out, anything else ends it (EnrolError)."""
        told: set[int] = set()
        while not stop.is_set():
            try:
                self.poll()
            except EnrolError as exc:
                if not exc.passing:
                    raise
                on_trouble(str(exc))
                stop.wait(RETRY_SECONDS)
            for person in self.staff():
                if person.id not in told:
                    told.add(person.id)
                    on_person(person)
