"""What the shell's Telegram handlers share: the app, the maps, who is staff, and two moves:
run the (synchronous) core off the event loop, and queue an answer in the outbox."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.app import App
from bot.telegram.staff_directory import StaffDirectory
from storage.telegram_maps import TelegramMaps
from triage.domain.notices import Kind
from triage.domain.outbox import SEALED_TEXT, OutboxItem, Target
from triage.texts.catalog import Lang


@dataclass
class Desk:
    app: App
    maps: TelegramMaps
    staff: StaffDirectory
    admin_chat_id: int
    lang: Lang
    wake: Callable[[], None]
    summary: bool = False  # the group sees summaries; answers go to the staff member's chat

    async def run(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return await asyncio.to_thread(fn, *args, **kwargs)

    def _queue(
        self, key: str, recipient: str, body: str, target: Target, conv: int | None, options: dict
    ) -> None:
        now = self.app.clock()
        if target is Target.TELEGRAM:
            # An answer may show what is sealed elsewhere (an identity card, a record read
            # back): it waits sealed too, is opened only to send (StaffSender) and is blanked
            # once sent (triage.domain.outbox.delivered).
            options = {"kind": Kind.INFO.value, **options, SEALED_TEXT: "1"}
            body = self.app.sealer.seal(body.encode())
        with self.app.uows() as uow:
            if conv is not None and uow.conversations.get(conv) is None:
                conv = None  # a number typed for a case that does not exist
            uow.outbox.add(
                OutboxItem(
                    id=None,
                    idempotency_key=key,
                    target=target,
                    recipient=recipient,
                    text=body,
                    created_at=now,
                    next_attempt_at=now,
                    conversation_id=conv,  # erasing the case reaches an answer still waiting
                    options=options,
                )
            )
            uow.commit()

    async def tell(
        self,
        key: str,
        recipient: str,
        body: str,
        target: Target = Target.TELEGRAM,
        *,
        conv: int | None = None,
        **options: str,
    ) -> None:
        """Queue an answer (HTML for staff chats, plain text on the hotline); the key makes a
        redelivered update answer once; `conv` is the case it is about."""
        await self.run(self._queue, key, recipient, body, target, conv, options)
        self.wake()
