"""Many offices in one install (a province's DP3A serving every district's PUSPAGA): a province
file names each office's own configuration file, a whole single-office config.toml with its
own name, time zone, hours, staff, roster, admin group, bot, mailbox, Instagram account,
identity form and answers, and the provincial heads, who see the offices' figures added up,
never a case.

    name = "DP3A Provinsi Bali"
    offices = ["badung/config.toml", "gianyar/config.toml"]
    report_office = "badung"  # whose bot sends the provincial heads their figures
    hotline_office = "badung"  # whose bot is every office's hotline (bot/service/switchboard.py)
    [districts]
    gianyar = ["ubud", "sukawati"]  # more words naming a district, for the shared hotline
    [[staff]]
    telegram_id = 5550001
    name = "Kepala Bidang PPA Provinsi"
    role = "provinsi"

Each office keeps its data apart from the others' by construction: its own SQLite file in its
own data_dir, or, on a PostgreSQL several offices share, its own schema (`[database] schema_name`),
so no query of one office's can reach another's. Each office's secrets are in the `env` beside
its config.toml (a token or password of the province's `env` is for every office that has none
of its own).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, ValidationError

from bot.config.channel_settings import Section
from bot.config.problems import explain
from bot.config.settings import ConfigError, Settings, database_url, load
from bot.config.writer import env_path, read_env
from triage.texts.catalog import Lang, text


class ProvincialHead(Section):
    telegram_id: int
    name: str
    role: Literal["provinsi"] = "provinsi"


class ProvinceConfig(Section):
    language: Literal["id", "en"] = "id"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    name: str
    offices: Annotated[list[str], Field(min_length=1)]
    staff: list[ProvincialHead] = Field(default_factory=list)
    # the office (its code: schema or folder name) whose Telegram bot sends the provincial heads
    # the province's figures; empty: the first office with a bot
    report_office: str = ""
    # the office (its code) whose Telegram bot is the hotline of every office: a new client is
    # sent to the office of the district they name, or asked; empty: each office its own bot
    hotline_office: str = ""
    # more words naming an office's district, for the shared hotline, e.g.
    # badung = ["kuta", "mengwi", "nusa dua"] (each office's name counts already)
    districts: dict[str, list[str]] = Field(default_factory=dict)


@dataclass(frozen=True)
class Office:
    path: Path  # its config.toml
    settings: Settings

    @property
    def key(self) -> str:
        """How the other offices call it (a transfer's code, "badung-42-1"): its schema, or
        the name of the folder its config.toml is in (two offices never share either)."""
        named = self.settings.database.schema_name or self.path.parent.name
        return re.sub(r"[^a-z0-9_]+", "_", named.casefold()).strip("_") or "kantor"


@dataclass(frozen=True)
class Province:
    config: ProvinceConfig
    offices: list[Office]


def is_province(path: Path) -> bool:
    """A province file names its offices; an office's config.toml never does."""
    try:
        return "offices" in tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False  # the office loader says what is wrong with it


def load_province(path: Path, environ: Mapping[str, str]) -> Province:
    raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    lang: Lang = "en" if raw.get("language") == "en" else "id"
    try:
        config = ProvinceConfig.model_validate(raw)
    except ValidationError as exc:
        sections = frozenset({"staff"})
        problems = [explain(e, lang, sections=sections, secrets={}) for e in exc.errors()]  # type: ignore[arg-type]
        raise ConfigError(str(path), problems, lang) from None
    offices = []
    for named in config.offices:
        office_path = (path.parent / named).resolve()
        beside = env_path(office_path)
        own = read_env(beside) if beside.is_file() else {}
        offices.append(Office(office_path, load(office_path, {**environ, **own})))
    problems = _shared(offices, lang)
    keys = [office.key for office in offices]
    for name, value in (("report_office", config.report_office),
                        ("hotline_office", config.hotline_office), *(
                            ("districts", k) for k in config.districts)):  # fmt: skip
        if value and value not in keys:
            problems.append(text("province.office_key", lang, key=name, value=value,
                                 keys=", ".join(keys)))  # fmt: skip
    hub = next((o for o in offices if o.key == config.hotline_office), None)
    if hub is not None and hub.settings.telegram is None:
        problems.append(text("province.hotline_needs_bot", lang, office=hub.path))
    if problems:
        raise ConfigError(str(path), problems, lang)
    return Province(config, offices)


def report_office(province: Province) -> str:
    """Whose bot tells the provincial heads: the one named, or the first office with a bot."""
    with_bot = [o.key for o in province.offices if o.settings.telegram is not None]
    return province.config.report_office or (with_bot[0] if with_bot else "")


def _shared(offices: list[Office], lang: Lang) -> list[str]:
    """What two offices must not share: one would read, or overwrite, the other's."""
    problems = []
    seen: dict[tuple[str, object], Path] = {}
    urls = [database_url(o.settings) for o in offices]
    for office, url in zip(offices, urls, strict=True):
        shared = urls.count(url) > 1 and url.startswith("postgresql")
        if shared and not office.settings.database.schema_name:
            # the default search path would also read a schema named after the database user
            problems.append(text("province.needs_schema", lang, office=office.path))
    for office in offices:
        s = office.settings
        owned: list[tuple[str, object]] = [
            ("key", office.key),
            ("database", (database_url(s), s.database.schema_name)),
            ("data_dir", s.data_dir),
        ]
        if s.telegram is not None:
            owned += [("telegram.token", s.telegram.token),
                      ("telegram.admin_chat_id", s.telegram.admin_chat_id)]  # fmt: skip
        if s.email is not None:
            owned.append(("email", (s.email.imap_host, s.email.username)))
        if s.instagram is not None:
            owned.append(("instagram.username", s.instagram.username))
        if s.webhook is not None:  # one receiver per port: a post for one office taken by another
            owned.append(("webhook.port", s.webhook.port))  # 0.0.0.0 and 127.0.0.1 meet too
        if s.whatsapp is not None:
            owned.append(("whatsapp.phone_number_id", s.whatsapp.phone_number_id))
        if s.messenger is not None:
            owned.append(("messenger.page_id", s.messenger.page_id))
        if s.instagram_graph is not None:
            owned.append(("instagram.account_id", s.instagram_graph.account_id))
        for key, value in owned:
            first = seen.setdefault((key, value), office.path)
            if first != office.path:
                problems.append(text(f"province.shared.{key}", lang, first=first,
                                     second=office.path))  # fmt: skip
    return problems
