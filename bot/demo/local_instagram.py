"""A stand-in for Instagram on this machine, for the demo, staff training and tests: answers of
Instagram's private API shaped as instagrapi parses them (the keys its extractors need, checked
against instagrapi 3.2), served at the HTTP level by requests-mock, so instagrapi's own request
and parsing code runs and nothing leaves the machine (an unknown URL fails loudly)."""

from __future__ import annotations

import re

API = "https://i.instagram.com/api/v1/"
ME = 1000
CLIENT_PK = 42
THREAD = "340282366841710300949128100000000001"
PENDING = "340282366841710300949128100000000002"
PHOTO_URL = "https://cdn.example/photo-1.jpg"


def item(item_id: int, user_id: int, seconds: int, kind: str = "text", **extra) -> dict:
    return {
        "item_id": str(item_id),
        "user_id": user_id,
        "timestamp": str(seconds * 1_000_000),
        "item_type": kind,
        **extra,
    }


def thread(thread_id: str, items: list[dict], user: tuple[int, str, str], pending=False) -> dict:
    pk, username, full_name = user
    return {
        "thread_id": thread_id,
        "thread_v2_id": "1789" + thread_id[-12:],
        "items": items,
        "users": [{"pk": pk, "username": username, "full_name": full_name}],
        "admin_user_ids": [],
        "last_activity_at": items[0]["timestamp"] if items else "0",
        "muted": False,
        "named": False,
        "canonical": True,
        "pending": pending,
        "archived": False,
        "thread_type": "private",
        "thread_title": username,
        "folder": 0,
        "vc_muted": False,
        "is_group": False,
        "mentions_muted": False,
        "approval_required_for_new_members": False,
        "input_mode": 0,
        "oldest_cursor": None,
    }


def current_user(me: int = ME) -> dict:
    return {
        "status": "ok",
        "user": {
            "pk": me,
            "username": "puspaga.contoh",
            "full_name": "PUSPAGA Contoh",
            "is_private": False,
            "profile_pic_url": "https://cdn.example/me.jpg",
            "is_verified": False,
            "is_business": True,
        },
    }


def serve(mock, *, inbox: list[dict], pending: list[dict] | None = None) -> None:
    """Mount the answers the adapter needs on a requests_mock.Mocker."""
    mock.get(API + "accounts/current_user/?edit=true", json=current_user())
    mock.get(re.compile(re.escape(API) + r"direct_v2/inbox/"), json={
        "status": "ok", "inbox": {"threads": inbox, "oldest_cursor": None}})  # fmt: skip
    mock.get(re.compile(re.escape(API) + r"direct_v2/pending_inbox/"), json={
        "status": "ok", "inbox": {"threads": pending or [], "oldest_cursor": None}})  # fmt: skip
    for t in [*inbox, *(pending or [])]:
        mock.get(
            re.compile(re.escape(API) + rf"direct_v2/threads/{t['thread_id']}/(\?.*)?$"),
            json={"status": "ok", "thread": t},
        )
        mock.post(API + f"direct_v2/threads/{t['thread_id']}/approve/", json={"status": "ok"})
    mock.get(PHOTO_URL, content=b"\xff\xd8photo-bytes")


def offline_client():  # noqa: ANN201 - instagrapi.Client
    """An instagrapi client as the service makes one, without the pauses between requests
    (they are politeness towards the real Instagram) or the interactive challenge flow."""
    from instagrapi import Client

    return Client(private_transport="requests", request_timeout=0, with_challenge_flow=False)


def stored_session(seal, me: int = ME, client=None) -> str:  # noqa: ANN001 - a seal, a Client class
    """A session as a previous login leaves it (the authorization header's data), sealed: of
    the account `me`, with the settings (transport, pause between requests) of `client`, by
    default the offline one."""
    import json

    settings = (client or offline_client)().get_settings()
    settings["authorization_data"] = {
        "ds_user_id": str(me),
        "sessionid": f"{me}%3Afake%3A1%3Aabc",
        "should_use_header_over_cookies": True,
    }
    settings["cookies"] = {}
    return seal(json.dumps(settings).encode())


def accept_sends(mock, item_id: int = 3000020) -> None:  # noqa: ANN001
    mock.post(
        API + "direct_v2/threads/broadcast/text/",
        json={"status": "ok", "payload": {"item_id": str(item_id), "thread_id": THREAD,
                                          "timestamp": "1700000300000000"}},
    )  # fmt: skip
