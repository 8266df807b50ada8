"""Several offices in one PostgreSQL database, each in its own schema (`[database] schema_name`,
bot/config/province.py): every statement of an office's engine sees that office's tables only,
so no query can reach another office's clients, cases or audit; each migrates, backs up and is
restored on its own."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from storage import backup
from storage.db import make_engine
from storage.migrate import current_revision, head_revision, upgrade
from storage.unit_of_work import SqlUnitOfWorkFactory
from tests.builders import T0, inbound
from tests.support.pg_cluster import fresh_pg_database
from triage.usecases.inbox import snapshot
from triage.usecases.ingest import ingest

pytestmark = pytest.mark.pg


def texts(uows) -> list[str]:
    return sorted(m.text for view in snapshot(uows) for m in view.messages)


def test_two_offices_in_one_database_never_see_each_other(pg_server_url, tmp_path):
    url = fresh_pg_database(pg_server_url)
    badung, gianyar = make_engine(url, schema="kab_badung"), make_engine(url, schema="kab_gianyar")
    try:
        for engine in (badung, gianyar):
            upgrade(engine)  # each office's schema made on its first start
            assert current_revision(engine) == head_revision()
        in_badung, in_gianyar = SqlUnitOfWorkFactory(badung), SqlUnitOfWorkFactory(gianyar)
        first = ingest(inbound(1, sender="a", text="dari Badung"), uow_factory=in_badung, now=T0)
        other = ingest(inbound(1, sender="a", text="dari Gianyar"), uow_factory=in_gianyar, now=T0)
        # the same client address and even the same ids, in two offices that share nothing
        assert first.conversation_id == other.conversation_id
        assert texts(in_badung) == ["dari Badung"] and texts(in_gianyar) == ["dari Gianyar"]
        with in_gianyar() as uow:  # Gianyar's staff asking for Badung's case by its number
            conv = uow.conversations.get(first.conversation_id)
            assert conv is not None and uow.messages.for_conversation(conv.id)[0].text == (
                "dari Gianyar"
            )
        with badung.connect() as conn:  # nothing of Gianyar's is even visible by name
            tables = conn.execute(text("SELECT count(*) FROM message")).scalar_one()
            assert tables == 1

        saved = tmp_path / "badung.dump"
        assert backup.dump(badung, saved) == "postgresql"
        ingest(inbound(2, sender="b", text="setelah cadangan"), uow_factory=in_badung, now=T0)
        backup.load(badung, "postgresql", saved)
        assert texts(SqlUnitOfWorkFactory(badung)) == ["dari Badung"]  # back as it was
        assert texts(in_gianyar) == ["dari Gianyar"]  # the other office untouched
        assert backup.row_counts(gianyar)["message"] == 1
    finally:
        badung.dispose()
        gianyar.dispose()
