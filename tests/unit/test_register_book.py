"""Reading an office's register book (triage.domain.forms.register_book) as offices fill it:
headers with dots and line breaks, statuses in sentences, dates as serial numbers or a dash,
a second «Nama» column for the reported party, ways of coming in everyday words."""

from datetime import date, datetime

from triage.domain.forms.register_book import MAX_ROWS, category_of, form_labels, read
from triage.domain.forms.spec import DEFAULT_FORM
from triage.domain.model import Channel

TODAY = date(2026, 12, 6)
LABELS = form_labels(DEFAULT_FORM)
HEAD = ["No.", "Tgl.\nDatang", "Nama", "Cara datang", "Status", "Usia", "Nama"]


def rows(*body):
    return [["Buku register 2026"], HEAD, *body]


def test_statuses_in_sentences_dates_as_numbers_and_everyday_ways_are_read():
    reading = read(rows(
        [1, 46330.0, "Ibu Sari", "Tatap muka", "Belum selesai", 34.0, "Pak Joko (terlapor)"],
        [2, "-", "Ibu Ani", "WA", "Selesai (dirujuk UPTD)", "", ""],
        [3, "12/11/2026", "Ibu Tini", "telp", "Sudah selesai.", "", ""],
        [4, datetime(2026, 11, 20, 10, 0), "Ibu Rina", "", "proses", "40", ""],
    ), LABELS, TODAY)  # fmt: skip
    assert reading.closed == (4, 5) and reading.problems == ()
    sari, rina = reading.rows
    assert (sari.channel, sari.came) == (Channel.LANGSUNG, date(2026, 11, 4))  # 46330, as Excel
    assert "usia: 34" in sari.form_lines and "Joko" not in sari.form_lines + sari.name
    assert rina.came == date(2026, 11, 20) and rina.channel is Channel.LANGSUNG
    assert reading.unknown_headers == ("no",)


def test_a_year_in_the_date_column_is_no_date_and_a_book_too_long_is_refused():
    reading = read(rows([1, 2026, "Ibu Sari", "", "", "", ""]), LABELS, TODAY)
    assert [p[1] for p in reading.problems] == ["import.date"]
    huge = read([HEAD] + [[n, "", f"Klien {n}"] for n in range(MAX_ROWS + 25)], LABELS, TODAY)
    assert huge.too_long and huge.rows == ()


def test_the_offices_category_words_become_codes():
    assert category_of("Keluarga Harmonis") == "keluarga_harmonis"
    assert category_of("KDRT") == "kekerasan" and category_of("remaja") == "remaja"
    assert category_of("urusan lain-lain") == ""
