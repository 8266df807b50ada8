"""`puspaga report --month`: the client report, the register book and SLA compliance as XLSX
(read back with openpyxl), CSV and PNG charts, from a month of cases walked through the SOP."""

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zipfile import ZipFile

from openpyxl import load_workbook
from typer.testing import CliRunner

from bot.cli.main import app as cli
from tests.builders import ADMIN, COUNSELOR
from tests.shell.test_jobs import office
from triage.domain.forms.dialogue import FormState
from triage.domain.model import Channel, InboundMessage, Outcome
from triage.usecases import casework, referral
from triage.usecases.assessment import confirm_assessment, set_assessment
from triage.usecases.ingest import ingest
from triage.usecases.replies import reply_to_client

TUESDAY_9_WITA = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)


def a_month(app) -> None:
    """Six cases in November (one of them at 23.30 WITA on the 30th, UTC still the 30th) and
    one on 1 December 00.30 WITA (30 November in UTC: the office's zone decides)."""
    channels = [Channel.HOTLINE, Channel.EMAIL, Channel.INSTAGRAM, Channel.HOTLINE, Channel.EMAIL]
    for n, channel in enumerate(channels):
        at = TUESDAY_9_WITA + timedelta(minutes=n)
        msg = InboundMessage(channel, f"m{n}", f"c{n}", f"Klien {n}", "halo", at)
        conv = ingest(msg, uow_factory=app.uows, now=at).conversation_id
        with app.uows() as uow:
            answers = {
                "usia": str(10 + 15 * n),
                "jenis_kelamin": "perempuan" if n % 2 else "laki-laki",
            }
            uow.forms.save(FormState(conv, None, answers, "complete", f"PUSPAGA/2026/11/000{n}"))
            uow.commit()
        if n < 3:  # answered in 2 minutes, handed off, claimed, answered by the counselor
            common = {"uow_factory": app.uows}
            reply_to_client(conv, "Halo", actor=ADMIN, idempotency_key=f"a{n}",
                            now=at + timedelta(minutes=2), **common)  # fmt: skip
            casework.hand_off(conv, actor=ADMIN, now=at + timedelta(minutes=3), **common)
            casework.claim(conv, actor=COUNSELOR, now=at + timedelta(minutes=4), **common)
            reply_to_client(conv, "Saya Made", actor=COUNSELOR, idempotency_key=f"c{n}",
                            now=at + timedelta(minutes=30 * n + 5), **common)  # fmt: skip
            closing = {"now": at + timedelta(hours=1), "survey_question": "Nilai 1-4?", **common}
            closing_at = {"now": at + timedelta(hours=1), **common}
            if n == 0:
                referral.refer(conv, "uptd_ppa", "KDRT", actor=COUNSELOR, **closing)
            else:
                if n == 2:  # staff correct triage's category before closing
                    set_assessment(conv, actor=COUNSELOR, category="remaja", **closing_at)
                casework.close(conv, Outcome.TUNTAS, actor=COUNSELOR, **closing)
                confirm_assessment(conv, actor=COUNSELOR, **closing_at)  # the tap at closing
                answer = ("4 3 4 terima kasih", "2,2,3")[n - 1]  # the survey's answers
                back = at + timedelta(hours=2)
                result = ingest(InboundMessage(channel, f"s{n}", f"c{n}", "", answer, back),
                                uow_factory=app.uows, now=back)  # fmt: skip
                assert result.survey_answer and not result.reopened
                if n == 2:  # then writes again: the case reopens, a second counseling contact
                    again = at + timedelta(hours=3)
                    result = ingest(InboundMessage(channel, "r2", f"c{n}", "", "Bu, saya mau "
                                                   "tanya lagi", again),
                                    uow_factory=app.uows, now=again)  # fmt: skip
                    assert result.reopened
    late = datetime(2026, 11, 30, 15, 30, tzinfo=UTC)  # 23.30 WITA: still November
    ingest(InboundMessage(Channel.HOTLINE, "late", "c9", "Klien 9", "halo", late),
           uow_factory=app.uows, now=late)  # fmt: skip
    december = datetime(2026, 11, 30, 16, 30, tzinfo=UTC)  # 00.30 WITA on 1 December
    ingest(InboundMessage(Channel.HOTLINE, "dec", "c8", "Klien 8", "halo", december),
           uow_factory=app.uows, now=december)  # fmt: skip


