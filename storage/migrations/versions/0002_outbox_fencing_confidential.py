"""outbox interruption flag; confidential messages

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(
            sa.Column("interrupted", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("message") as batch:
        batch.add_column(
            sa.Column("confidential", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("message") as batch:
        batch.drop_column("confidential")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("interrupted")
