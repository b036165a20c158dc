"""Follow-through: tests of change (plans), anonymous action outcomes and diagnosis events.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-10

``changebot_plans`` holds a person's own test of change (screened free text and their Slack user
id, for the reminder); ``changebot_action_outcomes`` and ``changebot_diagnosis_events`` hold
framework ids, fixed choices and a week bucket only: no user ids, no text, no channel.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the three tables."""
    op.create_table(
        "changebot_plans",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column("user_id", sa.String(32), nullable=False),
        sa.Column("action_id", sa.String(100), nullable=False),
        sa.Column("barrier", sa.String(50), nullable=False),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("with_whom", sa.Text(), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("prediction", sa.Text(), nullable=False),
        sa.Column("measure", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("study_on", sa.Float(), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("reminded_at", sa.Float(), nullable=True),
        sa.Column("snoozed_until", sa.Float(), nullable=True),
        sa.Column("outcome", sa.String(16), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("act", sa.String(8), nullable=True),
        sa.Column("updated_at", sa.Float(), nullable=False),
        sa.Column("outcome_row", sa.String(32), nullable=True),
    )
    op.create_index("ix_changebot_plans_updated_at", "changebot_plans", ["updated_at"])
    op.create_index(
        "ix_changebot_plans_user", "changebot_plans", ["team_id", "user_id", "created_at"]
    )
    op.create_index(
        "ix_changebot_plans_due", "changebot_plans", ["status", "reminded_at", "study_on"]
    )
    op.create_table(
        "changebot_action_outcomes",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("action_id", sa.String(100), nullable=False),
        sa.Column("barrier", sa.String(50), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("week", sa.String(10), nullable=False),
    )
    op.create_index(
        "ix_changebot_action_outcomes_action_id", "changebot_action_outcomes", ["action_id"]
    )
    op.create_index("ix_changebot_action_outcomes_week", "changebot_action_outcomes", ["week"])
    op.create_table(
        "changebot_diagnosis_events",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("week", sa.String(10), nullable=False),
        sa.Column("scope", sa.String(32), nullable=False),
        sa.Column("barriers", sa.Text(), nullable=False),
        sa.Column("factors", sa.Text(), nullable=False),
        sa.Column("approaches", sa.Text(), nullable=False),
        sa.Column("care_setting", sa.String(64), nullable=True),
        sa.Column("role", sa.String(64), nullable=True),
    )
    op.create_index("ix_changebot_diagnosis_events_week", "changebot_diagnosis_events", ["week"])


def downgrade() -> None:
    """Drop the three tables."""
    op.drop_table("changebot_diagnosis_events")
    op.drop_table("changebot_action_outcomes")
    op.drop_table("changebot_plans")
