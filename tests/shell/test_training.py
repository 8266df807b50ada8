"""`puspaga latihan`: what the trainee types becomes what the person writes on the local Bot API
server, and what the bot sends is shown, with its buttons."""

from __future__ import annotations

import threading

from bot.demo.telegram_act import ADMIN, CLIENT, GROUP, training_state
from bot.demo.training import Training, run_training


def test_lines_become_messages_and_the_bots_posts_are_shown():
    state = training_state()
    said: list[str] = []
    session = Training(state, "id", said.append)
    session.act("wayan@grup: /daftar_grup")
    session.act("rina: halo, saya butuh bantuan: tolong")  # a colon inside the text stays
    session.act("Guru BK: bisa minta penyuluhan?")
    session.act("wayan@grup: /identitas\\nNama: Rina")  # \n typed: a second line
    written = [(m["chat"]["id"], m["from"]["id"], m["text"]) for m in state.messages.values()]
    assert (GROUP, ADMIN, "/daftar_grup") in written
    assert (CLIENT, CLIENT, "halo, saya butuh bantuan: tolong") in written
    assert any(text == "bisa minta penyuluhan?" for _, _, text in written)
    assert (GROUP, ADMIN, "/identitas\nNama: Rina") in written
    session.act("wayan@grup#77: Baik Ibu")  # no such topic: Telegram's refusal is shown
    assert said[-1] == "Telegram menolak: Bad Request: message thread not found"
    session.act("siapa: halo")
    assert said[-1].startswith("Tidak ada orang bernama siapa")
    session.act("halo")
    assert said[-1].startswith("Tidak dimengerti")

    keyboard = {"inline_keyboard": [[{"text": "Setuju", "callback_data": "consent:yes"}]]}
    with state.lock:
        state.bot_sends(CLIENT, text="Apakah Anda setuju?", reply_markup=keyboard)
    session.show_new()
    assert said[-1] == "🤖 → Rina: Apakah Anda setuju?\n    [tombol: Setuju=consent:yes]"
    session.show_new()  # shown once
    assert said[-1].startswith("🤖 → Rina")
    session.act("rina klik consent:yes")
    pressed = [u["callback_query"] for u in state.updates if "callback_query" in u]
    assert pressed and pressed[-1]["data"] == "consent:yes" and pressed[-1]["from"]["id"] == CLIENT
    session.act("rina klik consent:no")
    assert said[-1] == "Tidak ada tombol consent:no di chat orang itu maupun di grup."


def test_the_session_serves_until_keluar():
    lines = iter(["orang", "keluar", "rina: never read"])
    said: list[str] = []
    done = threading.Event()

    def session() -> None:
        run_training(0, "en", said.append, lambda: next(lines))
        done.set()

    threading.Thread(target=session, daemon=True).start()
    assert done.wait(10)
    assert said[0].startswith("Training Telegram running: http://127.0.0.1:")
    assert "  rina (id 4242)" in said and not any("never read" in s for s in said)


def test_a_busy_port_is_told_with_another_to_try():
    import socket

    from typer.testing import CliRunner

    from bot.cli.main import app

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = CliRunner().invoke(app, ["latihan", "--port", str(port)], input="")
    assert done.exit_code == 2 and f"Port {port} sudah dipakai" in done.output
    assert "Traceback" not in done.output
