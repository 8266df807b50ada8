"""case files: complaints (the complaint standard) and psychoeducation requests (the Kaltim standard)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import JsonText, UtcDateTime

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "case_file",
        sa.Column(
            "conversation_id", sa.Integer(), sa.ForeignKey("conversation.id"), primary_key=True
        ),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("facts", JsonText(), nullable=True),
        sa.Column("data", JsonText(), nullable=True),
        sa.Column("opened_at", UtcDateTime(), nullable=False),
        sa.Column("due_at", UtcDateTime(), nullable=False),
        sa.Column("closed_at", UtcDateTime(), nullable=True),
    )
    op.create_index("ix_case_file_kind", "case_file", ["kind"])


def downgrade() -> None:
    op.drop_index("ix_case_file_kind", table_name="case_file")
    op.drop_table("case_file")
