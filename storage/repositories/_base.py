"""What the repositories share: the tables they read most, the id and move statements, the
open-conversation condition and the base class holding the connection."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Connection, bindparam, literal_column, update

from storage.fast import FastStatement
from storage.tables import (
    ClientRow,
    ContactRow,
    ConversationRow,
    CursorRow,
    MessageRow,
    OutboxRow,
    StepLogRow,
)
from triage.domain.model import DEFAULT_OFFICE

client_t = ClientRow.__table__
contact_t = ContactRow.__table__
conv_t = ConversationRow.__table__
message_t = MessageRow.__table__
step_t = StepLogRow.__table__
outbox_t = OutboxRow.__table__
cursor_t = CursorRow.__table__


def by_id(table):  # type: ignore[no-untyped-def]
    return table.c.id == bindparam("_id")


def moving(table):  # type: ignore[no-untyped-def]
    return (
        update(table)
        .where(table.c.conversation_id == bindparam("_from"))
        .values(conversation_id=bindparam("_to"))
    )


def returned_id(stmt: FastStatement, conn: Connection, params: dict) -> int:
    row = stmt.first(conn, params)
    assert row is not None, "INSERT … RETURNING returned no row"
    return row[0]


def is_open(conv: Any) -> ColumnElement[bool]:
    """The conversation is not closed, with 'closed' written into the SQL: a bound value
    there makes SQLite plan the statement anew on every run to see whether the partial index
    of open conversations applies (measured: four times slower for the ingest's lookup)."""
    return conv.c.state != literal_column("'closed'")


class Repo:
    def __init__(self, conn: Connection, office_id: str = DEFAULT_OFFICE) -> None:
        self.conn = conn
        self.office_id = office_id  # the office the unit of work acts for
        self.locks = conn.dialect.name == "postgresql"  # SQLite: BEGIN IMMEDIATE serialises
