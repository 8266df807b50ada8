"""The demo's WhatsApp act runs whole and says what happened: posts answered, the forgery
refused, the duplicate kept once, the reply sent, the late one refused with the template."""

from __future__ import annotations

from datetime import UTC, datetime

from rich.console import Console

from bot.demo.whatsapp_act import run_whatsapp_act


def test_the_whatsapp_act_tells_the_story(tmp_path):
    console = Console(record=True, width=300)
    run_whatsapp_act(tmp_path / "wa", "id", console, datetime(2026, 12, 7, 2, 0, tzinfo=UTC))
    said = console.export_text()
    assert "dijawab 200, 200, 200" in said and "kiriman palsu dijawab 401" in said
    assert "pesan WhatsApp masuk: 2" in said  # the retried post kept once
    assert "Graph API: 1;" in said and "(1 gagal" in said
    assert "templat: puspaga_tulis_lagi" in said and "sampai ke klien itu: 0" in said
