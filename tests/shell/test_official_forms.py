"""The official forms beside the monthly report (`puspaga report --month`), read back with
openpyxl: Satyagatra's R/I register and K/0 card, the psychoeducation sessions, the optional
SIMFONI-PPA sheet; an office's own template (also into its Dinas's blank form) and a broken one
that is named and skipped without stopping the report."""

from datetime import UTC, date, datetime, timedelta

from openpyxl import Workbook, load_workbook

from bot.files.form_templates import DEFAULTS
from tests.builders import ADMIN, COUNSELOR
from tests.shell.test_jobs import office
from tests.shell.test_report import office_config, report
from triage.domain.forms.dialogue import FormState
from triage.domain.model import Channel, InboundMessage
from triage.domain.workflow import CaseFile
from triage.usecases import casework, referral
from triage.usecases.assessment import set_assessment
from triage.usecases.ingest import ingest

NOV_3 = datetime(2026, 11, 3, 1, 0, tzinfo=UTC)  # Tuesday 09.00 WITA


def a_violence_case_referred_and_a_session_held(app) -> None:
    msg = InboundMessage(Channel.HOTLINE, "m1", "c1", "Ibu Sari", "suami memukul saya", NOV_3)
    conv = ingest(msg, uow_factory=app.uows, now=NOV_3).conversation_id
    with app.uows() as uow:
        answers = {"usia": "34", "jenis_kelamin": "perempuan", "domisili": "Denpasar Barat"}
        uow.forms.save(FormState(conv, None, answers, "complete", "PUSPAGA/2026/11/0001"))
        uow.commit()
    common = {"uow_factory": app.uows}
    set_assessment(conv, actor=ADMIN, category="kekerasan", now=NOV_3, **common)
    casework.hand_off(conv, actor=ADMIN, now=NOV_3 + timedelta(minutes=3), **common)
    casework.claim(conv, actor=COUNSELOR, now=NOV_3 + timedelta(minutes=4), **common)
    referral.refer(conv, "uptd_ppa", "KDRT", actor=COUNSELOR, now=NOV_3 + timedelta(hours=1),
                   **common)  # fmt: skip
    referral.confirm_receipt(conv, "diterima Bu Wayan, reg. 45/XI", actor=COUNSELOR,
                             now=NOV_3 + timedelta(days=1), key="k", **common)  # fmt: skip
    school = InboundMessage(Channel.EMAIL, "m2", "smp3@contoh.sch.id", "SMP 3", "penyuluhan", NOV_3)
    other = ingest(school, uow_factory=app.uows, now=NOV_3).conversation_id
    facts = {"institusi": "SMP 3 Contoh", "narahubung": "Bu Rina 0812", "topik": "parenting",
             "peserta": "40 orang tua", "tanggal": "20 November 2026"}  # fmt: skip
    data = {"session": "2026-11-20", "participants": 37}
    with app.uows() as uow:
        uow.casefiles.save(CaseFile(other, "psikoedukasi", "held", facts, NOV_3,
                                    NOV_3 + timedelta(days=3), data, NOV_3))  # fmt: skip
        uow.commit()


def rows(path) -> list[tuple]:
    return [r for r in load_workbook(path).active.iter_rows(values_only=True) if any(r)]


