"""The Bot API methods the local server answers, each taking the parsed parameters and files.

Only what the product uses; any other method answers 404 like Telegram does for unknown ones.
"""

from __future__ import annotations

import html
import itertools
import json
import re
from collections.abc import Callable
from typing import Any

from bot.demo.local_api.state import JSON, ApiError, ApiState, member_json

Files = dict[str, tuple[str, bytes, str]]  # field name -> (filename, content, mime type)
Method = Callable[[ApiState, JSON, Files], Any]

MAX_TEXT = 4096
TOPIC_COLORS = (7322096, 16766590, 13338331, 9367192, 16749490, 16478047)


def _required(params: JSON, *names: str) -> None:
    for name in names:
        if params.get(name) in (None, ""):
            raise ApiError(400, f"Bad Request: {name} is empty")


def _thread(params: JSON) -> int | None:
    value = params.get("message_thread_id")
    return int(value) if value not in (None, "") else None


def _reply_to(params: JSON) -> int | None:
    reply = params.get("reply_parameters")
    if isinstance(reply, dict):
        return int(reply["message_id"])
    value = params.get("reply_to_message_id")
    return int(value) if value not in (None, "") else None


TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z-]*)(?:\s[^<>]*)?>")
ENTITY = re.compile(r"&(?:amp|lt|gt|quot|#\d+|#x[0-9a-fA-F]+);")
HTML_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "a",
    "code",
    "pre",
    "tg-spoiler",
    "span",
    "blockquote",
}


def _entities_ok(text: str, parse_mode: str | None) -> None:
    """Reject what Telegram rejects in HTML mode (unknown or unbalanced tags, a bare <, > or &),
    so unescaped user text fails loudly in tests as it would in production."""
    if parse_mode != "HTML":
        return
    stack: list[str] = []
    for closing, tag in TAG.findall(text):
        tag = tag.lower()
        if tag not in HTML_TAGS:
            raise ApiError(
                400, f'Bad Request: can\'t parse entities: unsupported start tag "{tag}"'
            )
        if closing:
            if not stack or stack.pop() != tag:
                raise ApiError(400, "Bad Request: can't parse entities: unmatched end tag")
        else:
            stack.append(tag)
    bare = ENTITY.sub("", TAG.sub("", text))
    if stack or any(ch in bare for ch in "<>&"):
        raise ApiError(400, "Bad Request: can't parse entities: unescaped character or open tag")


def _plain(text: str, parse_mode: str | None) -> str:
    """What Telegram stores and shows: the text with the markup applied (tags gone, entities
    decoded). Formatting entities are not reported; nothing we test reads them."""
    if parse_mode != "HTML":
        return text
    return html.unescape(TAG.sub("", text))


def get_me(state: ApiState, params: JSON, files: Files) -> JSON:
    return state.bot_user


def get_updates(state: ApiState, params: JSON, files: Files) -> list[JSON]:
    if state.other_poller:  # another program reads this bot's updates
        raise ApiError(409, "Conflict: terminated by other getUpdates request; make sure that "
                       "only one bot instance is running")  # fmt: skip
    asked = params.get("allowed_updates")
    if asked:  # kept for the calls after, as Telegram does
        state.allowed_updates = list(json.loads(asked) if isinstance(asked, str) else asked)
    return state.take_updates(
        int(params.get("offset") or 0),
        int(params.get("limit") or 100),
        float(params.get("timeout") or 0),
    )


def send_message(state: ApiState, params: JSON, files: Files) -> JSON:
    _required(params, "chat_id", "text")
    text = str(params["text"])
    _entities_ok(text, params.get("parse_mode"))
    if len(_plain(text, params.get("parse_mode"))) > MAX_TEXT:  # counted after parsing
        raise ApiError(400, "Bad Request: message is too long")
    with state.lock:
        return state.bot_sends(
            params["chat_id"],
            thread_id=_thread(params),
            reply_to=_reply_to(params),
            text=_plain(text, params.get("parse_mode")),
            reply_markup=params.get("reply_markup"),
        )


def _send_file(kind: str) -> Method:
    def send(state: ApiState, params: JSON, files: Files) -> JSON:
        _required(params, "chat_id")
        with state.lock:
            if kind in files:
                name, content, mime = files[kind]
                stored = state.store_file(content, name)
            elif isinstance(params.get(kind), str) and params[kind] in state.files:
                stored = state.files[params[kind]]
                name, content, mime = stored.path.rsplit("/", 1)[-1], stored.content, ""
            else:
                raise ApiError(400, f"Bad Request: there is no {kind} in the request")
            base = {
                "file_id": stored.file_id,
                "file_unique_id": stored.unique_id,
                "file_size": len(content),
            }
            media: Any = (
                [{**base, "width": 640, "height": 480}]
                if kind == "photo"
                else {**base, "file_name": name, "mime_type": mime or None}
            )
            return state.bot_sends(
                params["chat_id"],
                thread_id=_thread(params),
                reply_to=_reply_to(params),
                caption=params.get("caption"),
                reply_markup=params.get("reply_markup"),
                **{kind: media},
            )

    return send


