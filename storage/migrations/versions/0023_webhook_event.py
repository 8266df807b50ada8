"""webhook_event: Meta's signed posts, kept from the answer 200 until their drain has read them
(storage/webhook_events.py)

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UtcDateTime

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "webhook_event",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("office_id", sa.String(length=64), nullable=False, server_default="default"),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("received_at", UtcDateTime(), nullable=False),
        sa.Column("body", sa.Text(), nullable=True),
        sa.UniqueConstraint("source", "digest", name="uq_webhook_event_digest"),
        sqlite_autoincrement=True,  # ids never reused: the drain's cursor names one
    )
    op.create_index("ix_webhook_event_source", "webhook_event", ["source", "id"])


def downgrade() -> None:
    op.drop_table("webhook_event")