def test_the_official_forms_are_made_with_the_monthly_report(tmp_path):
    app = office(tmp_path / "office")
    a_violence_case_referred_and_a_session_held(app)
    config = office_config(
        tmp_path, after='[[staff]]\ntelegram_id = 2001\nname = "Made"\nrole = "konselor"\n'
    )
    out = tmp_path / "laporan"
    result = report(config, out, "2026-11")
    assert result.exit_code == 0, result.output
    register = rows(out / "R-I-PPKS-2026-11.xlsx")
    assert register[0][0].startswith("REGISTER KEGIATAN") and "November 2026" in register[1][0]
    assert register[2][:4] == ("NO", "TANGGAL", "NOMOR REGISTER", "NAMA KLIEN")
    lines = [r for r in register[3:] if isinstance(r[0], int)]
    sari = next(r for r in lines if r[3] == "Ibu Sari")
    assert sari[1].date() == date(2026, 11, 3) and sari[2] == "PUSPAGA/2026/11/0001"
    assert sari[4:11] == (34, "P", "Denpasar Barat", "Keluarga rentan", "Kekerasan", "Rujukan",
                          "UPTD PPA")  # fmt: skip
    assert ("JUMLAH", len(lines)) in [r[:2] for r in register]
    card = {r[1]: r[2] for r in rows(out / "K-0-PPKS-2026-11.xlsx") if isinstance(r[0], int)}
    assert card["Nama pusat pelayanan"] == "PUSPAGA Uji" and card["Jumlah konselor"] == 1
    assert card["Rujukan bulan ini"] == 1 and card["Psikoedukasi terlaksana bulan ini"] == 1
    sessions = rows(out / "psikoedukasi-2026-11.xlsx")
    held = next(r for r in sessions if r[2] == "SMP 3 Contoh")
    assert held[6] == date(2026, 11, 20).isoformat() or held[6].date() == date(2026, 11, 20)
    assert held[7:9] == ("terlaksana", 37)
    summary = {r[0]: r[1] for r in sessions}
    assert summary["Sesi terlaksana"] == 1 and summary["Jumlah peserta hadir"] == 37
    assert not (out / "SIMFONI-PPA-2026-11.xlsx").exists()  # optional: off by default
    app.engine.dispose()


def test_an_office_turns_simfoni_on_edits_a_form_into_its_blank_and_a_broken_one_is_named(
    tmp_path,
):
    app = office(tmp_path / "office")
    a_violence_case_referred_and_a_session_held(app)
    own = tmp_path / "office" / "formulir"
    own.mkdir(parents=True)
    simfoni = (DEFAULTS / "simfoni-ppa.toml").read_text()
    (own / "simfoni-ppa.toml").write_text(simfoni.replace("enabled = false", "enabled = true"))
    blank = Workbook()
    blank.active["A1"] = "FORMULIR DINAS PPKB"
    blank.active["A6"] = "kolom dinas"
    blank.save(own / "r1-dinas.xlsx")
    (own / "r1-ppks.toml").write_text(
        'name = "R1-Dinas"\nrows = "register"\nblank = "r1-dinas.xlsx"\nfirst_row = 8\n'
        'columns = [{ header = "No", value = "no", column = "B" },\n'
        '  { header = "Nama", value = "nama" }, { header = "Paraf", value = "", column = "F" },\n'
        '  { header = "Umur", value = "usia" }]\n'
    )
    broken = 'rows = "register"\ncolumns = [{ header = "X", value = "nik" }]\n'
    (own / "rusak.toml").write_text(broken)
    out = tmp_path / "laporan"
    result = report(office_config(tmp_path), out, "2026-11")
    assert result.exit_code == 0, result.output
    violence = rows(out / "SIMFONI-PPA-2026-11.xlsx")
    case = next(r for r in violence if r[0] == 1)
    assert case[2] == "PUSPAGA/2026/11/0001" and case[3:5] == (34, "25–44")
    assert case[13] == "UPTD PPA" and case[14].date() == date(2026, 11, 3)
    assert case[15].date() == date(2026, 11, 4) and case[16] == "diterima Bu Wayan, reg. 45/XI"
    assert "Ibu Sari" not in {v for r in violence for v in r}  # SIMFONI gets no names from us
    filled = load_workbook(out / "R1-Dinas-2026-11.xlsx").active
    assert filled["A1"].value == "FORMULIR DINAS PPKB" and filled["A6"].value == "kolom dinas"
    assert (filled["B8"].value, filled["C8"].value, filled["F8"].value) == (1, "Ibu Sari", None)
    assert filled["G8"].value == 34  # after a lettered column, the next one
    assert not (out / "R-I-PPKS-2026-11.xlsx").exists()  # the office's own replaced it
    problems = (out / "formulir-bermasalah.txt").read_text()
    assert "rusak.toml" in problems and "'nik'" in problems and "nomor_register" in problems
    assert (out / "laporan-2026-11.xlsx").exists() and (out / "K-0-PPKS-2026-11.xlsx").exists()
    app.engine.dispose()


