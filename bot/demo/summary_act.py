"""The demo's summary act: an office that chose minimal disclosure (`[consent] group_view =
"ringkas"`, docs/dpia.md). A client writes; the admin group sees a summary only; Wayan opens the
story in his private chat and answers the client from there (bot.telegram.summary)."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from bot.bootstrap import build
from bot.demo.local_api import LocalBotApi
from bot.demo.local_api.scripted import DemoFailed, Stage
from bot.demo.telegram_act import (
    ADMIN,
    CLIENT,
    GROUP,
    OffsetClock,
    training_settings,
    training_state,
)
from bot.service import loops as service
from triage.texts.catalog import Lang, text

STORY = "anak saya susah tidur dan sering marah-marah sejak ayahnya pergi"


def run_summary_act(data_dir: Path, lang: Lang, console: Console) -> None:
    say = console.print
    with LocalBotApi(training_state()) as api:
        settings = training_settings(api, data_dir, lang)
        quiet = settings.consent.model_copy(update={"group_view": "ringkas", "mask_before": False})
        app = build(settings.model_copy(update={"consent": quiet}), clock=OffsetClock())
        stop = threading.Event()
        loop = threading.Thread(target=service.run_forever, args=(app, stop), daemon=True)
        loop.start()
        try:
            if app.telegram is None or not app.telegram.ready.wait(20):
                raise DemoFailed("the bot did not start polling")
            _play(Stage(api, app), lang, say)
        finally:
            stop.set()
            app.wake.set()
            loop.join(timeout=20)
            app.engine.dispose()


def _play(stage: Stage, lang: Lang, say) -> None:  # noqa: ANN001 - rich's print
    state = stage.state
    say(escape(text("demo.summary.title", lang)))
    state.user_writes(CLIENT, text=f"Selamat siang, saya Rina. {STORY}.")
    stage.wait(lambda: stage.app.telegram.maps.topic(1), "a topic for case #1")  # type: ignore[union-attr]
    hint = text("tg.card_hint_summary", lang).split("<i>")[1][:12]  # "Mode ringkas"
    card = stage.known(stage.post(GROUP, hint, stage.app.telegram.maps.topic(1).thread_id))  # type: ignore[union-attr]
    shown = "\n".join(json.dumps(m, ensure_ascii=False) for m in state.sent(GROUP))
    if "susah tidur" in shown or "Rina" in shown:
        raise DemoFailed("the client's words or name reached the admin group")
    first = card.get("text", "").splitlines()
    say(f"    [dim]Bot → grup admin:[/dim] {escape(' / '.join(first[:2]))}")
    state.user_presses(ADMIN, card, "open:1")
    story = stage.known(stage.post(ADMIN, "susah tidur"))
    say(escape(text("demo.summary.opened", lang)))
    state.user_writes(ADMIN, text="Selamat siang Bu Rina, kami siap membantu.",
                      reply_to=story["message_id"])  # fmt: skip
    answered = stage.post(CLIENT, "kami siap membantu")
    say(f"    [dim]Bot → Rina:[/dim] {escape(answered.get('text', ''))}")
    with stage.app.uows() as uow:
        opened = [e for e in uow.audit.entries(1) if e.action == "content.open"]
    if not opened:
        raise DemoFailed("the opening was not audited")
    say(escape(text("demo.summary.audited", lang, count=len(opened))))
