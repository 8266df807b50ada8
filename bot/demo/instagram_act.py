"""The demo's Instagram act: the real Instagram adapter (instagrapi's own requests and parsing)
against the local stand-in for Instagram (bot/demo/local_instagram.py). A mother writes in the inbox
(text and a photo), a stranger's first message waits in the requests and is accepted, our own
earlier reply is recognised as ours; the admin answers through the outbox with direct_send."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import requests_mock
from rich.console import Console
from rich.markup import escape

from bot.bootstrap import build
from bot.config.settings import from_mapping
from bot.demo import local_instagram as ig
from bot.service import loops as service
from triage.domain.model import Actor, Role
from triage.texts.catalog import Lang, text
from triage.usecases import inbox
from triage.usecases.replies import reply_to_client


def run_instagram_act(data_dir: Path, lang: Lang, console: Console, now: datetime) -> None:
    say = console.print
    say(f"\n[bold]{escape(text('demo.ig.title', lang))}[/bold]")
    settings = from_mapping(
        {
            "language": lang,
            "data_dir": str(data_dir),
            "office": {"name": "PUSPAGA Kabupaten Contoh"},
            "instagram": {"username": "puspaga.contoh", "password": "contoh"},
        },
        environ={},
    )
    app = build(settings)
    vault, source, _ = app.instagram_codes
    source.session.new_client = ig.offline_client
    source.clock = lambda: now
    vault.save_session(ig.stored_session(source.session.sealer.seal))
    t = int(now.timestamp())
    mother = ig.thread(
        ig.THREAD,
        [
            ig.item(3000004, ig.ME, t - 60, text="Halo Kak, ada yang bisa kami bantu?"),
            ig.item(
                3000003,
                ig.CLIENT_PK,
                t - 120,
                "media",
                media={
                    "id": "1",
                    "media_type": 1,
                    "image_versions2": {
                        "candidates": [{"url": ig.PHOTO_URL, "width": 640, "height": 640}]
                    },
                },
            ),  # fmt: skip
            ig.item(3000002, ig.CLIENT_PK, t - 180, text="Kak, anak saya 3 th susah makan"),
        ],
        (ig.CLIENT_PK, "wulan.contoh", "Wulan"),
    )
    stranger = ig.thread(
        ig.PENDING,
        [ig.item(3000010, 77, t - 30, text="Permisi, konseling pranikah bayar tidak?")],
        (77, "dimas.contoh", "Dimas"),
        pending=True,
    )
    with requests_mock.Mocker() as mock:
        ig.serve(mock, inbox=[mother], pending=[stranger])
        ig.accept_sends(mock)
        taken = sum(service.poll_all(app).values())
        again = sum(service.poll_all(app).values())
        say(escape(text("demo.ig.taken", lang, count=taken, again=again)))
        for view in inbox.snapshot(app.uows):
            for m in view.messages:
                files = f" (+{m.attachments[0].filename})" if m.attachments else ""
                say(escape(f"  📷 {view.client_name}: {m.text}{files}"))
        dimas = next(v for v in inbox.snapshot(app.uows) if v.client_name == "Dimas")
        reply_to_client(
            dimas.conversation.id,
            "Halo Kak Dimas, konseling pranikah di PUSPAGA gratis.",
            actor=Actor(1001, Role.ADMIN, "Wayan"),
            idempotency_key="demo-ig:1",
            uow_factory=app.uows,
            now=now,
        )
        sent = service.dispatch(app).sent
        calls = [r for r in mock.request_history if r.url.endswith("broadcast/text/")]
    approved = any(r.url.endswith("/approve/") for r in mock.request_history)
    yes_no = ("ya", "tidak") if lang == "id" else ("yes", "no")
    answer = yes_no[0] if approved else yes_no[1]
    say(escape(text("demo.ig.sent", lang, sent=sent, calls=len(calls), approved=answer)))
