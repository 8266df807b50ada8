"""programme_step: the steps of a semester's guidance programme (triage.domain.programme), only
ever added, one row per step taken

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import JsonText, UtcDateTime

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "programme_step",
        sa.Column("office_id", sa.String(length=64), server_default="default", nullable=False),
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(length=200), nullable=False, unique=True),
        sa.Column("semester", sa.String(length=7), nullable=False),
        sa.Column("step", sa.String(length=20), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("staff_id", sa.BigInteger(), nullable=False),
        sa.Column("detail", JsonText(), nullable=True),
    )
    op.create_index("ix_programme_step_semester", "programme_step", ["semester"])


def downgrade() -> None:
    op.drop_index("ix_programme_step_semester", table_name="programme_step")
    op.drop_table("programme_step")
