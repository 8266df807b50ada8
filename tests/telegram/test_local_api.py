"""python-telegram-bot, unchanged, against the local Bot API server."""

import asyncio

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, EndPointNotFound, Forbidden, NetworkError, RetryAfter
from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

from bot.demo.local_api import ApiState, LocalBotApi

GROUP = -1001234567890
CLIENT = 4242


@pytest.fixture
def api():
    state = ApiState()
    state.add_user(CLIENT, "Sari")
    state.add_group(GROUP, "Admin PUSPAGA")
    with LocalBotApi(state) as server:
        yield server


def bot_for(api: LocalBotApi) -> Bot:
    return Bot(api.state.token, base_url=api.base_url, base_file_url=api.base_file_url)


async def test_get_me_send_edit_and_topics(api):
    async with bot_for(api) as bot:
        assert bot.username == "puspaga_local_bot"
        topic = await bot.create_forum_topic(GROUP, "📧 Sari · #1")
        assert topic.message_thread_id == 2 and topic.name == "📧 Sari · #1"
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Ambil", callback_data="c:1")]])
        sent = await bot.send_message(
            GROUP,
            "<b>Halo</b>",
            message_thread_id=2,
            parse_mode=ParseMode.HTML,
            reply_markup=keyboard,
        )
        assert sent.is_topic_message and sent.message_thread_id == 2
        assert sent.reply_markup.inline_keyboard[0][0].callback_data == "c:1"
        edited = await sent.edit_text("Diambil")
        assert edited.text == "Diambil"
        assert await bot.close_forum_topic(GROUP, 2)
        assert await bot.reopen_forum_topic(GROUP, 2)
        assert await bot.pin_chat_message(GROUP, sent.message_id)
        assert await bot.set_my_commands([("bantuan", "Bantuan")])
        chat = await bot.get_chat(GROUP)
        assert chat.is_forum
        member = await bot.get_chat_member(GROUP, bot.id)
        assert member.status == "administrator" and member.can_manage_topics
    assert [c.method for c in api.state.calls][:2] == ["getMe", "createForumTopic"]


async def test_telegram_errors_are_answered_like_telegram(api):
    async with bot_for(api) as bot:
        with pytest.raises(BadRequest, match="(?i)chat not found"):
            await bot.send_message(-999, "x")
        api.state.add_user(777, "Budi", blocked=True)
        with pytest.raises(Forbidden):
            await bot.send_message(777, "x")
        with pytest.raises(BadRequest, match="(?i)parse entities"):
            await bot.send_message(CLIENT, "<script>x</script>", parse_mode=ParseMode.HTML)
        with pytest.raises(BadRequest, match="(?i)parse entities"):
            await bot.send_message(CLIENT, "a < b & c", parse_mode=ParseMode.HTML)
        with pytest.raises(EndPointNotFound):
            await bot.do_api_request("sendHologram", api_kwargs={"chat_id": CLIENT})


async def test_flood_limits_answer_429_with_retry_after(api):
    async with bot_for(api) as bot:
        await bot.send_message(CLIENT, "satu")
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(CLIENT, "dua")  # 1 a second in one chat
        wait = caught.value.retry_after
        assert getattr(wait, "total_seconds", lambda: wait)() >= 1
    assert api.state.flood.refused == 1


def test_group_and_overall_windows():
    from bot.demo.local_api.limits import FloodControl

    flood = FloodControl()
    for second in range(20):  # 20 a minute in one group
        assert flood.check(GROUP, True, float(second * 2)) is None
    assert flood.check(GROUP, True, 40.0) == 20  # the 21st waits until the first is a minute old
    assert flood.check(GROUP, True, 60.0) is None
    overall = FloodControl()
    for chat in range(30):  # 30 a second over all chats
        assert overall.check(chat, False, 0.5) is None
    assert overall.check(99, False, 0.6) == 1


async def test_updates_files_and_buttons_reach_an_application(api):
    app = (
        Application.builder()
        .token(api.state.token)
        .base_url(api.base_url)
        .base_file_url(api.base_file_url)
        .build()
    )
    seen: list = []

    async def on_message(update, context):
        message = update.effective_message
        if message.photo:
            file = await message.photo[-1].get_file()
            seen.append(("photo", bytes(await file.download_as_bytearray())))
        else:
            seen.append(("text", message.text))

    async def on_button(update, context):
        await update.callback_query.answer()
        seen.append(("button", update.callback_query.data))

    app.add_handler(MessageHandler(filters.ALL, on_message))
    app.add_handler(CallbackQueryHandler(on_button))
    await app.initialize()
    await app.start()
    await app.updater.start_polling(poll_interval=0, timeout=1)
    try:
        api.state.user_writes(CLIENT, text="Halo, saya Sari")
        api.state.user_sends_file(CLIENT, "photo", b"\x89PNG fake", "foto.png", "image/png")
        sent = await app.bot.send_message(
            CLIENT,
            "Pilih",
            reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("Ya", callback_data="ya")]]),
        )
        api.state.user_presses(CLIENT, sent.to_dict(), "ya")
        for _ in range(200):
            if len(seen) == 3:
                break
            await asyncio.sleep(0.02)
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
    assert seen == [("text", "Halo, saya Sari"), ("photo", b"\x89PNG fake"), ("button", "ya")]


async def test_a_paused_server_refuses_connections_then_comes_back(api):
    async with bot_for(api) as bot:
        api.pause()
        with pytest.raises(NetworkError):
            await bot.send_message(CLIENT, "halo")
        api.resume()
        sent = await bot.send_message(CLIENT, "halo")
        assert sent.text == "halo"
