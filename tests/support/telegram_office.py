"""A whole office on the local Bot API server: the service running for real (python-telegram-bot
unchanged, the outbox, SQLite), and people who write, tap and read in Telegram."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bot.bootstrap import build
from bot.demo.local_api import ApiState, LocalBotApi
from bot.demo.local_api.scripted import DemoFailed, Stage
from bot.service import loops as service
from tests.builders import MovingClock
from tests.support.office import (
    ADMIN,
    CLIENT,
    CLIENT_2,
    GROUP,
    HEAD,
    STAFF,
    STRANGER,
    office_settings,
)


def office_state() -> ApiState:
    """The training office, with a client whose name carries markup and a non-staff member in
    the admin group."""
    state = ApiState()
    state.add_user(CLIENT, "Sari", last_name="<b>Dewi</b>")
    state.add_user(STRANGER, "Orang", last_name="Lain")
    state.add_user(CLIENT_2, "Budi", last_name="Santoso")
    for user_id, name, _ in STAFF:
        state.add_user(user_id, name)
    state.add_group(
        GROUP, "Admin PUSPAGA", members={ADMIN: "member", HEAD: "member", STRANGER: "member"}
    )
    return state


class Office(Stage):
    """The demo's stage, with what tests ask of it too. A timeout fails the test."""

    def wait(self, condition: Callable[[], Any], what: str, timeout: float = 15.0) -> None:
        try:
            super().wait(condition, what, timeout)
        except DemoFailed as exc:
            raise AssertionError(str(exc)) from None

    def wait_for_post(self, chat_id: int, containing: str, thread_id: int | None = None):
        return self.post(chat_id, containing, thread_id)

    def conversation(self, conv_id: int = 1):  # noqa: ANN201 - a Conversation
        with self.app.uows() as uow:
            return uow.conversations.get(conv_id)

    def messages(self, conv_id: int = 1):  # noqa: ANN201 - its StoredMessages
        with self.app.uows() as uow:
            return uow.messages.for_conversation(conv_id)

    def texts(self, chat_id: int, thread_id: int | None = None) -> list[str]:
        return [m.get("text", "") for m in self.state.sent(chat_id, thread_id=thread_id)]

    def topic_of(self, conv: int) -> int:
        self.wait(lambda: self.app.telegram.maps.topic(conv), f"a topic for #{conv}")
        topic = self.app.telegram.maps.topic(conv)
        assert topic is not None and topic.thread_id is not None
        return topic.thread_id

    def tap(self, user_id: int, message: dict, data: str) -> None:
        self.state.user_presses(user_id, message, data)

    def answers(self) -> list[str]:
        return [
            str(c.params.get("text", ""))
            for c in list(self.state.calls)
            if c.method == "answerCallbackQuery"
        ]


@contextmanager
def running_office(
    tmp_path: Path,
    state: ApiState | None = None,
    *,
    telegram: dict[str, Any] | None = None,
    database_url: str = "",
    office: dict[str, Any] | None = None,
    limits: dict[str, Any] | None = None,
    consent: dict[str, Any] | None = None,
    sections: dict[str, Any] | None = None,
    **outbox: Any,
) -> Iterator[Office]:
    with LocalBotApi(state or office_state()) as api:
        settings = office_settings(
            api,
            tmp_path / "data",
            telegram=telegram,
            database_url=database_url,
            office=office,
            limits=limits,
            consent=consent,
            sections=sections,
            **{"interval_seconds": 0.1, "retry_base_seconds": 0.3, **outbox},
        )
        app = build(settings, clock=MovingClock())
        stop = threading.Event()
        loop = threading.Thread(target=service.run_forever, args=(app, stop), daemon=True)
        loop.start()
        try:
            assert app.telegram is not None
            assert app.telegram.ready.wait(15), "the bot did not start polling"
            yield Office(api, app)
        finally:
            stop.set()
            app.wake.set()
            loop.join(timeout=20)
            app.engine.dispose()
