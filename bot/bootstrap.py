"""The composition root: the only place that builds engines, adapters and services from the
settings and hands them to each other (docs/architecture.md)."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from bot.app import App
from bot.config.settings import Settings, database_url
from bot.service import alarm, loops
from bot.service.leases import HolderOnly, LeaseKeeper, holder_name
from bot.service.offices import Offices, OfficeSender
from bot.service.switchboard import SharedHotline
from bot.telegram.budget import SendBudget
from bot.telegram.staff_directory import StaffDirectory
from channels.email.account import MailAccount
from channels.file_quota import FileQuota
from storage.db import is_database_outage, make_engine
from storage.dead_letters import DeadLetters
from storage.leases import Fences, SqlLeases
from storage.migrate import upgrade
from storage.telegram_maps import TelegramMaps
from storage.unit_of_work import SqlUnitOfWorkFactory
from triage.domain import notices
from triage.domain.outage import OutageBook
from triage.domain.outbox import Target
from triage.effects import notify
from triage.ports import ChannelSource, Sender
from triage.texts.catalog import text

log = logging.getLogger(__name__)

# The channels' libraries (python-telegram-bot, imapclient, instagrapi), the holiday calendar
# and the stemmer's dictionary are imported inside the functions that build them: only what is
# configured loads, and `puspaga triage` starts without them.


def build(
    settings: Settings,
    *,
    migrate: bool = True,
    clock: Callable[[], datetime] | None = None,
    sources: Sequence[ChannelSource] | None = None,
    senders: Mapping[Target, Sender] | None = None,
    offices: Offices | None = None,
) -> App:
    """The service made from `settings`. `clock`, `sources` and `senders` replace the real
    clock, the configured channels and their senders (the demo and tests use them); `offices`,
    the install's other offices, when it serves several (a case may move between them)."""
    engine = database(settings)
    if migrate:
        upgrade(engine)
    keeper = _lease_keeper(settings, engine)
    app = App(
        settings=settings,
        engine=engine,
        uows=SqlUnitOfWorkFactory(engine, fences=keeper.fences if keeper else None),
        leases=keeper,
        dead_letters=DeadLetters(engine),
        outages=OutageBook(timedelta(minutes=settings.alarm.after_minutes)),
        file_quota=file_quota(settings),
        **({"clock": clock} if clock is not None else {}),
    )
    if settings.telegram is not None:
        _add_telegram(app, settings)
    if settings.email is not None:
        _add_email(app, settings)
    if settings.instagram is not None:
        _add_instagram(app, settings)
    if settings.meta_accounts:
        _add_meta(app, settings)
    if sources is not None:
        app.sources = list(sources)
    if offices is not None:
        app.offices, app.office_key = offices, offices.key_of(settings)
        app.senders[Target.OFFICE] = OfficeSender(offices)
        hub = offices.districts.hub if offices.districts is not None else app.office_key
        own = app.senders.get(Target.HOTLINE)
        if hub != app.office_key and own is not None:  # the shared bot's clients: through it
            app.senders[Target.HOTLINE] = SharedHotline(offices, hub, app.office_key, own)
    app.senders.update(senders or {})
    app.seal()
    return app


def _lease_keeper(settings: Settings, engine: Engine) -> LeaseKeeper | None:
    """On PostgreSQL several workers may run: each single poller under a lease (started by
    `puspaga run` only). SQLite serves one process (bot/service/single.py)."""
    if engine.dialect.name != "postgresql":
        return None
    store = SqlLeases(engine)
    return LeaseKeeper(store, Fences(holder_name()), ttl=settings.database.lease_seconds)


def lease_holders(engine: Engine) -> dict[str, tuple[str, int, datetime]]:
    """Which worker holds each lease (`puspaga check`)."""
    return SqlLeases(engine).holders()


def file_quota(settings: Settings) -> FileQuota:
    limits = settings.limits
    return FileQuota(
        settings.data_dir,
        per_client_bytes=int(limits.client_files_mb_per_day * 1024 * 1024),
        min_free_bytes=int(limits.min_free_disk_mb * 1024 * 1024),
    )


