"""`puspaga setup`: from a bot token to a config.toml, in the office's words, for a person who
is not a programmer. Each answer can also be given as an option (`--yes`: ask nothing, for
automation); what Telegram knows (the group's id, each person's id) is taken from Telegram
(bot/telegram/enrol.py), never typed."""

from __future__ import annotations

import os
import pwd
import secrets as secrets_module
import subprocess
import threading
import time
from datetime import date
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import tomlkit
import typer

from bot.cli import health
from bot.cli.common import PROGRAM, LangOpt, cannot_write, chosen_language, os_words
from bot.cli.setup_answers import (
    DAY_GROUPS,
    PROVIDERS,
    ROLES,
    ZONES,
    Dialogue,
    Given,
    Known,
    Stop,
    day_groups,
    hours_text,
    known_from,
    parse_day_option,
    parse_hours,
    parse_staff_option,
    token_in,
)
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
from triage.texts.catalog import text

WAIT_NOTE_POLLS = 30  # about a minute of getUpdates waits between "still waiting" lines


def _token(d: Dialogue, given: str | None, k: Known, url: str, proxy: str | None):  # noqa: ANN202
    while True:
        if given is None and k.token and d.interactive:  # Enter keeps the token it has
            said = str(typer.prompt(d.t("setup.ask.token_keep"), default="", hide_input=True,
                                    show_default=False))  # fmt: skip
            token = token_in(said) if said.strip() else k.token
        else:
            said = d.ask("setup.ask.token", given or k.token, secret=True,
                         option="PUSPAGA_TELEGRAM_TOKEN")  # fmt: skip
            token = token_in(said)
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
        enrol.poll()  # a program already reading this bot (the service) shows now: 409
        return token, enrol


def _group(d: Dialogue, enrol: Enrolment, given: int | None, k: Known, bot: str) -> int:
    if given is not None or k.group is not None:
        group = enrol.group(given if given is not None else k.group)  # type: ignore[arg-type]
        if group.problem is None:
            if given is not None or d.yes("setup.ask.group_keep", title=group.title, id=group.id):
                d.say("setup.group_ok", title=group.title, id=group.id)
                return group.id
        elif not d.interactive:
            raise Stop(d.t("setup.group_problem", title=group.title, problem=group.problem))
        else:
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


def _staff(d: Dialogue, enrol: Enrolment, given: list[str], k: Known, bot: str):  # noqa: ANN202
    staff = [parse_staff_option(s, d.lang) for s in given] or list(k.staff)
    if not d.interactive:
        if not any(role == "admin" for _, _, role in staff):
            raise Stop(d.t("setup.no_admin_option"))
        return staff
    if staff:
        d.say("setup.staff_now", staff=_named(d, staff))
        if not d.yes("setup.ask.more_staff", default=False):
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
            d.say("setup.staff_now", staff=_named(d, staff))
            return staff
        d.say("setup.no_admin")


def _named(d: Dialogue, staff: list[tuple[int, str, str]]) -> str:
    return ", ".join(f"{name} ({d.t('setup.role.' + role)})" for _, name, role in staff)


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
            typer.echo(f"  ✗ {failed[0]}\n  {d.t('setup.press_enter')}")

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


def _hours(d: Dialogue, given: list[str], k: Known) -> dict[str, list[str]] | None:
    if given:  # the days named change; the office's other days stay
        hours: dict[str, list[str]] = dict(k.hours or {})
        for said in given:
            hours.update(parse_day_option(said, d.lang))
        return {day: ranges for day, ranges in hours.items() if ranges}
    if not d.interactive:
        return k.hours
    hours = {}
    fallbacks = {"mon": "08:00-16:00", "fri": "08:00-11:30"}
    for days in day_groups(k.hours):
        if days == DAY_GROUPS[0] or days[0] in ("fri", "sat", "sun"):
            question, values = f"setup.ask.hours.{days[0]}", {}
        else:  # a day asked on its own: the office's days differ
            question, values = "setup.ask.hours.day", {"day": d.t(f"setup.day.{days[0]}")}
        while True:
            default = hours_text(k.hours, days[0], fallbacks.get(days[0], "tutup"))
            said = d.ask(question, None, default=default, **values)
            ranges = parse_hours(said)
            if ranges is not None:
                break
            d.say("setup.bad_hours", value=said)
        for day in days:
            if ranges:
                hours[day] = ranges
    return hours


