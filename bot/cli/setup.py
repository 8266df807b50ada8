"""`puspaga setup`: from a bot token to a config.toml, in the office's words, for a person who
is not a programmer. Each answer can also be given as an option (`--yes`: ask nothing, for
automation); what Telegram knows (the group's id, each person's id) is taken from Telegram
(bot/telegram/enrol.py), never typed."""

from __future__ import annotations

import os
import pwd
import re
import subprocess
import sys
import threading
import time
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated

import tomlkit
import typer

from bot.cli import health
from bot.config.settings import ConfigError, from_mapping
from bot.config.writer import (
    DEFAULT_BOT_API,
    Answers,
    MailAnswers,
    config_document,
    env_path,
    env_text,
    read_env,
    write_private,
)
from bot.telegram.enrol import RETRY_SECONDS, EnrolError, Enrolment, Person
from triage.texts.catalog import Lang, text

ZONES = {"wib": "Asia/Jakarta", "wita": "Asia/Makassar", "wit": "Asia/Jayapura"}
ROLES = {"a": "admin", "k": "konselor", "e": "ketua", "admin": "admin", "konselor": "konselor",
         "ketua": "ketua"}  # fmt: skip
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_GROUPS = (("mon", "tue", "wed", "thu"), ("fri",), ("sat",), ("sun",))
RANGE = re.compile(r"^([01]\d|2[0-3])[:.]([0-5]\d)-([01]\d|2[0-4])[:.]([0-5]\d)$")
# well-known mail providers: (IMAP host, SMTP host, SMTP port, security, sent folder)
PROVIDERS = {
    "gmail.com": ("imap.gmail.com", "smtp.gmail.com", 465, "ssl", ""),
    "yahoo.com": ("imap.mail.yahoo.com", "smtp.mail.yahoo.com", 465, "ssl", "Sent"),
    "yahoo.co.id": ("imap.mail.yahoo.com", "smtp.mail.yahoo.com", 465, "ssl", "Sent"),
    "outlook.com": ("outlook.office365.com", "smtp-mail.outlook.com", 587, "starttls", "Sent"),
    "hotmail.com": ("outlook.office365.com", "smtp-mail.outlook.com", 587, "starttls", "Sent"),
}
CLOSED = ("", "-", "tutup", "libur", "closed")
WAIT_NOTE_POLLS = 30  # about a minute of getUpdates waits between "still waiting" lines


@dataclass
class Given:
    """What the options answered before any question."""

    update: bool
    token: str | None
    group: int | None
    staff: list[str]
    office: str | None
    timezone: str | None
    hours: list[str]
    phone: str | None
    address: str | None
    email: str | None
    imap_host: str | None
    smtp_host: str | None
    instagram: str | None
    data_dir: str | None
    telegram_url: str
    proxy: str | None


class Stop(Exception):
    """The setup cannot go on (exit 2): the message says why and what to do."""


def parse_hours(said: str) -> list[str] | None:
    """ "08:00-12:00, 13:00-16:00" (or 08.00-16.00, as Indonesians write it) → the ranges;
    [] for a closed day; None for what is not hours."""
    said = said.strip().lower()
    if said in CLOSED:
        return []
    ranges = []
    for part in said.replace(" ", "").split(","):
        found = RANGE.match(part)
        if found is None:
            return None
        h1, m1, h2, m2 = found.groups()
        if (h1, m1) >= (h2, m2):
            return None
        ranges.append(f"{h1}:{m1}-{h2}:{m2}")
    return ranges


def parse_day_option(said: str, lang: Lang = "id") -> dict[str, list[str]]:
    """--hours "mon-thu=08:00-16:00": the days (one, or a span) and their ranges."""
    days, _, ranges = said.partition("=")
    first, _, last = days.strip().lower().partition("-")
    last = last or first
    hours = parse_hours(ranges)
    if first not in DAYS or last not in DAYS or hours is None:
        raise Stop(text("setup.bad_hours_option", lang, value=said))
    span = DAYS[DAYS.index(first) : DAYS.index(last) + 1]
    return {day: hours for day in span}