def test_check_names_a_broken_form_template_and_how_to_fix_it(tmp_path):
    from typer.testing import CliRunner

    from bot.cli.main import app as cli

    own = tmp_path / "office" / "formulir"
    own.mkdir(parents=True)
    config = office_config(tmp_path)
    (own / "r1-ppks.toml").write_text('rows = "register"\ncolumns = [{ header = "X" }]\n'
                                      'blank = "dari-dinas.xlsx"\n')  # fmt: skip
    result = CliRunner().invoke(cli, ["check", "--config", str(config)])
    flat = " ".join(result.output.split())
    assert result.exit_code == 1, result.output
    assert "GAGAL formulir resmi (data_dir/formulir):" in flat and "r1-ppks.toml" in flat
    assert "dari-dinas.xlsx tidak ditemukan" in flat and "hapus kunci blank" in flat


BAD = [  # (template, what the message must name)
    ('rows = "register"\ncolumns = 5\n', "columns"),
    ('rows = "register"\ncolumns = [{ header = "X" }]\nitems = 5\n', "items"),
    ('rows = "register"\ncolumns = [{ header = "X" }]\nfirst_row = -3\n', "first_row = -3"),
    ('rows = "register"\ncolumns = [{ header = "X" }]\nfirst_row = "x"\n', "first_row"),
    ('rows = "register"\ncolumns = [{ header = "X" }]\nenabled = "false"\n', "enabled"),
    ('rows = "register"\ncolumns = [{ header = "X", column = "ZZZZ" }]\n', "ZZZZ"),
    ('rows = "register"\ncolumns = [{ header = "X", column = "É" }]\n', "É"),
    ('rows = "register"\ncolumns = [{ header = "X" }]\nblank = "../../../../etc/passwd"\n',
     "di dalam folder formulir"),
    ('rows = "register"\ncolumns = [{ header = "X" }]\nblank = "/etc/passwd"\n', "formulir"),
    ('rows = "register"\ncolumns = [{ header = "X" }]\nblank = "bukan.xlsx"\n',
     "tidak dapat dibuka sebagai XLSX"),
]  # fmt: skip


def test_a_template_mistake_is_told_by_file_and_key_and_never_raises_otherwise(tmp_path):
    import pytest

    from bot.files.form_templates import FormError, parse

    (tmp_path / "bukan.xlsx").write_text("ini bukan excel")
    for n, (template, named) in enumerate(BAD):
        path = tmp_path / f"t{n}.toml"
        path.write_text(template)
        with pytest.raises(FormError) as told:
            parse(path, tmp_path)
        assert named in str(told.value) and str(path) in str(told.value), (template, told.value)
    path = tmp_path / "laporan.toml"  # the report's own files' name: kept apart
    path.write_text('rows = "register"\ncolumns = [{ header = "X" }]\n')
    assert parse(path, tmp_path).name == "formulir-laporan"


def test_a_blank_form_with_merged_cells_where_rows_go_is_named_and_the_report_still_made(
    tmp_path,
):
    app = office(tmp_path / "office")
    a_violence_case_referred_and_a_session_held(app)
    own = tmp_path / "office" / "formulir"
    own.mkdir(parents=True)
    blank = Workbook()
    blank.active.merge_cells("A8:D8")
    blank.save(own / "dinas.xlsx")
    template = 'rows = "register"\nblank = "dinas.xlsx"\nfirst_row = 8\n'
    template += 'columns = [{ header = "No", value = "no", column = "B" }]\n'
    (own / "r1-ppks.toml").write_text(template)
    out = tmp_path / "laporan"
    assert report(office_config(tmp_path), out, "2026-11").exit_code == 0
    problems = (out / "formulir-bermasalah.txt").read_text()
    assert "r1-ppks.toml" in problems and "sel gabungan" in problems
    assert (out / "laporan-2026-11.xlsx").exists() and not (out / "R-I-PPKS-2026-11.xlsx").exists()
    (own / "r1-ppks.toml").unlink()  # mended: the note of the earlier run goes
    assert report(office_config(tmp_path), out, "2026-11").exit_code == 0
    assert not (out / "formulir-bermasalah.txt").exists()
    app.engine.dispose()
