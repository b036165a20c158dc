"""Diagnosis history and feedback move from files in the data dir into the shared store.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03

History rows hold a pseudonymous user key, the diagnosis id, when, and the barrier ids found;
feedback rows hold the latest vote per voter and item (kind, opaque id, vote, reason from a
fixed list, top barrier id). No message text.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``changebot_history`` and ``changebot_feedback``."""
    op.create_table(
        "changebot_history",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            primary_key=True,
            autoincrement=True,
        ),
        sa.Column("user_key", sa.String(64), nullable=False),
        sa.Column("diagnosis_id", sa.String(100), nullable=False),
        sa.Column("at", sa.Float(), nullable=False),
        sa.Column("barriers", sa.Text(), nullable=False),
        sa.UniqueConstraint("user_key", "diagnosis_id", name="uq_changebot_history_user_diagnosis"),
    )
    op.create_index("ix_changebot_history_at", "changebot_history", ["at"])
    op.create_index("ix_changebot_history_user_at", "changebot_history", ["user_key", "at"])
    op.create_table(
        "changebot_feedback",
        sa.Column("voter", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("ref", sa.String(200), nullable=False),
        sa.Column("at", sa.Float(), nullable=False),
        sa.Column("vote", sa.String(8), nullable=False),
        sa.Column("reason", sa.String(32), nullable=True),
        sa.Column("label", sa.String(100), nullable=False),
        sa.PrimaryKeyConstraint("voter", "kind", "ref"),
    )
    op.create_index("ix_changebot_feedback_at", "changebot_feedback", ["at"])


def downgrade() -> None:
    """Drop both tables."""
    op.drop_table("changebot_feedback")
    op.drop_table("changebot_history")
