"""The demo's office acts: what a head does besides cases' daily work. A case held for the
law (/tahan_hukum) is not erased on request; a counselor goes on leave (/nonaktif) and his case
goes to a colleague; a complaint outside the office's remit is answered with the head's reasons
(/luar_wewenang); a complaint's disposition sheet and handling report reach the head as Word
files (papers)."""

from __future__ import annotations

import io
from collections.abc import Callable

from docx import Document
from rich.markup import escape

from bot.demo.local_api.scripted import DemoFailed, Stage
from triage.texts.catalog import Lang, text

GROUP = -1001234567890
ADMIN = 1001
MADE = 2001
HEAD = 3001
NEIGHBOUR = 4747  # complains of a matter that is not the office's


def legal_hold(stage: Stage, lang: Lang, say: Callable[..., None]) -> None:
    """Her case went to UPTD PPA: the head holds it (/tahan_hukum), and a request to erase her
    data is refused while it holds (triage.usecases.erasure.hold)."""
    state = stage.state
    to_head = "Bot → Ketut:"
    state.user_writes(HEAD, text="/tahan_hukum 5 UPTD PPA Kabupaten Contoh, reg. 45/XII/2026")
    placed = stage.post(HEAD, "⚖️")
    if "#5" not in placed.get("text", ""):  # the number written, not the head's selected case
        raise DemoFailed(f"the hold went to another case: {placed.get('text', '')}")
    say(escape(text("demo.tg.legal_hold", lang)))
    say(f"    [dim]{escape(to_head)}[/dim] {escape(placed.get('text', ''))}")
    state.user_writes(HEAD, text="/hapus 5 ya")
    refused = stage.post(HEAD, text("staff.forget_held", lang, conv=5, held="#5")[:25])
    say(f"    [dim]{escape(to_head)}[/dim] {escape(refused.get('text', '').split('.')[0])}.")


def staff_leaves(stage: Stage, lang: Lang, say: Callable[..., None]) -> None:
    """Nyoman goes on leave: the head deactivates him without a restart and gives his case (#4)
    to Made (triage.usecases.roster.set_active); back from leave, /aktif."""
    state = stage.state
    state.user_writes(HEAD, text="/nonaktif Nyoman Made")
    done = text("staff.deactivated", lang, name="Nyoman", cases="", to="").split(" (")[0]
    said = stage.post(HEAD, done)
    if "#4" not in said.get("text", ""):
        raise DemoFailed(f"Nyoman's case was not handed on: {said.get('text', '')}")
    given = stage.post(MADE, text("tg.case_assigned", lang, head="Ketut"))
    say(escape(text("demo.tg.staff_leaves", lang)))
    say(f"    [dim]Bot → Ketut:[/dim] {escape(said.get('text', '').split(':')[0])}.")
    say(f"    [dim]Bot → Made:[/dim] {escape(given.get('text', '').splitlines()[0])}")
    state.user_writes(HEAD, text="/aktif Nyoman")
    stage.post(HEAD, text("staff.activated", lang, name="Nyoman"))


def outside_remit(stage: Stage, lang: Lang, say: Callable[..., None]) -> None:
    """A complaint about the village office: the head answers it is not this office's to
    handle, with where to turn; the complainant is told, the case closes."""
    state = stage.state
    state.user_writes(NEIGHBOUR, text="Saya mau mengadukan petugas kelurahan yang mempersulit "
                                      "surat pindah saya.")  # fmt: skip
    stage.post(NEIGHBOUR, text("complaint.received", lang)[:20])
    with stage.app.uows() as uow:
        conv = max(c.id for c in uow.conversations.all() if c.id is not None)
    maps = stage.app.telegram.maps  # type: ignore[union-attr]
    stage.wait(lambda: maps.topic(conv), f"a topic for case #{conv}")
    facts = ("/pengaduan\nNama: Dodi\nAlamat: Jl. Contoh 9\nTerlapor: petugas kelurahan\n"
             "Objek: surat pindah\nWaktu: Senin\nTempat: kantor kelurahan\nKronologi: berkas "
             "saya ditolak tanpa alasan")  # fmt: skip
    state.user_writes(ADMIN, GROUP, facts, thread_id=maps.topic(conv).thread_id)
    for_head = stage.known(stage.post(HEAD, f"#{conv}"))
    reason = "urusan administrasi kelurahan; silakan ke Ombudsman RI atau kantor camat"
    state.user_writes(HEAD, text=f"/luar_wewenang {reason}", reply_to=for_head["message_id"])
    told = stage.post(NEIGHBOUR, reason)
    say(escape(text("demo.wf.outside_remit", lang)))
    say(f"    [dim]Bot → Dodi:[/dim] {escape(told.get('text', '').splitlines()[0])}")


def papers(stage: Stage, name: str) -> str:
    """A complaint's Word file in the head's chat, and what it is headed (read back)."""

    def sent() -> list[dict]:
        return [m for m in stage.state.sent(HEAD)
                if m.get("document", {}).get("file_name") == name]  # fmt: skip

    stage.wait(sent, f"{name} in Ketut's chat")
    content = stage.state.files[sent()[-1]["document"]["file_id"]].content
    title = next(p.text for p in Document(io.BytesIO(content)).paragraphs if p.text.isupper())
    return f"{name}: {title}"
