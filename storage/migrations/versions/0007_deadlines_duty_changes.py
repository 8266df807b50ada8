"""SLA deadlines swept by the scheduler, and day-by-day duty roster changes (/jadwal)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UtcDateTime

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "deadline",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(length=200), nullable=False, unique=True),
        sa.Column(
            "conversation_id", sa.Integer(), sa.ForeignKey("conversation.id"), nullable=False
        ),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=40), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("since", UtcDateTime(), nullable=False),
        sa.Column("due_at", UtcDateTime(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("done_at", UtcDateTime(), nullable=True),
    )
    op.create_index("ix_deadline_due", "deadline", ["status", "due_at"])
    op.create_index("ix_deadline_conversation_id", "deadline", ["conversation_id"])
    op.create_table(
        "duty_change",
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("staff_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("on_duty", sa.Boolean(), nullable=False),
        sa.Column("changed_by", sa.BigInteger(), nullable=False),
        sa.Column("changed_at", UtcDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("duty_change")
    op.drop_index("ix_deadline_conversation_id", table_name="deadline")
    op.drop_index("ix_deadline_due", table_name="deadline")
    op.drop_table("deadline")
