"""The referral letter as a Word file: the office's letterhead template kept on top, then the
letter in the office's language; sealed at rest."""

import io
from datetime import timedelta

from docx import Document

from bot.config.settings import from_mapping
from bot.files.letter import keep_sealed, render
from tests.builders import T0
from tests.fakes import FakeSealer
from triage.domain.referral import Letter, Referral


def a_letter() -> Letter:
    made = Referral(7, 1, "lbh", "", "Pendampingan hukum hak asuh anak", 2001, T0)
    chronology = [(T0 - timedelta(hours=2), "received"), (T0, "closed")]
    return Letter(made, {"nama": "Sari", "usia": "34", "nik": "5107014101900003"}, "R/7",
                  chronology, {"keluhan": "sengketa hak asuh"}, 2001)  # fmt: skip


def test_the_letter_is_written_below_the_offices_letterhead(tmp_path):
    head = Document()
    head.add_paragraph("PEMERINTAH KABUPATEN CONTOH — DINAS P3A")
    head.save(tmp_path / "kop.docx")
    settings = from_mapping(
        {
            "data_dir": str(tmp_path),
            "office": {"name": "PUSPAGA Contoh"},
            "referral": {"template_file": str(tmp_path / "kop.docx")},
        },
        environ={},
    )
    doc = Document(io.BytesIO(render(a_letter(), settings, {2001: "Made"})))
    paragraphs = [p.text for p in doc.paragraphs]
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert paragraphs[0] == "PEMERINTAH KABUPATEN CONTOH — DINAS P3A"
    assert "Kepada Yth.\nLembaga Bantuan Hukum (LBH)\ndi tempat" in paragraphs
    assert "Alasan rujukan: Pendampingan hukum hak asuh anak" in paragraphs
    assert "Dirujuk ke Lembaga Bantuan Hukum (LBH)" in cells and "R/7" in cells
    assert "Keluhan klien: sengketa hak asuh" in paragraphs
    box = FakeSealer()
    sealed = keep_sealed(b"PK docx", a_letter(), settings, box, "key-1", 2001)
    assert sealed.parent == tmp_path / "rujukan" / "7" and sealed.name.endswith(".docx.sealed")
    assert box.open(sealed.read_text()) == b"PK docx" and b"PK docx" not in sealed.read_bytes()


def test_control_characters_in_the_clients_answers_do_not_stop_the_letter(tmp_path):
    settings = from_mapping({"data_dir": str(tmp_path), "office": {"name": "PUSPAGA"}}, environ={})
    made = Referral(7, 1, "lbh", "", "Hak\x0b asuh\x00", 2001, T0)
    letter = Letter(made, {"nama": "Sa\x07ri\x1b", "usia": "34"}, "R/\x017", [(T0, "closed")],
                    {"keluhan": "sengketa\x0c hak asuh"}, 2001)  # fmt: skip
    doc = Document(io.BytesIO(render(letter, settings, {2001: "Made"})))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    paragraphs = [p.text for p in doc.paragraphs]
    assert "Sari" in cells and "R/7" in cells
    assert "Alasan rujukan: Hak asuh" in paragraphs
    assert "Keluhan klien: sengketa hak asuh" in paragraphs