def _zone(d: Dialogue, given: str | None, k: Known) -> str:
    while True:
        said = d.ask("setup.ask.zone", given, default=k.zone)
        zone = ZONES.get(said.strip().lower(), said.strip())
        if zone in ZONES.values() or _indonesian_zone(zone):
            return zone
        if given is not None or not d.interactive:
            raise Stop(d.t("setup.bad_zone", value=said))
        d.say("setup.bad_zone", value=said)


def _indonesian_zone(zone: str) -> bool:
    """A zone of Indonesia's own by name (Asia/Pontianak is WIB): kept as the office has it."""
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return zone.startswith("Asia/")


def _office(d: Dialogue, given: str | None, k: Known) -> str:
    while True:
        name = d.ask("setup.ask.office", given, default=k.office, option="--office")
        if name:
            return name
        d.say("setup.office_needed")


def _mail(d: Dialogue, g: Given, k: Known, secrets: dict[str, str]) -> MailAnswers | None:
    """The email channel; None when none is wanted or the one configured stays as it is."""
    address = d.ask("setup.ask.email", g.email, default=k.email).strip()
    if not address or (address == k.email and g.imap_host is None and g.smtp_host is None):
        return None
    domain = address.rpartition("@")[2].lower()
    known = PROVIDERS.get(domain)
    if known is not None and g.imap_host is None and g.smtp_host is None:
        imap_host, smtp_host, port, security, sent = known
        mail = MailAnswers(address, imap_host, smtp_host, smtp_port=port, smtp_security=security,
                           sent_folder=sent)  # fmt: skip
    else:
        imap_host = d.ask("setup.ask.imap", g.imap_host, default=f"imap.{domain}")
        smtp_host = d.ask("setup.ask.smtp", g.smtp_host, default=f"smtp.{domain}")
        mail = MailAnswers(address, imap_host, smtp_host)
    password = os.environ.get("PUSPAGA_EMAIL_PASSWORD")
    secrets["PUSPAGA_EMAIL_PASSWORD"] = d.ask(
        "setup.ask.email_password", password, secret=True, option="PUSPAGA_EMAIL_PASSWORD"
    )
    return mail


def _instagram(d: Dialogue, given: str | None, k: Known, secrets: dict[str, str]) -> str | None:
    name = d.ask("setup.ask.instagram", given, default=k.instagram).strip().lstrip("@")
    if not name or name == k.instagram:
        return None  # none wanted, or the account configured stays with its password
    password = os.environ.get("PUSPAGA_INSTAGRAM_PASSWORD")
    secrets["PUSPAGA_INSTAGRAM_PASSWORD"] = d.ask(
        "setup.ask.instagram_password", password, secret=True, option="PUSPAGA_INSTAGRAM_PASSWORD"
    )
    return name