def office_config(tmp_path, before: str = "", after: str = "") -> Path:
    """The config.toml of the office in tmp_path/office (`before` [office], `after` it)."""
    config = tmp_path / "office" / "config.toml"
    config.write_text(
        f'data_dir = "{tmp_path / "office"}"\n{before}[office]\nname = "PUSPAGA Uji"\n{after}'
    )
    return config


def report(config: Path, out: Path, month: str):  # noqa: ANN201 - typer's Result
    """`puspaga report --month` as an operator runs it."""
    args = ["report", "--month", month, "--out", str(out), "--config", str(config)]
    return CliRunner().invoke(cli, args)


def test_the_monthly_report_files_open_in_a_spreadsheet_and_add_up(tmp_path):
    app = office(tmp_path / "office")
    a_month(app)
    config = office_config(
        tmp_path, after='[[staff]]\ntelegram_id = 2001\nname = "Made"\nrole = "konselor"\n'
    )
    out = tmp_path / "laporan"
    result = report(config, out, "2026-11")
    assert result.exit_code == 0, result.output
    book = load_workbook(out / "laporan-2026-11.xlsx")
    assert book.sheetnames == [
        "Ringkasan", "Buku register", "Ketepatan waktu", "Ketepatan triase", "Pengaduan",
        "Grafik",
    ]  # fmt: skip
    assert book["Ringkasan"]["A1"].value == "Laporan PUSPAGA Uji bulan November 2026"
    checks = {r[0]: r[1:] for r in book["Ketepatan triase"].iter_rows(values_only=True) if r[0]}
    assert checks["Kasus yang dikonfirmasi petugas saat ditutup"][0] == 2
    assert checks["Kategori otomatis benar (jumlah, %)"][:2] == (1, 50.0)  # one corrected
    assert checks["Tingkat risiko otomatis benar (jumlah, %)"][:2] == (2, 100.0)
    summary = {row[0]: row[1] for row in book["Ringkasan"].iter_rows(values_only=True) if row[0]}
    # six conversations, one of them reopened: seven counseling contacts (the case of
    # 1 December WITA is not in it)
    assert summary["Jumlah klien (kasus)"] == 7
    assert summary["Hotline"] == 3 and summary["Email"] == 2 and summary["Instagram"] == 2
    assert summary["Rujukan"] == 1 and summary["13–17"] == 0 and summary["25–44"] == 3
    assert summary["Dirujuk (semua tujuan)"] == 1
    assert summary["UPTD PPA"] == 1 and summary["Tuntas"] == 2  # the answers reopened nothing
    assert summary["Perempuan"] == 2 and summary["Laki-laki"] == 4  # labels, not codes
    assert summary["Belum ditutup"] == 4 and summary["Tidak diketahui"] == 1
    # two surveys asked (none after a referral to UPTD PPA), two answered: means 3.0, 2.5, 3.5;
    # index 3.0 × 25 = 75, grade C
    assert summary["Survei dikirim"] == 2 and summary["Survei dijawab"] == 2
    assert summary["Kecepatan layanan (rata-rata)"] == 2.5
    assert summary["Indeks kepuasan (25–100)"] == 75 and summary["Mutu layanan (A–D)"] == "C"
    sheet = book["Buku register"]
    register = list(sheet.iter_rows(values_only=True))
    assert register[2][:3] == ("No", "Nomor register", "Tanggal") and len(register) == 3 + 7
    rounds = [row[12 - 1] for row in register[3:] if row[1] == "PUSPAGA/2026/11/0002"]
    assert rounds == ["Tuntas", None]  # the first round closed as Tuntas, the second still open
    # a real date a spreadsheet sorts and filters, in the office's time (09.00 WITA)
    assert register[3][2] == datetime(2026, 11, 24, 9, 0) and sheet["C4"].is_date
    assert {row[10] for row in register[3:]} == {"Selesai", "Baru"}  # not "closed", "new"
    assert register[3][8] == "Lainnya" and register[3][7] == "Hotline"
    assert register[3][4] == 10  # an age is a number: 8 sorts before 70
    assert sheet.freeze_panes == "A4" and sheet.auto_filter.ref == "A3:N10"
    assert sheet.column_dimensions["B"].width > len("PUSPAGA/2026/11/0000")
    assert register[3][1] == "PUSPAGA/2026/11/0000" and register[3][13] == "Made"
    assert register[3][12] == "UPTD PPA"
    sla = {row[0]: row for row in book["Ketepatan waktu"].iter_rows(values_only=True) if row[0]}
    # three answered in 2 service minutes (target 5): all within; counselors at 1, 31, 61 min
    assert sla["Jawaban pertama admin"][2:5] == (3, 3, 100)
    assert sla["Balasan pertama konselor"][2:4] == (3, 1)
    assert sla["Langkah"][5:] == (
        "Waktu tengah (menit): separuh kasus lebih cepat", "9 dari 10 kasus selesai dalam (menit)",
    )  # fmt: skip
    assert sla["Dari pesan masuk sampai dijawab konselor"][1] == 30
    with ZipFile(out / "laporan-2026-11.xlsx") as xlsx:  # openpyxl reads no charts back
        charts = [xlsx.read(n).decode() for n in xlsx.namelist() if n.startswith("xl/charts/")]
    assert len(charts) == 3 and all(c.count('<delete val="0"/>') == 2 for c in charts)
    assert sum('<majorUnit val="1"/>' in c for c in charts) == 2  # whole clients only
    with (out / "laporan-2026-11-sla.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][0] == "Langkah" and len(rows) == 6  # the table only: a tool reads it as is
    assert rows[1][1] == "5"  # a whole target, not "5.0"
    notes = [r[0] for r in book["Ketepatan waktu"].iter_rows(values_only=True) if r[0]]
    assert notes[-1].startswith("Menit dihitung hanya dalam jam layanan")  # under the table
    with (out / "laporan-2026-11-buku-register.csv").open(encoding="utf-8-sig") as handle:
        assert list(csv.reader(handle))[1][2] == "2026-11-24 09:00"
    for chart in ("kategori", "kanal", "sla"):
        assert (out / f"laporan-2026-11-{chart}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    app.engine.dispose()


def test_a_name_that_is_a_formula_or_holds_control_characters_stays_text(tmp_path):
    """A sender named "=HYPERLINK(…)" must not become a live formula in the XLSX or the CSV,
    and a control character in a name must not stop the month's report."""
    app = office(tmp_path / "office")
    names = ['=HYPERLINK("http://contoh.test/x","klik")', "+62 Siti", "@Wati", "Bu\x07di\x00 \x1b"]
    for n, name in enumerate(names):
        at = TUESDAY_9_WITA + timedelta(minutes=n)
        msg = InboundMessage(Channel.HOTLINE, f"f{n}", f"f{n}", name, "halo", at)
        conv = ingest(msg, uow_factory=app.uows, now=at).conversation_id
        with app.uows() as uow:
            answers = {"usia": "-1+1", "domisili": "=1+1"}
            uow.forms.save(FormState(conv, None, answers, "complete", f"PUSPAGA/2026/11/01{n}"))
            uow.commit()
    out = tmp_path / "laporan"
    result = report(office_config(tmp_path), out, "2026-11")
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out / "laporan-2026-11.xlsx")["Buku register"]
    cells = [c for row in sheet.iter_rows(min_row=4) for c in row if c.value is not None]
    assert not [c.value for c in cells if c.data_type == "f"]  # no formula anywhere
    texts = [str(c.value) for c in cells]
    assert '\'=HYPERLINK("http://contoh.test/x","klik")' in texts
    assert "'+62 Siti" in texts and "'@Wati" in texts and "'=1+1" in texts and "'-1+1" in texts
    assert "Budi" in " ".join(texts).replace(" ", "")  # control characters dropped, name kept
    with (out / "laporan-2026-11-buku-register.csv").open(encoding="utf-8-sig") as handle:
        flat = [cell for row in csv.reader(handle) for cell in row]
    assert not [c for c in flat if c[:1] in ("=", "+", "-", "@")]
    assert not [c for c in flat if any(ord(ch) < 32 for ch in c)]
    app.engine.dispose()


def test_an_empty_month_says_so_and_a_month_not_begun_is_refused(tmp_path):
    app = office(tmp_path / "office")
    config, out = office_config(tmp_path), tmp_path / "laporan"
    result = report(config, out, "2026-10")
    assert result.exit_code == 0, result.output
    book = load_workbook(out / "laporan-2026-10.xlsx")
    assert book["Buku register"]["A5"].value == "Tidak ada data untuk bulan ini."
    assert book["Buku register"].auto_filter.ref is None  # nothing to filter
    with (out / "laporan-2026-10-buku-register.csv").open(encoding="utf-8-sig") as handle:
        assert len(list(csv.reader(handle))) == 1  # the header: no note among the rows
    assert book["Grafik"]["A4"].value == "Tidak ada data untuk bulan ini."
    with ZipFile(out / "laporan-2026-10.xlsx") as xlsx:  # no empty plot in the workbook
        assert not [n for n in xlsx.namelist() if n.startswith("xl/charts/")]
    assert (out / "laporan-2026-10-kategori.png").read_bytes()[:4] == b"\x89PNG"
    result = report(config, out, "2999-01")
    assert result.exit_code == 2 and "Januari 2999 belum tiba" in result.output
    assert not (out / "laporan-2999-01.xlsx").exists()
    app.engine.dispose()


def test_the_report_in_english_has_no_indonesian_codes_left(tmp_path):
    app = office(tmp_path / "office")
    a_month(app)
    out = tmp_path / "laporan"
    result = report(office_config(tmp_path, before='language = "en"\n'), out, "2026-11")
    assert result.exit_code == 0, result.output
    book = load_workbook(out / "laporan-2026-11.xlsx")
    values = {c for sheet in book for row in sheet.iter_rows(values_only=True) for c in row if c}
    assert "PUSPAGA Uji report, November 2026" in values
    assert {"Female", "Male", "Unknown", "Not closed yet", "Done", "Closed", "Other"} <= values
    indonesian = {"ya", "tidak diketahui", "belum ditutup", "perempuan", "laki-laki", "tuntas",
                  "closed", "new", "lainnya", "hotline", "Lainnya", "Tuntas", "Perempuan",
                  "Selesai", "Baru", "Jumlah", "Rujukan", "Ya"}  # fmt: skip
    assert not indonesian & values
    app.engine.dispose()


def test_which_months_have_begun_and_their_names():
    from datetime import date

    from bot.files.report import MONTH, month_label, not_yet

    assert not not_yet("2026-12", date(2026, 12, 1)) and not_yet("2027-01", date(2026, 12, 31))
    assert not_yet("2026-12", date(2026, 11, 30)) and not not_yet("2026-11", date(2027, 1, 1))
    assert month_label("2026-08", "id") == "Agustus 2026"
    assert month_label("2026-08", "en") == "August 2026"
    assert not MONTH.fullmatch("0000-01") and not MONTH.fullmatch("2026-13")


def test_the_current_month_is_marked_provisional(tmp_path):
    from bot.config.settings import load
    from bot.files import report as report_files

    app = office(tmp_path / "office")
    settings = load(office_config(tmp_path), environ={})
    at = datetime(2026, 12, 1, 2, tzinfo=UTC)  # one message, not answered yet
    ingest(InboundMessage(Channel.EMAIL, "d1", "c1", "Klien", "halo", at),
           uow_factory=app.uows, now=at)  # fmt: skip
    month = report_files.build(app, "2026-12")
    out = tmp_path / "laporan"
    paths = report_files.write(month, out, settings, {}, today=datetime(2026, 12, 6).date())
    title = load_workbook(paths[0])["Ringkasan"]["A1"].value
    assert title == "Laporan PUSPAGA Uji bulan Desember 2026 (sementara, sampai 6 Desember 2026)"
    charts = [r[0] for r in load_workbook(paths[0])["Grafik"].iter_rows(values_only=True)]
    # a case, but none reached a step: not "no data"
    assert "Belum ada kasus yang mencapai langkah SOP bulan ini." in charts
    assert "Tidak ada data untuk bulan ini." not in charts
    app.engine.dispose()


def test_the_complaint_figures_count_the_month_received_settled_and_late(tmp_path):
    from triage.domain.workflow import CaseFile

    app = office(tmp_path / "office")
    nov = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)
    day = timedelta(days=1)
    files = [  # (object, name, opened, due, closed, division)
        ("Pelayanan konseling", "Ibu Ani", nov, nov + 4 * day, nov + 3 * day, "PPA"),
        ("Pelayanan konseling", "anonim", nov, nov + 4 * day, None, "PPA"),
        ("Sikap petugas", "Pak Budi", nov + 9 * day, nov + 13 * day, nov + 20 * day, ""),
    ]
    for n, (thing, name, opened, due, closed, division) in enumerate(files, start=1):
        message = InboundMessage(Channel.HOTLINE, f"c{n}", f"p{n}", name, "aduan", opened)
        conv = ingest(message, uow_factory=app.uows, now=opened).conversation_id
        with app.uows() as uow:
            status = "closed" if closed else "disposed"
            data = {"division": division} if division else {}
            uow.casefiles.save(CaseFile(conv, "pengaduan", status, {"objek": thing, "nama": name},
                                        opened, due, data, closed))  # fmt: skip
            uow.commit()
    out = tmp_path / "laporan"
    assert report(office_config(tmp_path), out, "2026-11").exit_code == 0
    rows = load_workbook(out / "laporan-2026-11.xlsx")["Pengaduan"].iter_rows(values_only=True)
    figures = {r[0]: r[1] for r in rows if r[0]}
    assert figures["Pengaduan diterima"] == 3 and figures["… di antaranya tanpa nama pengadu"] == 1
    assert figures["Pengaduan diselesaikan bulan ini"] == 2
    assert figures["… diselesaikan dalam 4 hari kerja"] == 1  # Pak Budi's took too long
    assert figures["… persen dalam 4 hari kerja"] == 50.0
    assert figures["Pengaduan terbuka yang melewati batas 4 hari kerja (akhir bulan)"] == 1
    assert figures["Pelayanan konseling"] == 2 and figures["Sikap petugas"] == 1


