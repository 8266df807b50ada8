"""Parsing mail as pure functions, on .eml fixtures (tests/data/email, cases.json says what
each must give) and on anything at all (hypothesis: it never raises)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from channels.email.html_text import html_to_text
from channels.email.parse import _parse, parse_mail, safe_filename
from channels.email.quotes import latest_reply

DATA = Path(__file__).parent.parent / "data" / "email"
CASES = json.loads((DATA / "cases.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_fixture_parses_as_expected(name):
    want = CASES[name]
    mail = parse_mail((DATA / name).read_bytes())
    assert mail.from_address == want["from_address"]
    assert mail.from_name == want["from_name"]
    assert mail.subject == want["subject"]
    assert mail.message_id == want["message_id"]
    assert mail.in_reply_to == want["in_reply_to"]
    assert list(mail.references) == want["references"]
    assert (mail.automatic is not None) == want["auto"], mail.automatic
    for part in want["text_contains"]:
        assert part in mail.text, (part, mail.text[:500])
    for part in want["text_excludes"]:
        assert part not in mail.text, part
    assert [f.original_name for f in mail.files] == want["attachments"]
    for file in mail.files:
        assert "/" not in file.filename and "\\" not in file.filename
        assert not file.filename.startswith(".")


def test_huge_mail_is_cut_for_display_but_readable():
    raw = (DATA / "huge_body.eml").read_bytes()
    mail = parse_mail(raw)
    assert len(raw) > 3_000_000 and "text cut" in mail.problems
    assert mail.text.endswith("[…]") and len(mail.text) < len(raw) // 50


@pytest.mark.parametrize(
    "header",
    [
        b"Subject: =?iso-8859-1\xff?q?x?=",
        b"From: =?utf-8?b?YWJjZ?= <a@example.com>",
        b'Content-Type: text/plain; charset="a\x00b"',
        b"Subject: =?idna?q?x?=",
    ],
)
def test_headers_that_break_the_standard_library_still_give_a_mail(header):
    mail = parse_mail(header + b"\r\nFrom: Siti <siti@example.com>\r\n\r\nTolong saya")
    assert "Tolong saya" in mail.text


def test_html_keeps_paragraphs_and_drops_scripts():
    html = (
        "<style>p{color:red}</style><p>Satu &amp; dua</p><script>alert(1)</script><p>Tiga<br>Empat"
    )
    assert html_to_text(html) == "Satu & dua\n\nTiga\nEmpat"
    unclosed_head = "<html><head><title>t</title><body><p>Tolong saya</p>"
    assert html_to_text(unclosed_head) == "Tolong saya"


@pytest.mark.parametrize(
    "quoted",
    [
        "Pada Sen, 23 Nov 2026 pukul 10.15 PUSPAGA <p@example.org> menulis:\n> Jam berapa?",
        "On Mon, Nov 23, 2026 at 10:15 AM PUSPAGA <p@example.org> wrote:\n> When?",
        "________________________________\nDari: PUSPAGA <p@example.org>\n"
        "Dikirim: Senin, 23 November 2026 10.15\nKepada: Siti\nSubjek: Re: Tanya\n\nJam berapa?",
        "-----Original Message-----\nFrom: PUSPAGA\nSent: Monday\nTo: Siti\n\nWhen?",
    ],
)
def test_quoted_history_is_hidden_in_indonesian_and_english_forms(quoted):
    assert latest_reply(f"Baik, saya datang besok.\n\n{quoted}") == "Baik, saya datang besok."


def test_a_message_that_is_all_quote_is_not_reduced_to_nothing():
    assert latest_reply("> hanya kutipan") == "> hanya kutipan"
    assert (
        latest_reply("- anak saya 15 tahun\n- sering bolos")
        == "- anak saya 15 tahun\n- sering bolos"
    )


def test_file_names_are_made_safe():
    assert safe_filename("../../etc/passwd") == "passwd"
    assert safe_filename("..\\..\\surat rujukan é.pdf") == "surat rujukan é.pdf"
    assert safe_filename("", "image/jpeg") == "lampiran.jpg"
    assert safe_filename("a\x00b<script>.txt") == "a_b_script_.txt"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=3000))
def test_any_bytes_parse_without_raising(raw):
    mail = _parse(raw, 10**7)  # the parser itself, not the last-resort fallback around it
    assert isinstance(mail.text, str) and isinstance(mail.files, tuple)


HEADERS = st.sampled_from(
    [
        b"From: ", b"Subject: =?", b"Content-Type: multipart/mixed; boundary=", b"--",
        b"Content-Transfer-Encoding: base64\r\n", b"charset=", b"\r\n\r\n", b"=?utf-8?b?",
        b"Content-Disposition: attachment; filename*=", b"<", b">", b"\xff\xfe", b"=\r\n",
        b"=?iso-8859-1\xff?q?x?=", b"=?utf-8?b?YWJjZ?=", b"charset=\"a\x00b\"", b"=?idna?q?x?=",
        b"=?base64?q?x?=", b"Content-Type: text/plain; charset=", b"From: =?",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(HEADERS, st.binary(max_size=40)), max_size=40))
def test_mail_like_garbage_parses_without_raising(chunks):
    _parse(b"".join(chunks), 10**7)


def test_a_mail_that_cannot_be_parsed_at_all_is_still_kept_readable(monkeypatch):
    import channels.email.parse as parse

    def broken(raw, cap):
        raise RecursionError("deep MIME")

    monkeypatch.setattr(parse, "_parse", broken)
    mail = parse.parse_mail(b"From: Siti <siti@example.com>\r\n\r\nTolong saya")
    assert mail.from_address == "siti@example.com" and "Tolong saya" in mail.text
    assert mail.problems == ("unreadable: RecursionError",)


def test_windows_1252_labelled_latin_1_shows_its_quotes_not_control_characters():
    """Outlook's usual mislabel: curly quotes and a dash (0x93 0x94 0x96) in a mail said to be
    ISO-8859-1, where those bytes are control characters."""
    body = "Saya bilang \x93tolong\x94 \x96 dia diam saja.".encode("latin-1")
    raw = (
        b"From: Ani <ani@example.com>\r\nTo: puspaga@kota.example\r\nSubject: Cerita\r\n"
        b"Message-ID: <cp1252@example.com>\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: text/plain; charset="iso-8859-1"\r\n'
        b"Content-Transfer-Encoding: 8bit\r\n\r\n" + body + b"\r\n"
    )
    mail = parse_mail(raw, max_file_bytes=10_000)
    assert "Saya bilang \u201ctolong\u201d \u2013 dia diam saja." in mail.text
    assert not any("\x80" <= c <= "\x9f" for c in mail.text)


def _flowed(body: str, delsp: str = "no") -> bytes:
    head = (
        "From: Siti <siti@example.com>\nTo: puspaga@kota.example\nSubject: Re: Jadwal\n"
        "Message-ID: <f1@example.com>\nMIME-Version: 1.0\n"
        f"Content-Type: text/plain; charset=utf-8; format=flowed; delsp={delsp}\n\n"
    )
    return (head + body).encode()


def test_a_reply_written_below_a_flowed_quote_is_shown_without_the_quote():
    """Thunderbird and Apple Mail quote first and send format=flowed: the quote's soft line
    breaks never join the reply under it, and the quote and its header are not shown."""
    mail = parse_mail(_flowed(
        "Pada 23 Nov 2026 10.15, PUSPAGA Kota menulis:\n"
        "> Apakah Ibu bisa datang hari Kamis pagi ke kantor kami untuk konseling \n"
        "> pertama? \n"
        "Bisa, saya datang jam 9. Anak saya ikut \n"
        "juga ya, dia masih takut.\n"
    ))  # fmt: skip
    assert mail.text == "Bisa, saya datang jam 9. Anak saya ikut juga ya, dia masih takut."


def test_a_quote_header_in_a_language_the_rules_do_not_list_is_not_shown():
    mail = parse_mail(_flowed(
        "Terima kasih, saya tunggu kabarnya.\n\n"
        "Am 23.11.2026 um 10:15 schrieb PUSPAGA Kota <puspaga@kota.example>:\n"
        "> Jam layanan kami 08.00-16.00.\n> \n> Salam,\n> PUSPAGA\n\n"
    ))  # fmt: skip
    assert mail.text == "Terima kasih, saya tunggu kabarnya."  # a quote of many lines, too


def test_what_the_client_quotes_themselves_stays_shown():
    """A threat pasted with a line of their own before it is not a reply header."""
    mail = parse_mail(_flowed(
        "Ini pesan suami saya semalam:\n> kalau kamu lapor, kamu saya habisi\nSaya takut.\n"
    ))  # fmt: skip
    assert "kamu saya habisi" in mail.text and "Saya takut." in mail.text


def test_flowed_text_is_joined_within_a_quote_depth_and_delsp_drops_the_space():
    mail = parse_mail(_flowed("Anak saya sering mena-\nngis malam hari.\n", delsp="yes"))
    assert mail.text == "Anak saya sering mena-\nngis malam hari."  # no soft break: kept
    mail = parse_mail(_flowed("Anak saya sering mena \nngis malam hari.\n", delsp="yes"))
    assert mail.text == "Anak saya sering menangis malam hari."
    assert parse_mail(_flowed(" >bukan kutipan\n")).text == ">bukan kutipan"  # space-stuffed