def _meta(d: Dialogue, g: Given, k: Known, answers: Answers) -> None:
    """Meta's channels: WhatsApp's number, the Facebook Page and (when no password login was
    given) the Instagram account by the Messaging API, each id with its token; then the app's
    secret and a verify token made here for the office to type into the Meta app, once."""
    asked = [("whatsapp", "setup.ask.whatsapp", g.whatsapp, k.whatsapp, "PUSPAGA_WHATSAPP_TOKEN"),
             ("messenger", "setup.ask.messenger", g.messenger, k.messenger,
              "PUSPAGA_MESSENGER_TOKEN")]  # fmt: skip
    if answers.instagram:  # a password login chosen now: the Messaging API's token goes
        answers.dropped |= {"PUSPAGA_INSTAGRAM_TOKEN", "PUSPAGA_INSTAGRAM_APP_SECRET"}
    else:  # one route for Instagram: asked when no password login was given now
        asked.insert(0, ("instagram_graph", "setup.ask.instagram_graph", g.instagram_graph,
                         k.instagram_graph, "PUSPAGA_INSTAGRAM_TOKEN"))  # fmt: skip
    new = False
    for name, question, given, known, variable in asked:
        account = d.ask(question, given, default=known).strip()
        if not account or account == known:
            continue  # none wanted, or the account configured stays with its secrets
        setattr(answers, name, account)
        if name == "instagram_graph":  # switched from the password login: its password goes
            answers.dropped.add("PUSPAGA_INSTAGRAM_PASSWORD")
        key = f"setup.ask.{name}_token"
        answers.secrets[variable] = d.ask(key, os.environ.get(variable), secret=True,
                                          option=variable)  # fmt: skip
        new = True
    if not new:
        return
    variable = "PUSPAGA_META_APP_SECRET"
    answers.secrets[variable] = d.ask("setup.ask.meta_app_secret", os.environ.get(variable),
                                      secret=True, option=variable)  # fmt: skip
    verify = os.environ.get("PUSPAGA_META_VERIFY_TOKEN") or secrets_module.token_urlsafe(24)
    answers.secrets["PUSPAGA_META_VERIFY_TOKEN"] = verify
    d.say("setup.whatsapp_verify", token=verify)


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
    whatsapp: Annotated[
        str | None, typer.Option(help="Phone number ID WhatsApp kantor (dari WhatsApp Manager).")
    ] = None,
    messenger: Annotated[str | None, typer.Option(help="ID Halaman Facebook kantor.")] = None,
    instagram_graph: Annotated[
        str | None, typer.Option(help="ID akun Instagram profesional (API resmi Meta).")
    ] = None,
    data_dir: Annotated[str | None, typer.Option(help="Folder basis data dan lampiran.")] = None,
    telegram_url: Annotated[
        str | None,
        typer.Option(help="Alamat Bot API (server lokal untuk latihan); bawaan: Telegram."),
    ] = None,
    proxy: Annotated[
        str | None, typer.Option(help="Proxy web kantor (atau PUSPAGA_PROXY).")
    ] = None,
    lang: LangOpt = None,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Jangan bertanya: semua jawaban dari opsi.")
    ] = False,
    update: Annotated[
        bool, typer.Option("--update", help="Dengan --yes: perbarui config.toml yang sudah ada.")
    ] = False,
    no_check: Annotated[bool, typer.Option("--no-check", help="Lewati `check` di akhir.")] = False,
) -> None:
    """Tulis config.toml langkah demi langkah: token bot, grup staf, petugas, kantor, kanal."""
    d = Dialogue(chosen_language(lang), interactive=not yes)
    token = os.environ.get("PUSPAGA_TELEGRAM_TOKEN") or None  # never an option: `ps` shows those
    given = Given(update, token, group, staff, office, timezone, hours, phone, address, email,
                  imap_host, smtp_host, instagram, data_dir, telegram_url, proxy, whatsapp,
                  lang, messenger, instagram_graph)  # fmt: skip
    try:
        data = _dialogue(d, config, given)
    except (Stop, EnrolError) as exc:
        typer.echo(f"✗ {exc}", err=True)
        raise typer.Exit(2) from None
    except (KeyboardInterrupt, typer.Abort):
        typer.echo("\n" + d.t("setup.aborted"), err=True)
        raise typer.Exit(1) from None
    if no_check:
        return
    d.say("setup.checking")
    _check(config, data)


def _check(config: Path, data: Path) -> None:
    """`puspaga check` on what was written, as the user who owns the data folder when root runs
    the setup (a database check made as root would leave files the service cannot open)."""
    owner = _service_user(data)
    if owner is None:
        health.check(config)  # exits 1 when something is wrong, saying what
        return
    uid, gid = owner
    try:
        done = subprocess.run(
            [*PROGRAM, "check", "--config", str(config)],
            user=uid,
            group=gid,
            extra_groups=[],  # the service user's own groups only, not root's
            check=False,
        )
    except OSError as exc:  # a program the service's user cannot run (a Python under /root)
        name = pwd.getpwuid(uid).pw_name
        said = text("setup.check_failed", "id", user=name, why=os_words(exc), config=config)
        typer.echo(said, err=True)
        raise typer.Exit(1) from None
    raise typer.Exit(done.returncode)


