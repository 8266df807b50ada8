"""The Telegram shell's pure parts: rendering and escaping, // lines, hours, the send budget."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from hypothesis import example, given
from hypothesis import strategies as st

from bot.demo.local_api.methods import _entities_ok
from bot.telegram.budget import SendBudget
from bot.telegram.greeting import hours_phrase
from bot.telegram.parsing import button_of, case_number, split_internal
from bot.telegram.render import render, topic_title
from triage.domain import notices
from triage.domain.notices import Entry, Kind
from triage.domain.outbox import OutboxItem, Target

WITA = ZoneInfo("Asia/Makassar")
T = datetime(2026, 11, 24, 1, 5, tzinfo=UTC)


def item(kind: Kind, text: str = "", **options: str) -> OutboxItem:
    return OutboxItem(
        id=1,
        idempotency_key="k",
        target=Target.TELEGRAM,
        recipient="group:1",
        text=text,
        created_at=T,
        next_attempt_at=T,
        conversation_id=1,
        options={"kind": kind.value, "conv": "1", "channel": "email", **options},
    )


def test_a_card_escapes_everything_the_client_wrote_and_carries_the_buttons():
    body = notices.dump([Entry(T.isoformat(), "<script>alert(1)</script> & <b>", ("a<b>.pdf",))])
    post = render(item(Kind.CARD, body, name="<i>Budi</i> & co", urgent="1"), "id", WITA)
    assert "&lt;script&gt;" in post.text and "<script>" not in post.text
    assert "&lt;i&gt;Budi&lt;/i&gt; &amp; co" in post.text and "a&lt;b&gt;.pdf" in post.text
    assert "MENDESAK" in post.text and "09:05" in post.text  # office time, WITA
    _entities_ok(post.text, "HTML")  # Telegram would accept it
    assert post.keyboard is not None
    data = [d for row in post.keyboard for _, d in row]
    assert data == [
        "form:1:1",
        "urgent:1:1",
        "handoff:1:1",
        "close:1:1:tuntas",
        "close:1:1:ulang",
        "close:1:1:rujukan",
    ]


@given(st.text(), st.text())
def test_any_name_and_text_render_to_html_telegram_accepts(name, body):
    for kind in (Kind.CARD, Kind.CLIENT, Kind.CASE, Kind.OFFER, Kind.TAKEN):
        raw = notices.dump([Entry(T.isoformat(), body)])
        post = render(item(kind, raw, name=name, by=name), "en", WITA)
        _entities_ok(post.text, "HTML")


def test_the_topic_title_is_plain_short_and_names_channel_client_and_number():
    title = topic_title(item(Kind.CARD, name="  Ibu\nSari " + "x" * 300), "id")
    assert title == "📧 " + ("Ibu Sari " + "x" * 300)[:80] + " · #1"


def test_lines_starting_with_two_slashes_stay_internal():
    assert split_internal("Halo Ibu\n// cek NIK\nSampai jumpa\n  //lagi") == (
        "Halo Ibu\nSampai jumpa",
        "cek NIK\nlagi",
    )
    assert split_internal("// hanya catatan") == ("", "hanya catatan")
    assert split_internal("http://contoh.id") == ("http://contoh.id", "")


def test_hours_are_written_as_people_say_them():
    hours = {d: ["08:00-16:00"] for d in ("mon", "tue", "wed", "thu")} | {"fri": ["08:00-11:30"]}
    assert hours_phrase(hours, "id") == "Senin–Kamis 08.00–16.00; Jumat 08.00–11.30"
    split = {"mon": ["08:00-12:00", "13:00-16:00"], "wed": ["08:00-12:00"]}
    assert hours_phrase(split, "en") == "Monday 08.00–12.00, 13.00–16.00; Wednesday 08.00–12.00"


def test_the_budget_keeps_under_telegrams_limits():
    now = [0.0]
    budget = SendBudget(clock=lambda: now[0])
    assert budget.take(7, group=False) == 0
    assert 0 < budget.take(7, group=False) <= 1.2  # one a second per chat (with margin)
    assert budget.take(8, group=False) == 0  # another chat is free
    times: list[float] = []
    now[0] = 1000.0
    budget = SendBudget(clock=lambda: now[0])
    for _ in range(2000):
        now[0] += 0.05
        if budget.take(-100, group=True) == 0:
            times.append(now[0])
    for i in range(len(times) - 19):
        assert times[i + 19] - times[i] >= 60.0  # never 20 within a minute


def test_after_a_429_the_chat_rests_for_its_retry_after():
    """Telegram's own count may differ from ours (a topic's creation, another program on the
    same bot): after its 429 nothing more is tried in that chat until retry_after has passed."""
    now = [0.0]
    budget = SendBudget(clock=lambda: now[0])
    budget.hold(-100, 7.0)
    assert budget.take(-100, group=True) == 7.0 and not budget.fits(-100, group=True, count=1)
    assert budget.take(-200, group=True) == 0  # another group is not held
    assert budget.resting(-100) == 7.0 and budget.resting(-200) == 0  # topic calls ask this
    now[0] = 7.0
    assert budget.take(-100, group=True) == 0 and budget.fits(-100, group=True, count=1)


def test_case_numbers_and_buttons_are_read_strictly():
    assert case_number("12") == 12 and case_number("#12") == 12
    for junk in ("²", "1e3", "99999999999999999999", "-1", "", "12a"):
        assert case_number(junk) is None
    close = button_of("close:3:2:rujukan")
    assert (close.action, close.conv, close.round, close.outcome.value) == (
        "close",
        3,
        2,
        "rujukan",
    )
    assert button_of("claim:3") is not None and button_of("claim:3").round is None
    for junk in ("close:3:2", "claim:3:2:tuntas", "claim:99999999999", "drop:1", "claim:²", ""):
        assert button_of(junk) is None


@example(["<&>" * 2000, "x" * 5000, "y"], ["n" * 400] * 30, "<b>" * 200)
@given(
    st.lists(st.text(min_size=0, max_size=5000), min_size=1, max_size=6),
    st.lists(st.text(min_size=1, max_size=400), max_size=30),
    st.text(max_size=500),
)
def test_every_post_fits_telegrams_limit_after_escaping(bodies, file_names, name):
    from bot.demo.local_api.methods import MAX_TEXT, _plain
    from triage.domain.model import Attachment, Channel, Direction, StoredMessage

    messages = [
        StoredMessage(
            id=n,
            conversation_id=1,
            direction=Direction.IN,
            channel=Channel.EMAIL,
            external_id=str(n),
            text=body,
            created_at=T,
            auto_generated=True,
            attachments=tuple(Attachment(f, "x", 10**9) for f in file_names),
        )
        for n, body in enumerate(bodies)
    ]
    for batch in notices.batches(notices.entries_of(messages)):
        for kind in (Kind.CARD, Kind.CLIENT, Kind.CASE):
            post = render(item(kind, notices.dump(batch), name=name, urgent="1"), "id", WITA)
            assert len(_plain(post.text, "HTML")) <= MAX_TEXT


def test_a_set_aside_update_names_the_hotline_client_whatever_kind_it_is():
    """So that erasing the client erases it too: a message, an edit, a tapped button."""
    from bot.telegram.runtime import _raw_sender

    private, group = {"id": 42, "type": "private"}, {"id": -100, "type": "supergroup"}
    message = {"chat": private, "from": {"id": 42}}
    assert _raw_sender({"update_id": 1, "message": message}) == "hotline:42"
    assert _raw_sender({"update_id": 2, "edited_message": message}) == "hotline:42"
    button = {"from": {"id": 42}, "message": {"chat": private, "from": {"id": 7}}}
    assert _raw_sender({"update_id": 3, "callback_query": button}) == "hotline:42"
    in_group = {"chat": group, "from": {"id": 42}}
    assert _raw_sender({"update_id": 4, "message": in_group}) is None


def test_a_flood_note_is_rendered_in_the_offices_language():
    at = datetime(2026, 12, 6, tzinfo=UTC)
    item = OutboxItem(
        id=1,
        idempotency_key="flood:1:1:2026-12-06",
        target=Target.TELEGRAM,
        recipient=notices.group(1),
        text="",
        created_at=at,
        next_attempt_at=at,
        options={"kind": "status", "event": "flood", "count": "212", "limit": "30", "conv": "1"},
    )
    assert "212 pesan" in render(item, "id", UTC).text
    assert "212 messages" in render(item, "en", UTC).text


def test_triages_reasons_are_shown_in_the_staffs_words():
    from bot.telegram.render import plain_reasons

    found = "concept.self_harm: sayat tangan; model: 0.40; category.ekonomi: model; context.calm"
    assert plain_reasons(found, "id") == (
        "self harm: sayat tangan; skor model 40% (bukan peluang pasti); "
        "kategori Ekonomi keluarga (menurut model); "
        "ada kata yang mengkhawatirkan, tetapi dibaca sebagai konteks tenang"
    )
    # the card joins them with " · "; a list cut at its length keeps the cut part as it is
    card = "category.ekonomi: 1 · concept.self_harm: capek hidup · model: 0.55 · category.kekerasa"
    assert plain_reasons(card, "id") == (
        "kategori Ekonomi keluarga · self harm: capek hidup · skor model 55% (bukan peluang "
        "pasti) · category.kekerasa"
    )
    said = plain_reasons("category.remaja: 2; urgent.weapon", "en")
    assert "category." not in said and said.endswith("; urgent.weapon")


def test_the_board_marks_an_anonymous_complaint_as_handled_last():
    from bot.telegram.render import board_text
    from triage.usecases import board

    raw = board.dump(
        [
            board.Line(4, "first_admin_response", 3, False, False),
            board.Line(7, "first_admin_response", 9, True, False, last=True),
        ]
    )
    said = board_text(raw, "id").splitlines()
    assert said[1].startswith("#4 · ") and "anonim" not in said[1]
    assert said[2].startswith("#7 · ") and said[2].endswith(
        "9 mnt ⚠️ · pengaduan anonim: ditangani terakhir"
    )
    assert "anonymous complaint: handled last" in board_text(raw, "en")
