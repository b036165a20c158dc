"""The shared store's tables as the newest migration leaves them (SQLite and PostgreSQL alike).

The tables are created and changed only by the Alembic revisions in ``bot/state/migrations``;
this module describes the result, for the queries and for the test that compares the two. A new
table or column is a new revision *and* a change here (``tests/state/test_migrations.py`` fails
when they differ). Only ids, hashes, times, counts and rendered labels live here, never message
text.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Float,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)

# a 64-bit key on PostgreSQL; on SQLite an INTEGER PRIMARY KEY (the rowid) is what counts up
SEQUENCE = BigInteger().with_variant(Integer(), "sqlite")

metadata = MetaData()

# -- revision 0001: the schema the pre-Alembic ``create_all`` made -------------------------------
claims = Table(
    "changebot_claims",
    metadata,
    Column("key", String(300), primary_key=True),
    Column("expires_at", Float, nullable=False, index=True),
)
inflight = Table(
    "changebot_inflight",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("owner", String(200), nullable=False, index=True),
    Column("lease_until", Float, nullable=False, index=True),
    Column("created_at", Float, nullable=False),
    Column("payload", Text, nullable=False),
)
cards = Table(
    "changebot_cards",
    metadata,
    Column("card_id", String(64), primary_key=True),
    Column("expires_at", Float, nullable=False, index=True),
    Column("payload", Text, nullable=False),
)
leases = Table(
    "changebot_leases",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("owner", String(200), nullable=False),
    Column("since", Float, nullable=False),
    Column("until", Float, nullable=False),
)
# the pre-Alembic version marker; no longer written, kept so an older release can still open
# the database after a rollback (it would create the table again and expect it)
legacy_schema = Table(
    "changebot_schema",
    metadata,
    Column("name", String(50), primary_key=True),
    Column("value", String(50), nullable=False),
)

# -- revision 0002: diagnosis history and feedback -------------------------------------------------
history = Table(
    "changebot_history",
    metadata,
    Column("seq", SEQUENCE, primary_key=True, autoincrement=True),
    Column("user_key", String(64), nullable=False),  # sha256 of team and user id, truncated
    Column("diagnosis_id", String(100), nullable=False),
    Column("at", Float, nullable=False, index=True),
    Column("barriers", Text, nullable=False),  # JSON list of barrier ids
    UniqueConstraint("user_key", "diagnosis_id", name="uq_changebot_history_user_diagnosis"),
    Index("ix_changebot_history_user_at", "user_key", "at"),
)
feedback = Table(
    "changebot_feedback",
    metadata,
    Column("voter", String(64), nullable=False),  # pseudonymous, as in history
    Column("kind", String(16), nullable=False),
    Column("ref", String(200), nullable=False),
    Column("at", Float, nullable=False, index=True),
    Column("vote", String(8), nullable=False),
    Column("reason", String(32), nullable=True),
    Column("label", String(100), nullable=False),
    PrimaryKeyConstraint("voter", "kind", "ref"),
)

# -- revision 0003: per-user rate limits ---------------------------------------------------------
rate_hits = Table(
    "changebot_rate_hits",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("key", String(64), nullable=False),  # sha256 of the limited key, truncated
    Column("at", Float, nullable=False, index=True),
    Index("ix_changebot_rate_hits_key_at", "key", "at"),
)

# -- revision 0004: the shared copy of the audit log -------------------------------------------
audit = Table(
    "changebot_audit",
    metadata,
    Column("digest", String(64), primary_key=True),  # sha256 of the record: writes are idempotent
    Column("at", Float, nullable=False, index=True),
    Column("record", Text, nullable=False),  # the audit line: ids, counts, outcomes only
)

# -- revision 0005: follow-through (tests of change) and anonymous insights ----------------------
# A plan is the one place that keeps words and a Slack user id: the person's own test of change
# (every free-text field passed the patient-data screen), so the reminder reaches them. It goes
# ``CHANGEBOT_RETENTION_DAYS`` after it ends (``plans.prune_plans``).
plans = Table(
    "changebot_plans",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("team_id", String(32), nullable=False),
    Column("user_id", String(32), nullable=False),
    Column("action_id", String(100), nullable=False),
    Column("barrier", String(50), nullable=False),
    Column("what", Text, nullable=False),
    Column("with_whom", Text, nullable=False),
    Column("days", Integer, nullable=False),
    Column("prediction", Text, nullable=False),
    Column("measure", Text, nullable=False),
    Column("created_at", Float, nullable=False),
    Column("study_on", Float, nullable=False),
    Column("status", String(8), nullable=False),
    Column("reminded_at", Float, nullable=True),
    Column("snoozed_until", Float, nullable=True),
    Column("outcome", String(16), nullable=True),
    Column("note", Text, nullable=False),
    Column("act", String(8), nullable=True),
    Column("updated_at", Float, nullable=False, index=True),
    Column("outcome_row", String(32), nullable=True),  # id of its anonymous outcome row
    Index("ix_changebot_plans_user", "team_id", "user_id", "created_at"),
    Index("ix_changebot_plans_due", "status", "reminded_at", "study_on"),
)
# What was tried and whether it helped, per action and barrier: no user, no plan, no text.
action_outcomes = Table(
    "changebot_action_outcomes",
    metadata,
    Column("id", String(32), primary_key=True),  # random, unrelated to the plan's id
    Column("action_id", String(100), nullable=False, index=True),
    Column("barrier", String(50), nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("week", String(10), nullable=False, index=True),  # Monday of the week, YYYY-MM-DD (UTC)
)
# One row per diagnosis for the improvement team's trends: ids from fixed lists and a week.
diagnosis_events = Table(
    "changebot_diagnosis_events",
    metadata,
    Column("id", String(32), primary_key=True),  # random
    Column("week", String(10), nullable=False, index=True),  # Monday of the week, YYYY-MM-DD (UTC)
    Column("scope", String(32), nullable=False),
    Column("barriers", Text, nullable=False),  # JSON list of barrier ids
    Column("factors", Text, nullable=False),  # JSON list of factor ids
    Column("approaches", Text, nullable=False),  # JSON list of approach type ids
    Column("care_setting", String(64), nullable=True),
    Column("role", String(64), nullable=True),
)
