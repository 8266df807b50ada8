"""dead letters name their sender (channel:address) when known, so that erasing a client reaches
what of theirs could not be stored

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("dead_letter", sa.Column("sender", sa.String(length=340), nullable=True))
    op.create_index("ix_dead_letter_sender", "dead_letter", ["sender"])


def downgrade() -> None:
    op.drop_index("ix_dead_letter_sender", table_name="dead_letter")
    op.drop_column("dead_letter", "sender")
