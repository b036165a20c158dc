"""The schema the pre-Alembic releases created with ``create_all``.

Revision ID: 0001
Revises:
Create Date: 2026-12-03

Each table is created only when it is missing, so a database made by an older release (which
may predate ``changebot_leases``) is adopted as it is: its rows stay, the missing tables are
added and the revision is recorded.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TABLES = (
    "changebot_claims",
    "changebot_inflight",
    "changebot_cards",
    "changebot_leases",
    "changebot_schema",
)


def _existing() -> set[str]:
    if op.get_context().as_sql:  # offline script: nothing to look at, create everything
        return set()
    return set(sa.inspect(op.get_bind()).get_table_names())


def upgrade() -> None:
    """Create whichever of the original tables are missing."""
    existing = _existing()
    if "changebot_claims" not in existing:
        op.create_table(
            "changebot_claims",
            sa.Column("key", sa.String(300), primary_key=True),
            sa.Column("expires_at", sa.Float(), nullable=False),
        )
        op.create_index("ix_changebot_claims_expires_at", "changebot_claims", ["expires_at"])
    if "changebot_inflight" not in existing:
        op.create_table(
            "changebot_inflight",
            sa.Column("id", sa.String(32), primary_key=True),
            sa.Column("owner", sa.String(200), nullable=False),
            sa.Column("lease_until", sa.Float(), nullable=False),
            sa.Column("created_at", sa.Float(), nullable=False),
            sa.Column("payload", sa.Text(), nullable=False),
        )
        op.create_index("ix_changebot_inflight_owner", "changebot_inflight", ["owner"])
        op.create_index("ix_changebot_inflight_lease_until", "changebot_inflight", ["lease_until"])
    if "changebot_cards" not in existing:
        op.create_table(
            "changebot_cards",
            sa.Column("card_id", sa.String(64), primary_key=True),
            sa.Column("expires_at", sa.Float(), nullable=False),
            sa.Column("payload", sa.Text(), nullable=False),
        )
        op.create_index("ix_changebot_cards_expires_at", "changebot_cards", ["expires_at"])
    if "changebot_leases" not in existing:
        op.create_table(
            "changebot_leases",
            sa.Column("name", sa.String(100), primary_key=True),
            sa.Column("owner", sa.String(200), nullable=False),
            sa.Column("since", sa.Float(), nullable=False),
            sa.Column("until", sa.Float(), nullable=False),
        )
    if "changebot_schema" not in existing:
        op.create_table(
            "changebot_schema",
            sa.Column("name", sa.String(50), primary_key=True),
            sa.Column("value", sa.String(50), nullable=False),
        )


def downgrade() -> None:
    """Drop the original tables (and everything in them)."""
    for table in reversed(TABLES):
        op.drop_table(table)
