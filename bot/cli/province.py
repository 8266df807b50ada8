"""`puspaga run`, `check` and `report` given a province file (bot/config/province.py): every
office's service in one process, each office checked in turn, and the offices' figures added
up for the provincial heads (no case in them)."""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

import typer

from bot.app import App
from bot.cli.common import checked, err, secrets_beside
from bot.config.province import Province, is_province, load_province, report_office
from bot.config.settings import ConfigError, Settings
from bot.service.offices import Offices, ProvinceHeads
from bot.service.switchboard import Districts
from triage.texts.catalog import text

__all__ = ["districts_of", "heads_of", "is_province", "load", "report", "serve"]
log = logging.getLogger("puspaga")


def heads_of(found: Province) -> ProvinceHeads:
    """The provincial heads and the office whose bot tells them (bot/telegram/province_desk.py)."""
    config = found.config
    heads = {head.telegram_id: head.name for head in config.staff}
    return ProvinceHeads(config.name, config.language, heads, report_office(found))


def districts_of(found: Province) -> Districts | None:
    """The shared hotline's office and each office's district words (bot/service/switchboard.py),
    when the province has one."""
    if not found.config.hotline_office:
        return None
    names = {
        office.key: office.settings.office.name
        for office in found.offices
        if office.settings.telegram is not None
    }  # a client goes where staff will see them
    return Districts.of(found.config.hotline_office, names, found.config.districts)


def load(path: Path) -> Province:
    """The province and each office, every problem said with its fix (exit code 2)."""
    os.umask(0o077)
    secrets_beside(path)  # the province's env: for every office without its own
    try:
        province = load_province(path, os.environ)
    except ConfigError as exc:
        err.print(str(exc), markup=False, highlight=False)
        raise typer.Exit(2) from None
    for office in province.offices:
        checked(office.settings)
    return province


def report(path: Path, month: str, out: Path, build: Callable[[Settings], App]) -> list[Path]:
    """The provincial heads' report of `month`: counts only (bot/files/province_report.py)."""
    from bot.files import province_report
    from bot.files import report as report_files

    found = load(path)
    lang = found.config.language
    if not report_files.MONTH.fullmatch(month):
        err.print(text("report.month_form", lang))
        raise typer.Exit(2)
    reports = []
    for office in found.offices:
        app = build(office.settings)
        reports.append((office.settings.office.name, report_files.build(app, month)))
        app.engine.dispose()
    return province_report.write(reports, out, found.config.name, month, lang)


def serve(
    offices: list[Settings],
    build: Callable[..., App],
    keys: list[str] | None = None,
    province: ProvinceHeads | None = None,
    districts: Districts | None = None,
) -> None:
    """Each office's service on its own main loop, all stopped together by SIGINT or SIGTERM;
    each office is built on its own thread, so one whose database is not up yet keeps no
    other from starting. With several offices (their `keys` from the province file) each one
    reaches the others, for a case moving between them (bot/service/offices.py)."""
    from bot.service import single

    if len(offices) > 1:
        build = _joined(build, Offices(dict(zip(keys or [], offices, strict=True)), province,
                                        districts))  # fmt: skip
    stop = threading.Event()
    woken: list[threading.Event] = [stop]
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, stopper(woken))
    with ExitStack() as stack:
        for settings in offices:  # SQLite: one service per office's file
            stack.enter_context(single.only_service(settings))
        if len(offices) == 1:
            _office(offices[0], build, stop, woken)
        else:
            running = [
                threading.Thread(
                    target=_office,
                    args=(settings, build, stop, woken),
                    name=f"kantor {settings.office.name}",
                )  # fmt: skip
                for settings in offices
            ]
            for thread in running:
                thread.start()
            for thread in running:
                thread.join()
    log.info("berhenti")


def _joined(build: Callable[..., App], directory: Offices) -> Callable[[Settings], App]:
    def joined(settings: Settings) -> App:
        app = build(settings, offices=directory)
        directory.add(directory.key_of(settings), app)
        return app

    return joined


def stopper(woken: list[threading.Event]) -> Callable[..., None]:
    """The SIGINT and SIGTERM handler: it sets the events from a thread of its own. Python runs
    a handler in the main thread between two steps, perhaps while that thread holds one of these
    events' locks (inside `wake.clear()` or `wake.wait()`): setting it there waited for itself
    forever, and the service never stopped (seen once in a test, the stack read with gdb)."""

    def handle(*_: object) -> None:
        threading.Thread(target=lambda: [event.set() for event in list(woken)],
                         name="stopping", daemon=True).start()  # fmt: skip

    return handle


def _office(settings: Settings, build: Callable[[Settings], App], stop: threading.Event,
            woken: list[threading.Event]) -> None:  # fmt: skip
    """One office: built once its database answers, then its main loop until `stop`."""
    from bot.bootstrap import mail_sender
    from bot.service import loops
    from bot.service.starting import build_when_ready

    mailer = (lambda: mail_sender(settings)) if settings.email else (lambda: None)
    app = build_when_ready(settings, stop, build=build, mailer=mailer)
    if app is None:
        return
    woken.append(app.wake)
    for channel, why in app.unavailable.items():
        log.warning("kanal %s tidak berjalan: %s", channel, why)
    log.info("berjalan; hentikan dengan Ctrl+C atau SIGTERM")
    loops.run_forever(app, stop)
