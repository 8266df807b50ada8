"""The Instagram adapter through instagrapi's own request and parsing code, against recorded
answers at the HTTP level (requests-mock; nothing reaches the internet)."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qs

import pytest
import requests_mock
from cryptography.fernet import Fernet

from bot.demo import local_instagram as ig
from bot.service.secret_box import SecretBox
from channels.instagram.session import InstagramSession
from channels.instagram.source import InstagramSource
from tests.fakes import FakeVault
from triage.ports import NotYet, SendError

NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
T = int(NOW.timestamp())


offline_client = ig.offline_client


def stored_session(box: SecretBox) -> str:
    return ig.stored_session(box.seal)


@pytest.fixture
def box() -> SecretBox:
    return SecretBox(Fernet.generate_key())


def source(tmp_path, box, vault=None, told=None, **extra) -> InstagramSource:
    vault = vault or FakeVault(stored_session(box))
    session = InstagramSession("puspaga.contoh", "rahasia", vault, box, offline_client)
    return InstagramSource(
        session,
        tmp_path / "files",
        tell_admins=(told if told is not None else []).append,
        clock=lambda: NOW,
        **extra,
    )


def conversation():
    client = (ig.CLIENT_PK, "sari.contoh", "Sari Contoh")
    inbox = ig.thread(
        ig.THREAD,
        [  # newest first, as Instagram sends them
            ig.item(
                3000005,
                ig.CLIENT_PK,
                T - 60,
                "reel_share",
                reel_share={"text": "kak ini aku", "type": "reply"},
            ),  # fmt: skip
            ig.item(3000004, ig.ME, T - 120, text="Halo Kak, ada yang bisa kami bantu?"),
            ig.item(
                3000003,
                ig.CLIENT_PK,
                T - 180,
                "media",
                media={
                    "id": "1",
                    "media_type": 1,
                    "image_versions2": {
                        "candidates": [{"url": ig.PHOTO_URL, "width": 640, "height": 640}]
                    },
                },
            ),  # fmt: skip
            ig.item(3000002, ig.CLIENT_PK, T - 240, text="anak saya susah diatur kak"),
        ],
        client,
    )
    request = ig.thread(
        ig.PENDING,
        [ig.item(3000010, 77, T - 30, text="Permisi, konseling pranikah berbayar?")],
        (77, "budi.contoh", "Budi Contoh"),
        pending=True,
    )
    return inbox, request


def test_threads_and_requests_are_read_once_in_order_without_our_own_items(tmp_path, box):
    inbox, request = conversation()
    got = []
    with requests_mock.Mocker() as mock:
        ig.serve(mock, inbox=[inbox], pending=[request])
        ig_source = source(tmp_path, box)
        count = ig_source.poll_once(lambda m, c: got.append((m, c)), None)
        approved = [r for r in mock.request_history if r.url.endswith(f"{ig.PENDING}/approve/")]
    messages = [m for m, _ in got if m is not None]
    assert count == 4 and len(approved) == 1  # the message request was accepted
    assert [m.text for m in messages] == [
        "Permisi, konseling pranikah berbayar?",
        "anak saya susah diatur kak",
        "[foto]",
        "[balasan untuk story] kak ini aku",
    ]
    assert all("bantu" not in m.text for m in messages)  # our own item never comes back
    photo = messages[2]
    assert photo.attachments[0].stored_path and photo.sender_name == "Sari Contoh"
    assert open(photo.attachments[0].stored_path, "rb").read() == b"\xff\xd8photo-bytes"
    assert messages[1].received_at == datetime.fromtimestamp(T - 240, UTC)
    last_cursor = got[-1][1]
    again = []
    with requests_mock.Mocker() as mock:
        ig.serve(mock, inbox=[inbox], pending=[])
        assert ig_source.poll_once(lambda m, c: again.append(m), last_cursor) == 0
    assert [m for m in again if m is not None] == []


def test_a_photo_over_the_clients_allowance_or_the_size_cap_is_noted_not_kept(tmp_path, box):
    from channels.file_quota import FileQuota

    full = FileQuota(tmp_path, per_client_bytes=5, min_free_bytes=0)  # the photo has 13 bytes
    for extra, expected in (
        ({"quota": full}, "client_files_mb_per_day"),
        ({"max_file_bytes": 4}, "melebihi batas"),
    ):
        inbox, _ = conversation()
        got = []
        with requests_mock.Mocker() as mock:
            ig.serve(mock, inbox=[inbox], pending=[])
            ig_source = source(tmp_path / expected, box, **extra)
            ig_source.poll_once(lambda m, c, into=got: into.append(m), None)
        photo = [m for m in got if m is not None and m.attachments][0]
        assert photo.attachments[0].stored_path is None and expected in photo.text
        assert "[foto]" in photo.text  # the message itself is kept
        assert not (tmp_path / expected / "files").exists()


def test_a_rate_limit_opens_the_breaker_tells_the_admins_once_and_recovers(tmp_path, box):
    told: list[str] = []
    ig_source = source(tmp_path, box, told=told)
    clock = [NOW]
    ig_source.clock = lambda: clock[0]
    inbox, _ = conversation()
    with requests_mock.Mocker() as mock:
        ig.serve(mock, inbox=[inbox])
        mock.get(ig.API + "direct_v2/pending_inbox/", status_code=429, json={})
        assert ig_source.poll_once(lambda m, c: None, None) == 0
        calls = len(mock.request_history)
        assert ig_source.poll_once(lambda m, c: None, None) == 0
        assert len(mock.request_history) == calls  # breaker open: no call at all
    assert told == ["ig.trouble.rate"]
    with requests_mock.Mocker() as mock:
        ig.serve(mock, inbox=[inbox])
        clock[0] = NOW.replace(hour=3)  # the pause is over
        assert ig_source.poll_once(lambda m, c: None, None) == 3
    assert told == ["ig.trouble.rate", "ig.back"]


def test_a_refused_session_is_reported_and_the_login_retried(tmp_path, box):
    told: list[str] = []
    ig_source = source(tmp_path, box, told=told)
    with requests_mock.Mocker() as mock:
        ig.serve(mock, inbox=[])
        mock.get(
            ig.API + "direct_v2/pending_inbox/",
            status_code=403,
            json={"message": "login_required", "status": "fail"},
        )
        assert ig_source.poll_once(lambda m, c: None, None) == 0
    assert told == ["ig.trouble.login"] and ig_source.session._client is None


def test_replies_go_out_with_direct_send_and_a_crash_is_recognised(tmp_path, box):
    from channels.instagram.sender import InstagramSender
    from triage.domain.outbox import OutboxItem, Target

    session = source(tmp_path, box).session
    sender = InstagramSender(session)
    reply = OutboxItem(
        id=1,
        idempotency_key="tg:9",
        target=Target.INSTAGRAM,
        recipient=str(ig.CLIENT_PK),
        text="Halo Kak, ada yang bisa kami bantu?",
        created_at=datetime.fromtimestamp(T - 130, UTC),
        next_attempt_at=NOW,
    )
    inbox, _ = conversation()
    with requests_mock.Mocker() as mock:
        ig.serve(mock, inbox=[inbox])
        mock.post(
            ig.API + "direct_v2/threads/broadcast/text/",
            json={"status": "ok", "payload": {"item_id": "3000009", "thread_id": ig.THREAD,
                                              "timestamp": str(T * 1_000_000)}},
        )  # fmt: skip
        with pytest.raises(NotYet):  # only the poller logs in; a send waits for it
            sender.send(reply)
        with session.client():
            pass  # the poller's login
        assert sender.send(reply).remote_id == "ig:3000009"
        sent = [r for r in mock.request_history if r.url.endswith("broadcast/text/")]
        form = parse_qs(sent[0].text)
        assert form["text"] == [reply.text] and form["recipient_users"] == [f"[[{ig.CLIENT_PK}]]"]
        # after a crash: our item with this text is already in the thread
        assert sender.already_sent(reply).remote_id == "ig:3000004"
        other = OutboxItem(**{**reply.__dict__, "text": "Pesan lain"})
        assert sender.already_sent(other) is None
        # Instagram answering 502 (after instagrapi's own retries): waited out, not counted
        mock.post(ig.API + "direct_v2/threads/broadcast/text/", status_code=502, json={})
        with pytest.raises(SendError) as incident:
            sender.send(reply)
        assert incident.value.transient and not incident.value.counts
        # a 400 about this message is a refusal
        mock.post(
            ig.API + "direct_v2/threads/broadcast/text/",
            status_code=400,
            json={"status": "fail", "message": "invalid"},
        )
        with pytest.raises(SendError) as refused:
            sender.send(reply)
        assert refused.value.counts


def test_the_service_takes_instagram_in_and_answers_through_the_outbox(tmp_path, box):
    from bot.bootstrap import build
    from bot.config.settings import from_mapping
    from bot.service import loops as service
    from bot.service.instagram import give_code
    from tests.builders import ADMIN, MovingClock
    from triage.usecases import inbox
    from triage.usecases.replies import reply_to_client

    settings = from_mapping(
        {
            "data_dir": str(tmp_path),
            "office": {"name": "Uji"},
            "instagram": {"username": "puspaga.contoh", "password": "rahasia"},
        },
        environ={},
    )
    clock = MovingClock()
    app = build(settings, clock=clock)
    vault, ig_source, _ = app.instagram_codes
    ig_source.session.new_client = offline_client
    ig_source.clock = lambda: NOW
    from bot.service.secret_box import SecretBox as Box

    vault.save_session(stored_session(Box.for_data_dir(tmp_path)))  # as a past login left it
    inbox_thread, request = conversation()
    with requests_mock.Mocker() as mock:
        ig.serve(mock, inbox=[inbox_thread], pending=[request])
        mock.post(
            ig.API + "direct_v2/threads/broadcast/text/",
            json={"status": "ok", "payload": {"item_id": "3000020", "thread_id": ig.THREAD,
                                              "timestamp": str(T * 1_000_000)}},
        )  # fmt: skip
        assert service.poll_all(app) == {ig_source.cursor_key: 4}
        assert service.poll_all(app) == {ig_source.cursor_key: 0}  # the cursor held
        views = {v.client_name: v for v in inbox.snapshot(app.uows)}
        assert set(views) == {"Sari Contoh", "Budi Contoh"}
        reply_to_client(
            views["Budi Contoh"].conversation.id,
            "Konseling pranikah gratis, Kak.",
            actor=ADMIN,
            idempotency_key="tg:1",
            uow_factory=app.uows,
            now=NOW,
        )
        assert service.dispatch(app).sent == 1
        (sent,) = [r for r in mock.request_history if r.url.endswith("broadcast/text/")]
        assert parse_qs(sent.text)["recipient_users"] == ["[[77]]"]  # to Budi's user id
    with app.uows() as uow:  # the session is kept sealed: no plain cookie in the database
        stored = uow.cursors.get("instagram:puspaga.contoh:session")
    assert stored and "sessionid" not in stored
    clock.at = NOW
    assert give_code(app, "123456", NOW) and vault.take_code() == "123456"
    assert vault.take_code() is None  # used once
    give_code(app, "654321", NOW)
    clock.at = NOW.replace(hour=3)  # an hour later: Instagram's code has expired
    assert vault.take_code() is None


def test_a_challenge_asks_the_admins_for_the_code_and_voice_and_shared_posts_are_read(
    tmp_path, box
):
    told: list[str] = []
    vault = FakeVault(stored_session(box))
    ig_source = source(tmp_path, box, vault=vault, told=told)
    with requests_mock.Mocker() as mock:
        ig.serve(mock, inbox=[])
        mock.get(
            ig.API + "accounts/current_user/?edit=true",
            status_code=400,
            json={"message": "challenge_required", "status": "fail",
                  "challenge": {"api_path": "/challenge/1000/abc/"}},
        )  # fmt: skip
        assert ig_source.poll_once(lambda m, c: None, None) == 0
    assert told == ["ig.trouble.challenge"] and ig_source.session._client is None
    items = [
        ig.item(3000031, ig.CLIENT_PK, T - 50, "xma_media_share",
                xma_media_share=[{"target_url": "https://www.instagram.com/p/abc/"}]),
        ig.item(3000030, ig.CLIENT_PK, T - 60, "voice_media", voice_media={"media": {
            "id": "9", "media_type": 11, "audio": {"audio_src": "https://cdn.example/v.m4a"}}}),
    ]  # fmt: skip
    thread = ig.thread(ig.THREAD, items, (ig.CLIENT_PK, "sari.contoh", "Sari Contoh"))
    got = []
    ig_source.breaker.until = NOW  # the code came: try now
    with requests_mock.Mocker() as mock:
        ig.serve(mock, inbox=[thread])
        mock.get("https://cdn.example/v.m4a", content=b"voice")
        assert ig_source.poll_once(lambda m, c: got.append(m), None) == 2
    voice, shared = [m for m in got if m is not None]
    assert voice.text == "[pesan suara]" and voice.attachments[0].size == 5
    assert shared.text.startswith("[kiriman yang dibagikan] https://www.instagram.com/p/abc")
    assert told[-1] == "ig.back"
