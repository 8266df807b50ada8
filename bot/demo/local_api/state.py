"""What the local Bot API server knows: users, chats, forum topics, messages, files, updates.

Dicts shaped like the Bot API's objects, so python-telegram-bot parses them unchanged. One lock
guards everything; `getUpdates` waits on a condition of that lock.
"""

from __future__ import annotations

import itertools
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.demo.local_api.limits import FloodControl

JSON = dict[str, Any]


class ApiError(Exception):
    """An error answer: {"ok": false, "error_code": code, "description": …}."""

    def __init__(self, code: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters


ADMIN_RIGHTS = (
    "can_manage_chat", "can_delete_messages", "can_manage_video_chats", "can_restrict_members",
    "can_promote_members", "can_change_info", "can_invite_users", "can_post_stories",
    "can_edit_stories", "can_delete_stories", "can_pin_messages", "can_manage_topics",
)  # fmt: skip
SEND_RIGHTS = (
    "can_send_messages", "can_send_audios", "can_send_documents", "can_send_photos",
    "can_send_videos", "can_send_video_notes", "can_send_voice_notes", "can_send_polls",
    "can_send_other_messages", "can_add_web_page_previews", "can_change_info",
    "can_invite_users", "can_pin_messages", "can_manage_topics", "can_edit_tag",
    "can_react_to_messages",
)  # fmt: skip


def member_json(user: JSON, status: str, withheld: set[str] | frozenset[str] = frozenset()) -> JSON:
    """A ChatMember in the shape the Bot API gives for each status (python-telegram-bot
    refuses one without its status's fields); an administrator has every right but those
    `withheld`."""
    found: JSON = {"status": status, "user": user}
    if status == "creator":
        found["is_anonymous"] = False
    elif status == "administrator":
        found.update({right: right not in withheld for right in ADMIN_RIGHTS})
        found.update(can_be_edited=False, is_anonymous=False)
    elif status == "restricted":
        found.update(dict.fromkeys(SEND_RIGHTS, False), is_member=True, until_date=0)
    elif status == "kicked":
        found["until_date"] = 0
    return found


@dataclass
class StoredFile:
    file_id: str
    unique_id: str
    content: bytes
    path: str


@dataclass
class Call:
    method: str
    params: JSON
    at: float


@dataclass
class ApiState:
    bot_id: int = 7000000001
    bot_username: str = "puspaga_local_bot"
    token: str = "7000000001:LOCAL-TEST-TOKEN"  # noqa: S105 - the local server's own, not a secret
    clock: Callable[[], float] = time.time
    flood: FloodControl = field(default_factory=FloodControl)
    users: dict[int, JSON] = field(default_factory=dict)
    chats: dict[int, JSON] = field(default_factory=dict)
    members: dict[tuple[int, int], str] = field(default_factory=dict)  # (chat, user) -> status
    # an administrator's rights turned off in a chat, e.g. {(group, bot): {"can_pin_messages"}}
    withheld: dict[tuple[int, int], set[str]] = field(default_factory=dict)
    allowed_updates: list[str] = field(default_factory=list)  # the bot's last getUpdates ask
    messages: dict[tuple[int, int], JSON] = field(default_factory=dict)
    topics: dict[tuple[int, int], JSON] = field(default_factory=dict)
    pinned: dict[int, int] = field(default_factory=dict)
    commands: list[JSON] = field(default_factory=list)  # the last set, any scope
    command_scopes: dict[str, list[JSON]] = field(default_factory=dict)  # scope JSON -> commands
    files: dict[str, StoredFile] = field(default_factory=dict)
    updates: list[JSON] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    blocked: set[int] = field(default_factory=set)  # users who blocked or never started the bot
    stale_callbacks: bool = False  # answerCallbackQuery fails as for a query too old
    failing: int | None = None  # every call answered with this HTTP status (502: a bad gateway)
    storming: int | None = None  # every send answered 429 with this retry_after (a flood wait)
    stormed: list[tuple[str, float]] = field(default_factory=list)  # (chat, monotonic) refused
    failed_calls: int = 0  # calls answered so
    other_poller: bool = False  # getUpdates answered 409, as when another program polls
    # a basic group upgraded to a supergroup (turning Topics on does it): old id -> new id
    migrated: dict[int, int] = field(default_factory=dict)
    lock: threading.Condition = field(default_factory=threading.Condition)
    _message_ids: dict[int, itertools.count] = field(default_factory=dict)
    _thread_ids: dict[int, itertools.count] = field(default_factory=dict)
    _update_ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _poll_turn: int = 0  # the latest getUpdates; an older one still waiting is refused
    _callback_ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    # --- people and chats -------------------------------------------------------------------

    @property
    def bot_user(self) -> JSON:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "Puspaga Inbox",
            "username": self.bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": True,
            "supports_inline_queries": False,
        }

    def add_user(
        self,
        user_id: int,
        first_name: str,
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str = "id",
        blocked: bool = False,
    ) -> JSON:
        user = {
            "id": user_id,
            "is_bot": False,
            "first_name": first_name,
            "language_code": language_code,
        }
        if last_name:
            user["last_name"] = last_name
        if username:
            user["username"] = username
        with self.lock:
            self.users[user_id] = user
            self.chats.setdefault(
                user_id, {"id": user_id, "type": "private", "first_name": first_name}
            )
            if blocked:
                self.blocked.add(user_id)
        return user

    def add_group(
        self, chat_id: int, title: str, *, forum: bool = True, members: dict[int, str] | None = None
    ) -> JSON:
        """A supergroup (a forum when `forum`); the bot is an administrator in it."""
        chat = {"id": chat_id, "type": "supergroup", "title": title}
        if forum:
            chat["is_forum"] = True
        with self.lock:
            self.chats[chat_id] = chat
            self.members[(chat_id, self.bot_id)] = "administrator"
            for user_id, status in (members or {}).items():
                self.members[(chat_id, user_id)] = status
        return chat

    def chat(self, chat_id: Any) -> JSON:
        moved = self.migrated.get(int(chat_id)) if str(chat_id).lstrip("-").isdigit() else None
        if moved is not None:
            raise ApiError(400, "Bad Request: group chat was upgraded to a supergroup chat",
                           {"migrate_to_chat_id": moved})  # fmt: skip
        try:
            return self.chats[int(chat_id)]
        except (KeyError, TypeError, ValueError):
            raise ApiError(400, "Bad Request: chat not found") from None

    # --- messages ---------------------------------------------------------------------------

    def _next_message_id(self, chat_id: int) -> int:
        return next(self._message_ids.setdefault(chat_id, itertools.count(1)))

    def new_message(
        self,
        chat_id: int,
        sender: JSON,
        *,
        thread_id: int | None = None,
        reply_to: int | None = None,
        **content: Any,
    ) -> JSON:
        """Store a message in a chat (caller holds the lock) and return it."""
        chat = self.chat(chat_id)
        message: JSON = {
            "message_id": self._next_message_id(chat_id),
            "date": int(self.clock()),
            "chat": dict(chat),
            "from": sender,
        }
        if thread_id is not None:
            if chat.get("is_forum") and (chat_id, thread_id) not in self.topics:
                raise ApiError(400, "Bad Request: message thread not found")
            message["message_thread_id"] = thread_id
            message["is_topic_message"] = True
        if reply_to is not None:
            original = self.messages.get((chat_id, reply_to))
            if original is None:
                raise ApiError(400, "Bad Request: message to be replied not found")
            message["reply_to_message"] = dict(original)
        message.update({k: v for k, v in content.items() if v is not None})
        self.messages[(chat_id, message["message_id"])] = message
        return message

    def bot_sends(self, chat_id: Any, **kwargs: Any) -> JSON:
        """A message the bot sends: flood limits apply, the chat must exist and accept it."""
        chat = self.chat(chat_id)
        if chat["id"] in self.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        wait = self.flood.check(chat["id"], chat["type"] != "private", self.clock())
        if wait is not None:
            raise ApiError(429, f"Too Many Requests: retry after {wait}", {"retry_after": wait})
        return self.new_message(chat["id"], self.bot_user, **kwargs)

    def message(self, chat_id: Any, message_id: Any) -> JSON:
        found = self.messages.get((int(self.chat(chat_id)["id"]), int(message_id)))
        if found is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        return found

    # --- files ------------------------------------------------------------------------------

    def store_file(self, content: bytes, filename: str) -> StoredFile:
        file_id = "F" + secrets.token_hex(12)
        # like Telegram's "documents/file_12.pdf": the sender's file name is not in the path
        suffix = "".join(ch for ch in Path(filename).suffix if ch.isalnum() or ch == ".")[:10]
        stored = StoredFile(file_id, "U" + file_id[1:9], content, f"files/{file_id}{suffix}")
        self.files[file_id] = stored
        return stored

    # --- updates ----------------------------------------------------------------------------

    def push_update(self, **payload: Any) -> JSON:
        with self.lock:
            update = {"update_id": next(self._update_ids), **payload}
            self.updates.append(update)
            self.lock.notify_all()
        return update

    def take_updates(self, offset: int, limit: int, timeout: float) -> list[JSON]:
        """getUpdates: forget everything before `offset`, wait up to `timeout` for news."""
        deadline = time.monotonic() + max(0.0, timeout)
        with self.lock:
            # as Telegram: a getUpdates ends the one still waiting with 409 (two programs
            # polling one bot, e.g. `puspaga setup` beside a running service)
            self._poll_turn += 1
            mine = self._poll_turn
            self.lock.notify_all()
            while True:
                if mine != self._poll_turn:
                    raise ApiError(409, "Conflict: terminated by other getUpdates request; "
                                   "make sure that only one bot instance is running")  # fmt: skip
                self.updates = [u for u in self.updates if u["update_id"] >= offset]
                if self.updates:
                    return list(self.updates[:limit])
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return []
                self.lock.wait(remaining)

    # --- acting as a person (tests, demo, staff training) -----------------------------------

    def user_joins(self, chat_id: int, user_id: int, *, by: int | None = None) -> None:
        """A user joins a group (or `by` adds them)."""
        self.member_becomes(chat_id, user_id, "member", by=by)

    def member_becomes(
        self, chat_id: int, user_id: int, status: str, *, by: int | None = None
    ) -> None:
        """A user's standing in a group changes (joins, is promoted, leaves, is banned). Like
        Telegram, a `chat_member` update goes only to a bot that administers the group and
        asked for such updates."""
        with self.lock:
            chat, user = self.chats[chat_id], self.users[user_id]
            was = self.members.get((chat_id, user_id), "left")
            self.members[(chat_id, user_id)] = status
            told = "chat_member" in self.allowed_updates
            admin = self.members.get((chat_id, self.bot_id)) in ("administrator", "creator")
        if not (told and admin):
            return
        self.push_update(
            chat_member={
                "chat": dict(chat),
                "from": dict(self.users[by] if by is not None else user),
                "date": int(time.time()),
                "old_chat_member": member_json(dict(user), was),
                "new_chat_member": member_json(dict(user), status),
            }
        )

    def user_writes(
        self,
        user_id: int,
        chat_id: int | None = None,
        text: str | None = None,
        *,
        thread_id: int | None = None,
        reply_to: int | None = None,
        **content: Any,
    ) -> JSON:
        """A user posts in a chat (their private chat with the bot by default)."""
        chat_id = user_id if chat_id is None else chat_id
        with self.lock:
            sender = self.users[user_id]
            message = self.new_message(
                chat_id, sender, thread_id=thread_id, reply_to=reply_to, text=text, **content
            )
        self.push_update(message=message)
        return message

    def user_edits(self, message: JSON, new_text: str) -> JSON:
        """The author changes a message they sent: an `edited_message` update."""
        with self.lock:
            stored = self.messages[(message["chat"]["id"], message["message_id"])]
            stored["text"] = new_text
            stored["edit_date"] = int(self.clock())
            edited = dict(stored)
        self.push_update(edited_message=edited)
        return edited

    def delete_topic(self, chat_id: int, thread_id: int, *, with_messages: bool = False) -> None:
        """An admin deletes a forum topic: later sends to it fail as on Telegram. The Bot API's
        deleteForumTopic also deletes its messages (`with_messages`)."""
        with self.lock:
            self.topics.pop((chat_id, thread_id), None)
            if with_messages:
                inside = [
                    k for k, m in self.messages.items()
                    if k[0] == chat_id and m.get("message_thread_id") == thread_id
                ]  # fmt: skip
                for key in inside:
                    del self.messages[key]

    def user_sends_file(
        self,
        user_id: int,
        kind: str,
        content: bytes,
        filename: str,
        mime_type: str,
        chat_id: int | None = None,
        caption: str | None = None,
        thread_id: int | None = None,
    ) -> JSON:
        """kind: photo, document or voice."""
        with self.lock:
            stored = self.store_file(content, filename)
        base = {
            "file_id": stored.file_id,
            "file_unique_id": stored.unique_id,
            "file_size": len(content),
        }
        if kind == "photo":
            media: Any = [{**base, "width": 640, "height": 480}]
        elif kind == "voice":
            media = {**base, "duration": 3, "mime_type": mime_type}
        else:
            media = {**base, "file_name": filename, "mime_type": mime_type}
        return self.user_writes(
            user_id, chat_id, None, thread_id=thread_id, caption=caption, **{kind: media}
        )

    def user_presses(self, user_id: int, message: JSON, data: str) -> JSON:
        """A user taps an inline button (callback_data `data`) under `message`."""
        with self.lock:
            query = {
                "id": str(next(self._callback_ids)),
                "from": self.users[user_id],
                "chat_instance": str(message["chat"]["id"]),
                "data": data,
                "message": self.messages[(message["chat"]["id"], message["message_id"])],
            }
        return self.push_update(callback_query=query)

    # --- what happened ----------------------------------------------------------------------

    def record(self, method: str, params: JSON) -> None:
        with self.lock:
            self.calls.append(Call(method, params, self.clock()))
            self.lock.notify_all()

    def sent(self, chat_id: int | None = None, *, thread_id: int | None = None) -> list[JSON]:
        """Messages from the bot, oldest first, optionally in one chat or topic."""
        with self.lock:
            found = [m for m in self.messages.values() if m["from"]["id"] == self.bot_id]
        if chat_id is not None:
            found = [m for m in found if m["chat"]["id"] == chat_id]
        if thread_id is not None:
            found = [m for m in found if m.get("message_thread_id") == thread_id]
        return found  # dicts keep insertion order: oldest first

    def with_button(self, chat_id: int, data: str) -> JSON | None:
        """The bot's latest message in a chat that carries a button with this callback data."""
        for message in reversed(self.sent(chat_id)):
            rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
            if any(b.get("callback_data") == data for row in rows for b in row):
                return message
        return None

    def wait_until(self, condition: Callable[[], bool], timeout: float = 10.0) -> bool:
        deadline = time.monotonic() + timeout
        with self.lock:
            while not condition():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self.lock.wait(min(remaining, 0.1))
        return True