def private_data_dir(settings: Settings) -> None:
    """data_dir readable by the service's user only (0700: nothing inside it can be reached by
    others then), and the files directly in it (the database, its WAL, the key) without group
    or other bits, whatever the umask they were made under. Only modes that need it change (a
    chmod moves ctime, which backup tools read as a change); the commands run under umask 077
    too (bot/cli/main.py), so what they add is private as well."""
    root = settings.data_dir
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    for path in (root, *root.iterdir()):
        try:
            found = path.lstat()
            if stat.S_ISLNK(found.st_mode) or found.st_uid != os.getuid():
                continue  # not ours to change (a link, a file an operator placed)
            if found.st_mode & 0o077:
                path.chmod(stat.S_IMODE(found.st_mode) & ~0o077)
        except OSError:
            continue  # gone meanwhile


def database(settings: Settings) -> Engine:
    """The office's database engine (its data folder made first, for the SQLite file)."""
    private_data_dir(settings)
    return make_engine(
        database_url(settings),
        sqlite_synchronous=settings.database.sqlite_synchronous,
        idle_in_transaction=max(5.0, settings.database.lease_seconds),
        schema=settings.database.schema_name,
    )


def mail_account(settings: Settings) -> MailAccount:

    mail = settings.email
    assert mail is not None
    return MailAccount(
        imap_host=mail.imap_host,
        imap_port=mail.imap_port,
        username=mail.username,
        password=mail.password,
        use_ssl=mail.use_ssl,
        folder=mail.folder,
        smtp_host=mail.smtp_host,
        smtp_port=mail.smtp_port,
        smtp_security=mail.smtp_security,
        from_address=mail.from_address,
        from_name=settings.office.name,
        files_dir=settings.data_dir / "attachments" / "email",
        sent_folder=mail.sent_folder,
        mark_seen=mail.mark_seen,
        backfill_days=mail.backfill_days,
        max_file_bytes=int(mail.max_attachment_mb * 1024 * 1024),
        timeout_seconds=mail.timeout_seconds,
        language=settings.language,
    )


def mail_sender(settings: Settings, clock: Callable[[], datetime] | None = None) -> Sender:
    """The office's SMTP side alone (`puspaga alarm`: the service, maybe its database, is down)."""
    from channels.email.smtp_sender import SmtpSender

    kwargs = {"clock": clock} if clock is not None else {}
    return SmtpSender(mail_account(settings), settings.office.name, **kwargs)


def _add_email(app: App, settings: Settings) -> None:
    from bot.service.poll_thread import PollThread
    from channels.email.idle import IdleWatcher
    from channels.email.imap_source import ImapSource

    mail = settings.email
    assert mail is not None
    account = mail_account(settings)
    source = ImapSource(account, clock=app.clock, quota=app.file_quota)
    app.sources.append(source)
    app.poll_seconds[source.cursor_key] = mail.poll_seconds
    app.senders[Target.EMAIL] = mail_sender(settings, app.clock)
    app.threaded.add(source.cursor_key)  # a hung mail server must not hold up the outbox
    app.watchers.append(PollThread(app, source, mail.poll_seconds))
    if mail.idle:
        app.watchers.append(
            IdleWatcher(
                account,
                look_now=lambda: loops.poll_now(app, source),
                on_state=lambda ok: alarm.saw(app, source.cursor_key, ok),
                allowed=lambda: app.tenure(source.cursor_key) is not None,
                renew_seconds=mail.idle_renew_seconds,
            )
        )


