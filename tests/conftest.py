"""Shared fixtures: a database engine on SQLite and on PostgreSQL, a Dovecot IMAP server and an
SMTP sink (real servers, no mock).

With CI=true the PostgreSQL and Dovecot tests must run: a missing server is an error, not a skip.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import TypeVar

import pytest
from sqlalchemy import Engine

from bot.demo.local_mail.dovecot import Dovecot, start_dovecot
from bot.demo.local_mail.smtp_sink import SmtpSink
from storage.db import make_engine
from storage.migrate import upgrade
from storage.unit_of_work import SqlUnitOfWorkFactory
from tests.support.pg_cluster import PgCluster, fresh_pg_database, start_cluster

T = TypeVar("T")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
# python-telegram-bot's future behaviour (retry_after as a timedelta); our code takes both.
os.environ.setdefault("PTB_TIMEDELTA", "1")


def _started(start: Callable[[], T], what: str) -> Iterator[T]:
    """A real server for the test, stopped after; missing: a skip, or a failure in CI."""
    try:
        server = start()
    except Exception as exc:  # noqa: BLE001
        if IN_CI:
            pytest.fail(f"{what} is required in CI and could not start: {exc}")
        pytest.skip(f"no {what} available: {exc}")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def pg_server_url() -> Iterator[str]:
    given = os.environ.get("PUSPAGA_TEST_POSTGRES_URL")
    if given:
        yield given
        return
    for cluster in _started(start_cluster, "PostgreSQL"):
        yield cluster.url


@pytest.fixture
def own_pg_cluster() -> Iterator[PgCluster]:
    """A PostgreSQL server of the test's own, for tests that restart it."""
    yield from _started(start_cluster, "PostgreSQL")


@pytest.fixture
def pg_engine(pg_server_url: str) -> Iterator[Engine]:
    engine = make_engine(fresh_pg_database(pg_server_url))
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_engine(tmp_path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'puspaga.sqlite3'}", sqlite_synchronous="normal")
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def engine(request) -> Engine:
    return request.getfixturevalue(f"{'pg' if request.param == 'postgresql' else 'sqlite'}_engine")


@pytest.fixture
def uows(engine: Engine) -> SqlUnitOfWorkFactory:
    return SqlUnitOfWorkFactory(engine)


@pytest.fixture(params=["fake", "sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def any_uows(request):
    """The same walk on the fakes, SQLite and PostgreSQL: the fakes must behave as SQL does."""
    if request.param == "fake":
        from tests.fakes import FakeUnitOfWorkFactory

        return FakeUnitOfWorkFactory()
    name = "pg_engine" if request.param == "postgresql" else "sqlite_engine"
    return SqlUnitOfWorkFactory(request.getfixturevalue(name))


def _dovecot() -> Iterator[Dovecot]:
    yield from _started(start_dovecot, "Dovecot")


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    """One IMAP server for the session; each test uses its own user name (its own mailbox)."""
    yield from _dovecot()


@pytest.fixture
def own_dovecot() -> Iterator[Dovecot]:
    """A server of the test's own, for tests that kill and restart it."""
    yield from _dovecot()


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    sink = SmtpSink().start()
    try:
        yield sink
    finally:
        sink.stop()
