"""Message catalogue: every client- and staff-facing text, Bahasa Indonesia first, English too.

Texts are looked up by key; `{placeholders}` are filled by `text()`. Adding a text means adding
both languages here (a test checks every key has both).
"""

from __future__ import annotations

from typing import Literal

from triage.catalog_telegram import TELEGRAM_TEXTS

Lang = Literal["id", "en"]
DEFAULT_LANG: Lang = "id"

TEXTS: dict[str, dict[Lang, str]] = {
    # conversation states
    "state.new": {"id": "Baru", "en": "New"},
    "state.with_admin": {"id": "Ditangani admin", "en": "With admin"},
    "state.handed_off": {"id": "Diserahkan ke konselor", "en": "Handed off"},
    "state.with_counselor": {"id": "Dengan konselor", "en": "With counselor"},
    "state.closed": {"id": "Selesai", "en": "Closed"},
    # outcomes
    "outcome.tuntas": {"id": "Tuntas", "en": "Done"},
    "outcome.ulang": {"id": "Ulang", "en": "Repeat"},
    "outcome.rujukan": {"id": "Rujukan", "en": "Referred"},
    # channels
    "channel.email": {"id": "Email", "en": "Email"},
    "channel.instagram": {"id": "Instagram", "en": "Instagram"},
    "channel.hotline": {"id": "Hotline", "en": "Hotline"},
    # SOP steps
    "step.received": {"id": "Pesan diterima", "en": "Received"},
    "step.first_admin_response": {"id": "Tanggapan admin", "en": "First admin response"},
    "step.form_completed": {"id": "Formulir identitas lengkap", "en": "Identity form complete"},
    "step.handed_off": {"id": "Diserahkan ke konselor", "en": "Handed off"},
    "step.claimed": {"id": "Diambil konselor", "en": "Claimed by counselor"},
    "step.first_counselor_response": {
        "id": "Tanggapan konselor",
        "en": "First counselor response",
    },
    "step.closed": {"id": "Ditutup", "en": "Closed"},
    # inbox table (CLI and demo)
    "inbox.title": {"id": "Kotak masuk terpadu", "en": "Unified inbox"},
    "inbox.col.no": {"id": "No.", "en": "No."},
    "inbox.col.client": {"id": "Klien", "en": "Client"},
    "inbox.col.channel": {"id": "Kanal", "en": "Channel"},
    "inbox.col.state": {"id": "Status", "en": "State"},
    "inbox.col.messages": {"id": "Pesan", "en": "Messages"},
    "inbox.col.last": {"id": "Pesan terakhir", "en": "Last message"},
    "inbox.col.steps": {"id": "Langkah (waktu)", "en": "Steps (time)"},
    "inbox.empty": {"id": "Belum ada percakapan.", "en": "No conversations yet."},
    "outbox.failed_title": {
        "id": "Pesan keluar yang gagal dikirim",
        "en": "Outgoing messages that failed",
    },
    # demo narration
    "demo.title": {
        "id": "Demo Puspaga Inbox: seluruh alur di mesin ini, tanpa akun dan tanpa jaringan",
        "en": "Puspaga Inbox demo: the whole pipeline on this machine, no accounts, no network",
    },
    "demo.data": {"id": "Basis data demo: {path}", "en": "Demo database: {path}"},
    "demo.polled": {
        "id": "Menarik pesan dari semua kanal: {count} pesan baru tersimpan.",
        "en": "Polled every channel: {count} new messages stored.",
    },
    "demo.repolled": {
        "id": "Menarik ulang dengan kursor tersimpan: {count} pesan baru (tidak ada duplikat).",
        "en": "Polled again from the saved cursors: {count} new messages (no duplicates).",
    },
    "demo.replayed": {
        "id": "Semua pesan dikirim ulang tanpa kursor: {stored} tersimpan, {dupes} dikenali "
        "sebagai duplikat.",
        "en": "Every message replayed without cursors: {stored} stored, {dupes} recognised as "
        "duplicates.",
    },
    "demo.step": {"id": "{time}  {who}: {what}", "en": "{time}  {who}: {what}"},
    "demo.reply": {"id": "membalas {client}", "en": "replies to {client}"},
    "demo.handoff": {
        "id": "menyerahkan percakapan {conv} ke konselor",
        "en": "hands conversation {conv} to the counselors",
    },
    "demo.claim": {"id": "mengambil kasus {conv}", "en": "claims case {conv}"},
    "demo.claim_lost": {
        "id": "mencoba mengambil kasus {conv}: sudah diambil konselor lain",
        "en": "tries to claim case {conv}: already taken by another counselor",
    },
    "demo.close": {"id": "menutup kasus {conv}: {outcome}", "en": "closes case {conv}: {outcome}"},
    "demo.link": {
        "id": "menautkan email dan Instagram {client} menjadi satu klien",
        "en": "links {client}'s email and Instagram into one client",
    },
    "demo.denied": {
        "id": "mencoba membalas kasus {conv}: ditolak (kasus milik konselor)",
        "en": "tries to reply in case {conv}: refused (the case is the counselor's)",
    },
    "demo.dispatched": {
        "id": "Kotak keluar: {sent} pesan terkirim ke klien di kanalnya masing-masing, "
        "{failed} gagal.",
        "en": "Outbox: {sent} messages delivered to clients on their own channels, "
        "{failed} failed.",
    },
    "demo.delivered": {
        "id": "  → {channel} {recipient}: {text}",
        "en": "  → {channel} {recipient}: {text}",
    },
    "demo.done": {
        "id": "Selesai. Lihat juga: puspaga inbox --json --config {config}",
        "en": "Done. See also: puspaga inbox --json --config {config}",
    },
    # the office's signature under replies to clients
    "reply.signature": {"id": "— {office}", "en": "— {office}"},
}


TEXTS.update(TELEGRAM_TEXTS)  # type: ignore[arg-type]


def text(key: str, lang: Lang = DEFAULT_LANG, /, **values: object) -> str:
    entry = TEXTS[key]
    template = entry.get(lang) or entry[DEFAULT_LANG]
    return template.format(**values) if values else template
