"""clients registered by staff: a referral from another body, its origin, letter number and
date (the conversation's channel says how the client came: langsung, telepon, surat, rujukan)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UtcDateTime

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "referral_in",
        sa.Column("conversation_id", sa.Integer(), sa.ForeignKey("conversation.id"),
                  primary_key=True),  # fmt: skip
        sa.Column("origin", sa.String(length=200), nullable=False),
        sa.Column("letter_number", sa.String(length=200), nullable=False),
        sa.Column("letter_date", sa.Date(), nullable=True),
        sa.Column("staff_id", sa.BigInteger(), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("referral_in")
