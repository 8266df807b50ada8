"""relay flag and staff notes on messages; Telegram topic, post and focus maps

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("message") as batch:
        batch.add_column(
            sa.Column("internal", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(
            sa.Column("relayed", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    # Messages stored before this version were shown by `puspaga inbox`: nothing to relay.
    op.execute("UPDATE message SET relayed = true")
    op.create_index(
        "ix_message_unrelayed",
        "message",
        ["id"],
        sqlite_where=sa.text("relayed = 0 AND direction = 'in'"),
        postgresql_where=sa.text("NOT relayed AND direction = 'in'"),
    )
    op.create_table(
        "telegram_topic",
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("thread_id", sa.BigInteger(), nullable=True),
        sa.Column("header_message_id", sa.BigInteger(), nullable=True),
        sa.Column("closed", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.PrimaryKeyConstraint("conversation_id"),
    )
    op.create_table(
        "telegram_post",
        sa.Column("chat_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("message_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("chat_id", "message_id"),
    )
    op.create_index(
        "ix_telegram_post_conversation_id", "telegram_post", ["conversation_id"], unique=False
    )
    op.create_table(
        "staff_focus",
        sa.Column("staff_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("staff_id"),
    )


def downgrade() -> None:
    op.drop_table("staff_focus")
    op.drop_index("ix_telegram_post_conversation_id", table_name="telegram_post")
    op.drop_table("telegram_post")
    op.drop_table("telegram_topic")
    op.drop_index("ix_message_unrelayed", table_name="message")
    with op.batch_alter_table("message") as batch:
        batch.drop_column("relayed")
        batch.drop_column("internal")
