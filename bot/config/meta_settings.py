"""The sections of config.toml for Meta's channels: [webhook] (where Meta posts), [whatsapp]
(the WhatsApp Cloud API number), [messenger] (the office's Facebook Page) and [instagram] with
mode = "graph" (the Instagram account through Meta's Messaging API); settings.py puts them with
the rest. The guide's steps to get each value: docs/META.md."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

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


class GraphAccount(Section):
    """What every account on the Graph API has: its token, the API's address, how often its
    stored posts are drained, the file and time limits."""

    access_token: str
    graph_url: str = "https://graph.facebook.com"
    graph_version: str = "v23.0"
    poll_seconds: Annotated[float, Field(gt=0)] = 5  # drain the stored posts at least this often
    max_attachment_mb: Annotated[float, Field(gt=0)] = 16
    timeout_seconds: Annotated[float, Field(gt=0, le=120)] = 20

    @field_validator("graph_url")
    @classmethod
    def _url(cls, value: str) -> str:
        return http_url(value, "url")


def _digits(key: str):  # noqa: ANN202 - a validator
    """An id Meta gives as digits; the fix says where the office finds it (config.<key>)."""

    def check(value: str) -> str:
        if not value.isdigit():
            raise wrong(key, value=value)
        return value

    return check


class WhatsAppConfig(GraphAccount):
    phone_number_id: str  # the number's id in WhatsApp Manager (digits), not the number
    # An approved template (utility) that asks the client to write again, sent when a reply
    # meets a closed 24-hour window; "" for none (staff are told either way).
    reopen_template: str = ""
    template_language: str = "id"
    # the client sees blue ticks as soon as the message is stored, before a person has read it:
    # off unless the office wants that
    mark_read: bool = False

    _check_id = field_validator("phone_number_id")(_digits("digits"))

    @property
    def account(self) -> str:
        return self.phone_number_id


class MessengerConfig(GraphAccount):
    page_id: str  # the Facebook Page's id (digits: the Page's About, or Meta Business Suite)
    # A reply a person wrote, after the 24-hour window, goes with the HUMAN_AGENT tag (up to 7
    # days): only once Meta's app review granted the app Human Agent (docs/META.md)
    human_agent: bool = False
    mark_read: bool = False  # "seen" shown to the client as soon as the message is stored

    _check_id = field_validator("page_id")(_digits("digits_page"))

    @property
    def account(self) -> str:
        return self.page_id


class InstagramGraphConfig(GraphAccount):
    """[instagram] with mode = "graph": the office's professional account through Meta's
    Messaging API instead of the app's private API (bot/config/channel_settings.py)."""

    mode: Literal["graph"]
    account_id: str  # the Instagram professional account's id (digits)
    human_agent: bool = False  # as for Messenger
    mark_read: bool = False
    # Instagram Login's own app secret, when its posts are signed with it rather than with
    # [webhook] app_secret (both are accepted)
    app_secret: str = ""

    @model_validator(mode="before")
    @classmethod
    def _login_host(cls, raw: object) -> object:
        """An Instagram Login token ("IG…") works only on graph.instagram.com: its host unless
        the office wrote one (a Page token, Facebook Login, stays on graph.facebook.com)."""
        if isinstance(raw, dict) and "graph_url" not in raw:
            if str(raw.get("access_token", "")).startswith("IG"):
                return {**raw, "graph_url": "https://graph.instagram.com"}
        return raw

    _check_id = field_validator("account_id")(_digits("digits_instagram"))

    @property
    def account(self) -> str:
        return self.account_id
