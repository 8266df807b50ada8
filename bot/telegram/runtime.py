"""The Telegram side of `puspaga run`: one python-telegram-bot Application polls the bot's
updates (the hotline and the staff share it, DESIGN.md §3) in its own thread and event loop;
the outbox senders talk to the Bot API through their own `Gateway`.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from zoneinfo import ZoneInfo

from telegram import BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from telegram.error import NetworkError, TelegramError
from telegram.ext import Application, ApplicationBuilder

from bot.config import TelegramConfig
from bot.telegram.budget import SendBudget
from bot.telegram.gateway import Gateway
from bot.telegram.greeting import greeting
from bot.telegram.inbound import TelegramInbound
from bot.telegram.sender import HotlineSender, StaffSender
from bot.telegram.staff_directory import StaffDirectory
from bot.wiring import App
from storage.telegram_maps import TelegramMaps
from triage.model import Role
from triage.outbox import Target

log = logging.getLogger(__name__)

ADMIN_COMMANDS = {
    "id": [
        ("serahkan", "Serahkan ke konselor"),
        ("tutup", "Tutup: tuntas, ulang atau rujukan"),
        ("identitas", "Data klien"),
        ("catatan", "Catatan internal"),
        ("bantuan", "Bantuan"),
    ],
    "en": [
        ("serahkan", "Hand off to a counselor"),
        ("tutup", "Close: tuntas, ulang or rujukan"),
        ("identitas", "Client details"),
        ("catatan", "Internal note"),
        ("bantuan", "Help"),
    ],
}
COUNSELOR_COMMANDS = {
    "id": [
        ("kasus", "Kasus saya / pilih kasus N"),
        ("lepas", "Kembalikan kasus ke antrean"),
        ("tutup", "Tutup: tuntas, ulang atau rujukan"),
        ("catatan", "Catatan internal"),
        ("bantuan", "Bantuan"),
    ],
    "en": [
        ("kasus", "My cases / select case N"),
        ("lepas", "Put the case back in the queue"),
        ("tutup", "Close: tuntas, ulang or rujukan"),
        ("catatan", "Internal note"),
        ("bantuan", "Help"),
    ],
}
CLIENT_COMMANDS = {"id": [("start", "Mulai")], "en": [("start", "Start")]}


def file_url(base_url: str) -> str:
    """https://api.telegram.org/bot → https://api.telegram.org/file/bot"""
    return base_url[: -len("bot")] + "file/bot" if base_url.endswith("/bot") else base_url


class TelegramRuntime:
    def __init__(self, app: App) -> None:
        config = app.settings.telegram
        assert config is not None
        self.app = app
        self.config: TelegramConfig = config
        lang = app.settings.language
        self.gateway = Gateway(config.token, config.base_url, file_url(config.base_url))
        self.maps = TelegramMaps(app.engine)
        self.staff = StaffDirectory.from_config(app.settings.staff)
        budget = SendBudget()
        tz = ZoneInfo(app.settings.office.timezone)
        app.senders[Target.TELEGRAM] = StaffSender(
            self.gateway, self.maps, budget, admin_chat_id=config.admin_chat_id, lang=lang, tz=tz
        )
        app.senders[Target.HOTLINE] = HotlineSender(self.gateway, budget, lang)
        self.inbound = TelegramInbound(
            app,
            self.maps,
            self.staff,
            admin_chat_id=config.admin_chat_id,
            lang=lang,
            wake=app.wake.set,
            media_dir=app.settings.data_dir / "attachments" / "hotline",
            max_media_bytes=int(config.max_media_mb * 1024 * 1024),
            greeting=lambda: greeting(app.settings),
            sign_with_name=config.sign_with_staff_name,
        )
        self._stop = threading.Event()
        self.ready = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> TelegramRuntime:
        self._thread = threading.Thread(target=self._run, daemon=True, name="telegram-updates")
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=15)
        self.gateway.close()

    def _run(self) -> None:
        asyncio.run(self._main())

    def _application(self) -> Application:
        return (
            ApplicationBuilder()
            .token(self.config.token)
            .base_url(self.config.base_url)
            .base_file_url(file_url(self.config.base_url))
            .get_updates_read_timeout(20)
            .build()
        )

    async def _main(self) -> None:
        application = self._application()
        self.inbound.install(application)
        delay = 1.0
        while not self._stop.is_set():  # Telegram unreachable at start: keep trying
            try:
                await application.initialize()
                break
            except (NetworkError, TelegramError) as exc:
                log.warning("Telegram not reachable yet (%s); retrying", type(exc).__name__)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30.0)
        if self._stop.is_set():
            return
        await self._register_commands(application)
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(
            poll_interval=0.0, timeout=10, bootstrap_retries=-1, drop_pending_updates=False
        )
        self.ready.set()
        while not self._stop.is_set():
            await asyncio.sleep(0.1)
        await application.updater.stop()
        await application.stop()
        await application.shutdown()

    async def _register_commands(self, application: Application) -> None:
        lang = self.app.settings.language
        bot = application.bot
        try:
            await bot.set_my_commands(
                [BotCommand(*c) for c in CLIENT_COMMANDS[lang]], scope=BotCommandScopeDefault()
            )
            await bot.set_my_commands(
                [BotCommand(*c) for c in ADMIN_COMMANDS[lang]],
                scope=BotCommandScopeChat(self.config.admin_chat_id),
            )
            for actor in self.staff.members.values():
                commands = ADMIN_COMMANDS if actor.role is Role.ADMIN else COUNSELOR_COMMANDS
                await bot.set_my_commands(
                    [BotCommand(*c) for c in commands[lang]],
                    scope=BotCommandScopeChat(actor.staff_id),
                )
        except TelegramError as exc:  # commands are a convenience: never stop the service
            log.warning("could not register the bot's commands (%s)", type(exc).__name__)