def _service_user(data: Path) -> tuple[int, int] | None:
    """(uid, gid) of the data folder's owner, when root runs the setup and it is not root."""
    if os.geteuid() != 0:
        return None
    try:
        owner = data.stat().st_uid
        gid = pwd.getpwuid(owner).pw_gid if owner else 0
    except (OSError, KeyError):
        return None
    return (owner, gid) if owner else None


def _dialogue(d: Dialogue, config: Path, g: Given) -> Path:
    """Ask, write config.toml and env; the data folder they name (relative to config.toml)."""
    if config.is_dir():
        raise Stop(d.t("config.is_folder", path=config))
    if (why := cannot_write(config.parent)) is not None:  # before any question, not after
        raise Stop(d.t("setup.cannot_write", path=config.parent.resolve(), why=why))
    base = None
    env = env_path(config)
    saved = read_env(env) if env.is_file() else {}  # the secrets it has: offered, then kept
    known = Known()
    if config.exists():
        asked = d.interactive and d.yes("setup.ask.overwrite", default=True, path=config)
        if not (g.update or asked):
            if not d.interactive:
                raise Stop(d.t("setup.exists", path=config))
            raise typer.Abort
        try:  # updated, not replaced: the keys the setup does not ask about stay
            base = tomlkit.parse(config.read_text(encoding="utf-8-sig"))
            known = known_from(base.unwrap(), saved)
        except (OSError, UnicodeDecodeError, tomlkit.exceptions.ParseError) as exc:
            raise Stop(d.t("setup.unreadable", path=config, why=exc)) from None
    proxy = g.proxy or os.environ.get("PUSPAGA_PROXY") or None
    g.telegram_url = g.telegram_url or known.telegram_url or DEFAULT_BOT_API
    d.say("setup.step.token")
    token, enrol = _token(d, g.token, known, g.telegram_url, proxy)
    bot = f"@{enrol.bot.username}"
    try:
        group_id = _group(d, enrol, g.group, known, bot)
        people = _staff(d, enrol, g.staff, known, bot)
    finally:
        enrol.acknowledge()
    d.say("setup.step.office")
    answers = Answers(
        office=_office(d, g.office, known),
        group_id=group_id,
        staff=people,
        language=g.lang or known.language or "id",
        timezone=_zone(d, g.timezone, known),
        hours=_hours(d, g.hours, known),
        phone=d.ask("setup.ask.phone", g.phone, default=known.phone),
        address=d.ask("setup.ask.address", g.address, default=known.address),
        telegram_url=g.telegram_url,
    )
    answers.secrets["PUSPAGA_TELEGRAM_TOKEN"] = token
    if proxy:
        answers.secrets["PUSPAGA_PROXY"] = proxy
    d.say("setup.step.channels")
    answers.mail = _mail(d, g, known, answers.secrets)
    answers.instagram = _instagram(d, g.instagram, known, answers.secrets)
    _meta(d, g, known, answers)
    where = known.data_dir or _data_dir(config)  # a data folder in use stays the answer
    answers.data_dir = d.ask("setup.ask.data_dir", g.data_dir, default=where)
    # the secrets it does not ask about (the office key, the database) stay
    answers.secrets = {**saved, **answers.secrets}
    for variable in answers.dropped:  # the other Instagram route's secrets, after a switch
        answers.secrets.pop(variable, None)
    document = config_document(answers, date.today(), base)
    try:  # what the service will read: a mistake shows here, not at the first start
        from_mapping(document.unwrap(), source=str(config), environ=answers.secrets)
    except ConfigError as exc:
        raise Stop(str(exc)) from None
    # the secrets first: a config.toml naming a token that is nowhere would not start
    write_private(env, env_text(answers))
    write_private(config, document.as_string())
    d.say("setup.written", config=config, env=env)
    d.say("setup.next", config=config.resolve())
    return config.parent / answers.data_dir  # an absolute data_dir stays itself
