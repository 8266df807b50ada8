"""The group's summary (bot.telegram.summary): no kind of post carries the client's words, name
or the rules' quotes of them into the group; what staff need to pick a case up stays."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.telegram.render import render, topic_title
from bot.telegram.summary import open_button, summarised
from triage.domain import notices
from triage.domain.notices import Entry, Kind
from triage.domain.outbox import OutboxItem, Target

T0 = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)
WORDS = "suami saya memukul"


def item(kind: Kind, body: str = "", **options: str) -> OutboxItem:
    base = {"kind": kind.value, "conv": "7", "round": "1", "channel": "hotline",
            "name": "Rina Wulandari", "category": "kekerasan", "urgent": "1"}  # fmt: skip
    return OutboxItem(None, f"k:{kind}", Target.TELEGRAM, "group:7", body, T0, T0,
                      options={**base, **options})  # fmt: skip


def test_no_post_carries_the_clients_words_or_name_into_the_group():
    story = notices.dump([Entry(T0.isoformat(), WORDS, ("visum.jpg (10 B)",))])
    zone = ZoneInfo("Asia/Makassar")
    posts = [
        item(Kind.CARD, story, triage=f"kekerasan: {WORDS}"),
        item(Kind.CLIENT, story),
        item(Kind.ALERT, "", rules=f"urgent: {WORDS}"),
        item(Kind.STATUS, f"Kronologi: {WORDS}", event="complaint_complete"),
    ]
    for post in posts:
        shown = summarised(post)
        words = render(shown, "id", zone).text + topic_title(shown, "id")
        assert WORDS not in words and "Rina" not in words and "visum" not in words, words
        assert "#7" in words or shown.options["kind"] == "status"
    card = render(summarised(posts[0]), "id", zone).text
    assert "kategori Kekerasan" in card and "MENDESAK" in card  # what picking it up needs
    assert open_button(summarised(posts[0]), "id") == [("🔓 Buka di chat pribadi", "open:7")]
    assert open_button(summarised(posts[3]), "id") is None  # a status opens nothing
    staff_words = [  # what staff wrote about the case: not in the group either
        item(Kind.UNDELIVERED, "", preview=f"Bu Rina, {WORDS}?", reason="blocked"),
        item(Kind.STATUS, "", event="legal_hold", reason=f"laporan polisi: {WORDS}", by="Ketut"),
        item(Kind.STATUS, "", event="complaint_outside_remit", reason=WORDS),
        item(Kind.STATUS, "", event="appointment_set", at=T0.isoformat(), place=f"rumah {WORDS}"),
    ]
    for post in staff_words:
        words = render(summarised(post), "id", zone).text
        assert WORDS not in words and "Rina" not in words, words
    handed = item(Kind.STATUS, "", event="handed_off", offered="Made", reason="on_duty")
    assert "piket" in render(summarised(handed), "id", zone).text  # a code, kept: no words
    board = item(Kind.BOARD, "#7 · 4 mnt")
    assert summarised(board).text == "#7 · 4 mnt"  # numbers and minutes only already


def test_the_card_says_an_automatic_answer_went_out_without_its_words():
    """The answer tells the client's topic (the help numbers, the cost): said, not shown."""
    zone = ZoneInfo("Asia/Makassar")
    answer = "Layanan kami gratis. Untuk kekerasan dalam rumah tangga hubungi SAPA 129."
    story = notices.dump(
        [Entry(T0.isoformat(), WORDS), *notices.answer_entries(T0, answer)]
    )  # fmt: skip
    card = render(summarised(item(Kind.CARD, story)), "id", zone).text
    assert "🤖 Jawaban otomatis terkirim ke klien" in card
    assert "SAPA 129" not in card and WORDS not in card
    full = render(item(Kind.CARD, story), "id", zone).text  # the full group sees it all
    assert "SAPA 129" in full and "🤖 Jawaban otomatis terkirim ke klien" in full
