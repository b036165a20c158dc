"""Per-user rate limits shared by every replica: one row per admitted request, for a minute.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``changebot_rate_hits`` (a hashed key and a time per admitted request)."""
    op.create_table(
        "changebot_rate_hits",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("at", sa.Float(), nullable=False),
    )
    op.create_index("ix_changebot_rate_hits_at", "changebot_rate_hits", ["at"])
    op.create_index("ix_changebot_rate_hits_key_at", "changebot_rate_hits", ["key", "at"])


def downgrade() -> None:
    """Drop the table."""
    op.drop_table("changebot_rate_hits")