def parse_staff_option(said: str, lang: Lang = "id") -> tuple[int, str, str]:
    """--staff "123456789:konselor:Made Sari"."""
    parts = said.split(":", 2)
    if len(parts) == 3 and parts[0].strip().isdigit() and parts[1].strip().lower() in ROLES:
        return int(parts[0]), parts[2].strip(), ROLES[parts[1].strip().lower()]
    raise Stop(text("setup.bad_staff_option", lang, value=said))


class Dialogue:
    """Asks the operator (or takes the options' answers when `--yes`)."""

    def __init__(self, lang: Lang, interactive: bool) -> None:
        self.lang = lang
        self.interactive = interactive

    def t(self, key: str, **values: object) -> str:
        return text(key, self.lang, **values)

    def say(self, key: str, **values: object) -> None:
        typer.echo(self.t(key, **values))

    def ask(self, key: str, given: str | None, *, default: str = "", secret: bool = False,
            option: str = "", **values: object) -> str:  # fmt: skip
        if given is not None:
            return given
        if not self.interactive:
            if default or not option:
                return default
            raise Stop(self.t("setup.missing_option", option=option))
        answer = str(
            typer.prompt(
                self.t(key, **values),
                default=default,
                hide_input=secret,
                show_default=bool(default),
            )
        )
        return answer if secret else answer.strip()  # a password keeps its spaces

    def yes(self, key: str, default: bool = True, **values: object) -> bool:
        if not self.interactive:
            return default
        return typer.confirm(self.t(key, **values), default=default)


def _token(d: Dialogue, given: str | None, url: str, proxy: str | None) -> tuple[str, Enrolment]:
    while True:
        token = d.ask("setup.ask.token", given, secret=True, option="PUSPAGA_TELEGRAM_TOKEN")
        token = token.strip()
        if not token:
            d.say("setup.token_needed")
            continue
        enrol = Enrolment(token, url, proxy, d.lang)
        try:
            name = enrol.start()
        except EnrolError as exc:
            enrol.acknowledge()
            if given is not None or not d.interactive:
                raise Stop(str(exc)) from None
            typer.echo(f"  ✗ {exc}")
            continue
        d.say("setup.token_ok", bot=name)
        return token, enrol


def _group(d: Dialogue, enrol: Enrolment, given: int | None, bot: str) -> int:
    if given is not None:
        group = enrol.group(given)
        if group.problem is None:
            d.say("setup.group_ok", title=group.title, id=group.id)
            return group.id
        if not d.interactive:
            raise Stop(d.t("setup.group_problem", title=group.title, problem=group.problem))
        d.say("setup.group_problem", title=group.title, problem=group.problem)
    d.say("setup.step.group", bot=bot)
    polls = 0
    while True:
        try:
            enrol.poll()
        except EnrolError as exc:
            if not exc.passing:
                raise
            typer.echo(f"  ✗ {exc}")
            time.sleep(RETRY_SECONDS)  # the network may come back: ask again
        polls += 1
        if polls % WAIT_NOTE_POLLS == 0:
            d.say("setup.still_waiting", what="/daftar_grup")
        chat_id = enrol.next_group()
        if chat_id is None:
            continue
        group = enrol.group(chat_id)
        if group.problem is not None:
            d.say("setup.group_problem", title=group.title, problem=group.problem)
            continue
        if d.yes("setup.ask.group_right", title=group.title, id=group.id):
            return group.id
        d.say("setup.group_again")


