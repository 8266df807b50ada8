"""A python-telegram-bot `Bot` for synchronous callers (the outbox dispatcher thread).

The bot lives in its own event loop on its own thread; calls are submitted to it and waited
for. Telegram's errors become the core's `SendError` (transient or not, with retry_after).
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Coroutine
from datetime import timedelta
from typing import Any, TypeVar

from telegram import Bot
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.request import HTTPXRequest

from triage.ports import SendError

log = logging.getLogger(__name__)
T = TypeVar("T")


def wait_seconds(value: float | timedelta) -> float:
    """A RetryAfter's wait: seconds, or a timedelta in newer python-telegram-bot."""
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class Gateway:
    def __init__(
        self,
        token: str,
        base_url: str,
        base_file_url: str,
        timeout: float = 15.0,
        proxy: str | None = None,  # [network] proxy
    ):
        self.timeout = timeout
        request = HTTPXRequest(
            connect_timeout=5.0, read_timeout=timeout, write_timeout=timeout, proxy=proxy
        )
        self.bot = Bot(token, base_url=base_url, base_file_url=base_file_url, request=request)
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self.loop.run_forever, daemon=True, name="telegram-gateway"
        )
        self._thread.start()
        self._forum: dict[int, bool] = {}

    def call(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run one Bot API call; Telegram's errors surface as `SendError`."""
        future = asyncio.run_coroutine_threadsafe(coro, self.loop)
        try:
            return future.result(self.timeout + 10)
        except RetryAfter as exc:
            wait = wait_seconds(exc.retry_after)
            raise SendError(
                f"Telegram flood limit: retry after {wait:g}s",
                transient=True,
                retry_after=wait,
                counts=False,
                down=False,  # it answered: slow down
            ) from None
        except InvalidToken as exc:  # every send fails: the channel is down, not this message
            raise SendError(
                f"Telegram refused: {exc.message}", transient=False, down=True
            ) from None
        except Forbidden as exc:
            raise SendError(f"Telegram refused: {exc.message}", transient=False) from None
        except ChatMigrated as exc:
            raise SendError(
                f"chat moved to {exc.new_chat_id}: update the config", transient=False
            ) from None
        except BadRequest as exc:
            raise SendError(
                f"Telegram rejected the request: {exc.message}", transient=False
            ) from None
        except (TimedOut, TimeoutError) as exc:
            raise SendError(
                f"Telegram unreachable: {type(exc).__name__}", transient=True, counts=False
            ) from None
        except NetworkError as exc:
            # A refused connection ("httpx.<Error>") or a 5xx answer ("Bad Gateway", "Internal
            # Server Error"): Telegram is having an incident, not refusing this message. The
            # item waits it out without counting toward `failed` (RetryPolicy.give_up bounds it).
            unreachable = exc.message.startswith("httpx.")
            raise SendError(
                f"Telegram {'unreachable' if unreachable else 'error'}: {exc.message[:80]}",
                transient=True,
                counts=False,
            ) from None
        except TelegramError as exc:
            raise SendError(f"Telegram error: {exc.message}", transient=True) from None

    def is_forum(self, chat_id: int) -> bool:
        if chat_id not in self._forum:
            chat = self.call(self.bot.get_chat(chat_id))
            self._forum[chat_id] = bool(chat.is_forum)
        return self._forum[chat_id]

    def close(self) -> None:
        async def shutdown() -> None:
            try:
                await self.bot.shutdown()
            except Exception:  # noqa: BLE001 - closing anyway
                log.debug("bot shutdown", exc_info=True)

        try:
            asyncio.run_coroutine_threadsafe(shutdown(), self.loop).result(5)
        except Exception:  # noqa: BLE001
            log.debug("bot shutdown timed out", exc_info=True)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=5)