def edit_message_text(state: ApiState, params: JSON, files: Files) -> JSON:
    _required(params, "chat_id", "message_id", "text")
    _entities_ok(str(params["text"]), params.get("parse_mode"))
    shown = _plain(str(params["text"]), params.get("parse_mode"))
    with state.lock:
        message = state.message(params["chat_id"], params["message_id"])
        if message.get("text") == shown and message.get("reply_markup") == params.get(
            "reply_markup"
        ):
            raise ApiError(400, "Bad Request: message is not modified")
        message["text"] = shown
        message["edit_date"] = int(state.clock())
        if "reply_markup" in params:
            message["reply_markup"] = params["reply_markup"]
        return dict(message)


def edit_message_reply_markup(state: ApiState, params: JSON, files: Files) -> JSON:
    _required(params, "chat_id", "message_id")
    with state.lock:
        message = state.message(params["chat_id"], params["message_id"])
        message["reply_markup"] = params.get("reply_markup")
        message["edit_date"] = int(state.clock())
        return dict(message)


def answer_callback_query(state: ApiState, params: JSON, files: Files) -> bool:
    _required(params, "callback_query_id")
    if state.stale_callbacks:  # as after a long restart: Telegram forgets queries quickly
        raise ApiError(400, "Bad Request: query is too old and response timeout expired")
    return True


def create_forum_topic(state: ApiState, params: JSON, files: Files) -> JSON:
    _required(params, "chat_id", "name")
    name = str(params["name"])
    if not 1 <= len(name) <= 128:
        raise ApiError(400, "Bad Request: TOPIC_NAME_INVALID")
    with state.lock:
        chat = state.chat(params["chat_id"])
        if not chat.get("is_forum"):
            raise ApiError(400, "Bad Request: the chat is not a forum")
        if state.flood.topics_count:
            wait = state.flood.check(chat["id"], True, state.clock())
            if wait is not None:
                raise ApiError(429, f"Too Many Requests: retry after {wait}", {"retry_after": wait})
        counter = state._thread_ids.setdefault(chat["id"], itertools.count(2))  # 1 is General
        thread_id = next(counter)
        color = int(params.get("icon_color") or TOPIC_COLORS[thread_id % len(TOPIC_COLORS)])
        topic = {"message_thread_id": thread_id, "name": name, "icon_color": color}
        state.topics[(chat["id"], thread_id)] = {**topic, "closed": False}
        state.new_message(
            chat["id"], state.bot_user, forum_topic_created={"name": name, "icon_color": color}
        )
        return topic


def delete_forum_topic(state: ApiState, params: JSON, files: Files) -> bool:
    """deleteForumTopic: the topic and all its messages."""
    _required(params, "chat_id", "message_thread_id")
    chat_id, thread_id = state.chat(params["chat_id"])["id"], int(params["message_thread_id"])
    if (chat_id, thread_id) not in state.topics:
        raise ApiError(400, "Bad Request: TOPIC_ID_INVALID")
    state.delete_topic(chat_id, thread_id, with_messages=True)
    return True


def edit_forum_topic(state: ApiState, params: JSON, files: Files) -> bool:
    """editForumTopic: a new name (1 to 128 characters)."""
    _required(params, "chat_id", "message_thread_id")
    name = str(params.get("name") or "")
    if name and not 1 <= len(name) <= 128:
        raise ApiError(400, "Bad Request: TOPIC_NAME_INVALID")
    with state.lock:
        key = (state.chat(params["chat_id"])["id"], int(params["message_thread_id"]))
        if key not in state.topics:
            raise ApiError(400, "Bad Request: TOPIC_ID_INVALID")
        if not name or state.topics[key]["name"] == name:
            raise ApiError(400, "Bad Request: TOPIC_NOT_MODIFIED")
        state.topics[key]["name"] = name
    return True


def _set_topic_closed(closed: bool) -> Method:
    def toggle(state: ApiState, params: JSON, files: Files) -> bool:
        _required(params, "chat_id", "message_thread_id")
        with state.lock:
            key = (state.chat(params["chat_id"])["id"], int(params["message_thread_id"]))
            if key not in state.topics:
                raise ApiError(400, "Bad Request: TOPIC_ID_INVALID")
            if state.topics[key]["closed"] == closed:
                raise ApiError(400, "Bad Request: TOPIC_NOT_MODIFIED")
            state.topics[key]["closed"] = closed
        return True

    return toggle


