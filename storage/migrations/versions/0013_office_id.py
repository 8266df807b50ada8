"""every row that is found without a client or a conversation to follow carries its office
(and so do clients and conversations); channel cursors and register counters are per office

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DEFAULT_OFFICE = "default"  # the office of every row written before offices had an id
TABLES = ("client", "conversation", "outbox", "dead_letter", "deadline", "duty_change", "audit_log")
# (table, its other key column and its type, the other column and its type)
REKEYED = (
    ("channel_cursor", ("key", sqlmodel.sql.sqltypes.AutoString(length=300)),
     ("value", sqlmodel.sql.sqltypes.AutoString())),
    ("register_counter", ("period", sa.String(length=20)), ("last", sa.Integer())),
)  # fmt: skip


def _office() -> sa.Column:
    return sa.Column(
        "office_id", sa.String(length=64), nullable=False, server_default=DEFAULT_OFFICE
    )


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, _office())
    for table, (key, key_type), (other, other_type) in REKEYED:
        _rekey(table, [_office(), sa.Column(key, key_type, nullable=False)], key, other,
               other_type, ["office_id", key])  # fmt: skip


def downgrade() -> None:
    for table, (key, key_type), (other, other_type) in REKEYED:
        _rekey(table, [sa.Column(key, key_type, nullable=False)], key, other, other_type, [key])
    for table in TABLES:
        # A plain DROP COLUMN (SQLite 3.35 and later have it): a batch copy of the table would
        # trip the foreign keys and lose the audit log's append-only triggers.
        op.drop_column(table, "office_id")


def _rekey(table, columns, key, other, other_type, primary) -> None:  # noqa: ANN001
    """A new primary key: the table made anew and its rows copied (SQLite cannot alter one)."""
    new = f"{table}_rekeyed"
    op.create_table(
        new, *columns, sa.Column(other, other_type, nullable=False), sa.PrimaryKeyConstraint(*primary)
    )
    op.execute(f'INSERT INTO {new} ("{key}", "{other}") SELECT "{key}", "{other}" FROM {table}')
    op.drop_table(table)
    op.rename_table(new, table)
    if op.get_bind().dialect.name == "postgresql":  # the key keeps the table's own name
        op.execute(f"ALTER TABLE {table} RENAME CONSTRAINT {new}_pkey TO {table}_pkey")
