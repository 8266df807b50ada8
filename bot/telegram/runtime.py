"""The Telegram side of `puspaga run`: one python-telegram-bot Application handles the bot's
updates (the hotline and the staff share it, docs/architecture.md) in its own thread and event loop;
the outbox senders talk to the Bot API through their own `Gateway`.

Updates are fetched by our own loop, not PTB's Updater: the Updater confirms an update to
Telegram (the next getUpdates offset) as soon as it has queued it, so a kill -9 loses whatever
was queued but not yet handled. Here the offset is a durable cursor in the database, advanced
only after an update was handled; every handler is idempotent (message ids, idempotency keys),
so an update handled again after a crash changes nothing.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import warnings

from telegram import BotCommand, BotCommandScopeChat, BotCommandScopeDefault, Update
from telegram.error import Conflict, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application, ApplicationBuilder, ContextTypes
from telegram.warnings import PTBUserWarning

from bot.app import App
from bot.config.channel_settings import TelegramConfig
from bot.service import alarm
from bot.telegram.commands.registered import REGISTRY
from bot.telegram.gateway import Gateway, wait_seconds
from bot.telegram.greeting import greeting
from bot.telegram.inbound import TelegramInbound, is_outage
from bot.telegram.staff_directory import StaffDirectory
from storage.leases import LeaseLost
from storage.telegram_maps import TelegramMaps
from triage.domain import notices
from triage.domain.model import Channel, Role
from triage.effects import notify
from triage.texts.catalog import text

log = logging.getLogger(__name__)

POLL_SECONDS = 10  # long polling: Telegram answers at once when an update arrives
MAX_TRIES = 3  # for an update that fails for another reason than an outage
# What the handlers read (inbound.py); chat_member must be asked for by name (membership.py).
ALLOWED_UPDATES = ("message", "edited_message", "callback_query", "chat_member")


def updates_key(token: str) -> str:
    """The updates' cursor and lease: the bot's id is the token's first part."""
    bot_id = token.split(":", 1)[0]
    return f"telegram:{bot_id}:updates" if bot_id.isdigit() else "telegram:updates"


def file_url(base_url: str) -> str:
    """https://api.telegram.org/bot → https://api.telegram.org/file/bot"""
    return base_url[: -len("bot")] + "file/bot" if base_url.endswith("/bot") else base_url


