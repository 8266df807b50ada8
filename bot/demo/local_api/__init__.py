"""A local Telegram Bot API server: python-telegram-bot runs against it unchanged (`base_url`).

For the demo, staff training and the tests: no Telegram server is reachable from our machines.
It speaks the real API's wire format (form-encoded and multipart requests, `{"ok": …}` replies),
keeps chats, forum topics, messages and files in memory, enforces Telegram's flood limits with
429 + retry_after, lets a test or the demo act as any user, and records every call.
"""

from bot.demo.local_api.server import LocalBotApi
from bot.demo.local_api.state import ApiError, ApiState

__all__ = ["ApiError", "ApiState", "LocalBotApi"]
