"""The files `puspaga setup` writes: config.toml with what the office chose (every other key
keeps its default, explained in config.example.toml), and the secrets in `env` beside it, the
file systemd's unit reads (EnvironmentFile) and every `puspaga` command reads too
(bot/cli/common.py). Both are replaced whole, never left half-written, readable by their owner
and the folder's group only."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import tomlkit
from dotenv import dotenv_values

from bot.config.channel_settings import InstagramConfig
from bot.config.meta_settings import InstagramGraphConfig
from bot.config.settings import SECRET_ENV
from triage.texts.catalog import Lang, text

ENV_FILE = "env"
DEFAULT_BOT_API = "https://api.telegram.org/bot"


@dataclass
class MailAnswers:
    address: str
    imap_host: str
    smtp_host: str
    imap_port: int = 993
    smtp_port: int = 465
    smtp_security: str = "ssl"
    sent_folder: str = "Sent"


@dataclass
class Answers:
    """What the operator told `puspaga setup`."""

    office: str
    group_id: int
    staff: list[tuple[int, str, str]]  # telegram_id, name, role
    language: Lang = "id"
    data_dir: str = "data"
    timezone: str = "Asia/Makassar"
    phone: str = ""
    address: str = ""
    hours: dict[str, list[str]] | None = None  # None: the product's default hours
    telegram_url: str = DEFAULT_BOT_API
    mail: MailAnswers | None = None
    instagram: str | None = None
    whatsapp: str | None = None  # the number's id; its token and the app's secrets in `secrets`
    messenger: str | None = None  # the Facebook Page's id
    instagram_graph: str | None = None  # the Instagram account's id (Meta's Messaging API)
    secrets: dict[str, str] = field(default_factory=dict)  # variable -> value
    dropped: set[str] = field(default_factory=set)  # variables no longer used (a switch)


def env_path(config: Path) -> Path:
    return config.parent / ENV_FILE


def _quotable(value: str) -> bool:
    """A value the env file can hold in single quotes, read alike by systemd, a shell's `.`
    and python-dotenv (no escapes inside single quotes in any of them)."""
    return "'" not in value and "\n" not in value and "\\" not in value


def config_document(
    answers: Answers, today: date, base: tomlkit.TOMLDocument | None = None
) -> tomlkit.TOMLDocument:
    """config.toml as a TOML document: `base` (the office's file, when it has one) with what
    the setup asked changed, its other keys and comments kept; a secret that the env file
    cannot hold is written here."""
    lang = answers.language
    if base is None:
        doc = tomlkit.document()
        doc.add(tomlkit.comment(text("setup.file.header", lang, date=today.isoformat())))
        doc.add(tomlkit.comment(text("setup.file.more", lang)))
        doc.add(tomlkit.nl())
    else:
        doc = base
    doc["language"] = lang
    doc["data_dir"] = answers.data_dir
    sections: dict[str, tomlkit.items.Table] = {}

    def section(name: str) -> tomlkit.items.Table:
        if name not in sections:
            found = doc.get(name)
            sections[name] = found if isinstance(found, tomlkit.items.Table) else tomlkit.table()
        return sections[name]

    office = section("office")
    office["name"] = answers.office
    office["timezone"] = answers.timezone
    office["phone"] = answers.phone
    office["address"] = answers.address
    if answers.hours is not None:
        office["hours"] = answers.hours
    telegram = section("telegram")
    if answers.telegram_url != DEFAULT_BOT_API:
        telegram["base_url"] = answers.telegram_url
    elif "base_url" in telegram:
        del telegram["base_url"]
    telegram["admin_chat_id"] = answers.group_id
    if answers.mail is not None:
        mail = section("email")
        m = answers.mail
        mail.update({"imap_host": m.imap_host, "imap_port": m.imap_port, "username": m.address})
        mail.update({"smtp_host": m.smtp_host, "smtp_port": m.smtp_port})
        mail.update({"smtp_security": m.smtp_security, "from_address": m.address})
        mail["sent_folder"] = m.sent_folder
    if answers.instagram:
        instagram = section("instagram")
        instagram["username"] = answers.instagram
        _only(instagram, InstagramConfig, "mode")  # the Messaging API's keys go
    if answers.whatsapp or answers.messenger or answers.instagram_graph:
        section("webhook")  # the receiver on its defaults, behind the office's proxy (docs/META.md)
    if answers.whatsapp:
        section("whatsapp")["phone_number_id"] = answers.whatsapp
    if answers.messenger:
        section("messenger")["page_id"] = answers.messenger
    if answers.instagram_graph:
        instagram = section("instagram")
        instagram.update({"mode": "graph", "account_id": answers.instagram_graph})
        _only(instagram, InstagramGraphConfig)  # the password login's keys go
    for (name, key), variable in SECRET_ENV.items():
        value = answers.secrets.get(variable)
        if value and not _quotable(value) and (name in sections or name == "network"):
            section(name)[key] = value  # TOML escapes what the env file cannot
    for name, table in sections.items():
        if name not in doc:
            doc[name] = table
    _staff(doc, answers.staff)
    return doc


def _staff(doc: tomlkit.TOMLDocument, staff: list[tuple[int, str, str]]) -> None:
    """[[staff]] as answered; a person already there keeps their other keys (specialties)
    and comments, only the name and role are set."""
    found = doc.get("staff")
    if not isinstance(found, tomlkit.items.AoT):
        found = tomlkit.aot()
        doc["staff"] = found
    wanted = {telegram_id: (name, role) for telegram_id, name, role in staff}
    for index in reversed(range(len(found))):
        if found[index].get("telegram_id") not in wanted:
            del found[index]
    there = {entry.get("telegram_id"): entry for entry in found}
    for telegram_id, (name, role) in wanted.items():
        entry = there.get(telegram_id)
        if entry is None:
            entry = tomlkit.table()
            entry["telegram_id"] = telegram_id
            found.append(entry)
            entry = found[-1]
        entry["name"] = name
        entry["role"] = role


def env_text(answers: Answers) -> str:
    lines = [f"# {text('setup.file.env', answers.language)}"]
    for variable, value in sorted(answers.secrets.items()):
        if value and _quotable(value):
            lines.append(f"{variable}='{value}'")
    return "\n".join(lines) + "\n"


def read_env(path: Path) -> dict[str, str]:
    """The env file's values (python-dotenv reads the syntax systemd and a shell accept)."""
    values = dotenv_values(path, interpolate=False)  # "${X}" in a password stays as written
    return {k: v for k, v in values.items() if v is not None}


def write_private(path: Path, content: str) -> None:
    """Replace `path` whole: mode 0640, the owner and group of the file it replaces kept; a
    new file takes the group of its folder (README makes /etc/puspaga-inbox the service's)."""
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    old = path.stat() if path.exists() else None
    fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, 0o640)
        if os.geteuid() == 0:
            uid, gid = (old.st_uid, old.st_gid) if old else (0, folder.stat().st_gid)
            os.chown(temp, uid, gid)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _only(table: Any, model: Any, *also: str) -> None:
    """Keep in `table` only the keys `model` reads (less `also`): after a switch of
    Instagram's route, the other route's keys would be refused."""
    for key in [k for k in table if k not in model.model_fields or k in also]:
        del table[key]
