"""The client's data as files: JSON for machines, and a plain text file a
person can read, written to a folder the head hands over (`puspaga export`) or sent to the
head's private chat (`/ekspor`)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from bot.app import App
from triage.domain import notices
from triage.effects import notify


def contents(export: dict[str, Any]) -> dict[str, bytes]:
    """File name → bytes: the JSON and the readable text."""
    client_id = export["client"]["id"]
    return {
        f"data-klien-{client_id}.json": json.dumps(export, ensure_ascii=False, indent=2).encode(),
        f"data-klien-{client_id}.txt": readable(export).encode(),
    }


def write(export: dict[str, Any], out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, content in contents(export).items():
        (out / name).write_bytes(content)
        paths.append(out / name)
    return paths


def send_sealed(app: App, export: dict[str, Any], head: int, key: str) -> int:
    """/ekspor: the files to the head's private chat, sealed with the office key on disk
    (data_dir/ekspor/<client>/, removed on erasure and after a month) and opened only to be
    sent. Returns how many files were queued."""

    folder = app.settings.data_dir / "ekspor" / str(export["client"]["id"])
    folder.mkdir(parents=True, exist_ok=True)
    queued = 0
    with app.uows() as uow:
        for name, content in contents(export).items():
            path = folder / f"{name}.{hashlib.sha256(key.encode()).hexdigest()[:10]}.sealed"
            path.write_text(app.sealer.seal(content), encoding="ascii")
            notify.queue(uow, key=f"{key}:{name}", recipient=notices.staff(head),
                          kind=notices.Kind.DOCUMENT, now=app.clock(), path=str(path),
                          sealed="1", filename=name)  # fmt: skip
            queued += 1
        uow.commit()
    app.wake.set()
    return queued


def readable(export: dict[str, Any]) -> str:
    client = export["client"]
    lines = [
        f"Data yang disimpan tentang klien #{client['id']} ({client['name']})",
        f"Diekspor: {export['exported_at']}",
        "",
        "Kontak:",
        *(f"  - {c['channel']}: {c['address'] or '-'} ({c['name']})" for c in export["contacts"]),
    ]
    for conv in export["conversations"]:
        lines += ["", f"Percakapan #{conv['id']} · status {conv['state']} · hasil "
                      f"{conv['outcome'] or '-'} · kategori {conv['category'] or '-'}"]  # fmt: skip
        if conv["identity_form"]:
            lines.append("  Formulir identitas:")
            lines += [f"    {k}: {v}" for k, v in conv["identity_form"].items()]
        if conv["case_file"]:
            lines.append(f"  Berkas {conv['case_file']['kind']}:")
            lines += [f"    {k}: {v}" for k, v in conv["case_file"]["facts"].items()]
        lines.append("  Pesan:")
        for m in conv["messages"]:
            who = "klien" if m["direction"] == "in" else "petugas"
            if m.get("written_by_staff"):  # what a client met offline came with, as staff wrote
                who = "klien (dicatat petugas)"
            lines.append(f"    [{m['at']}] {who}: {m['text']}")
        for version in conv["psychological_record"]:
            lines.append(f"  Rekam psikologis, versi {version['version']}:")
            lines += [f"    {k}: {v}" for k, v in version["parts"].items()]
        for made in conv.get("referrals", []):
            lines.append(f"  Rujukan ({made['at']}): {made['addressee'] or made['target']}; "
                         f"alasan: {made['reason'] or '-'}")  # fmt: skip
        if referred := conv.get("referred_by"):
            lines.append(f"  Dirujuk oleh: {referred['origin']}; surat nomor "
                         f"{referred['letter_number'] or '-'}, tanggal "
                         f"{referred['letter_date'] or '-'}")  # fmt: skip
        for session in conv.get("sessions", []):
            lines.append(f"  Sesi {session['at']}: {session['place'] or '-'} ({session['status']})")
        for asked in conv.get("surveys", []):
            scores = " ".join(str(n) for n in asked["scores"]) or "belum dijawab"
            lines.append(f"  Survei kepuasan ({asked['asked_at']}): {scores} {asked['comment']}")
        lines.append("  Riwayat akses rekam psikologis:")
        lines += [
            f"    [{e['at']}] petugas {e['staff_id']}: {e['action']}" for e in conv["access_log"]
        ]
    return "\n".join(lines) + "\n"
