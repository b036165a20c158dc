"""The shared copy of the audit log (the file in each data dir stays the local copy).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``changebot_audit`` (one row per record, keyed by the record's digest)."""
    op.create_table(
        "changebot_audit",
        sa.Column("digest", sa.String(64), primary_key=True),
        sa.Column("at", sa.Float(), nullable=False),
        sa.Column("record", sa.Text(), nullable=False),
    )
    op.create_index("ix_changebot_audit_at", "changebot_audit", ["at"])


def downgrade() -> None:
    """Drop the table."""
    op.drop_table("changebot_audit")
