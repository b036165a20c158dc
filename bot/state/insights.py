"""Anonymous barrier trends for the improvement team: what is diagnosed, week by week.

One row per diagnosis in ``changebot_diagnosis_events``: the Monday of its week (UTC), its scope,
the barrier, weak-factor and approach-type ids, and the care setting and role when the form gave
them. Never text, never a user id, never a channel. Every value written must look like an id
(lower-case letters, digits and underscores), so free text cannot slip in by mistake: a value
that does not is dropped (a list item) or stored as nothing (care setting, role) and a scope
that does not is stored as ``other``.

Reading (``weekly_insights``): counts per id per week over the last weeks, weekly totals and the
most common barrier pairs. Any count under ``SUPPRESS_BELOW`` (5), zero included, is shown as
``"<5"`` in every output (the model, its JSON, the CSV and the chart), so a small team's single
diagnosis cannot be picked out. Rows are kept ``CHANGEBOT_INSIGHTS_RETENTION_DAYS`` (365 by
default; ``prune_insights``).
"""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from itertools import combinations
from typing import TYPE_CHECKING

from pydantic import BaseModel
from sqlalchemy import delete, select

from bot.state.schema import action_outcomes, diagnosis_events

if TYPE_CHECKING:
    from bot.state.store import SharedStore

__all__ = [
    "SUPPRESS_BELOW",
    "SUPPRESSED",
    "Cell",
    "Insights",
    "insights_csv",
    "prune_insights",
    "record_diagnosis",
    "week_bucket",
    "weekly_insights",
]

SUPPRESS_BELOW = 5
SUPPRESSED = f"<{SUPPRESS_BELOW}"
TOP_PAIRS = 10
_ID = re.compile(r"^[a-z][a-z0-9_]{0,62}$")

Cell = int | str  # a count, or "<5"


def week_bucket(at: float) -> str:
    """The Monday (UTC) of the week ``at`` falls in, as ``YYYY-MM-DD``."""
    day = datetime.fromtimestamp(at, tz=UTC).date()
    return (day - timedelta(days=day.weekday())).isoformat()


def _ids(values: list[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if isinstance(v, str) and _ID.match(v)))


def _id_or_none(value: str | None) -> str | None:
    return value if isinstance(value, str) and _ID.match(value) else None


def record_diagnosis(
    store: SharedStore,
    *,
    at: float,
    scope: str,
    barriers: list[str],
    factors: list[str],
    approaches: list[str],
    care_setting: str | None = None,
    role: str | None = None,
) -> None:
    """Count one diagnosis: its week, scope and ids only (never text, user ids or channels)."""
    with store.transaction() as conn:
        conn.execute(
            diagnosis_events.insert().values(
                id=uuid.uuid4().hex,
                week=week_bucket(at),
                scope=_id_or_none(scope) or "other",
                barriers=json.dumps(_ids(barriers)),
                factors=json.dumps(_ids(factors)),
                approaches=json.dumps(_ids(approaches)),
                care_setting=_id_or_none(care_setting),
                role=_id_or_none(role),
            )
        )


class Insights(BaseModel):
    """Weekly counts over the last weeks, oldest week first; every count under 5 is ``"<5"``.

    ``barrier_counts`` (and the other ``*_counts``) map an id to one cell per week of ``weeks``
    (each a Monday, ``YYYY-MM-DD``); ``diagnoses`` is the weekly total; ``top_pairs`` are the
    most common pairs of barriers found together over all the weeks, ``(a, b, count)`` with
    ``a < b``, most common first (suppressed pairs last, by id).
    """

    weeks: list[str]
    barrier_counts: dict[str, list[Cell]]
    factor_counts: dict[str, list[Cell]]
    approach_counts: dict[str, list[Cell]]
    top_pairs: list[tuple[str, str, Cell]]
    suppressed_below: int = SUPPRESS_BELOW
    diagnoses: list[Cell] = []
    scope_counts: dict[str, list[Cell]] = {}
    care_setting_counts: dict[str, list[Cell]] = {}
    role_counts: dict[str, list[Cell]] = {}


def suppress(count: int) -> Cell:
    """The count as shown: itself from 5 up, else ``"<5"``."""
    return count if count >= SUPPRESS_BELOW else SUPPRESSED


