"""The sections of config.toml the channel adapters and the intake limits read ([telegram],
[email], [instagram], [network], [limits]); settings.py puts them together with the rest."""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import urlparse

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot.config.problems import wrong


class Section(BaseModel):
    # strict: "993" in quotes is not a port, "true" in quotes not a yes; TOML writes both plainly
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


def http_url(value: str, problem: str) -> str:
    """`value` if it is an http(s) address with a host (and a numeric port, if any)."""
    try:
        parsed = urlparse(value)
        parsed.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        raise wrong(problem) from None
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise wrong(problem)
    return value


class TelegramConfig(Section):
    token: str
    base_url: str = "https://api.telegram.org/bot"
    admin_chat_id: int
    counselor_chat_id: int | None = None
    max_media_mb: Annotated[float, Field(gt=0, le=2000)] = 20
    sign_with_staff_name: bool = False

    @field_validator("base_url")
    @classmethod
    def _url(cls, value: str) -> str:
        return http_url(value, "url")


class EmailConfig(Section):
    imap_host: str
    imap_port: Annotated[int, Field(gt=0, lt=65536)] = 993
    username: str
    password: str
    use_ssl: bool = True
    folder: str = "INBOX"
    poll_seconds: Annotated[float, Field(gt=0)] = 60
    smtp_host: str
    smtp_port: Annotated[int, Field(gt=0, lt=65536)] = 465
    smtp_security: Literal["ssl", "starttls", "plain"] = "ssl"
    from_address: str
    sent_folder: str = "Sent"  # a copy of every reply; "" for none (Gmail files its own)
    mark_seen: bool = False  # mark fetched mail as read in the mailbox
    idle: bool = True  # wait for new mail with IMAP IDLE when the server offers it
    idle_renew_seconds: Annotated[float, Field(ge=5, le=1500)] = 300
    backfill_days: Annotated[int, Field(ge=0, le=365)] = 7
    max_attachment_mb: Annotated[float, Field(gt=0)] = 10
    timeout_seconds: Annotated[float, Field(gt=0)] = 30


class InstagramConfig(Section):
    # "instagrapi": the app's private API with the account's password (below); "graph": Meta's
    # Messaging API with a token (bot/config/meta_settings.py InstagramGraphConfig)
    mode: Literal["instagrapi", "graph"] = "instagrapi"
    username: str
    password: str
    poll_seconds: Annotated[float, Field(ge=20)] = 60  # with jitter; Instagram dislikes haste
    approve_requests: bool = True  # accept message requests (first contacts) automatically
    mark_seen: bool = False  # mark the client's messages as seen when taken in
    backfill_days: Annotated[int, Field(ge=0, le=60)] = 7
    max_attachment_mb: Annotated[float, Field(gt=0)] = 10


class NetworkConfig(Section):
    # The office's web proxy, for Telegram and Instagram (HTTPS through it), e.g.
    # "http://user:sandi@proxy.kantor.go.id:8080". Email (IMAP, SMTP) goes direct: its ports
    # (993, 465 or 587) must be open.
    proxy: str | None = None

    @field_validator("proxy")
    @classmethod
    def _proxy(cls, value: str | None) -> str | None:
        return None if value is None else http_url(value, "proxy")


class LimitsConfig(Section):
    """What one client may take of the staff's attention and of the disk."""

    # A client writing more than this many messages within a minute: staff get one note a day
    # (everything is still stored and passed on, in order, without holding up other clients).
    flood_per_minute: Annotated[int, Field(ge=5)] = 30
    # Files (attachments, the raw mail) one client may have stored within 24 hours; over it a
    # file is not kept, said in the message, and stays where it came from (the mailbox,
    # Telegram, Instagram).
    client_files_mb_per_day: Annotated[float, Field(gt=0)] = 200
    # Files are not kept while the disk holding data_dir has less free than this: the database
    # needs the room more.
    min_free_disk_mb: Annotated[float, Field(ge=0)] = 1024
