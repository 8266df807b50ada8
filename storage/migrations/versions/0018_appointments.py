"""appointments: a session agreed with a client, with its time, place, counselor and whether the
client came (its reminders are deadline rows)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UtcDateTime

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "appointment",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("conversation_id", sa.Integer(), sa.ForeignKey("conversation.id"),
                  nullable=False),  # fmt: skip
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("counselor_id", sa.BigInteger(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("staff_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_appointment_conversation_id", "appointment", ["conversation_id"])
    op.create_index("ix_appointment_at", "appointment", ["at"])


def downgrade() -> None:
    op.drop_index("ix_appointment_at", table_name="appointment")
    op.drop_index("ix_appointment_conversation_id", table_name="appointment")
    op.drop_table("appointment")
