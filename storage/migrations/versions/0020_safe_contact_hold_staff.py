"""safe contact, legal hold, staff status

- client.safe_contact: /kontak's preferences for a client (may we write first, on which
  channel, at what hours, in discreet wording: triage.domain.privacy.safe_contact), and
  outbox.not_before: a message kept for the client's hours;
- legal_hold: a case the head holds for the police, a court or UPTD PPA is neither purged nor
  erased on request until lifted (triage.domain.erasure.LegalHold);
- staff_status: staff the head deactivated with /nonaktif (left, or away), without a restart.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UtcDateTime

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("client", sa.Column("safe_contact", sa.Text(), nullable=True))
    op.add_column("outbox", sa.Column("not_before", UtcDateTime(), nullable=True))
    op.create_table(
        "legal_hold",
        sa.Column("conversation_id", sa.Integer(), sa.ForeignKey("conversation.id"), nullable=False),
        sa.Column("held_by", sa.BigInteger(), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("conversation_id"),
    )
    op.create_table(
        "staff_status",
        sa.Column("office_id", sa.String(length=64), server_default="default", nullable=False),
        sa.Column("staff_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("changed_by", sa.BigInteger(), nullable=False),
        sa.Column("changed_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("staff_id"),
    )


def downgrade() -> None:
    op.drop_table("staff_status")
    op.drop_table("legal_hold")
    op.drop_column("outbox", "not_before")
    op.drop_column("client", "safe_contact")
