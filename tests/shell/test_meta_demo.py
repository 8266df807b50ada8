"""The demo's Meta act runs whole and says what happened: posts answered, the forgery refused,
the duplicate kept once, the reply sent, the late one refused with the template; Messenger's
and Instagram's messages taken in (the photo kept), the replies delivered, the late one
tagged."""

from __future__ import annotations

from datetime import UTC, datetime

from rich.console import Console

from bot.demo.meta_act import run_meta_act


def test_the_meta_act_tells_the_story(tmp_path):
    console = Console(record=True, width=300)
    run_meta_act(tmp_path / "meta", "id", console, datetime(2026, 12, 7, 2, 0, tzinfo=UTC))
    said = console.export_text()
    assert "dijawab 200, 200, 200" in said and "kiriman palsu dijawab 401" in said
    assert "pesan WhatsApp masuk: 2" in said  # the retried post kept once
    assert "Graph API: 1;" in said and "(1 gagal" in said
    assert "templat: puspaga_tulis_lagi" in said and "sampai ke klien itu: 0" in said
    assert "🔵 Putu Ayu: Kak, mau tanya layanan konseling pranikah" in said
    assert "📸 Kadek Sari: [foto] ini foto suratnya kak (bukti.jpg)" in said
    assert "Messenger dan Instagram: kiriman Meta dijawab 200, 200; pesan masuk: 2" in said
    assert "di Messenger: 1, di Instagram: 1" in said and "dengan tag HUMAN_AGENT" in said
    assert (
        "balasan konselor sampai di Instagram: 1; dari pesan klien sampai balasan konselor: 6"
        in said
    )
