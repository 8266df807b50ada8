"""The demo's setup act: `puspaga setup` as an office runs it, in its own process, its questions
answered on stdin; the people in Telegram (the local Bot API server) send /daftar_grup in the
staff group and /saya to the bot; it ends with `check` on the files it wrote."""

from __future__ import annotations

import os
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from bot.demo.local_api import LocalBotApi
from bot.demo.telegram_act import ADMIN, GROUP, HEAD, MADE, NYOMAN, training_state
from bot.demo.terminal import Terminal
from triage.texts.catalog import Lang, text

ANSWERS = (
    ("setup.ask.office", "PUSPAGA Kabupaten Contoh"),
    ("setup.ask.zone", "WITA"),
    ("setup.ask.hours.mon", "08.00-12.00, 13.00-16.00"),  # as offices write it
    ("setup.ask.hours.fri", ""),  # "" takes the default shown
    ("setup.ask.hours.sat", ""),
    ("setup.ask.hours.sun", ""),
    ("setup.ask.phone", "+62 361 000000"),
    ("setup.ask.address", "Jl. Contoh No. 1"),
    ("setup.ask.email", ""),  # email, Instagram, WhatsApp, Messenger: added later
    ("setup.ask.instagram", ""),
    ("setup.ask.instagram_graph", ""),
    ("setup.ask.whatsapp", ""),
    ("setup.ask.messenger", ""),
    ("setup.ask.data_dir", ""),
)


def run_setup_act(data_dir: Path, lang: Lang, console: Console) -> None:
    say = console.print
    say(f"\n[bold]{escape(text('demo.setup.title', lang))}[/bold]")
    state = training_state()
    config = data_dir / "config.toml"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PUSPAGA_")}
    # the token pasted from @BotFather: given the way automation gives it, so that no terminal
    # is needed to hide it
    env["PUSPAGA_TELEGRAM_TOKEN"] = state.token
    with LocalBotApi(state) as api:
        args = ["setup", "--config", str(config), "--telegram-url", api.base_url, "--lang", lang]
        term = Terminal(args, env)
        term.expect("/daftar_grup …")
        state.user_writes(ADMIN, GROUP, "/daftar_grup")
        _answer(term, text("setup.ask.group_right", lang, title="Admin PUSPAGA", id=GROUP), "y")
        term.expect(text("setup.ask.all_here", lang))
        people = {user["id"]: user["first_name"] for user in state.users.values()}
        for person in (ADMIN, MADE, NYOMAN, HEAD):
            state.user_writes(person, None, "/saya")
            term.expect(f"{people[person]} (")
        term.type("")
        for person, role in ((ADMIN, "a"), (MADE, "k"), (NYOMAN, "k"), (HEAD, "e")):
            _answer(term, text("setup.ask.role", lang, name=people[person], id=person), role)
        for question, answer in ANSWERS:
            _answer(term, text(question, lang), answer)
        code = term.finish()
    say(escape(term.transcript.strip()), highlight=False)
    say(escape(text("demo.setup.done" if code == 0 else "demo.setup.failed", lang, path=config)))


def _answer(term: Terminal, question: str, answer: str) -> None:
    term.expect(question)
    term.expect(": ")  # the end of the prompt: the answer shows after it in the transcript
    term.type(answer)
