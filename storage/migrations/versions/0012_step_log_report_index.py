"""the monthly report finds a month's rounds by their "received" step

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-24
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_step_log_step_at", "step_log", ["step", "at"])


def downgrade() -> None:
    op.drop_index("ix_step_log_step_at", table_name="step_log")
