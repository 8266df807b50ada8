"""risk levels: a conversation's risk (mendesak, perlu_dicek, biasa), when staff last set it,
whether staff set its category; each client message's level as triage read it

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UtcDateTime

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "conversation",
        sa.Column("risk", sa.String(length=20), nullable=False, server_default="biasa"),
    )
    op.add_column(
        "conversation", sa.Column("risk_set_at", UtcDateTime(), nullable=True)
    )
    op.add_column(
        "conversation",
        sa.Column("category_by_staff", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column("message", sa.Column("risk", sa.String(length=20), nullable=True))
    # an urgent conversation was mendesak all along
    op.execute("UPDATE conversation SET risk = 'mendesak' WHERE urgent")


def downgrade() -> None:
    # plain DROP COLUMN (as 0013): a batch copy would trip the foreign keys
    op.drop_column("message", "risk")
    op.drop_column("conversation", "category_by_staff")
    op.drop_column("conversation", "risk_set_at")
    op.drop_column("conversation", "risk")
