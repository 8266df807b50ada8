"""consent: the client's answer to the data-protection notice, and messages staff saw only as
placeholders before it (triage.domain.consent)

Clients who already answered the identity form's consent question keep their answer: they are
not asked again, and staff go on seeing what they write.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UtcDateTime

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ANSWERS = {"ya": "given", "tidak": "refused"}


def upgrade() -> None:
    op.add_column("client", sa.Column("consent", sa.String(length=20), nullable=True))
    op.add_column("client", sa.Column("consent_at", UtcDateTime(), nullable=True))
    op.add_column(
        "message", sa.Column("masked", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    conn = op.get_bind()
    rows = conn.execute(
        sa.text(
            "SELECT c.client_id, c.opened_at, f.answers FROM form_state f"
            " JOIN conversation c ON c.id = f.conversation_id ORDER BY c.opened_at"
        )
    )
    answered: dict[int, tuple[str, object]] = {}
    for client_id, opened_at, answers in rows:
        try:
            said = (json.loads(answers) or {}).get("persetujuan") if answers else None
        except (ValueError, AttributeError):
            said = None
        if said in ANSWERS:
            answered[client_id] = (ANSWERS[said], opened_at)  # the latest answer counts
    for client_id, (consent, at) in answered.items():
        conn.execute(
            sa.text("UPDATE client SET consent = :consent, consent_at = :at WHERE id = :id"),
            {"consent": consent, "at": at, "id": client_id},
        )


def downgrade() -> None:
    # plain DROP COLUMN (as 0013): a batch copy would trip the foreign keys
    op.drop_column("message", "masked")
    op.drop_column("client", "consent_at")
    op.drop_column("client", "consent")
