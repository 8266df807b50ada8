"""The migrations and the table definitions describe the same schema (no drift)."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import storage.tables  # noqa: F401 - registers the tables


def test_the_migrated_database_matches_the_tables(engine):
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": False})
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == []


def test_the_office_migration_goes_down_and_up_keeping_rows_and_the_audit_triggers(engine):
    """0013 on a database with a client, a contact and an audit entry: down to 0012 and up again
    (SQLite copies tables to change a key; the audit log must stay append-only)."""
    from sqlalchemy import text

    from storage.migrate import upgrade

    def to(revision: str, up: bool) -> None:
        _migrate(engine, revision, up)

    with engine.begin() as conn:
        conn.execute(text("INSERT INTO client (id, display_name, created_at) "
                          "VALUES (1, 'Sari', '2026-12-01 01:00:00+00:00')"))  # fmt: skip
        conn.execute(text("INSERT INTO contact (client_id, channel, external_id, display_name) "
                          "VALUES (1, 'hotline', '42', 'Sari')"))  # fmt: skip
        conn.execute(text("INSERT INTO channel_cursor (\"key\", value) VALUES ('hotline', '7')"))
        conn.execute(
            text(
                "INSERT INTO audit_log (at, staff_id, role, action) "
                "VALUES ('2026-12-01 01:00:00+00:00', 3001, 'ketua', 'record.read')"
            )
        )
    to("0012", up=False)
    to("head", up=True)
    upgrade(engine)
    with engine.begin() as conn:
        assert conn.execute(text("SELECT office_id FROM client")).scalar_one() == "default"
        row = conn.execute(text("SELECT office_id, value FROM channel_cursor")).one()
        assert tuple(row) == ("default", "7")
    with pytest.raises(Exception, match="append-only|audit"):  # noqa: B017
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM audit_log"))


def test_the_consent_migration_keeps_the_answers_clients_gave_on_the_identity_form(engine):
    """0019 on a database where one client agreed on the form, one refused and one was never
    asked: the first two keep their answer (not asked again, not masked), the third has none."""
    from sqlalchemy import text

    from storage.migrate import upgrade

    def to(revision: str, up: bool) -> None:
        _migrate(engine, revision, up)

    to("0018", up=False)
    at = "'2026-12-01 01:00:00+00:00'"
    with engine.begin() as conn:
        for n, name in ((1, "Sari"), (2, "Budi"), (3, "Ani")):
            conn.execute(text(f"INSERT INTO client (id, display_name, created_at) "
                              f"VALUES ({n}, '{name}', {at})"))  # fmt: skip
            conn.execute(text(f"INSERT INTO contact (id, client_id, channel, external_id, "
                              f"display_name) VALUES ({n}, {n}, 'hotline', '{n}', "
                              f"'{name}')"))  # fmt: skip
            conn.execute(text(f"INSERT INTO conversation (id, client_id, state, opened_at, "
                              f"last_message_at, reply_contact_id, round, urgent) "
                              f"VALUES ({n}, {n}, 'new', {at}, {at}, {n}, 1, false)"))  # fmt: skip
        for n, said in ((1, "ya"), (2, "tidak")):
            answers = f'{{"persetujuan": "{said}"}}'
            conn.execute(text("INSERT INTO form_state (conversation_id, answers, status) "
                              f"VALUES ({n}, '{answers}', 'asking')"))  # fmt: skip
    to("head", up=True)
    upgrade(engine)
    with engine.begin() as conn:
        rows = conn.execute(text("SELECT id, consent FROM client ORDER BY id")).all()
        assert [tuple(r) for r in rows] == [(1, "given"), (2, "refused"), (3, None)]


def _migrate(engine, revision: str, up: bool) -> None:
    from alembic import command

    from storage.migrate import alembic_config

    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.connect() as conn:
        cfg.attributes["connection"] = conn
        (command.upgrade if up else command.downgrade)(cfg, revision)
        conn.commit()
