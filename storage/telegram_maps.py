"""Where conversations live on the staff side of Telegram: topics, posts, selected cases.

Plain lookups for the Telegram shell; each call is its own short transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from storage.tables import CursorRow, StaffFocusRow, TelegramPostRow, TelegramTopicRow

topic_t = TelegramTopicRow.__table__
post_t = TelegramPostRow.__table__
focus_t = StaffFocusRow.__table__
cursor_t = CursorRow.__table__


@dataclass(frozen=True)
class Topic:
    conversation_id: int
    chat_id: int
    thread_id: int | None  # None: a plain group, replies go under header_message_id
    header_message_id: int | None
    closed: bool


class TelegramMaps:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # --- topics -----------------------------------------------------------------------------

    def topic(self, conv_id: int) -> Topic | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(topic_t).where(topic_t.c.conversation_id == conv_id)).first()
        return Topic(**row._mapping) if row else None

    def conversation_of_thread(self, chat_id: int, thread_id: int) -> int | None:
        query = select(topic_t.c.conversation_id).where(
            topic_t.c.chat_id == chat_id, topic_t.c.thread_id == thread_id
        )
        with self.engine.connect() as conn:
            return conn.execute(query).scalar_one_or_none()

    def save_topic(self, topic: Topic) -> None:
        values = {
            "chat_id": topic.chat_id,
            "thread_id": topic.thread_id,
            "header_message_id": topic.header_message_id,
            "closed": topic.closed,
        }
        with self.engine.begin() as conn:
            changed = conn.execute(
                update(topic_t)
                .where(topic_t.c.conversation_id == topic.conversation_id)
                .values(**values)
            ).rowcount
            if not changed:
                conn.execute(
                    insert(topic_t).values(conversation_id=topic.conversation_id, **values)
                )

    def forget_topic(self, conv_id: int) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(topic_t).where(topic_t.c.conversation_id == conv_id))

    # --- posts ------------------------------------------------------------------------------

    def remember_post(self, chat_id: int, message_id: int, conv_id: int) -> None:
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    insert(post_t).values(
                        chat_id=chat_id, message_id=message_id, conversation_id=conv_id
                    )
                )
        except IntegrityError:
            pass  # remembered already (an interrupted send recorded twice)

    def conversation_of_post(self, chat_id: int, message_id: int) -> int | None:
        query = select(post_t.c.conversation_id).where(
            post_t.c.chat_id == chat_id, post_t.c.message_id == message_id
        )
        with self.engine.connect() as conn:
            return conn.execute(query).scalar_one_or_none()

    # --- a counselor's selected case --------------------------------------------------------

    def focus(self, staff_id: int) -> int | None:
        query = select(focus_t.c.conversation_id).where(focus_t.c.staff_id == staff_id)
        with self.engine.connect() as conn:
            return conn.execute(query).scalar_one_or_none()

    def set_focus(self, staff_id: int, conv_id: int) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(focus_t).where(focus_t.c.staff_id == staff_id))
            conn.execute(insert(focus_t).values(staff_id=staff_id, conversation_id=conv_id))

    # --- the queue board's pinned post ---------------------------------------------------------

    def board(self, chat_id: int) -> int | None:
        query = select(cursor_t.c.value).where(cursor_t.c.key == f"telegram:board:{chat_id}")
        with self.engine.connect() as conn:
            value = conn.execute(query).scalar_one_or_none()
        return int(value) if value else None

    def save_board(self, chat_id: int, message_id: int) -> None:
        key = f"telegram:board:{chat_id}"
        with self.engine.begin() as conn:
            conn.execute(delete(cursor_t).where(cursor_t.c.key == key))
            conn.execute(insert(cursor_t).values(key=key, value=str(message_id)))
