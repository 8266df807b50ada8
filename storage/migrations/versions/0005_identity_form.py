"""identity-form dialogue state and the register's counter

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "form_state",
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("asking", sa.String(length=40), nullable=True),
        sa.Column("answers", storage.types.JsonText(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("register_no", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversation.id"]),
        sa.PrimaryKeyConstraint("conversation_id"),
        sa.UniqueConstraint("register_no"),
    )
    op.create_table(
        "register_counter",
        sa.Column("period", sa.String(length=20), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("period"),
    )


def downgrade() -> None:
    op.drop_table("register_counter")
    op.drop_table("form_state")
