"""a dead letter's source holds a channel's cursor key, which can be longer than 40 characters
("email:<user>@<imap host>:<folder>"): PostgreSQL refused such a dead letter

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("dead_letter") as batch:  # no foreign keys: a copy is safe
        batch.alter_column(
            "source", existing_type=sa.String(length=40), type_=sa.String(length=300)
        )


def downgrade() -> None:
    with op.batch_alter_table("dead_letter") as batch:
        batch.alter_column(
            "source", existing_type=sa.String(length=300), type_=sa.String(length=40)
        )