def _staff(d: Dialogue, enrol: Enrolment, given: list[str], bot: str) -> list[tuple[int, str, str]]:
    staff = [parse_staff_option(s, d.lang) for s in given]
    if not d.interactive:
        if not any(role == "admin" for _, _, role in staff):
            raise Stop(d.t("setup.no_admin_option"))
        return staff
    d.say("setup.step.staff", bot=bot)
    while True:
        _wait_for_people(d, enrol)
        taken = {s[0] for s in staff}
        for person in enrol.staff():
            if person.id in taken:
                continue
            while True:
                said = d.ask("setup.ask.role", None, default="l", name=person.name, id=person.id)
                said = said.lower()
                if said in ("l", "lewati", "skip"):
                    break
                if said in ROLES:
                    staff.append((person.id, person.name, ROLES[said]))
                    break
                d.say("setup.role_unknown")
            taken.add(person.id)
        if any(role == "admin" for _, _, role in staff):
            return staff
        d.say("setup.no_admin")


def _wait_for_people(d: Dialogue, enrol: Enrolment) -> None:
    """List each /saya as it comes while the terminal waits for Enter."""
    stop = threading.Event()
    failed: list[str] = []

    def show(person: Person) -> None:
        at = f"@{person.username}, " if person.username else ""
        typer.echo(d.t("setup.person", name=person.name, at=at, id=person.id))

    def trouble(said: str) -> None:
        typer.echo(f"  ✗ {said}")

    def collect() -> None:
        try:
            enrol.collect(stop, show, trouble)
        except Exception as exc:  # noqa: BLE001 - told at once, the wizard stops on Enter
            failed.append(str(exc) if isinstance(exc, EnrolError) else repr(exc))
            typer.echo(f"  ✗ {failed[0]}")

    d.say("setup.ask.all_here")  # a line of its own: the names come in below it
    worker = threading.Thread(target=collect, daemon=True)
    worker.start()
    try:
        input()
    except EOFError:
        raise typer.Abort from None
    finally:
        stop.set()
        worker.join()
    if failed:
        raise Stop(failed[0])


def _hours(d: Dialogue, given: list[str]) -> dict[str, list[str]] | None:
    if given:
        hours: dict[str, list[str]] = {}
        for said in given:
            hours.update(parse_day_option(said, d.lang))
        return hours
    if not d.interactive:
        return None
    hours = {}
    defaults = ("08:00-16:00", "08:00-11:30", "tutup", "tutup")
    for days, default in zip(DAY_GROUPS, defaults, strict=True):
        while True:
            said = d.ask(f"setup.ask.hours.{days[0]}", None, default=default)
            ranges = parse_hours(said)
            if ranges is not None:
                break
            d.say("setup.bad_hours", value=said)
        for day in days:
            if ranges:
                hours[day] = ranges
    return hours


def _zone(d: Dialogue, given: str | None) -> str:
    while True:
        said = d.ask("setup.ask.zone", given, default="WITA")
        zone = ZONES.get(said.strip().lower(), said.strip())
        if zone in ZONES.values():
            return zone
        if given is not None or not d.interactive:
            raise Stop(d.t("setup.bad_zone", value=said))
        d.say("setup.bad_zone", value=said)


def _mail(d: Dialogue, given: str | None, imap: str | None, smtp: str | None,
          secrets: dict[str, str]) -> MailAnswers | None:  # fmt: skip
    address = d.ask("setup.ask.email", given, default="").strip()
    if not address:
        return None
    domain = address.rpartition("@")[2].lower()
    known = PROVIDERS.get(domain)
    if known is not None and imap is None and smtp is None:
        imap_host, smtp_host, port, security, sent = known
        mail = MailAnswers(address, imap_host, smtp_host, smtp_port=port, smtp_security=security,
                           sent_folder=sent)  # fmt: skip
    else:
        imap_host = d.ask("setup.ask.imap", imap, default=f"imap.{domain}")
        smtp_host = d.ask("setup.ask.smtp", smtp, default=f"smtp.{domain}")
        mail = MailAnswers(address, imap_host, smtp_host)
    password = os.environ.get("PUSPAGA_EMAIL_PASSWORD")
    secrets["PUSPAGA_EMAIL_PASSWORD"] = d.ask(
        "setup.ask.email_password", password, secret=True, option="PUSPAGA_EMAIL_PASSWORD"
    )
    return mail


