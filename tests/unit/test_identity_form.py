"""The identity form: NIK and phone checks, lenient reading of answers, never raising."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from triage.domain.forms.spec import DEFAULT_FORM, nik_problem, phone_e164, read, read_lines

TODAY = date(2026, 11, 24)


def test_a_nik_is_checked_by_its_structure():
    assert nik_problem("5171014506900001") is None  # Bali, a woman born 05-06-1990 (45 = 5+40)
    assert nik_problem("5171 0105 0690 0001") is None  # spaces allowed, a man born 01-05-1990
    assert nik_problem("517101450690") == "form.nik_digits"
    assert nik_problem("9971014506900001") == "form.nik_province"
    assert nik_problem("5171017506900001") == "form.nik_date"  # day 75-40 = 35
    assert nik_problem("5171013102900001") == "form.nik_date"  # 31 February
    assert nik_problem("5171014506900000") == "form.nik_serial"


def test_phone_numbers_are_stored_in_e164():
    assert phone_e164("0812-3456-7890") == "+6281234567890"
    assert phone_e164("+62 812 3456 7890") == "+6281234567890"
    assert phone_e164("12345") is None and phone_e164("nomor saya") is None


def test_answers_are_read_leniently_and_checked_strictly():
    form = DEFAULT_FORM
    assert read(form.field("jenis_kelamin"), "Perempuan", TODAY).value == "perempuan"
    assert read(form.field("usia"), "14 th", TODAY).value == "14"
    assert read(form.field("usia"), "lahir 17-08-2010", TODAY).value == "16"
    assert read(form.field("usia"), "tua sekali", TODAY).problem == "form.age"
    assert read(form.field("nomor_hp"), "lewati", TODAY).value is None  # optional: skipped
    assert read(form.field("nama"), "lewati", TODAY).problem == "form.required"
    assert read(form.field("persetujuan"), "iya", TODAY).value == "ya"
    assert not form.field("nik").first_message  # never asked in the first message


def test_an_email_reply_with_labelled_lines_in_any_order():
    reply = (
        "Selamat siang,\nberikut data saya:\n"
        "Domisili: Kec. Denpasar Barat\nNama : Sari\nJK: P\nUmur: 34 tahun\n"
        "No HP: 0812 3456 7890\nHubungan dengan klien: Ibu\nMasalah: anak susah makan\n"
        "Setuju: ya\n\n> Pada Sen, 23 Nov 2026 pukul 10.00 PUSPAGA menulis:\n> Nama:"
    )
    reading = read_lines(DEFAULT_FORM, reply, TODAY)
    values = {name: a.value for name, a in reading.answers.items()}
    assert values == {
        "domisili": "Kec. Denpasar Barat",
        "nama": "Sari",
        "jenis_kelamin": "perempuan",
        "usia": "34",
        "nomor_hp": "+6281234567890",
        "hubungan": "ibu",
        "topik": "anak susah makan",
        "persetujuan": "ya",
    }
    assert reading.missing(DEFAULT_FORM) == []
    partial = read_lines(DEFAULT_FORM, "Nama: Budi\nUmur: ?", TODAY)
    assert [f.name for f in partial.missing(DEFAULT_FORM)][:2] == ["persetujuan", "usia"]


@given(st.text(max_size=3000))
def test_the_form_reader_never_raises_on_any_text(text):
    read_lines(DEFAULT_FORM, text, TODAY)
    for spec in DEFAULT_FORM.fields:
        read(spec, text, TODAY)
    nik_problem(text)


def test_every_problem_has_a_text_in_both_languages():
    from triage.effects.form_prompts import TEXT_KEYS
    from triage.texts.catalog import texts

    problems = TEXT_KEYS
    for key in problems:
        assert texts()[key]["id"] and texts()[key]["en"]
