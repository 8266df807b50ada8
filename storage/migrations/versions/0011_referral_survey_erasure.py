"""referrals, satisfaction surveys and the erasure marks

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import JsonText, UtcDateTime

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _conversation() -> sa.Column:
    return sa.Column(
        "conversation_id", sa.Integer(), sa.ForeignKey("conversation.id"), primary_key=True
    )


def upgrade() -> None:
    op.create_table(
        "referral",
        _conversation(),
        sa.Column("round", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("target", sa.String(20), nullable=False),
        sa.Column("addressee", sa.String(200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("staff_id", sa.BigInteger(), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("letter_path", sa.String(), nullable=True),
    )
    op.create_table(
        "survey",
        _conversation(),
        sa.Column("round", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("asked_at", UtcDateTime(), nullable=False, index=True),
        sa.Column("answered_at", UtcDateTime(), nullable=True, index=True),
        sa.Column("scores", JsonText(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False, server_default=""),
    )
    op.create_table(
        "erasure",
        _conversation(),
        sa.Column("kind", sa.String(20), primary_key=True),
        sa.Column("at", UtcDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("erasure")
    op.drop_table("survey")
    op.drop_table("referral")
