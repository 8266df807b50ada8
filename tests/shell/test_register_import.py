"""`puspaga impor-register` on an office's Excel register book (written here with openpyxl, in
the office's own column names): the open cases become cases with their paper register number,
the date they came, the identity form's fields and their counselor; closed ones stay on paper;
bad rows are named and skipped; a second import adds nothing; a file that is not a workbook
gets a clear error."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from typer.testing import CliRunner

from bot.bootstrap import build
from bot.cli.common import _settings
from bot.cli.main import app
from bot.config.triage import form_setup
from tests.builders import ADMIN
from triage.domain.model import State
from triage.usecases.identity import correct_fields

runner = CliRunner()
HEADERS = ["No. Register", "Tanggal", "Nama", "Jenis Kelamin", "Usia", "Alamat", "No HP",
           "Cara datang", "Kategori", "Konselor", "Status", "Keterangan", "Paraf"]  # fmt: skip
ROWS = [
    ["PPKS/2026/11/0031", datetime(2026, 11, 3), "Ibu Sari", "Perempuan", 34, "Desa Sukamaju",
     "0812-3456-7890", "langsung", "keluarga", "Made", "Proses", "Suami sering marah", "ok"],
    ["PPKS/2026/11/0032", "5 November 2026", "Pak Budi", "Laki-laki", 41, "", "", "telepon",
     "", "", "", "Anak bolos sekolah", ""],
    ["PPKS/2026/10/0020", datetime(2026, 10, 20), "Ibu Ani", "Perempuan", 29, "", "",
     "langsung", "", "Made", "Selesai", "", ""],
    ["PPKS/2026/11/0033", "3/11/2026", "Ibu Tini", "", "", "", "", "burung merpati", "", "",
     "", "", ""],
    ["PPKS/2026/11/0034", "", "", "", "", "", "", "", "", "", "", "baris tanpa nama", ""],
    ["PPKS/2026/11/0031", "", "Ibu Dewi", "", "", "", "", "", "", "", "", "", ""],
]  # fmt: skip


def config(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(
        'data_dir = "data"\n[office]\nname = "PUSPAGA Uji"\ntimezone = "Asia/Makassar"\n'
        '[[staff]]\ntelegram_id = 1\nname = "Wayan"\nrole = "admin"\n'
        '[[staff]]\ntelegram_id = 2\nname = "Made"\nrole = "konselor"\n'
    )
    return path


def book(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["BUKU REGISTER PPKS KABUPATEN CONTOH"])  # a title above the header row
    sheet.append(HEADERS)
    for row in ROWS:
        sheet.append(row)
    path = tmp_path / "register.xlsx"
    workbook.save(path)
    return path


def invoke(*args):
    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, " ".join(result.output.split())


def test_the_open_cases_of_the_register_book_become_cases_once(tmp_path):
    cfg, xlsx = config(tmp_path), book(tmp_path)
    code, out = invoke("impor-register", xlsx, "--by", 1, "--coba", "--config", cfg)
    assert code == 0, out
    assert "2 kasus berjalan, 1 kasus selesai dibiarkan di kertas, 3 baris bermasalah" in out
    assert "baris 6: cara datang «burung merpati» tidak dikenal" in out
    assert "baris 7: tanpa nama" in out and "baris 8: nomor register «PPKS/2026/11/0031»" in out
    assert "Kolom yang tidak dibaca: paraf" in out
    application = build(_settings(cfg))
    with application.uows() as uow:
        assert uow.conversations.all() == []  # --coba stores nothing

    code, out = invoke("impor-register", xlsx, "--by", 1, "--config", cfg)
    assert code == 0, out
    assert "baris 3: kasus #1" in out and "konselor Made" in out
    with application.uows() as uow:
        first, second = uow.conversations.get(1), uow.conversations.get(2)
        form = uow.forms.get(1)
        assert form.register_no == "PPKS/2026/11/0031"  # the paper's number, not a new one
        assert form.answers["usia"] == "34" and form.answers["jenis_kelamin"] == "perempuan"
        assert first.state is State.WITH_COUNSELOR and first.counselor_id == 2
        assert first.steps.first_counselor_response is not None  # no timer for the counselor
        came = first.opened_at.astimezone(ZoneInfo("Asia/Makassar"))
        assert came.date().isoformat() == "2026-11-03"  # counted in its own month's report
        assert first.category == "keluarga_harmonis"  # the office wrote «keluarga»
        # no counselor named: in the queue from now, its timers from the import, not from 5 Nov
        assert second.state is State.HANDED_OFF and uow.forms.get(2).register_no.endswith("0032")
        assert second.steps.handed_off.date() == datetime.now(ZoneInfo("UTC")).date()
        notes = [m for m in uow.messages.for_conversation(1) if m.internal]
        assert notes[0].text == "Suami sering marah"  # kept as a note, never triaged
    correct_fields(1, "Usia: 35", setup=form_setup(application.settings), actor=ADMIN,
                   uow_factory=application.uows, now=datetime.now(ZoneInfo("UTC")))  # fmt: skip
    code, again = invoke("impor-register", xlsx, "--by", 1, "--config", cfg)
    assert code == 0 and again.count("sudah diimpor sebelumnya") == 2, again
    with application.uows() as uow:
        assert len(uow.conversations.all()) == 2
        assert uow.forms.get(1).answers["usia"] == "35"  # staff's correction stays


def test_a_file_that_is_not_a_workbook_or_a_counselor_importing_is_refused(tmp_path):
    cfg = config(tmp_path)
    junk = tmp_path / "register.xlsx"
    junk.write_text("No;Nama\n1;Ibu Sari\n")  # a CSV saved with the wrong name
    code, out = invoke("impor-register", junk, "--by", 1, "--config", cfg)
    assert code == 2 and "bukan berkas Excel (.xlsx) yang terbaca" in out
    code, out = invoke("impor-register", book(tmp_path), "--by", 2, "--config", cfg)
    assert code == 2 and "Hanya admin atau ketua" in out