def _table(counts: dict[str, Counter[str]], weeks: list[str]) -> dict[str, list[Cell]]:
    return {key: [suppress(counts[key][w]) for w in weeks] for key in sorted(counts)}


def weekly_insights(store: SharedStore, now: float, weeks: int = 12) -> Insights:
    """Counts for the ``weeks`` weeks up to and including the one ``now`` falls in."""
    current = date.fromisoformat(week_bucket(now))
    labels = [(current - timedelta(weeks=n)).isoformat() for n in range(weeks - 1, -1, -1)]
    with store.reading() as conn:
        rows = conn.execute(
            select(
                diagnosis_events.c.week,
                diagnosis_events.c.scope,
                diagnosis_events.c.barriers,
                diagnosis_events.c.factors,
                diagnosis_events.c.approaches,
                diagnosis_events.c.care_setting,
                diagnosis_events.c.role,
            ).where(diagnosis_events.c.week >= labels[0], diagnosis_events.c.week <= labels[-1])
        ).all()
    per: dict[str, dict[str, Counter[str]]] = {
        name: {} for name in ("barriers", "factors", "approaches", "scope", "care", "role")
    }
    totals: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()

    def add(kind: str, key: str | None, week: str) -> None:
        if key:
            per[kind].setdefault(key, Counter())[week] += 1

    for week, scope, barriers, factors, approaches, care, role in rows:
        totals[week] += 1
        found = json.loads(barriers)
        for kind, ids in (("barriers", found), ("factors", json.loads(factors))):
            for key in ids:
                add(kind, key, week)
        for key in json.loads(approaches):
            add("approaches", key, week)
        add("scope", scope, week)
        add("care", care, week)
        add("role", role, week)
        pairs.update(combinations(sorted(set(found)), 2))
    shown = sorted(
        ((a, b, suppress(n)) for (a, b), n in pairs.items()),
        key=lambda p: (isinstance(p[2], str), -p[2] if isinstance(p[2], int) else 0, p[0], p[1]),
    )
    return Insights(
        weeks=labels,
        barrier_counts=_table(per["barriers"], labels),
        factor_counts=_table(per["factors"], labels),
        approach_counts=_table(per["approaches"], labels),
        top_pairs=shown[:TOP_PAIRS],
        diagnoses=[suppress(totals[w]) for w in labels],
        scope_counts=_table(per["scope"], labels),
        care_setting_counts=_table(per["care"], labels),
        role_counts=_table(per["role"], labels),
    )


def insights_csv(insights: Insights) -> str:
    """The insights as one CSV, suppressed cells ``<5`` here too.

    Rows ``kind,id,<week>…`` (totals, barriers, factors, approaches, scope, care setting, role),
    then ``pair,a+b,<count>``.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["kind", "id", *insights.weeks])
    writer.writerow(["total", "diagnoses", *insights.diagnoses])
    for kind, table in (
        ("barrier", insights.barrier_counts),
        ("factor", insights.factor_counts),
        ("approach", insights.approach_counts),
        ("scope", insights.scope_counts),
        ("care_setting", insights.care_setting_counts),
        ("role", insights.role_counts),
    ):
        for key, cells in table.items():
            writer.writerow([kind, key, *cells])
    for a, b, n in insights.top_pairs:
        writer.writerow(["pair", f"{a}+{b}", n])
    return out.getvalue()


def prune_insights(store: SharedStore, retention_days: int, now: float | None = None) -> int:
    """Delete diagnosis events and action outcomes from weeks that ended ``retention_days`` ago.

    Returns how many rows went (both tables together).
    """
    at = store.clock() if now is None else now
    # a week's row goes once the whole week is older than the period
    cutoff = (date.fromisoformat(week_bucket(at - retention_days * 86_400.0))).isoformat()
    with store.transaction() as conn:
        gone = conn.execute(delete(diagnosis_events).where(diagnosis_events.c.week < cutoff))
        gone_outcomes = conn.execute(delete(action_outcomes).where(action_outcomes.c.week < cutoff))
        return int(gone.rowcount) + int(gone_outcomes.rowcount)
