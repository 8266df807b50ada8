"""Is the office's service healthy: `puspaga check` reaches each configured service, and
`puspaga alarm` mails the head that the service has stopped (systemd's OnFailure unit runs it:
docs/deploy/puspaga-alarm.service)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer
from sqlalchemy import text as sql

from bot.bootstrap import build, database
from bot.cli.common import DEFAULT_CONFIG, ConfigOpt, _settings, err, secrets_beside
from bot.cli.english import said
from bot.config.settings import ConfigError, Settings, load
from channels import network
from storage.migrate import current_revision, head_revision
from triage.texts.catalog import text


def alarm(
    config: ConfigOpt = DEFAULT_CONFIG,
    detail: Annotated[
        str, typer.Option("--keterangan", help="Satu baris keterangan untuk kepala.")
    ] = "",
) -> None:
    """Mail the head ([alarm] emails) that the service has stopped."""
    from bot.bootstrap import mail_sender
    from bot.service.alarm import stopped

    secrets_beside(config)
    try:  # the settings alone: a broken rules or form file must not silence the alarm
        settings = load(config)
    except ConfigError as exc:
        err.print(str(exc), markup=False, highlight=False)
        raise typer.Exit(2) from None
    if not settings.alarm.emails or settings.email is None:
        err.print(said("[alarm] emails belum diisi: tidak ada yang bisa dikabari lewat surel."))
        raise typer.Exit(2)
    if not stopped(settings, mail_sender(settings), datetime.now(UTC), detail):
        err.print(said("Surel ke kepala gagal dikirim; lihat log di atas."))
        raise typer.Exit(1)
    typer.echo(said("Surel terkirim ke {to}.", to=", ".join(settings.alarm.emails)))


def check(config: ConfigOpt = DEFAULT_CONFIG) -> None:
    """Validate the configuration and reach each configured service (given a province file,
    of each office in turn)."""
    from bot.cli import province

    if not province.is_province(config):
        raise typer.Exit(1 if check_office(_settings(config)) else 0)
    problems = 0
    for office in province.load(config).offices:
        typer.echo(f"== {office.settings.office.name} ({office.path})")
        problems += check_office(office.settings)
    raise typer.Exit(1 if problems else 0)


def check_office(settings: Settings) -> int:
    """One office's checks, each a line; returns how many failed."""
    lang = settings.language
    problems = 0

    def report(what: str, problem: str | None, found: str = "") -> None:
        nonlocal problems
        problems += problem is not None
        name = text(f"check.name.{what}", lang)
        if problem is None:
            typer.echo(f"OK    {name}: {found}" if found else f"OK    {name}")
        else:
            typer.echo(f"{text('check.fail', lang):<5} {name}: {problem}")

    report("configuration", None)
    try:
        engine = database(settings)
        with engine.connect() as conn:
            conn.execute(sql("SELECT 1"))
        current, head = current_revision(engine), head_revision()
        if current is None:  # a new database: `run` (or `migrate`) creates its tables
            report("database", None, text("check.fresh", lang))
        else:
            problem = text("check.schema", lang, current=current, head=head)
            report("database", None if current == head else problem)
            if engine.dialect.name == "postgresql" and current == head:
                report("workers", None, _workers(engine, lang))
    except Exception as exc:  # noqa: BLE001 - report any failure in plain words
        first_line = next(iter(str(exc).splitlines()), "")
        report("database", f"{type(exc).__name__}: {first_line}")
    if settings.email:
        from bot.bootstrap import mail_account
        from channels.email.probe import imap_problem, smtp_problem

        account = mail_account(settings)
        report("imap", imap_problem(account))
        report("smtp", smtp_problem(account))
    if settings.telegram:
        from bot.telegram.probe import administrators_not_staff, telegram_problem

        proxy = settings.network.proxy
        problem, found = telegram_problem(settings.telegram, lang, proxy)
        report("telegram", problem, found)
        staff = {s.telegram_id for s in settings.staff}
        strangers = None if problem else administrators_not_staff(settings.telegram, staff, proxy)
        for stranger in strangers or []:  # a warning: the head decides (IT staff may be one)
            typer.echo(text("check.warning", lang, who=stranger))
    if settings.instagram:
        report("instagram", instagram_problem(settings))
    if settings.meta_accounts and settings.webhook:
        from bot.bootstrap import meta_graph
        from channels.meta.probe import account_problem, webhook_problem

        for section, config in settings.meta_accounts.items():
            name = "instagram_graph" if section == "instagram" else section
            graph = meta_graph(settings, config)
            report(name, *account_problem(graph, section, config.account, lang))
        hook = settings.webhook
        report("webhook", *webhook_problem(hook.host, hook.port, hook.path, hook.verify_token,
                                           lang))  # fmt: skip
    if settings.triage.rules_file:
        report("rules", None)  # a broken file already stopped _settings, with its fix
    if settings.triage.form_file:
        report("form", None)
    from bot.files.form_templates import forms

    usable, wrong = forms(settings)
    report("official_forms", "; ".join(wrong) or None, ", ".join(f.name for f in usable))
    return problems


def _workers(engine, lang: str) -> str:  # noqa: ANN001 - an Engine
    """Several workers on PostgreSQL (bot/service/leases.py): which one polls what now (the
    holder is host:process)."""
    from bot.bootstrap import lease_holders

    now = datetime.now(UTC)
    held = [
        text("check.workers.held", lang, name=name, holder=holder.rsplit(":", 1)[0])
        for name, (holder, _, until) in sorted(lease_holders(engine).items())
        if until > now
    ]
    return "; ".join(held) or text("check.workers.none", lang)


def instagram_problem(settings) -> str | None:  # noqa: ANN001 - Settings, imported late
    """`puspaga check`: log in as the service would (reusing the stored session)."""
    from instagrapi.exceptions import BadPassword, ClientError, LoginRequired

    from channels.instagram.session import NeedsCode

    app, lang = build(settings), settings.language
    vault, source, _ = app.instagram_codes
    try:
        with source.session.client():
            return None
    except BadPassword:
        return text("check.ig.password", lang)
    except NeedsCode as exc:
        return text("check.ig.code", lang, kind=exc.kind.replace("_", "-"))
    except (LoginRequired, ClientError, OSError) as exc:
        if network.kind(exc):  # no internet is not a wrong user name
            return network.explain(exc, lang, "i.instagram.com", "[network] proxy")
        return text("check.ig.login", lang, error=type(exc).__name__)
