"""The demo's made-up clients and what they write (no real person; names are common ones)."""

from __future__ import annotations

from datetime import datetime, timedelta

from triage.domain.model import Channel, InboundMessage


def _msg(
    channel: Channel, ext: str, sender: str, name: str, text: str, at: datetime, **extra: object
) -> InboundMessage:
    return InboundMessage(
        channel=channel,
        external_id=ext,
        sender_id=sender,
        sender_name=name,
        text=text,
        received_at=at,
        **extra,
    )  # type: ignore[arg-type]


def script(start: datetime) -> dict[Channel, list[InboundMessage]]:
    def m(minutes: float) -> datetime:
        return start + timedelta(minutes=minutes)

    return {
        Channel.EMAIL: [
            _msg(
                Channel.EMAIL,
                "<a1@mail.example>",
                "sari.dewi@mail.example",
                "Sari Dewi",
                "Selamat pagi. Anak saya (14 th) sering murung dan tidak mau sekolah. "
                "Bisakah kami konsultasi?",
                m(0),
                subject="Konsultasi anak remaja",
            ),
            _msg(
                Channel.EMAIL,
                "<b1@mail.example>",
                "budi.santoso@mail.example",
                "Budi Santoso",
                "Mohon info jam layanan dan apakah konseling berbayar?",
                m(1.5),
                subject="Jam layanan",
            ),
            _msg(
                Channel.EMAIL,
                "<a2@mail.example>",
                "sari.dewi@mail.example",
                "Sari Dewi",
                "Tambahan: dia juga jarang makan sejak bulan lalu.",
                m(6),
                subject="Re: Konsultasi anak remaja",
                in_reply_to="<a1@mail.example>",
            ),
        ],
        Channel.INSTAGRAM: [
            _msg(
                Channel.INSTAGRAM,
                "ig-item-9001",
                "ig-user-501",
                "putri.ayu_",
                "kak sy mau tanya, sy sm pacar mau nikah thn dpn, ada konseling pranikah gak?",
                m(0.5),
            ),
            _msg(
                Channel.INSTAGRAM,
                "ig-item-9002",
                "ig-user-777",
                "sari.dewi.mama",
                "Halo, ini Sari yang tadi kirim email. Sudah dibaca?",
                m(8),
            ),
        ],
        Channel.HOTLINE: [
            _msg(
                Channel.HOTLINE,
                "tg-4401:1",
                "4401",
                "Rina",
                "Halo, saya butuh teman bicara. Suami sering marah-marah.",
                m(2),
            ),
            _msg(
                Channel.HOTLINE,
                "tg-4402:1",
                "4402",
                "Pak Nyoman",
                "Selamat pagi, ibu saya sudah lansia dan mulai pikun, bagaimana merawatnya?",
                m(3),
            ),
            _msg(Channel.HOTLINE, "tg-4401:2", "4401", "Rina", "Saya takut pulang ke rumah.", m(4)),
        ],
    }
