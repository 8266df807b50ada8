"""`puspaga check` for Telegram: the token works, the admin group exists, the bot is an
administrator there with the rights it uses (delete and pin messages, manage topics in a
forum). Answers in plain words with the key to fix; when all is well, names the bot and the
group, so the office sees it checked the right ones."""

from __future__ import annotations

import asyncio
from urllib.parse import urlparse

from telegram import Bot, ChatFullInfo
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    TelegramError,
)
from telegram.request import HTTPXRequest

from bot.config.channel_settings import TelegramConfig
from bot.telegram.runtime import file_url
from channels.network import explain, kind
from triage.texts.catalog import Lang, text

# what the bot does in the admin group: pins the case card at the top of its topic, deletes a
# conversation's topic when the client's data is erased (deleteForumTopic needs the delete
# right), opens a topic per conversation (in a forum: can_manage_topics, added below)
RIGHTS = ("can_delete_messages", "can_pin_messages")


def bot_for(config: TelegramConfig, proxy: str | None) -> Bot:
    request = HTTPXRequest(proxy=proxy) if proxy else None
    return Bot(
        config.token,
        base_url=config.base_url,
        base_file_url=file_url(config.base_url),
        request=request,
    )


async def _probe(config: TelegramConfig, lang: Lang, proxy: str | None) -> tuple[str | None, str]:
    bot = bot_for(config, proxy)
    try:
        async with bot:  # asks getMe: the token works
            problem, chat = await group_problem(bot, config.admin_chat_id, lang)
    except InvalidToken:
        return text("check.tg.token", lang), ""
    except ChatMigrated as exc:  # turning Topics on made a basic group a supergroup
        return text("check.tg.migrated", lang, new=exc.new_chat_id), ""
    except (BadRequest, Forbidden):
        return text("check.tg.group", lang, chat=config.admin_chat_id), ""
    except NetworkError as exc:
        if proxy and kind(exc) in ("dns", "refused", "unreachable", "timeout"):
            # through a proxy, the only connection made is to the proxy: it is what failed
            host = urlparse(proxy).hostname or proxy
            return explain(exc, lang, host, "[network] proxy"), ""
        host = urlparse(config.base_url).hostname or config.base_url
        return explain(exc, lang, host, "[telegram] base_url, [network] proxy"), ""
    except TelegramError as exc:
        return text("check.tg.answer", lang, message=exc.message), ""
    if problem is not None:
        return problem, ""
    forum = text("check.tg.forum" if chat.is_forum else "check.tg.no_forum", lang)
    return None, text("check.tg.ok", lang, bot=f"@{bot.username}", group=chat.title, forum=forum)


async def group_problem(bot: Bot, chat_id: int, lang: Lang) -> tuple[str | None, ChatFullInfo]:
    """What keeps the bot from serving in the group (None: nothing), and the group. Raises
    BadRequest or Forbidden when the bot cannot see the group at all."""
    chat = await bot.get_chat(chat_id)
    member = await bot.get_chat_member(chat_id, bot.id)
    if member.status != "administrator":
        return text("check.tg.admin", lang), chat
    needed = RIGHTS + (("can_manage_topics",) if chat.is_forum else ())
    missing = [right for right in needed if not getattr(member, right, False)]
    if missing:
        names = ", ".join(text(f"check.tg.right.{right}", lang) for right in missing)
        return text("check.tg.rights", lang, rights=names), chat
    return None, chat


def telegram_problem(
    config: TelegramConfig, lang: Lang = "id", proxy: str | None = None
) -> tuple[str | None, str]:
    """What is wrong (None: nothing), and when nothing, what was found: the bot's name, the
    group's title, whether it has topics."""
    return asyncio.run(_probe(config, lang, proxy))


async def _administrators(config: TelegramConfig, proxy: str | None) -> list[tuple[int, str]]:
    bot = bot_for(config, proxy)
    async with bot:
        found = await bot.get_chat_administrators(config.admin_chat_id)
        return [(m.user.id, m.user.full_name) for m in found if m.user.id != bot.id]


def administrators_not_staff(
    config: TelegramConfig, staff: set[int], proxy: str | None = None
) -> list[str] | None:
    """The group's administrators who are not in `[[staff]]` ("Name (id)"), None when the
    group cannot be asked. The Bot API cannot list ordinary members: new ones are told to the
    heads as they join (bot/telegram/membership.py)."""
    try:
        found = asyncio.run(_administrators(config, proxy))
    except TelegramError:
        return None
    return [f"{name} ({user_id})" for user_id, name in found if user_id not in staff]