def test_the_months_face_to_face_sessions_are_counted_by_whether_the_client_came(tmp_path):
    """The Karangasem standard records sessions attended and missed: the summary counts them."""
    from triage.domain.appointments import ATTENDED, CANCELLED, NO_SHOW, Appointment

    app = office(tmp_path / "office")
    nov = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)
    conv = ingest(InboundMessage(Channel.HOTLINE, "c1", "p1", "Ibu Ani", "halo", nov),
                  uow_factory=app.uows, now=nov).conversation_id  # fmt: skip
    sessions = [(1, ATTENDED), (2, ATTENDED), (3, NO_SHOW), (4, CANCELLED), (40, NO_SHOW)]
    with app.uows() as uow:  # the last one falls in December: not counted in November
        for days, status in sessions:
            uow.appointments.add(Appointment(None, conv, nov + timedelta(days=days), "Ruang 1",
                                             None, status, ADMIN.staff_id, nov))  # fmt: skip
        uow.commit()
    out = tmp_path / "laporan"
    assert report(office_config(tmp_path), out, "2026-11").exit_code == 0
    rows = load_workbook(out / "laporan-2026-11.xlsx")["Ringkasan"].iter_rows(values_only=True)
    summary = {r[0]: r[1] for r in rows if r[0]}
    assert summary["Klien hadir"] == 2 and summary["Klien tidak hadir"] == 1
    assert summary["Dibatalkan"] == 1 and summary["Dijadwalkan, belum dicatat"] == 0
