"""What a client consents to, said before any personal data is asked (UU 27/2022): the purpose,
who reads, how long each kind is kept (from the office's [retention]), the rights and how to
use them; in the hotline's greeting and in the form's consent texts on every channel."""

import pytest

from bot.config.settings import from_mapping
from bot.config.triage import form_setup
from bot.telegram.greeting import greeting

TEXTS = ("form.chat.consent", "form.mail.intro")  # Instagram asks by message, email by letter


def _said(settings):
    setup = form_setup(settings)
    return [greeting(settings), *(setup.texts[key] for key in TEXTS)]


def test_every_consent_text_says_purpose_readers_keeping_and_rights():
    settings = from_mapping({"office": {"name": "PUSPAGA Uji"}}, environ={})
    for said in _said(settings):
        assert "{" not in said  # every placeholder filled
        assert "hanya dipakai untuk layanan konseling ini" in said
        assert "catatan psikologis hanya konselor Anda dan ketua kantor" in said
        assert "para admin di grup petugas kami" in said  # every admin reads the first messages
        assert "juga email, sampai kepada petugas lewat Telegram" in said
        assert "di luar Indonesia" in said  # Telegram's and Meta's servers
        assert "kotak email tidak ikut terhapus" in said  # what erasure does not reach
        assert "Pesan dan lampiran disimpan 2 tahun sesudah kasus selesai" in said  # defaults
        assert "catatan konseling 5 tahun sesudah kasus selesai" in said
        assert "salinan, perbaikan, atau penghapusan" in said and "menarik persetujuan" in said
        assert "tulis BERHENTI untuk menarik persetujuan" in said  # triage.effects.withdrawal
        assert "permintaan lain tulis di sini" in said and "3×24 jam" in said
    assert len(greeting(settings)) < 4096  # one Telegram message


@pytest.mark.parametrize(
    ("retention", "messages", "records"),
    [
        ({"messages_days": 90, "attachments_days": 60}, "3 bulan", "5 tahun"),
        (
            {"messages_days": 365, "attachments_days": 30, "records_days": 0},
            "1 tahun",
            "sampai Anda meminta dihapus",
        ),
        (
            {"messages_days": 45, "attachments_days": 30, "identity_days": 3650},
            "45 hari",
            "10 tahun",
        ),
        ({"attachments_days": 0}, "sampai Anda meminta dihapus", "5 tahun"),  # the longest kind
        ({"case_files_days": 0}, "2 tahun", "sampai Anda meminta dihapus"),
    ],
)
def test_the_keeping_times_are_the_offices_own(retention, messages, records):
    settings = from_mapping({"office": {"name": "Uji"}, "retention": retention}, environ={})
    for said in _said(settings):
        assert f"lampiran disimpan {messages}" in said
        assert f"catatan konseling {records}" in said


def test_in_english_too():
    settings = from_mapping(
        {"language": "en", "office": {"name": "Uji"}, "retention": {"messages_days": 365}},
        environ={},
    )
    for said in _said(settings):
        assert "attachments are kept for one year after the case is closed, then erased" in said
        assert "withdraw your consent at any time" in said and "{" not in said
