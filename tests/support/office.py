"""The tests' own office on the local Bot API server: its people, its admin group and its
settings. Built here, not borrowed from the demo, so that changing the demo changes no test."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from bot.app import App
from bot.config.settings import Settings, from_mapping
from bot.demo.local_api import ApiState, LocalBotApi
from tests.builders import MovingClock

GROUP = -1001234567890
CLIENT = 4242
CLIENT_2 = 4343
ADMIN = 1001
MADE = 2001
NYOMAN = 2002
HEAD = 3001
STRANGER = 5555  # a member of the admin group who is not staff

STAFF = (
    (ADMIN, "Wayan", "admin"),
    (MADE, "Made", "konselor"),
    (NYOMAN, "Nyoman", "konselor"),
    (HEAD, "Ketut", "ketua"),
)


def people() -> ApiState:
    """The staff, one client and the admins' forum group, nobody else."""
    state = ApiState()
    state.add_user(CLIENT, "Rina", last_name="Wulandari")
    for user_id, name, _ in STAFF:
        state.add_user(user_id, name)
    state.add_group(GROUP, "Admin PUSPAGA", members={ADMIN: "member", HEAD: "member"})
    return state


def office_settings(
    api: LocalBotApi,
    data_dir: Path,
    lang: str = "id",
    *,
    telegram: dict[str, Any] | None = None,
    database_url: str = "",
    office: dict[str, Any] | None = None,
    limits: dict[str, Any] | None = None,
    consent: dict[str, Any] | None = None,
    sections: dict[str, Any] | None = None,
    **outbox: Any,
) -> Settings:
    """The office's configuration. It answers the same at any hour (no out-of-hours reply)
    unless `office` says otherwise."""
    office = {"after_hours_reply": False, **(office or {})}
    return from_mapping(
        {
            "language": lang,
            "data_dir": str(data_dir),
            "database": {"url": database_url},
            "office": {"name": "PUSPAGA Kabupaten Contoh", "phone": "+62 361 000000", **office},
            "outbox": {"interval_seconds": 0.1, "retry_base_seconds": 0.5, **outbox},
            # a test's files are kept whatever the machine's free disk (the floor's own tests
            # set it)
            "limits": {"min_free_disk_mb": 0, **(limits or {})},
            "consent": consent or {},
            "referral": {
                "places": {
                    "uptd_ppa": "UPTD PPA Kabupaten Contoh",
                    "puskesmas": "Puskesmas Kecamatan Contoh",
                }
            },
            "telegram": {
                "token": api.state.token,
                "base_url": api.base_url,
                "admin_chat_id": GROUP,
                **(telegram or {}),
            },
            "staff": [
                {"telegram_id": tid, "name": name, "role": role} for tid, name, role in STAFF
            ],
            **(sections or {}),  # more sections: [whatsapp] and [webhook]
        },
        environ={},
    )


# For tests that follow a hotline client's words without their answering the data-protection
# notice: what staff see before it has its own tests (tests/telegram/test_consent_telegram.py).
UNMASKED = {"mask_before": False}


def move_clock(app: App, at: datetime) -> None:
    """The service's clock jumps to `at` and runs on from there (the outbox and the Telegram
    budget measure their waits as time passes): the office is built with a MovingClock."""
    assert isinstance(app.clock, MovingClock)
    app.clock.move_to(at)
