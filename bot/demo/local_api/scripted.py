"""People scripted against the local Bot API server: wait for the bot's posts and buttons on
the server's own state (no sleeps). The demo's acts and the tests' office both use it."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.app import App
from bot.demo.local_api.server import LocalBotApi
from bot.demo.local_api.state import ApiState
from triage.texts.catalog import Lang, text


class DemoFailed(Exception):
    pass


def crisis_words(lang: Lang) -> str:
    """The crisis reply's own sentence ("… you are not alone"): the help numbers alone no
    longer tell it apart, every first reply carries them."""
    return text("crisis.reply", lang).split(".")[1].strip()


@dataclass
class Stage:
    api: LocalBotApi
    app: App
    # told every few seconds while a wait goes on (the demo prints it): seconds waited so far
    progress: Callable[[int], None] | None = None

    @property
    def state(self) -> ApiState:
        return self.api.state

    def wait(self, condition: Callable[[], Any], what: str, timeout: float = 90.0) -> None:
        """Wait on the server's state (no sleeps): condition true, or DemoFailed. Posts to the
        admin group wait their turn in its budget (20 a minute): a burst takes a while, and
        `progress` hears of it after 3 s, then every 10 s."""
        started = time.monotonic()
        step = min(3.0, timeout)
        while not self.state.wait_until(lambda: bool(condition()), step):
            waited = time.monotonic() - started
            if waited >= timeout:
                raise DemoFailed(f"timed out waiting for: {what}")
            if self.progress is not None:
                self.progress(round(waited))
            step = min(10.0, timeout - waited)

    def known(self, message: dict) -> dict:
        """Wait until the bot has recorded its post, so that a reply to it names the case: the
        post is on the server a moment before the bot stores its id (a person is slower than
        that, a script under load is not)."""
        maps = self.app.telegram.maps  # type: ignore[union-attr]
        chat, number = message["chat"]["id"], message["message_id"]
        self.wait(lambda: maps.conversation_of_post(chat, number) is not None, "the post's case")
        return message

    def button(self, chat_id: int, data: str) -> dict:
        """The bot's latest message in a chat that carries a button with this data."""

        def found() -> dict | None:
            return self.state.with_button(chat_id, data)

        self.wait(found, f"a button {data!r}")
        result = found()
        assert result is not None
        return result

    def post(self, chat_id: int, containing: str, thread_id: int | None = None) -> dict:
        def found() -> dict | None:
            for message in reversed(self.state.sent(chat_id, thread_id=thread_id)):
                if containing in message.get("text", ""):
                    return message
            return None

        self.wait(found, f"a message with {containing!r}")
        result = found()
        assert result is not None
        return result