class TelegramRuntime:
    def __init__(
        self, app: App, *, gateway: Gateway, maps: TelegramMaps, staff: StaffDirectory
    ) -> None:
        """The gateway, maps, staff and the senders are built by bot/bootstrap.py."""
        config = app.settings.telegram
        assert config is not None
        self.config: TelegramConfig = config
        self.app = app
        lang = app.settings.language
        self.gateway = gateway
        self.maps = maps
        self.staff = staff
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
        self._failed: object | None = None
        self._tries: dict[int, int] = {}
        self._set_aside = False
        self._cursor_key = self.lease_name = updates_key(config.token)
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
        builder = (
            ApplicationBuilder()
            .token(self.config.token)
            .base_url(self.config.base_url)
            .base_file_url(file_url(self.config.base_url))
            .updater(None)  # our own polling loop: see the module docstring
        )
        if proxy := self.app.settings.network.proxy:  # as the gateway's, for the updates too
            builder = builder.proxy(proxy).get_updates_proxy(proxy)
        return builder.build()

    async def _main(self) -> None:
        application = self._application()
        self.inbound.install(application)
        application.add_error_handler(self._on_error)
        delay = 1.0
        while not self._stop.is_set():  # Telegram unreachable at start: keep trying
            try:
                await application.initialize()
                break
            except (NetworkError, TelegramError) as exc:
                alarm.saw(self.app, alarm.TELEGRAM, False)
                log.warning("Telegram belum bisa dijangkau (%s); dicoba lagi", type(exc).__name__)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30.0)
        if self._stop.is_set():
            return
        await self._register_commands(application)
        await asyncio.to_thread(self.staff.refresh, True)  # the deactivated, before any update
        self._cursor_key = f"telegram:{application.bot.id}:updates"  # as the token says
        polling = asyncio.create_task(self._poll(application))
        log.info("Telegram tersambung sebagai @%s; menunggu pesan", application.bot.username)
        self.ready.set()
        while not self._stop.is_set():
            if polling.done():  # a bug or an unforeseen error: never stay deaf, start again
                error = polling.exception() if not polling.cancelled() else None
                log.error(
                    "pengambilan update Telegram terhenti (%s); dimulai lagi", type(error).__name__
                )
                await asyncio.sleep(1.0)
                polling = asyncio.create_task(self._poll(application))
            await asyncio.sleep(0.1)
        polling.cancel()
        try:
            await polling
        except (asyncio.CancelledError, Exception):  # noqa: BLE001 - shutting down anyway
            log.debug("polling ended", exc_info=True)
        await application.shutdown()

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A handler failed (say, the database is away): the update is not done, the loop
        tries it again. Logged by type only: the error text may quote a message."""
        self._failed = context.error
        log.error("memproses update Telegram gagal (%s); dicoba lagi", type(context.error).__name__)
        log.debug("traceback (may contain personal data; DEBUG only)", exc_info=context.error)

    async def _steady(self, fn, *args):  # noqa: ANN001, ANN202
        """Run a database step of the loop, waiting out an outage (it may last minutes)."""
        delay = 1.0
        while True:
            try:
                return await asyncio.to_thread(fn, *args)
            except Exception as exc:
                if not is_outage(exc):
                    raise
                log.warning(
                    "basis data tidak menjawab untuk posisi update (%s); menunggu",
                    type(exc).__name__,
                )
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30.0)

    async def _poll(self, application: Application) -> None:
        """Fetch and handle updates while this worker holds the updates' lease (always, with
        one worker); a new holder starts from the durable offset, not from one it knew."""
        tenure: int | None = None
        offset: int | None = None
        delay = 1.0
        while True:
            held = self.app.tenure(self.lease_name)
            if held is None:
                tenure = None
                await asyncio.sleep(0.5)
                continue
            if held != tenure:
                offset, tenure = await self._steady(self._load_offset), held
            try:
                updates = await application.bot.get_updates(
                    offset=offset,
                    timeout=POLL_SECONDS,
                    read_timeout=POLL_SECONDS + 10,
                    allowed_updates=ALLOWED_UPDATES,
                )
            except RetryAfter as exc:
                await asyncio.sleep(wait_seconds(exc.retry_after))
                continue
            except (NetworkError, TelegramError) as exc:
                alarm.saw(self.app, alarm.TELEGRAM, False)
                if isinstance(exc, Conflict):  # not the network: another copy, or a webhook
                    log.error(
                        "Telegram menolak mengambil update (409): token ini dipakai proses lain "
                        "atau webhook masih terpasang; hentikan salinan lain dari layanan ini"
                    )
                else:
                    log.warning(
                        "mengambil update Telegram gagal (%s); dicoba lagi", type(exc).__name__
                    )
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30.0)
                continue
            except Exception as exc:  # noqa: BLE001 - an update this library cannot read
                log.error("update Telegram tidak terbaca (%s); disisihkan", type(exc).__name__)
                offset = await self._set_aside_unreadable(application, offset, exc)
                continue
            alarm.saw(self.app, alarm.TELEGRAM, True)
            delay = 1.0
            try:
                offset = await self._handle(application, updates, offset)
            except LeaseLost:  # frozen or cut off meanwhile: the new holder has these
                log.warning("update Telegram diambil alih pekerja lain; di sini berhenti")
                tenure = None

    async def _handle(self, application: Application, updates: list[Update],
                      offset: int | None) -> int | None:  # fmt: skip
        """Each update, then its offset (fenced: LeaseLost once another worker holds the
        lease). Returns the offset to fetch from."""
        delay = 1.0
        for update in updates:
            self._failed = None
            self._set_aside = False
            await application.process_update(update)
            if self._failed is not None and self._retry(update.update_id, self._failed):
                await asyncio.sleep(delay)  # not done: fetched again from `offset`
                break
            if self._set_aside:  # kept whole, and the admins are told, before moving on
                await self._steady(self._dead_letter, update, self._failed)
            offset = update.update_id + 1
            await self._steady(self._save_offset, offset)
        return offset

    async def _set_aside_unreadable(
        self, application: Application, offset: int | None, error: Exception
    ) -> int | None:
        """Telegram sent what this python-telegram-bot cannot parse (a field of a newer Bot
        API): the first unreadable update is set aside whole and the offset moves past it, so
        one update never makes the bot deaf to the rest."""
        with warnings.catch_warnings():  # the library prefers get_updates, which cannot read it
            warnings.simplefilter("ignore", PTBUserWarning)
            found = await application.bot.do_api_request(
                "getUpdates",
                api_kwargs={"offset": offset, "limit": 100, "timeout": 0,
                            "allowed_updates": list(ALLOWED_UPDATES)},
            )  # fmt: skip
        for raw in found or []:
            try:
                Update.de_json(raw, application.bot)
            except Exception:  # noqa: BLE001 - this one
                await self._steady(self._dead_letter, raw, error)
                offset = int(raw["update_id"]) + 1
                await self._steady(self._save_offset, offset)
                return offset
        await asyncio.sleep(1.0)  # all readable now: the next fetch tries again
        return offset

    def _retry(self, update_id: int, error: object) -> bool:
        """An outage (database, network) is waited out however long it lasts; any other error
        is a bug or an input we cannot handle: tried MAX_TRIES times, then skipped, logged."""
        if isinstance(error, BaseException) and is_outage(error):
            return True
        tries = self._tries.get(update_id, 0) + 1
        self._tries = {update_id: tries}  # only the update at the head of the line matters
        if tries < MAX_TRIES:
            return True
        log.error(
            "update Telegram %s disisihkan setelah %s kali gagal (%s); disimpan sebagai sisihan",
            update_id,
            tries,
            type(error).__name__,
        )
        self._set_aside = True
        return False

    def _dead_letter(self, update: Update | dict, error: object) -> None:
        """Kept whole for `puspaga dead-letters`; `update` raw when it could not be read."""
        now = self.app.clock()
        raw = update if isinstance(update, dict) else update.to_dict()
        update_id = raw["update_id"]
        self.app.dead_letters.add(
            source="telegram",
            external_id=str(update_id),
            payload=json.dumps(raw, ensure_ascii=False),
            error=type(error).__name__,
            at=now,
            sender=_raw_sender(raw),
        )
        with self.app.uows() as uow:
            notify.queue(
                uow,
                key=f"dead-letter:telegram:{update_id}",
                recipient=notices.GENERAL,
                kind=notices.Kind.INFO,
                now=now,
                text=text("staff.dead_letter", self.app.settings.language, id=update_id),
            )
            uow.commit()
        self.app.wake.set()

    def _load_offset(self) -> int | None:
        with self.app.uows() as uow:
            value = uow.cursors.get(self._cursor_key)
        return int(value) if value else None

    def _save_offset(self, offset: int) -> None:
        with self.app.uows() as uow:
            uow.cursors.set(self._cursor_key, str(offset))
            uow.commit()

    async def _register_commands(self, application: Application) -> None:
        """Each scope on its own: a staff member who never opened the bot's chat must not keep
        the others from getting their commands. Commands are a convenience: never fatal."""
        lang = self.app.settings.language
        scopes: list[tuple[object, list[tuple[str, str]]]] = [
            (BotCommandScopeDefault(), [("start", text("hotline.menu_start", lang))]),
            (BotCommandScopeChat(self.config.admin_chat_id), REGISTRY.menu(Role.ADMIN, lang)),
        ]
        for actor in self.staff.members.values():
            scopes.append((BotCommandScopeChat(actor.staff_id), REGISTRY.menu(actor.role, lang)))
        for scope, commands in scopes:
            try:
                await application.bot.set_my_commands(
                    [BotCommand(*c) for c in commands],
                    scope=scope,  # type: ignore[arg-type]
                )
            except TelegramError as exc:
                log.warning("daftar perintah bot gagal didaftarkan (%s)", type(exc).__name__)


def _raw_sender(raw: dict) -> str | None:
    """A client's update in their private chat names them as their contact does ("hotline:<id>"),
    so that erasing the client removes it; staff chats and the group name no one."""
    query = raw.get("callback_query") or {}  # a button: its message's chat, its presser
    message = raw.get("message") or raw.get("edited_message") or query.get("message") or {}
    chat, user = message.get("chat") or {}, query.get("from") or message.get("from") or {}
    if chat.get("type") != "private" or "id" not in user:
        return None
    return f"{Channel.HOTLINE.value}:{user['id']}"
