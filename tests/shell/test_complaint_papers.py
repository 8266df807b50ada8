"""The complaint's disposition sheet and handling report as Word files, read back with
python-docx: blank where the head has not decided, filled in after; characters a Word file
cannot hold are dropped, never stopping the document; the head signs, whoever closed it."""

import io
from datetime import UTC, datetime, timedelta

from docx import Document

from bot.config.settings import from_mapping
from bot.files.complaint_papers import disposition_sheet, handling_report
from triage.domain.complaint import Paper, StepDone
from triage.domain.workflow import CaseFile

T0 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
SETTINGS = from_mapping(
    {"office": {"name": "PUSPAGA Uji"},
     "staff": [{"telegram_id": 3001, "name": "Ketut", "role": "ketua"},
               {"telegram_id": 1001, "name": "Ani", "role": "admin"}]},
    environ={},
)  # fmt: skip
NAMES = {3001: "Ketut", 1001: "Ani"}


def words(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def a_paper(data: dict, closed: datetime | None = None, steps=()) -> Paper:
    facts = {"pengaduan": "petugas\ufffe membentak\ud800", "nama": "anonim",
             "terlapor": "petugas loket\uffff", "kronologi": "saya\x0b bertanya"}  # fmt: skip
    cf = CaseFile(5, "pengaduan", "closed" if closed else "waiting_disposition", facts, T0,
                  T0 + timedelta(days=4), data, closed)  # fmt: skip
    trail = list(steps) or [StepDone(n) for n in range(1, 17)]
    return Paper(cf, "surat", True, trail)


def test_the_sheet_is_blank_for_the_head_and_odd_characters_do_not_stop_it():
    sheet = words(disposition_sheet(a_paper({}), SETTINGS, NAMES, T0))
    for expected in ("LEMBAR DISPOSISI PENGADUAN", "PGD/2026/11/5", "Surat", "Segera (mendesak)",
                     "Anonim (ditangani terakhir)", "petugas membentak", "saya bertanya",
                     "Diteruskan kepada", "( Ketut )"):  # fmt: skip
        assert expected in sheet, expected
    assert "\ufffe" not in sheet and "…………" in sheet  # the disposition still to be written


def test_the_report_is_signed_by_the_head_who_decided_not_by_the_admin_who_closed():
    done = [StepDone(n, T0 + timedelta(minutes=n), 1001) for n in range(1, 17)]
    done[6] = StepDone(7, T0, 3001)
    data = {"division": "Bidang PPA", "disposition": "cek", "report": "ditegur",
            "clarifications": [{"at": T0.isoformat(), "text": "diakui\x01"}]}  # fmt: skip
    report = words(handling_report(a_paper(data, T0 + timedelta(days=1), done), SETTINGS, NAMES,
                                   T0))  # fmt: skip
    assert "( Ketut )" in report and "( Ani )" not in report
    for expected in ("LAPORAN PENANGANAN PENGADUAN", "Bidang PPA", "diakui", "ditegur", "ya",
                     "Pihak terlapor: petugas loket", "16. Laporan penanganan"):  # fmt: skip
        assert expected in report, expected