def _instagram(d: Dialogue, given: str | None, secrets: dict[str, str]) -> str | None:
    name = d.ask("setup.ask.instagram", given, default="").strip().lstrip("@")
    if not name:
        return None
    password = os.environ.get("PUSPAGA_INSTAGRAM_PASSWORD")
    secrets["PUSPAGA_INSTAGRAM_PASSWORD"] = d.ask(
        "setup.ask.instagram_password", password, secret=True, option="PUSPAGA_INSTAGRAM_PASSWORD"
    )
    return name


def _data_dir(config: Path) -> str:
    """Beside config.toml, unless that is under /etc (read-only for the service)."""
    return "/var/lib/puspaga-inbox" if config.resolve().is_relative_to("/etc") else "data"


def setup(
    config: Annotated[Path, typer.Option("--config", "-c", help="Berkas yang ditulis.")] = Path(
        "config.toml"
    ),
    group: Annotated[int | None, typer.Option(help="ID grup staf, jika sudah diketahui.")] = None,
    staff: Annotated[list[str], typer.Option(help="ID:peran:Nama, boleh berulang.")] = [],  # noqa: B006
    office: Annotated[str | None, typer.Option(help="Nama kantor.")] = None,
    timezone: Annotated[str | None, typer.Option(help="WIB, WITA atau WIT.")] = None,
    hours: Annotated[list[str], typer.Option(help='Jam layanan, mis. "mon-thu=08:00-16:00".')] = [],  # noqa: B006
    phone: Annotated[str | None, typer.Option(help="Nomor telepon kantor.")] = None,
    address: Annotated[str | None, typer.Option(help="Alamat kantor.")] = None,
    email: Annotated[str | None, typer.Option(help="Alamat email kantor (kanal email).")] = None,
    imap_host: Annotated[
        str | None, typer.Option(help="Server IMAP, bila bukan Gmail/Yahoo/Outlook.")
    ] = None,
    smtp_host: Annotated[
        str | None, typer.Option(help="Server SMTP, bila bukan Gmail/Yahoo/Outlook.")
    ] = None,
    instagram: Annotated[str | None, typer.Option(help="Akun Instagram kantor.")] = None,
    data_dir: Annotated[str | None, typer.Option(help="Folder basis data dan lampiran.")] = None,
    telegram_url: Annotated[
        str, typer.Option(help="Alamat Bot API (server lokal untuk latihan).")
    ] = DEFAULT_BOT_API,
    proxy: Annotated[
        str | None, typer.Option(help="Proxy web kantor (atau PUSPAGA_PROXY).")
    ] = None,
    lang: Annotated[str, typer.Option(help="id (Bahasa Indonesia) atau en (English).")] = "id",
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Jangan bertanya: semua jawaban dari opsi.")
    ] = False,
    update: Annotated[
        bool, typer.Option("--update", help="Dengan --yes: perbarui config.toml yang sudah ada.")
    ] = False,
    no_check: Annotated[bool, typer.Option("--no-check", help="Lewati `check` di akhir.")] = False,
) -> None:
    """Tulis config.toml langkah demi langkah: token bot, grup staf, petugas, kantor, kanal."""
    if lang not in ("id", "en"):
        typer.echo("--lang: id / en", err=True)
        raise typer.Exit(2)
    d = Dialogue(lang, interactive=not yes)  # type: ignore[arg-type]
    token = os.environ.get("PUSPAGA_TELEGRAM_TOKEN") or None  # never an option: `ps` shows those
    given = Given(update, token, group, staff, office, timezone, hours, phone, address, email,
                  imap_host, smtp_host, instagram, data_dir, telegram_url, proxy)  # fmt: skip
    try:
        _dialogue(d, config, given)
    except (Stop, EnrolError) as exc:
        typer.echo(f"✗ {exc}", err=True)
        raise typer.Exit(2) from None
    except (KeyboardInterrupt, typer.Abort):
        typer.echo("\n" + d.t("setup.aborted"), err=True)
        raise typer.Exit(1) from None
    if no_check:
        return
    d.say("setup.checking")
    _check(config)


