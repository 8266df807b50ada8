"""The demo's walk-in (the register book counts clients who do not write online): the admin
registers a mother who came to the office with /klien_baru; her case gets a card and a topic
like an online client's, the admin fills her identity form with /identitas, a line typed in
the topic is kept as a note, since the bot cannot write to her, and the letter she brought is
kept sealed with her case (/berkas gives it back)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from rich.markup import escape

from bot.demo.local_api.scripted import DemoFailed, Stage
from triage.domain.model import Actor, Role
from triage.texts.catalog import Lang, text

GROUP = -1001234567890
ADMIN = 1001


def walk_in(stage: Stage, lang: Lang, say: Callable[..., None]) -> None:
    state = stage.state
    group = "Bot → grup admin:" if lang == "id" else "Bot → admin group:"
    command = "/klien_baru langsung Ibu Wulan\nAnaknya (9 th) sering mengamuk di sekolah."
    state.user_writes(ADMIN, GROUP, command)
    say(escape(text("demo.tg.walk_in", lang)))
    say(f"    [dim]Admin →[/dim] {escape(command.replace(chr(10), ' · '))}")
    marker = "terdaftar sebagai kasus" if lang == "id" else "registered as case"
    done = stage.post(GROUP, marker)  # "…: klien Ibu Wulan terdaftar sebagai kasus #6; …"
    said = done.get("text", "")
    say(f"    [dim]{escape(group)}[/dim] {escape(said.splitlines()[0])}")
    conv = int(re.search(r"#(\d+)", said)[1])  # type: ignore[index]
    maps = stage.app.telegram.maps  # type: ignore[union-attr]
    stage.wait(lambda: maps.topic(conv), f"a topic for case #{conv}")
    thread = maps.topic(conv).thread_id
    stage.post(GROUP, f"#{conv}", thread)  # the card, in her topic
    form = "/identitas\npersetujuan: ya\nusia: 38\njk: P\nalamat: Kuta\nhubungan: ibu\ntopik: anak"
    state.user_writes(ADMIN, GROUP, form, thread_id=thread)
    card = stage.post(GROUP, "Usia: 38", thread)
    number = next((ln for ln in card.get("text", "").splitlines() if "/0" in ln), "")
    say(f"    [dim]{escape(group)}[/dim] {escape(number)}")
    state.user_writes(ADMIN, GROUP, "Ibu Wulan menunggu di ruang konseling.", thread_id=thread)
    stage.wait(lambda: _noted(stage, conv, "Ibu Wulan menunggu"), "the admin's note")
    with stage.app.uows() as uow:
        queued = uow.outbox.for_conversation(conv)
    if any(item.target.value != "telegram" for item in queued):
        raise DemoFailed("nothing may be sent to a client met offline")
    say(escape(text("demo.tg.walk_in_noted", lang)))
    # the school's letter she brought: kept sealed with her case, given back on request
    letter = b"%PDF-1.4 surat pengantar sekolah"
    state.user_sends_file(ADMIN, "document", letter, "surat-sekolah.pdf", "application/pdf",
                          GROUP, thread_id=thread)  # fmt: skip
    stage.post(GROUP, "surat-sekolah.pdf", thread)
    state.user_writes(ADMIN, GROUP, "/berkas", thread_id=thread)

    def kept() -> list[dict]:
        return [m for m in state.sent(ADMIN)
                if m.get("document", {}).get("file_name") == "surat-sekolah.pdf"]  # fmt: skip

    stage.wait(kept, "the kept letter in the admin's private chat")
    if state.files[kept()[-1]["document"]["file_id"]].content != letter:
        raise DemoFailed("the kept letter came back changed")
    say(escape(text("demo.tg.kept_file", lang, file="surat-sekolah.pdf")))
    # her next session, then the case closes as Ulang (to be continued), which needs one
    state.user_writes(ADMIN, GROUP, "/tutup ulang", thread_id=thread)
    refused = stage.post(GROUP, "sesi berikutnya" if lang == "id" else "next session", thread)
    state.user_writes(ADMIN, GROUP, "/janji besok 10.00 Ruang konseling 1", thread_id=thread)
    session = stage.post(GROUP, "📅 Sesi kasus" if lang == "id" else "📅 Session of case", thread)
    state.user_writes(ADMIN, GROUP, "/tutup ulang", thread_id=thread)
    stage.wait(lambda: _closed(stage, conv), f"case #{conv} closed as Ulang")
    say(escape(text("demo.tg.session", lang)))
    for shown in (refused, session):
        say(f"    [dim]{escape(group)}[/dim] {escape(shown.get('text', '').splitlines()[0])}")


def _noted(stage: Stage, conv: int, words: str) -> bool:
    with stage.app.uows() as uow:
        return any(m.internal and words in m.text for m in uow.messages.for_conversation(conv))


def _closed(stage: Stage, conv: int) -> bool:
    with stage.app.uows() as uow:
        found = uow.conversations.get(conv)
        return found is not None and found.state.value == "closed"


def from_paper(stage: Stage, lang: Lang, say: Callable[..., None], folder: Path) -> None:
    """Moving from paper: two open cases of the office's Excel register book imported (as
    `puspaga impor-register` does), with their paper numbers and their counselor; a closed one
    stays on paper."""
    from openpyxl import Workbook

    from bot.cli.book_import import import_row, read_book
    from bot.config.triage import form_setup

    app = stage.app
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["No. Register", "Tanggal", "Nama", "Usia", "Cara datang", "Konselor", "Status",
                  "Keterangan"])  # fmt: skip
    sheet.append(["PPKS/2026/11/0041", "2 November 2026", "Ibu Ratna", 36, "langsung", "Made",
                  "Proses", "Konseling pasangan, sesi ketiga"])  # fmt: skip
    sheet.append(["PPKS/2026/11/0042", "4 November 2026", "Pak Hendra", 45, "telepon", "", "",
                  "Menanyakan hak asuh anak"])  # fmt: skip
    sheet.append(["PPKS/2026/10/0035", "20 Oktober 2026", "Ibu Yuni", 30, "langsung", "Made",
                  "Selesai", ""])  # fmt: skip
    path = folder / "buku-register.xlsx"
    workbook.save(path)
    zone = ZoneInfo(app.settings.office.timezone)
    setup = form_setup(app.settings)
    reading = read_book(path, setup, datetime.now(zone).date())
    if len(reading.rows) != 2 or len(reading.closed) != 1:
        raise DemoFailed(f"the register book was misread: {reading}")
    say(escape(text("demo.tg.from_paper", lang)))
    admin = Actor(ADMIN, Role.ADMIN, "Wayan")
    for row in reading.rows:
        done = import_row(app, admin, row, zone, setup)
        say(f"    [dim]puspaga impor-register →[/dim] {escape(done)}")
