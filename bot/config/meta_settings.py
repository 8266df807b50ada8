"""The sections of config.toml for Meta's channels: [webhook] (where Meta posts) and
[whatsapp] (the WhatsApp Cloud API number); settings.py puts them with the rest. The guide's
steps to get each value: docs/META.md."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator

from bot.config.channel_settings import Section, http_url
from bot.config.problems import wrong


class WebhookConfig(Section):
    """The receiver inside `puspaga run`, behind the office's HTTPS reverse proxy."""

    host: str = "127.0.0.1"  # the proxy forwards to it; not open to the internet itself
    port: Annotated[int, Field(gt=0, lt=65536)] = 8787
    path: str = "/meta"  # no phone number in it: Meta turns a "+" into a space
    verify_token: str  # any long random text, the same as typed in the Meta app's Webhooks page
    app_secret: str  # the Meta app's App Secret: every post is signed with it
    max_body_kb: Annotated[int, Field(ge=64, le=65536)] = 4096

    @field_validator("path")
    @classmethod
    def _path(cls, value: str) -> str:
        if not value.startswith("/") or any(c in value for c in " +?#"):
            raise wrong("webhook_path", value=value)
        return value

    @field_validator("verify_token")
    @classmethod
    def _token(cls, value: str) -> str:
        if len(value) < 16:
            raise wrong("too_short", least="16")
        return value


class WhatsAppConfig(Section):
    phone_number_id: str  # the number's id in WhatsApp Manager (digits), not the number
    access_token: str  # a system user's token with whatsapp_business_messaging
    graph_url: str = "https://graph.facebook.com"
    graph_version: str = "v23.0"
    # An approved template (utility) that asks the client to write again, sent when a reply
    # meets a closed 24-hour window; "" for none (staff are told either way).
    reopen_template: str = ""
    template_language: str = "id"
    # the client sees blue ticks as soon as the message is stored, before a person has read it:
    # off unless the office wants that
    mark_read: bool = False
    poll_seconds: Annotated[float, Field(gt=0)] = 5  # drain the stored posts at least this often
    max_attachment_mb: Annotated[float, Field(gt=0)] = 16
    timeout_seconds: Annotated[float, Field(gt=0, le=120)] = 20

    @field_validator("graph_url")
    @classmethod
    def _url(cls, value: str) -> str:
        return http_url(value, "url")

    @field_validator("phone_number_id")
    @classmethod
    def _digits(cls, value: str) -> str:
        if not value.isdigit():
            raise wrong("digits", value=value)
        return value
