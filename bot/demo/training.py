"""`puspaga latihan`: a Telegram of one's own for staff training and for trying the setup, with
no account and no internet. The local Bot API server runs with a made-up office (the bot is
already an administrator of a forum group "Admin PUSPAGA"; the staff and some clients exist);
the trainee types what each person writes and sees what the bot sends. `puspaga setup
--telegram-url …` and `puspaga run` are pointed at it like at Telegram."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable

from bot.demo.local_api import ApiError, ApiState, LocalBotApi
from bot.demo.telegram_act import GROUP, training_state
from triage.texts.catalog import Lang, text

# "rina: halo" (Rina to the bot in private), "wayan@grup: /daftar_grup" (in the group),
# "wayan@grup#3: Baik Ibu" (in the group's topic 3)
LINE = re.compile(
    r"^\s*(?P<who>[^\W\d_][\w ]*?)\s*(?P<group>@grup(?:#(?P<topic>\d+))?)?\s*:\s*(?P<said>.+)$"
)
PRESS = re.compile(r"^\s*(?P<who>[^\W\d_][\w ]*?)\s+(?:klik|tekan|press)\s+(?P<data>\S+)\s*$")


class Training:
    def __init__(self, state: ApiState, lang: Lang, say: Callable[[str], None]) -> None:
        self.state = state
        self.lang = lang
        self.say = say
        self.shown: set[tuple[int, int]] = set()

    def people(self) -> dict[str, int]:
        """First names, lower case, to Telegram ids."""
        return {u["first_name"].lower(): uid for uid, u in self.state.users.items()}

    def act(self, line: str) -> None:
        """One line the trainee typed: a person writes or presses a button."""
        t = self.lang
        if line.strip().lower() in ("orang", "people"):
            for name, uid in sorted(self.people().items()):
                self.say(text("training.person", t, name=name, id=uid))
            return
        if pressed := PRESS.match(line):
            self._press(pressed["who"].lower(), pressed["data"])
            return
        found = LINE.match(line)
        if found is None:
            self.say(text("training.unknown", t))
            return
        who = self.people().get(found["who"].lower())
        if who is None:
            self.say(text("training.nobody", t, name=found["who"]))
            return
        chat = GROUP if found["group"] else None
        thread = int(found["topic"]) if found["topic"] else None
        try:
            said = found["said"].replace("\\n", "\n")  # "\n" typed: a new line in the message
            self.state.user_writes(who, chat, said, thread_id=thread)
        except ApiError as exc:  # a topic that does not exist
            self.say(text("training.refused", t, why=exc.description))

    def _press(self, name: str, data: str) -> None:
        who = self.people().get(name)
        if who is None:
            self.say(text("training.nobody", self.lang, name=name))
            return
        for chat in (who, GROUP):
            if (message := self.state.with_button(chat, data)) is not None:
                self.state.user_presses(who, message, data)
                return
        self.say(text("training.no_button", self.lang, data=data))

    def show_new(self) -> None:
        """What the bot sent since the last look, oldest first."""
        with self.state.lock:
            fresh = [
                m
                for (chat, number), m in sorted(self.state.messages.items())
                if m["from"]["id"] == self.state.bot_id and (chat, number) not in self.shown
            ]
            for m in fresh:
                self.shown.add((m["chat"]["id"], m["message_id"]))
        for message in sorted(fresh, key=lambda m: (m["date"], m["message_id"])):
            self.say(self._shown(message))

    def _shown(self, message: dict) -> str:
        chat = message["chat"]
        if chat["type"] == "private":
            where = self.state.users[chat["id"]]["first_name"]
        else:
            thread = message.get("message_thread_id")
            where = "grup" if thread is None else f"grup#{thread}"
        body = message.get("text") or message.get("caption") or "[berkas]"
        rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
        buttons = [f"{b['text']}={b['callback_data']}" for row in rows for b in row
                   if "callback_data" in b]  # fmt: skip
        extra = f"\n    [{text('training.buttons', self.lang)}: {', '.join(buttons)}]"
        return f"🤖 → {where}: {body}" + (extra if buttons else "")


def run_training(
    port: int, lang: Lang, say: Callable[[str], None], read: Callable[[], str]
) -> None:
    """Serve until the trainee types `keluar` (or the input ends)."""
    state = training_state()
    with LocalBotApi(state, port=port) as api:
        session = Training(state, lang, say)
        say(text("training.started", lang, url=api.base_url, token=state.token))
        stop = threading.Event()

        def watch() -> None:
            while not stop.wait(0.3):
                session.show_new()

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        try:
            while True:
                try:
                    line = read()
                except EOFError:
                    break
                if line.strip().lower() in ("keluar", "exit", "quit"):
                    break
                if line.strip():
                    session.act(line)
        finally:
            stop.set()
            watcher.join()
            session.show_new()
