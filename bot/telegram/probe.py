"""`puspaga check` for Telegram: the token works, the admin group exists, the bot may post and
manage topics there. Answers in plain words with the key to fix."""

from __future__ import annotations

import asyncio

from telegram import Bot
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, TelegramError

from bot.config.channel_settings import TelegramConfig
from bot.telegram.runtime import file_url
from triage.texts.catalog import Lang, text


async def _probe(config: TelegramConfig, lang: Lang) -> str | None:
    bot = Bot(config.token, base_url=config.base_url, base_file_url=file_url(config.base_url))
    try:
        async with bot:
            chat = await bot.get_chat(config.admin_chat_id)
            member = await bot.get_chat_member(config.admin_chat_id, bot.id)
    except InvalidToken:
        return text("check.tg.token", lang)
    except (BadRequest, Forbidden):
        return text("check.tg.group", lang, chat=config.admin_chat_id)
    except NetworkError as exc:
        return text("check.tg.reach", lang, url=config.base_url, error=type(exc).__name__)
    except TelegramError as exc:
        return text("check.tg.answer", lang, message=exc.message)
    if member.status != "administrator":
        return text("check.tg.admin", lang)
    if not chat.is_forum:
        return None  # works: conversations are threaded by replies (see the operator guide)
    if not getattr(member, "can_manage_topics", False):
        return text("check.tg.topics", lang)
    return None


def telegram_problem(config: TelegramConfig, lang: Lang = "id") -> str | None:
    return asyncio.run(_probe(config, lang))


async def _administrators(config: TelegramConfig) -> list[tuple[int, str]]:
    bot = Bot(config.token, base_url=config.base_url, base_file_url=file_url(config.base_url))
    async with bot:
        found = await bot.get_chat_administrators(config.admin_chat_id)
        return [(m.user.id, m.user.full_name) for m in found if m.user.id != bot.id]


def administrators_not_staff(config: TelegramConfig, staff: set[int]) -> list[str] | None:
    """The group's administrators who are not in `[[staff]]` ("Name (id)"), None when the
    group cannot be asked. The Bot API cannot list ordinary members: new ones are told to the
    heads as they join (bot/telegram/membership.py)."""
    try:
        found = asyncio.run(_administrators(config))
    except TelegramError:
        return None
    return [f"{name} ({user_id})" for user_id, name in found if user_id not in staff]
