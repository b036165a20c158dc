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