def copy_message(state: ApiState, params: JSON, files: Files) -> JSON:
    _required(params, "chat_id", "from_chat_id", "message_id")
    with state.lock:
        original = state.message(params["from_chat_id"], params["message_id"])
        content = {
            k: v
            for k, v in original.items()
            if k in ("text", "caption", "photo", "document", "voice")
        }
        copied = state.bot_sends(params["chat_id"], thread_id=_thread(params), **content)
    return {"message_id": copied["message_id"]}


def forward_message(state: ApiState, params: JSON, files: Files) -> JSON:
    _required(params, "chat_id", "from_chat_id", "message_id")
    with state.lock:
        original = state.message(params["from_chat_id"], params["message_id"])
        content = {
            k: v
            for k, v in original.items()
            if k in ("text", "caption", "photo", "document", "voice")
        }
        origin = {"type": "user", "date": original["date"], "sender_user": original["from"]}
        return state.bot_sends(
            params["chat_id"], thread_id=_thread(params), forward_origin=origin, **content
        )


def get_file(state: ApiState, params: JSON, files: Files) -> JSON:
    _required(params, "file_id")
    stored = state.files.get(str(params["file_id"]))
    if stored is None:
        raise ApiError(400, "Bad Request: invalid file_id")
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.unique_id,
        "file_size": len(stored.content),
        "file_path": stored.path,
    }


def pin_chat_message(state: ApiState, params: JSON, files: Files) -> bool:
    _required(params, "chat_id", "message_id")
    with state.lock:
        message = state.message(params["chat_id"], params["message_id"])
        state.pinned[message["chat"]["id"]] = message["message_id"]
    return True


def set_my_commands(state: ApiState, params: JSON, files: Files) -> bool:
    commands = params.get("commands")
    if not isinstance(commands, list):
        raise ApiError(400, "Bad Request: commands must be a list")
    scope = params.get("scope") or {"type": "default"}
    with state.lock:
        state.commands = commands
        state.command_scopes[json.dumps(scope, sort_keys=True)] = commands
    return True


def get_chat(state: ApiState, params: JSON, files: Files) -> JSON:
    _required(params, "chat_id")
    chat = state.chat(params["chat_id"])
    gifts = {
        "unlimited_gifts": False,
        "limited_gifts": False,
        "unique_gifts": False,
        "premium_subscription": False,
        "gifts_from_channels": False,
    }
    return {**chat, "accent_color_id": 0, "max_reaction_count": 11, "accepted_gift_types": gifts}


def get_chat_member(state: ApiState, params: JSON, files: Files) -> JSON:
    _required(params, "chat_id", "user_id")
    chat = state.chat(params["chat_id"])
    user_id = int(params["user_id"])
    user = state.bot_user if user_id == state.bot_id else state.users.get(user_id)
    if user is None:
        raise ApiError(400, "Bad Request: user not found")
    key = (chat["id"], user_id)
    return member_json(user, state.members.get(key, "left"), state.withheld.get(key, set()))


def get_chat_administrators(state: ApiState, params: JSON, files: Files) -> list[JSON]:
    _required(params, "chat_id")
    chat = state.chat(params["chat_id"])
    found = []
    for (chat_id, user_id), status in sorted(state.members.items()):
        user = state.bot_user if user_id == state.bot_id else state.users.get(user_id)
        if chat_id != chat["id"] or status not in ("administrator", "creator") or user is None:
            continue
        if user["is_bot"] and user_id != state.bot_id:
            continue  # as Telegram: other bots are not listed
        found.append(member_json(user, status, state.withheld.get((chat_id, user_id), set())))
    return found


def delete_webhook(state: ApiState, params: JSON, files: Files) -> bool:
    return True


METHODS: dict[str, Method] = {
    "getme": get_me,
    "getupdates": get_updates,
    "sendmessage": send_message,
    "senddocument": _send_file("document"),
    "sendphoto": _send_file("photo"),
    "editmessagetext": edit_message_text,
    "editmessagereplymarkup": edit_message_reply_markup,
    "answercallbackquery": answer_callback_query,
    "createforumtopic": create_forum_topic,
    "closeforumtopic": _set_topic_closed(True),
    "reopenforumtopic": _set_topic_closed(False),
    "deleteforumtopic": delete_forum_topic,
    "editforumtopic": edit_forum_topic,
    "copymessage": copy_message,
    "forwardmessage": forward_message,
    "getfile": get_file,
    "pinchatmessage": pin_chat_message,
    "setmycommands": set_my_commands,
    "getchat": get_chat,
    "getchatmember": get_chat_member,
    "getchatadministrators": get_chat_administrators,
    "deletewebhook": delete_webhook,
}