def _add_telegram(app: App, settings: Settings) -> None:
    from bot.config.roster import office_roster, timer_setup
    from bot.config.triage import office_triage
    from bot.config.workflows import workflow_setup
    from bot.telegram.gateway import Gateway
    from bot.telegram.runtime import TelegramRuntime, file_url, updates_key
    from bot.telegram.sender import HotlineSender, StaffSender

    config = settings.telegram
    assert config is not None
    lang = settings.language
    proxy = settings.network.proxy
    gateway = Gateway(config.token, config.base_url, file_url(config.base_url), proxy=proxy)
    maps = TelegramMaps(app.engine)
    staff = StaffDirectory.from_config(settings.staff)
    budget = SendBudget()
    tz = ZoneInfo(settings.office.timezone)

    # Several workers: only the one fetching the bot's updates sends through it, so Telegram's
    # flood budget is counted in one process (bot/telegram/budget.py).
    updates = updates_key(config.token)

    def sending() -> bool:
        return app.tenure(updates) is not None

    app.senders[Target.TELEGRAM] = HolderOnly(StaffSender(
        gateway, maps, budget, admin_chat_id=config.admin_chat_id, lang=lang, tz=tz,
        unseal=lambda sealed: app.sealer.open(sealed),
        summary=settings.consent.group_view == "ringkas",
    ), sending)  # fmt: skip
    app.senders[Target.HOTLINE] = HolderOnly(HotlineSender(gateway, budget, lang), sending)
    app.telegram = TelegramRuntime(app, gateway=gateway, maps=maps, staff=staff)
    app.timers = timer_setup(settings, datetime.now(UTC).date())
    app.roster = office_roster(settings, app.timers.calendar)
    app.workflows = workflow_setup(settings, app.timers.calendar)
    app.triage = office_triage(
        settings,
        [*staff.counselors, *staff.heads],
        roster=app.roster,
        heads=staff.heads,
        workflows=app.workflows,
    )  # the configured lists: a member deactivated later is told nothing (triage.effects.notify)
    staff.load_inactive = lambda: _inactive(app)


def _inactive(app: App) -> frozenset[int]:
    with app.uows() as uow:
        return uow.roster.inactive()


def _add_instagram(app: App, settings: Settings) -> None:
    from bot.service.instagram import DatabaseVault
    from bot.service.poll_thread import PollThread
    from channels.instagram.sender import InstagramSender
    from channels.instagram.session import InstagramSession
    from channels.instagram.source import InstagramSource

    config = settings.instagram
    assert config is not None
    vault = DatabaseVault(app, config.username)
    session = InstagramSession(config.username, config.password, vault, app.sealer)
    if settings.network.proxy:
        session.new_client = partial(_proxied_client, settings.network.proxy)
    lang = settings.language

    def tell_admins(key: str) -> None:
        now = app.clock()
        with app.uows() as uow:
            notify.queue(
                uow,
                key=f"instagram:{key}:{now.isoformat()}",
                recipient=notices.GENERAL,
                kind=notices.Kind.INFO,
                now=now,
                text=text(key, lang),
            )
            uow.commit()
        app.wake.set()

    source = InstagramSource(
        session,
        settings.data_dir / "attachments" / "instagram",
        tell_admins=tell_admins,
        language=lang,
        backfill_days=config.backfill_days,
        approve_requests=config.approve_requests,
        mark_seen=config.mark_seen,
        max_file_bytes=int(config.max_attachment_mb * 1024 * 1024),
        clock=app.clock,
        quota=app.file_quota,
    )
    session.on_code_needed = tell_admins
    app.sources.append(source)
    app.threaded.add(source.cursor_key)
    # one login per account: with several workers, only the one polling it sends
    app.senders[Target.INSTAGRAM] = HolderOnly(
        InstagramSender(session), lambda: app.tenure(source.cursor_key) is not None
    )
    poller = PollThread(app, source, config.poll_seconds, jitter=0.5)  # Instagram dislikes haste
    app.watchers.append(poller)
    app.instagram_codes = (vault, source, poller)


def meta_graph(settings: Settings, config):  # noqa: ANN001, ANN201 - a Graph, imported late
    """The Graph API as one of the office's Meta accounts uses it (also `puspaga check`):
    `config`, one of Settings.meta_accounts."""
    from channels.meta.graph import Graph

    return Graph(config.access_token, config.graph_url, config.graph_version,
                 config.timeout_seconds, settings.network.proxy)  # fmt: skip


