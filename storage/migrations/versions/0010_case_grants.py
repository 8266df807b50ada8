"""cases the head opened to another staff member

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UtcDateTime

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "case_grant",
        sa.Column(
            "conversation_id", sa.Integer(), sa.ForeignKey("conversation.id"), primary_key=True
        ),
        sa.Column("staff_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("granted_by", sa.BigInteger(), nullable=False),
        sa.Column("granted_at", UtcDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("case_grant")
