"""The client's data as files (issue 7, item 6): JSON for machines, and a plain text file a
person can read, both written to a folder the head hands over."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def write(export: dict[str, Any], out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    client_id = export["client"]["id"]
    as_json = out / f"data-klien-{client_id}.json"
    as_json.write_text(json.dumps(export, ensure_ascii=False, indent=2), encoding="utf-8")
    as_text = out / f"data-klien-{client_id}.txt"
    as_text.write_text(readable(export), encoding="utf-8")
    return [as_json, as_text]


def readable(export: dict[str, Any]) -> str:
    client = export["client"]
    lines = [
        f"Data yang disimpan tentang klien #{client['id']} ({client['name']})",
        f"Diekspor: {export['exported_at']}",
        "",
        "Kontak:",
        *(f"  - {c['channel']}: {c['address']} ({c['name']})" for c in export["contacts"]),
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
            lines.append(f"    [{m['at']}] {who}: {m['text']}")
        for version in conv["psychological_record"]:
            lines.append(f"  Rekam psikologis, versi {version['version']}:")
            lines += [f"    {k}: {v}" for k, v in version["parts"].items()]
        for made in conv.get("referrals", []):
            lines.append(f"  Rujukan ({made['at']}): {made['addressee'] or made['target']}; "
                         f"alasan: {made['reason'] or '-'}")  # fmt: skip
        for asked in conv.get("surveys", []):
            scores = " ".join(str(n) for n in asked["scores"]) or "belum dijawab"
            lines.append(f"  Survei kepuasan ({asked['asked_at']}): {scores} {asked['comment']}")
        lines.append("  Riwayat akses rekam psikologis:")
        lines += [
            f"    [{e['at']}] petugas {e['staff_id']}: {e['action']}" for e in conv["access_log"]
        ]
    return "\n".join(lines) + "\n"
