"""Configuration: read once from config.toml, validated, secrets optionally from the environment.

A wrong config stops the start with every problem listed: which key, what is wrong, how to fix
it (see `ConfigError`). config.example.toml documents every key.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BeforeValidator,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from bot.config.channel_settings import (
    EmailConfig,
    InstagramConfig,
    LimitsConfig,
    NetworkConfig,
    Section,
    TelegramConfig,
)
from bot.config.database_settings import DatabaseConfig
from bot.config.meta_settings import (
    InstagramGraphConfig,
    MessengerConfig,
    WebhookConfig,
    WhatsAppConfig,
)
from bot.config.people_settings import PERIOD, WEEKDAYS, ShiftConfig, StaffConfig
from bot.config.problems import explain, header, language_of, wrong
from triage.domain.referral import TARGETS
from triage.texts.catalog import Lang, text

# Secrets that may come from the environment instead of the file: (section, key) -> variable.
SECRET_ENV = {
    ("database", "url"): "PUSPAGA_DATABASE_URL",
    ("telegram", "token"): "PUSPAGA_TELEGRAM_TOKEN",
    ("email", "password"): "PUSPAGA_EMAIL_PASSWORD",
    ("instagram", "password"): "PUSPAGA_INSTAGRAM_PASSWORD",
    ("network", "proxy"): "PUSPAGA_PROXY",  # may hold the proxy's password
    ("webhook", "app_secret"): "PUSPAGA_META_APP_SECRET",
    ("webhook", "verify_token"): "PUSPAGA_META_VERIFY_TOKEN",
    ("whatsapp", "access_token"): "PUSPAGA_WHATSAPP_TOKEN",
    ("messenger", "access_token"): "PUSPAGA_MESSENGER_TOKEN",
    ("instagram", "access_token"): "PUSPAGA_INSTAGRAM_TOKEN",  # with mode = "graph"
    ("instagram", "app_secret"): "PUSPAGA_INSTAGRAM_APP_SECRET",  # with mode = "graph"
}
# [instagram]'s keys of one mode only: the other mode's variable, still in `env` after a
# switch, is not put into a section that would refuse it
GRAPH_ONLY = {("instagram", "access_token"), ("instagram", "app_secret")}
PASSWORD_ONLY = {("instagram", "password")}


def _date_or_text(value: object) -> object:
    """A date, or a date written in quotes; a number is no date (it would read as 1970)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise wrong("date", value=repr(value))
    return value


class AnswersConfig(Section):
    """The office's own answers to "how much does it cost", "what do I need to bring", "what do
    you serve" (empty: the catalogue's, faq.cost, faq.requirements, faq.services)."""

    cost: str = ""
    requirements: str = ""
    services: str = ""


