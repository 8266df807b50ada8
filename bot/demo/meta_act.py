"""The demo's Meta act: the real webhook receiver, drains and senders of `puspaga run` against
the local Graph API stand-in (bot/demo/local_graph.py), which posts Meta's signed webhooks.
On WhatsApp a client writes (twice the same post, as Meta retries), a forged post is refused,
the admin's reply goes out through the Graph API; a reply after the 24-hour window gets the
office's template and a notice to staff instead. On the office's Facebook Page and Instagram
account (Meta's Messaging API) clients write, one with a photo; the replies go back the same
way, one three days late with the HUMAN_AGENT tag."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from bot.bootstrap import build
from bot.config.settings import from_mapping
from bot.demo.local_graph import LocalGraph, Meta
from bot.service import loops as service
from triage.domain.model import Actor, Role
from triage.texts.catalog import Lang, text
from triage.usecases import casework, inbox
from triage.usecases.replies import reply_to_client

SECRET = "app-secret-demo"  # noqa: S105 - the stand-in's own
TOKEN = "verify-token-demo-0000"  # noqa: S105
FORGER = "not-meta-s-secret"  # noqa: S105 - what a forger signs with
ADMIN = Actor(1001, Role.ADMIN, "Wayan")
COUNSELOR = Actor(2001, Role.COUNSELOR, "Made")


def run_meta_act(data_dir: Path, lang: Lang, console: Console, now: datetime) -> None:
    say = console.print
    say(f"\n[bold]{escape(text('demo.wa.title', lang))}[/bold]")
    with LocalGraph() as graph:
        moment = [now]  # the act's clock: the counselor answers a few minutes later
        graph.state.clock = lambda: moment[0]
        graph.state.human_agent = True  # as if Meta's app review granted it
        common = {"access_token": graph.state.token, "graph_url": graph.base_url}
        settings = from_mapping(
            {
                "language": lang,
                "data_dir": str(data_dir),
                "office": {"name": "PUSPAGA Kabupaten Contoh", "after_hours_reply": False},
                "webhook": {"port": 8787, "verify_token": TOKEN, "app_secret": SECRET},
                "whatsapp": {
                    "phone_number_id": graph.state.number_id,
                    "reopen_template": "puspaga_tulis_lagi",
                    **common,
                },
                "messenger": {"page_id": graph.state.page_id, "human_agent": True, **common},
                "instagram": {
                    "mode": "graph",
                    "account_id": graph.state.ig_id,
                    **common,
                    "access_token": graph.state.ig_token,
                },
            },
            environ={},
        )
        app = build(settings, clock=lambda: moment[0])
        server = next(w for w in app.watchers if w.name == "webhook")
        server.port = 0  # any free port: the demo may run beside a real service
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        server.ready.wait(10)
        meta = Meta(f"http://127.0.0.1:{server.bound}/meta", SECRET)
        try:
            _play(app, graph, meta, now, lang, say)
            _messaging(app, graph.state, meta, moment, lang, say)
        finally:
            server.halt()
            thread.join(5)


def _play(app, graph, meta: Meta, now: datetime, lang: Lang, say) -> None:  # noqa: ANN001
    state = graph.state
    first = state.client_writes(
        "6281234500001", "Rina", "Kak, saya mau tanya soal anak remaja saya"
    )
    answers = [meta.post(first), meta.post(first)]  # Meta's retry: the same bytes again
    forged = meta.post(state.client_writes("6281234500009", "Palsu", "pesan palsu"),
                       secret=FORGER)  # fmt: skip
    old = now - timedelta(hours=30)
    late = state.client_writes("6281234500002", "Dewi", "halo, masih buka?", at=old)
    answers.append(meta.post(late))
    taken = sum(service.poll_all(app).values())
    say(escape(text("demo.wa.taken", lang, answers=", ".join(map(str, answers)),
                    forged=forged, count=taken)))  # fmt: skip
    views = {v.client_name: v for v in inbox.snapshot(app.uows)}
    for name, view in views.items():
        for m in view.messages:
            say(escape(f"  🟢 {name}: {m.text}"))
    for n, (name, words) in enumerate(
        [("Rina", "Halo Kak Rina, boleh ceritakan usia anaknya?"),
         ("Dewi", "Maaf baru membalas, Kak Dewi. Kami buka Senin–Jumat.")]
    ):  # fmt: skip
        reply_to_client(views[name].conversation.id, words, actor=ADMIN,
                        idempotency_key=f"demo-wa:{n}", uow_factory=app.uows, now=now)  # fmt: skip
    report = service.dispatch(app)
    rina, dewi = state.texts_to("6281234500001"), state.texts_to("6281234500002")
    say(escape(text("demo.wa.sent", lang, sent=len(rina), failed=report.failed,
                    template=", ".join(state.templates_to("6281234500002")) or "-",
                    late=len(dewi))))  # fmt: skip


def _messaging(app, state, meta: Meta, moment: list[datetime], lang: Lang, say) -> None:  # noqa: ANN001
    """Messenger and Instagram: two clients write (one with a photo, one three days ago), the
    admin answers both; the late answer goes with the HUMAN_AGENT tag; the Instagram case goes
    to the counselor, who answers there."""
    now = moment[0]
    photo = ("image", b"\xff\xd8\xff\xe0 foto", "bukti.jpg")
    posts = [
        state.person_writes("24871100000000001", "Kak, mau tanya layanan konseling pranikah",
                            name="Putu Ayu", at=now - timedelta(days=3)),
        state.person_writes("17850000000000002", "ini foto suratnya kak", instagram=True,
                            files=(photo,), name="Kadek Sari"),
    ]  # fmt: skip
    answers = [meta.post(post) for post in posts]
    taken = sum(service.poll_all(app).values())
    views = {v.client_name: v for v in inbox.snapshot(app.uows)}
    for name in ("Putu Ayu", "Kadek Sari"):
        icon = "🔵" if name == "Putu Ayu" else "📸"
        for m in views[name].messages:
            files = ", ".join(a.filename for a in m.attachments) if m.attachments else ""
            say(escape(f"  {icon} {name}: {m.text}" + (f" ({files})" if files else "")))
    for n, (name, words) in enumerate(
        [("Putu Ayu", "Maaf baru membalas, Kak Putu. Konseling pranikah bisa Senin–Kamis."),
         ("Kadek Sari", "Terima kasih Kak Kadek, suratnya sudah kami terima.")]
    ):  # fmt: skip
        reply_to_client(views[name].conversation.id, words, actor=ADMIN,
                        idempotency_key=f"demo-meta:{n}", uow_factory=app.uows,
                        now=now)  # fmt: skip
    service.dispatch(app)
    page, account = state.said_to("24871100000000001"), state.said_to("17850000000000002")
    tags = [t for t in state.tags_to("24871100000000001") if t]
    say(escape(text("demo.meta.messaging", lang, answers=", ".join(map(str, answers)),
                    count=taken, page=len(page), instagram=len(account),
                    tag=", ".join(tags) or "-")))  # fmt: skip
    # the Instagram case to the counselor on duty, who answers on Instagram
    kadek = views["Kadek Sari"].conversation.id
    casework.hand_off(kadek, actor=ADMIN, uow_factory=app.uows, now=now + timedelta(minutes=3))
    casework.claim(kadek, actor=COUNSELOR, uow_factory=app.uows, now=now + timedelta(minutes=5))
    moment[0] = now + timedelta(minutes=6)
    words = "Kak Kadek, saya Made, psikolog PUSPAGA. Boleh ceritakan apa yang terjadi?"
    reply_to_client(kadek, words, actor=COUNSELOR, idempotency_key="demo-meta:counselor",
                    uow_factory=app.uows, now=moment[0])  # fmt: skip
    service.dispatch(app)
    with app.uows() as uow:
        steps = uow.conversations.get(kadek).steps
    minutes = int((steps.first_counselor_response - steps.received).total_seconds() // 60)
    say(escape(text("demo.meta.counselor", lang, sent=int(words in state.said_to(
        "17850000000000002")), minutes=minutes)))  # fmt: skip