def _add_meta(app: App, settings: Settings) -> None:
    """Each Meta account's drain and sender; one webhook receiver takes the posts of all."""
    from bot.service.webhook import Receiver, WebhookServer
    from channels.meta import source as meta
    from channels.meta.messaging_sender import MessagingSender
    from channels.meta.whatsapp_sender import WhatsAppSender

    hook = settings.webhook
    assert hook is not None
    routes = {}
    if (wa := settings.whatsapp) is not None:
        graph = meta_graph(settings, wa)
        sender = WhatsAppSender(graph, wa.phone_number_id, wa.reopen_template,
                                wa.template_language, clock=app.clock)  # fmt: skip
        source = _meta_account(app, settings, meta.WHATSAPP, wa, graph, routes)
        source.on_failed = _failed_later(app, sender)
        app.senders[Target.WHATSAPP] = sender
    ig = settings.instagram_graph
    # Messenger's limit is 2,000 characters; Instagram's 1,000 bytes, and it takes no metadata
    for flavour, config, target, limits in (
        (meta.MESSENGER, settings.messenger, Target.MESSENGER, {}),
        (meta.INSTAGRAM, ig, Target.INSTAGRAM, {"max_bytes": 1000, "metadata": False}),
    ):
        if config is None:
            continue
        graph = meta_graph(settings, config)
        _meta_account(app, settings, flavour, config, graph, routes)
        app.senders[target] = MessagingSender(graph, flavour.sends_to(config.account),
                                              flavour.prefix, human_agent=config.human_agent,
                                              **limits)  # fmt: skip
    also = (ig.app_secret,) if ig is not None and ig.app_secret else ()
    receiver = Receiver(hook, routes, app.dead_letters, app.clock, also)
    app.watchers.append(WebhookServer(receiver, hook.host, hook.port))


def _meta_account(app: App, settings: Settings, flavour, config, graph,  # noqa: ANN001
                  routes: dict):  # noqa: ANN202 - a MetaSource  # fmt: skip
    """One account's drain, its poll thread and its route from the receiver."""
    from bot.service.poll_thread import PollThread
    from bot.service.webhook import Route
    from channels.meta.source import MetaSource
    from storage.webhook_events import WebhookEvents

    events = WebhookEvents(app.engine)
    source = MetaSource(
        events,
        config.account,
        graph,
        settings.data_dir / "attachments" / flavour.channel.value,
        language=settings.language,
        mark_read=config.mark_read,
        max_file_bytes=int(config.max_attachment_mb * 1024 * 1024),
        quota=app.file_quota,
        clock=app.clock,
        flavour=flavour,
    )
    app.sources.append(source)
    app.threaded.add(source.cursor_key)
    poller = PollThread(app, source, config.poll_seconds)
    app.watchers.append(poller)
    routes[source.cursor_key] = Route(source.cursor_key, events, poller.now.set)
    return source


def _failed_later(app: App, sender):  # noqa: ANN001, ANN202 - the WhatsAppSender; a callback
    """What the drain does with a reply WhatsApp accepted and reports later as failed."""
    from channels.meta.graph import WINDOW_CLOSED, GraphError, send_error
    from triage.usecases import dispatch

    def failed_later(remote_id: str, item_id: int | None, codes: tuple[int, ...]) -> bool:
        code = codes[0] if codes else None
        said = send_error(GraphError(0, code, "reported after sending"))
        heads = app.timers.heads if app.timers else ()
        try:
            done, item = dispatch.failed_later(
                Target.WHATSAPP, remote_id, str(said), uow_factory=app.uows, now=app.clock(),
                heads=heads, item_id=item_id,
                retry_after=(said.retry_after or 60.0) if said.transient else None,
            )  # fmt: skip
        except Exception as exc:
            if is_database_outage(exc):
                raise  # the pass ends; the post is read again when the database is back
            log.error("status WhatsApp tidak dapat diterapkan (%s); dilewati", type(exc).__name__)
            return True  # one bad status never holds up the clients' messages
        if done in ("failed", "again"):
            app.wake.set()
        if done == "failed" and code in WINDOW_CLOSED and item and item.recipient != "erased":
            sender.invite(item.recipient)
        return done != "later"

    return failed_later


def _proxied_client(proxy: str):  # noqa: ANN202 - an instagrapi Client, imported late
    from instagrapi import Client

    client = Client()
    client.set_proxy(proxy)  # the office's web proxy ([network] proxy)
    return client