def _check(config: Path) -> None:
    """`puspaga check` on what was written, as the user who owns the data folder when root runs
    the setup (a database check made as root would leave files the service cannot open)."""
    owner = _service_user(config)
    if owner is None:
        health.check(config)  # exits 1 when something is wrong, saying what
        return
    uid, gid = owner
    program = [sys.executable, "-c", "from bot.cli.main import app; app()"]
    done = subprocess.run(
        [*program, "check", "--config", str(config)],
        user=uid,
        group=gid,
        extra_groups=[],  # the service user's own groups only, not root's
        check=False,
    )
    raise typer.Exit(done.returncode)


def _service_user(config: Path) -> tuple[int, int] | None:
    """(uid, gid) of the data folder's owner, when root runs the setup and it is not root."""
    if os.geteuid() != 0:
        return None
    try:
        folder = Path(tomllib.loads(config.read_text(encoding="utf-8"))["data_dir"])
        folder = folder if folder.is_absolute() else config.parent / folder
        owner = folder.stat().st_uid
        gid = pwd.getpwuid(owner).pw_gid if owner else 0
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return None
    return (owner, gid) if owner else None


def _dialogue(d: Dialogue, config: Path, g: Given) -> None:
    if config.is_dir():
        raise Stop(d.t("config.is_folder", path=config))
    base = None
    if config.exists():
        if not (g.update or d.yes("setup.ask.overwrite", default=False, path=config)):
            if not d.interactive:
                raise Stop(d.t("setup.exists", path=config))
            raise typer.Abort
        try:  # updated, not replaced: the keys the setup does not ask about stay
            base = tomlkit.parse(config.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError, tomlkit.exceptions.ParseError) as exc:
            raise Stop(d.t("setup.unreadable", path=config, why=exc)) from None
    proxy = g.proxy or os.environ.get("PUSPAGA_PROXY") or None
    d.say("setup.step.token")
    token, enrol = _token(d, g.token, g.telegram_url, proxy)
    bot = f"@{enrol.bot.username}"
    try:
        group_id = _group(d, enrol, g.group, bot)
        people = _staff(d, enrol, g.staff, bot)
    finally:
        enrol.acknowledge()
    d.say("setup.step.office")
    answers = Answers(
        office=d.ask("setup.ask.office", g.office, option="--office"),
        group_id=group_id,
        staff=people,
        language=d.lang,
        timezone=_zone(d, g.timezone),
        hours=_hours(d, g.hours),
        phone=d.ask("setup.ask.phone", g.phone),
        address=d.ask("setup.ask.address", g.address),
        telegram_url=g.telegram_url,
    )
    if not answers.office:
        raise Stop(d.t("setup.missing_option", option="--office"))
    answers.secrets["PUSPAGA_TELEGRAM_TOKEN"] = token
    if proxy:
        answers.secrets["PUSPAGA_PROXY"] = proxy
    d.say("setup.step.channels")
    answers.mail = _mail(d, g.email, g.imap_host, g.smtp_host, answers.secrets)
    answers.instagram = _instagram(d, g.instagram, answers.secrets)
    answers.data_dir = d.ask("setup.ask.data_dir", g.data_dir, default=_data_dir(config))
    env = env_path(config)
    if env.is_file():  # the secrets it does not ask about (the office key, the database) stay
        answers.secrets = {**read_env(env), **answers.secrets}
    document = config_document(answers, date.today(), base)
    try:  # what the service will read: a mistake shows here, not at the first start
        from_mapping(document.unwrap(), source=str(config), environ=answers.secrets)
    except ConfigError as exc:
        raise Stop(str(exc)) from None
    # the secrets first: a config.toml naming a token that is nowhere would not start
    write_private(env, env_text(answers))
    write_private(config, document.as_string())
    d.say("setup.written", config=config, env=env)