class OfficeConfig(Section):
    name: str
    timezone: str = "Asia/Makassar"
    phone: str = ""
    address: str = ""
    register_format: str = "PUSPAGA/{year}/{month:02d}/{number:04d}"
    # Moving from a paper register: per month, the last number given on paper; the program's
    # numbers of that month follow it, e.g. {"2026-12" = 57}.
    register_start: dict[str, Annotated[int, Field(ge=0)]] = Field(default_factory=dict)
    hours: dict[str, list[str]] = Field(
        default_factory=lambda: (
            {d: ["08:00-16:00"] for d in WEEKDAYS[:4]} | {"fri": ["08:00-11:30"]}
        )
    )
    # Outside service hours a client's message gets a reply saying when a person will answer.
    after_hours_reply: bool = True
    # Days the office is closed besides Indonesia's public holidays and cuti bersama.
    closed_days: list[Annotated[date, BeforeValidator(_date_or_text), Field(strict=False)]] = Field(
        default_factory=list
    )
    # What each weekday is for, e.g. {mon = "Informasi kependudukan dan KB", …} (the Karangasem
    # standard);
    # answered when a client asks which day serves what. Empty: every day serves everything.
    weekday_themes: dict[str, str] = Field(default_factory=dict)
    answers: AnswersConfig = Field(default_factory=AnswersConfig)

    @field_validator("weekday_themes")
    @classmethod
    def _known_days(cls, value: dict[str, str]) -> dict[str, str]:
        wrong_days = sorted(set(value) - set(WEEKDAYS))
        if wrong_days:
            raise wrong("day", value=repr(wrong_days[0]), allowed=", ".join(WEEKDAYS))
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise wrong("time_zone", value=repr(value)) from None
        return value

    @field_validator("register_start")
    @classmethod
    def _months(cls, value: dict[str, int]) -> dict[str, int]:
        for month in value:
            if not re.fullmatch(r"\d{4}-(?:0[1-9]|1[0-2])", month):
                raise wrong("register_month", value=repr(month))
        return value

    @field_validator("register_format")
    @classmethod
    def _register(cls, value: str) -> str:
        try:
            value.format(year=2026, month=11, number=42)
        except Exception:  # noqa: BLE001 - "{number[0]}", "{year.x}": any failure is the same
            raise wrong("register_format") from None
        if "{number" not in value:
            raise wrong("register_number")
        return value

    @field_validator("hours")
    @classmethod
    def _periods(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for day, periods in value.items():
            if day not in WEEKDAYS:
                raise wrong("day", value=repr(day), allowed=", ".join(WEEKDAYS))
            for period in periods:
                found = PERIOD.match(period)
                if not found:
                    raise wrong("period", value=f"{day}: {period!r}")
                h1, m1, h2, m2 = (int(g) for g in found.groups())
                if (h2, m2) <= (h1, m1):
                    raise wrong("period_order", value=f"{day}: {period!r}")
        return value


class SlaConfig(Section):
    admin_response_minutes: Annotated[int, Field(gt=0)] = 5
    hand_off_minutes: Annotated[int, Field(gt=0)] = 5
    claim_minutes: Annotated[int, Field(gt=0)] = 5
    counselor_response_minutes: Annotated[int, Field(gt=0)] = 15
    end_to_end_minutes: Annotated[int, Field(gt=0)] = 30
    escalate_after_minutes: Annotated[int, Field(gt=0)] = 10
    review_minutes: Annotated[int, Field(gt=0)] = 2  # possible danger: a first human look
    complaint_working_days: Annotated[int, Field(gt=0)] = 4
    sweep_seconds: Annotated[float, Field(ge=1, le=30)] = 15
    board_seconds: Annotated[float, Field(ge=0)] = 60  # the queue board's refresh; 0: none


class OutboxConfig(Section):
    max_attempts: Annotated[int, Field(ge=1, le=100)] = 8
    interval_seconds: Annotated[float, Field(gt=0)] = 2.0
    retry_base_seconds: Annotated[float, Field(gt=0, le=3600)] = 5.0
    lease_seconds: Annotated[float, Field(gt=0, le=3600)] = 60.0
    give_up_hours: Annotated[float, Field(ge=1, le=24 * 14)] = 24.0  # an outage waited out


class ReopenConfig(Section):
    window_days: Annotated[int, Field(ge=0)] = 7


class SurveyConfig(Section):
    enabled: bool = True  # ask the client the satisfaction questions when a case closes


class ConsentConfig(Section):
    # staff see placeholders until the client answers the data-protection notice
    mask_before: bool = True
    minors: Literal["wali", "konselor"] = "wali"  # triage/effects/minors.py
    group_view: Literal["lengkap", "ringkas"] = "lengkap"  # bot/telegram/summary.py


class ReferralConfig(Section):
    # How the letter addresses each target, e.g. uptd_ppa = "UPTD PPA Kabupaten Karangasem".
    places: dict[str, str] = Field(default_factory=dict)
    # A .docx with the office's letterhead (kop surat); the letter is written below its
    # content. "" for a plain letter with the office's name and address.
    template_file: str = ""

    @field_validator("places")
    @classmethod
    def _known_targets(cls, value: dict[str, str]) -> dict[str, str]:

        unknown = [k for k in value if k not in TARGETS]
        if unknown:
            raise wrong("target", value=repr(unknown[0]), allowed=", ".join(TARGETS))
        return value


class RetentionConfig(Section):
    """Days each kind of personal data is kept after its case closed (UU 27/2022 Pasal 43);
    0 keeps it. What each kind covers: triage/domain/erasure.py and the README."""

    messages_days: Annotated[int, Field(ge=0)] = 730
    attachments_days: Annotated[int, Field(ge=0)] = 365
    forms_days: Annotated[int, Field(ge=0)] = 1825
    case_files_days: Annotated[int, Field(ge=0)] = 1825
    records_days: Annotated[int, Field(ge=0)] = 1825
    identity_days: Annotated[int, Field(ge=0)] = 1825
    purge_at: str = "02:00"  # when the daily purge runs, office time

    @field_validator("purge_at")
    @classmethod
    def _clock(cls, value: str) -> str:
        if not re.fullmatch(r"([01][0-9]|2[0-3]):[0-5][0-9]", value):
            raise wrong("time_of_day", value=repr(value))
        return value


class TriageConfig(Section):
    rules_file: str = ""  # the office's additions to the triage rules (TOML); "" for none
    form_file: str = (
        ""  # the office's own identity form (TOML, bot/config/form_file.py); "" for ours
    )


class SecurityConfig(Section):
    # Where the key that seals records lives; empty: secret.key in data_dir. Keep it apart from
    # the backups of data_dir (a backup with its key beside it is no longer sealed).
    key_file: str = ""


class AlarmConfig(Section):
    """Mail to the head when a channel, Telegram or the database has been down this long."""

    emails: list[str] = Field(default_factory=list)  # empty: the alarm is only logged
    after_minutes: Annotated[int, Field(ge=1)] = 15

    @field_validator("emails")
    @classmethod
    def _addresses(cls, value: list[str]) -> list[str]:
        for address in value:
            if "@" not in address or any(c.isspace() or c in "<>," for c in address):
                raise wrong("mail_address", value=repr(address))
        return value


class Settings(Section):
    language: Literal["id", "en"] = "id"
    data_dir: Annotated[Path, Field(strict=False)] = Path("data")  # a path is written as text
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    database: DatabaseConfig = DatabaseConfig()
    office: OfficeConfig
    sla: SlaConfig = SlaConfig()
    outbox: OutboxConfig = OutboxConfig()
    reopen: ReopenConfig = ReopenConfig()
    telegram: TelegramConfig | None = None
    email: EmailConfig | None = None
    instagram: InstagramConfig | None = None
    webhook: WebhookConfig | None = None
    whatsapp: WhatsAppConfig | None = None
    messenger: MessengerConfig | None = None
    # [instagram] with mode = "graph", set apart so the private API's code never meets it
    instagram_graph: InstagramGraphConfig | None = None
    triage: TriageConfig = TriageConfig()
    survey: SurveyConfig = SurveyConfig()
    consent: ConsentConfig = ConsentConfig()
    referral: ReferralConfig = ReferralConfig()
    retention: RetentionConfig = RetentionConfig()
    security: SecurityConfig = SecurityConfig()
    alarm: AlarmConfig = AlarmConfig()
    limits: LimitsConfig = LimitsConfig()
    network: NetworkConfig = NetworkConfig()
    staff: list[StaffConfig] = Field(default_factory=list)
    roster: list[ShiftConfig] = Field(default_factory=list)

    @property
    def heads(self) -> tuple[int, ...]:
        """The heads' Telegram ids, as configured (the staff directory leaves out inactive ones)."""
        return tuple(s.telegram_id for s in self.staff if s.role == "ketua")

    @property
    def key_path(self) -> Path:
        """The key file: `[security] key_file`, or secret.key in data_dir."""
        named = self.security.key_file
        return Path(named) if named else self.data_dir / "secret.key"

    @model_validator(mode="before")
    @classmethod
    def _instagram_by_graph(cls, raw: Any) -> Any:
        instagram = raw.get("instagram") if isinstance(raw, dict) else None
        if isinstance(instagram, dict) and instagram.get("mode") == "graph":
            raw = {k: v for k, v in raw.items() if k != "instagram"}
            raw["instagram_graph"] = instagram
        return raw

    @property
    def meta_accounts(self) -> dict[str, Any]:
        """The accounts Meta posts to the webhook, by section: [whatsapp], [messenger],
        [instagram] with mode = "graph"."""
        found = {"whatsapp": self.whatsapp, "messenger": self.messenger,
                 "instagram": self.instagram_graph}  # fmt: skip
        return {name: config for name, config in found.items() if config is not None}

    @model_validator(mode="after")
    def _alarm_needs_mail(self) -> Settings:
        if self.alarm.emails and self.email is None:
            raise wrong("alarm_needs_mail")
        for section in self.meta_accounts:
            if self.webhook is None:  # Meta posts the messages to it
                raise wrong("meta_needs_webhook", section=section)
        return self

    @model_validator(mode="after")
    def _roster_names_counselors(self) -> Settings:
        counselors = {s.telegram_id for s in self.staff if s.role == "konselor"}
        for n, shift in enumerate(self.roster, start=1):
            if shift.staff not in counselors:
                raise wrong("roster_staff", n=n, staff=shift.staff)
        return self

    @field_validator("staff")
    @classmethod
    def _unique_staff(cls, value: list[StaffConfig]) -> list[StaffConfig]:
        seen: set[int] = set()
        for member in value:
            if member.telegram_id in seen:
                raise wrong("staff_twice", value=member.telegram_id)
            seen.add(member.telegram_id)
        return value


SECTIONS = frozenset(
    name
    for name, field in Settings.model_fields.items()
    if name not in ("language", "data_dir", "log_level", "instagram_graph")
)


class ConfigError(Exception):
    """Every problem found, each naming the key, what is wrong and how to fix it, in the
    office's language (bot/config/problems.py)."""

    def __init__(self, source: str, problems: list[str], lang: Lang = "id") -> None:
        self.source = source
        self.problems = problems
        super().__init__("\n".join([header(source, lang), *problems]))


def load(path: Path, environ: Mapping[str, str] | None = None) -> Settings:
    environ = os.environ if environ is None else environ
    # a file that cannot be read names no language: PUSPAGA_LANG's, as the command line speaks
    early: Lang = "en" if environ.get("PUSPAGA_LANG") == "en" else "id"
    try:
        if path.is_dir():
            raise ConfigError(str(path), [text("config.is_folder", early, path=path)], early)
        if not path.exists():
            raise ConfigError(
                str(path), [text("config.no_file", early, path=path.resolve())], early
            )
        # utf-8-sig: a file Notepad saved with a byte order mark reads too
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except tomllib.TOMLDecodeError as exc:
        at = re.search(r"line (\d+), column (\d+)", str(exc))
        line, column = at.groups() if at else ("?", "?")
        problem = text("config.not_toml", early, line=line, column=column)
        raise ConfigError(str(path), [problem], early) from None
    except UnicodeDecodeError:
        raise ConfigError(str(path), [text("config.not_utf8", early)], early) from None
    except OSError as exc:  # no permission (a folder of root's), a file gone meanwhile
        why = exc.strerror or type(exc).__name__
        raise ConfigError(str(path), [text("config.unreadable", early, why=why)], early) from None
    settings = from_mapping(raw, source=str(path), environ=environ)
    # Relative paths are relative to the config file, not to wherever the command ran.
    update: dict[str, Any] = {}
    if not settings.data_dir.is_absolute():
        update["data_dir"] = (path.parent / settings.data_dir).resolve()
    files = {}
    for key in ("rules_file", "form_file"):
        named = getattr(settings.triage, key)
        if named and not Path(named).is_absolute():
            files[key] = str((path.parent / named).resolve())
    if files:
        update["triage"] = settings.triage.model_copy(update=files)
    key_file = settings.security.key_file
    if key_file and not Path(key_file).is_absolute():
        resolved = str((path.parent / key_file).resolve())
        update["security"] = settings.security.model_copy(update={"key_file": resolved})
    template = settings.referral.template_file
    if template:
        resolved = Path(template) if Path(template).is_absolute() else path.parent / template
        try:
            found = resolved.is_file()
        except OSError:  # no permission to look
            found = False
        if resolved.suffix.lower() != ".docx" or not found:
            problem = text("config.template", settings.language, path=resolved)
            raise ConfigError(str(path), [problem], settings.language)
        update["referral"] = settings.referral.model_copy(
            update={"template_file": str(resolved.resolve())}
        )
    return settings.model_copy(update=update)


def from_mapping(
    raw: dict[str, Any], *, source: str = "config", environ: Mapping[str, str] | None = None
) -> Settings:
    raw = _with_secrets(raw, os.environ if environ is None else environ)
    try:
        return Settings.model_validate(raw)
    except ValidationError as exc:
        lang = language_of(raw)
        problems = [
            explain(
                _as_written(e),
                lang,
                sections=SECTIONS,
                secrets=SECRET_ENV,  # type: ignore[arg-type]
                example=_default_in(e["loc"][:1]),
            )  # fmt: skip
            for e in exc.errors()
        ]
        raise ConfigError(source, problems, lang) from None


def _as_written(error: Any) -> Any:
    """A problem of [instagram] with mode = "graph" named by the section the office wrote."""
    loc = tuple(error["loc"])
    if loc[:1] == ("instagram_graph",):
        return {**error, "loc": ("instagram", *loc[1:])}
    return error


def _default_in(head: tuple[Any, ...]) -> Any:
    """_default for a problem as written, read in the section that holds the key."""
    if head == ("instagram_graph",):
        return lambda loc: _default(("instagram_graph", *loc[1:]))
    return _default


def _default(loc: tuple[str, ...]) -> str | None:
    """A key's default as TOML writes it, when it is a number or a yes/no (for the fix)."""
    model: Any = Settings
    default: Any = None
    for part in loc:
        fields = getattr(model, "model_fields", None)
        if fields is None or part not in fields:
            return None
        field = fields[part]
        default = field.default
        model = next(
            (a for a in (field.annotation, *getattr(field.annotation, "__args__", ()))
             if isinstance(a, type) and issubclass(a, Section)),
            None,
        )  # fmt: skip
    if isinstance(default, bool):
        return "true" if default else "false"
    return str(default) if isinstance(default, int | float) else None


def _with_secrets(raw: dict[str, Any], environ: Mapping[str, str]) -> dict[str, Any]:
    merged = {k: (dict(v) if isinstance(v, dict) else v) for k, v in raw.items()}
    for (section, key), variable in SECRET_ENV.items():
        value = environ.get(variable)
        if value and isinstance(merged.get(section), dict):
            graph = merged[section].get("mode") == "graph"
            if ((section, key) in GRAPH_ONLY and not graph) or (
                (section, key) in PASSWORD_ONLY and graph
            ):
                continue  # the other mode's secret, left in `env` by a switch
            merged[section][key] = value
        elif value and section in ("database", "network") and section not in merged:
            merged[section] = {key: value}
    return merged


def database_url(settings: Settings) -> str:
    if settings.database.url:
        return settings.database.url
    return f"sqlite:///{(settings.data_dir / 'puspaga.sqlite3').resolve()}"
