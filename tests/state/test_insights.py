"""Anonymous insights on a seeded store of 300 synthetic diagnoses, on both backends: the counts are
right, every count under 5 is "<5" in the JSON, the CSV and the chart's text, and the tables hold
ids from fixed lists and week buckets only (a test reads them)."""

from __future__ import annotations

import csv
import io
import json
import random
import re
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from itertools import combinations
from typing import Any

import pytest
from sqlalchemy import select

from bot.state.insights import (
    SUPPRESSED,
    Insights,
    insights_csv,
    prune_insights,
    record_diagnosis,
    week_bucket,
    weekly_insights,
)
from bot.state.schema import action_outcomes, diagnosis_events
from bot.state.store import SharedStore
from knowledge.framework import default_framework
from tests.state.conftest import Clock

NOW = datetime(2026, 12, 9, 15, 30, tzinfo=UTC).timestamp()  # a Wednesday
WEEK_S = 7 * 86_400.0
BARRIERS = {"recognition": 1, "motivation": 0.12, "headspace": 2.5, "capability": 1.2}
FACTORS = ["leadership", "culture", "management_practices", "capabilities", "data_analytics"]
APPROACHES = ["prod_organisations", "proactive_support", "people_focused"]
SETTINGS = ["ward", "primary_care", "community", "mental_health"]
ROLES = ["nurse", "manager", "doctor"]
SCOPES = ["in_scope", "partly_in_scope"]


def synthetic(n: int = 300, seed: int = 17) -> list[dict[str, Any]]:
    """Diagnoses over the last 12 weeks: the oldest week quiet (3), the others busier."""
    rng = random.Random(seed)
    items = []
    for i in range(n):
        weeks_ago = 11 if i < 3 else min(int(rng.random() ** 1.3 * 11), 10)
        at = NOW - weeks_ago * WEEK_S - rng.random() * 2 * 86_400
        found = set(
            rng.choices(list(BARRIERS), weights=list(BARRIERS.values()), k=rng.randint(1, 3))
        )
        items.append(
            {
                "at": at,
                "scope": rng.choice(SCOPES),
                "barriers": sorted(found),
                "factors": rng.sample(FACTORS, rng.randint(0, 2)),
                "approaches": rng.sample(APPROACHES, 1),
                "care_setting": rng.choice([*SETTINGS, None]),
                "role": rng.choice([*ROLES, None]) if i % 3 else None,
            }
        )
    return items


def expected_weeks() -> list[str]:
    today = datetime.fromtimestamp(NOW, tz=UTC).date()
    monday = today - timedelta(days=today.weekday())
    return [(monday - timedelta(weeks=k)).isoformat() for k in range(11, -1, -1)]


def shown(n: int) -> int | str:
    return n if n >= 5 else "<5"


@pytest.fixture
def seeded(backend: str, clock: Clock) -> Any:
    clock.now = NOW
    store = SharedStore(backend, clock=clock)
    items = synthetic()
    for item in items:
        record_diagnosis(store, **item)
    # outside the window: 13 weeks ago, and next week (a clock ahead) are not counted
    record_diagnosis(
        store, at=NOW - 13 * WEEK_S, scope="in_scope", barriers=["headspace"], factors=[],
        approaches=[],
    )  # fmt: skip
    yield store, items
    store.close()


def test_counts_are_right_and_small_cells_suppressed(seeded: Any) -> None:
    store, items = seeded
    insights = weekly_insights(store, NOW)
    weeks = expected_weeks()
    assert insights.weeks == weeks and insights.suppressed_below == 5

    per_week: dict[str, Counter[str]] = {w: Counter() for w in weeks}
    totals: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    for item in items:
        day = datetime.fromtimestamp(item["at"], tz=UTC).date()
        week = (day - timedelta(days=day.weekday())).isoformat()
        totals[week] += 1
        per_week[week].update(f"b:{b}" for b in item["barriers"])
        per_week[week].update(f"f:{f}" for f in item["factors"])
        per_week[week].update(f"a:{a}" for a in item["approaches"])
        per_week[week].update([f"s:{item['scope']}"])
        if item["care_setting"]:
            per_week[week].update([f"c:{item['care_setting']}"])
        if item["role"]:
            per_week[week].update([f"r:{item['role']}"])
        pairs.update(combinations(sorted(item["barriers"]), 2))

    assert insights.diagnoses == [shown(totals[w]) for w in weeks]
    for prefix, table, ids in (
        ("b", insights.barrier_counts, BARRIERS),
        ("f", insights.factor_counts, FACTORS),
        ("a", insights.approach_counts, APPROACHES),
        ("s", insights.scope_counts, SCOPES),
        ("c", insights.care_setting_counts, SETTINGS),
        ("r", insights.role_counts, ROLES),
    ):
        assert set(table) == set(ids)
        for key in ids:
            assert table[key] == [shown(per_week[w][f"{prefix}:{key}"]) for w in weeks], key
    assert {(a, b): n for a, b, n in insights.top_pairs} == {
        pair: shown(n) for pair, n in pairs.items()
    }
    counts = [n for _, _, n in insights.top_pairs]
    big = [n for n in counts if isinstance(n, int)]
    assert big == sorted(big, reverse=True) and counts[: len(big)] == big

    # the seed has both kinds of cell, so the suppression below is really tested
    cells = [c for row in insights.barrier_counts.values() for c in row]
    assert SUPPRESSED in cells and any(isinstance(c, int) for c in cells)
    assert insights.diagnoses[0] == SUPPRESSED  # the oldest week is quiet


def all_cells(insights: Insights) -> list[Any]:
    tables = (
        insights.barrier_counts, insights.factor_counts, insights.approach_counts,
        insights.scope_counts, insights.care_setting_counts, insights.role_counts,
    )  # fmt: skip
    cells = [c for table in tables for row in table.values() for c in row]
    return cells + list(insights.diagnoses) + [n for _, _, n in insights.top_pairs]


def test_no_count_under_5_in_the_json_the_csv_or_the_chart_text(seeded: Any, tmp_path: Any) -> None:
    store, _ = seeded
    insights = weekly_insights(store, NOW)
    assert all(c == SUPPRESSED or (isinstance(c, int) and c >= 5) for c in all_cells(insights))

    # JSON: every number is a count of 5 or more (the threshold itself aside)
    data = json.loads(insights.model_dump_json())
    numbers: list[int] = []

    def walk(value: Any) -> None:
        if isinstance(value, bool):
            return
        if isinstance(value, int):
            numbers.append(value)
        elif isinstance(value, (list, tuple)):
            for v in value:
                walk(v)
        elif isinstance(value, dict):
            for k, v in value.items():
                if k != "suppressed_below":
                    walk(v)

    walk(data)
    assert numbers and min(numbers) >= 5
    assert SUPPRESSED in json.dumps(data)

    # CSV: every cell after the id is "<5" or a count of 5 or more
    rows = list(csv.reader(io.StringIO(insights_csv(insights))))
    assert rows[0] == ["kind", "id", *insights.weeks]
    assert rows[1][:2] == ["total", "diagnoses"]
    kinds = Counter(r[0] for r in rows[1:])
    assert kinds["barrier"] == 4 and kinds["pair"] == len(insights.top_pairs)
    for row in rows[1:]:
        for cell in row[2:]:
            assert cell == SUPPRESSED or int(cell) >= 5, row

    # the chart's text (and the chart itself)
    pytest.importorskip("matplotlib")
    from bot.tools.insights_chart import draw_insights_chart, save_insights_chart

    labels = {b.id: b.label for b in default_framework().barriers}
    png, text = draw_insights_chart(insights, labels)
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 20_000
    assert save_insights_chart(insights, tmp_path / "c" / "chart.png", labels) == text
    assert (tmp_path / "c" / "chart.png").read_bytes()[:8] == png[:8]
    for label in labels.values():
        assert label in text
        assert not re.search(rf"{re.escape(label)}:? [0-4]\b", text)
    lines = [line for line in text.splitlines() if line.startswith("Week of")]
    assert len(lines) == 12
    for line in lines:
        counts = re.findall(r"(?:: | )(\d+|<5)(?= diagnoses|,|\.$)", line)
        assert counts, line
        assert all(c == SUPPRESSED or int(c) >= 5 for c in counts), line
    pair_line = text.splitlines()[-1]
    assert all(c == SUPPRESSED or int(c) >= 5 for c in re.findall(r": (\d+|<5)", pair_line))
    assert "<5" in text


def test_the_tables_hold_ids_and_weeks_only_never_text_or_user_ids(
    backend: str, clock: Clock
) -> None:
    store = SharedStore(backend, clock=clock)
    try:
        for item in synthetic(60):
            record_diagnosis(store, **item)
        # what a careless caller might pass: words, a Slack user id, a channel name
        record_diagnosis(
            store,
            at=NOW,
            scope="Mrs Smith on ward 7",
            barriers=["headspace", "we never have time, says U024BE7LH", "Headspace"],
            factors=["culture", "#ward-7-team"],
            approaches=["C0123ABCD"],
            care_setting="St Elsewhere ward 7",
            role="U024BE7LH",
        )
        framework = default_framework()
        known = {b.id for b in framework.barriers} | {f.id for f in framework.factors}
        known |= {a.id for a in framework.approaches}
        with store.reading() as conn:
            rows = [dict(r._mapping) for r in conn.execute(select(diagnosis_events))]
            outcome_rows = conn.execute(select(action_outcomes)).all()
        assert len(rows) == 61 and outcome_rows == []
        assert set(rows[0]) == {
            "id", "week", "scope", "barriers", "factors", "approaches", "care_setting", "role",
        }  # fmt: skip
        mondays = {week_bucket(item["at"]) for item in synthetic(60)} | {week_bucket(NOW)}
        for row in rows:
            assert re.fullmatch(r"[0-9a-f]{32}", row["id"])
            assert row["week"] in mondays and date.fromisoformat(row["week"]).weekday() == 0
            assert row["scope"] in {*SCOPES, "other"}
            for column in ("barriers", "factors", "approaches"):
                assert set(json.loads(row[column])) <= known
            assert row["care_setting"] in {*SETTINGS, None}
            assert row["role"] in {*ROLES, None}
            dumped = json.dumps(row)
            for leaked in ("Smith", "U024BE7LH", "ward-7", "C0123ABCD", "Elsewhere", "never"):
                assert leaked not in dumped
        careless = [r for r in rows if r["scope"] == "other"]
        assert len(careless) == 1
        assert json.loads(careless[0]["barriers"]) == ["headspace"]
        assert careless[0]["care_setting"] is None and careless[0]["role"] is None
    finally:
        store.close()


def test_rows_go_after_the_insights_retention_period(backend: str, clock: Clock) -> None:
    clock.now = NOW
    store = SharedStore(backend, clock=clock)
    try:
        for weeks_ago in (0, 10, 51, 53, 60):
            record_diagnosis(
                store, at=NOW - weeks_ago * WEEK_S, scope="in_scope", barriers=["headspace"],
                factors=[], approaches=[],
            )  # fmt: skip
        assert prune_insights(store, retention_days=365) == 2
        with store.reading() as conn:
            weeks = sorted(r[0] for r in conn.execute(select(diagnosis_events.c.week)))
        assert weeks == sorted(week_bucket(NOW - k * WEEK_S) for k in (0, 10, 51))
        assert prune_insights(store, retention_days=365) == 0
    finally:
        store.close()


def test_an_empty_store_gives_suppressed_zeroes(backend: str, clock: Clock) -> None:
    store = SharedStore(backend, clock=clock)
    try:
        insights = weekly_insights(store, NOW, weeks=4)
        assert insights.weeks == expected_weeks()[-4:]
        assert insights.diagnoses == [SUPPRESSED] * 4
        assert insights.barrier_counts == {} and insights.top_pairs == []
        assert insights_csv(insights).splitlines()[1] == "total,diagnoses,<5,<5,<5,<5"
    finally:
        store.close()


def test_a_rare_pair_is_suppressed_and_listed_after_the_common_ones(
    backend: str, clock: Clock
) -> None:
    store = SharedStore(backend, clock=clock)
    try:
        for n in range(9):
            found = ["headspace", "motivation"] if n < 3 else ["capability", "headspace"]
            record_diagnosis(
                store, at=NOW, scope="in_scope", barriers=found, factors=[], approaches=[]
            )
        insights = weekly_insights(store, NOW)
        assert insights.top_pairs == [
            ("capability", "headspace", 6),
            ("headspace", "motivation", SUPPRESSED),
        ]
        assert insights.barrier_counts["headspace"][-1] == 9
        assert insights.barrier_counts["motivation"][-1] == SUPPRESSED
        assert "pair,headspace+motivation,<5" in insights_csv(insights).splitlines()
    finally:
        store.close()


def test_the_chart_suppresses_small_counts_even_if_handed_raw_ones() -> None:
    pytest.importorskip("matplotlib")
    from bot.tools.insights_chart import draw_insights_chart

    raw = Insights(
        weeks=["2026-11-30", "2026-12-07"],
        barrier_counts={"headspace": [3, 12], "motivation": [0, 5]},
        factor_counts={},
        approach_counts={},
        top_pairs=[("headspace", "motivation", 4)],
        diagnoses=[2, 14],
    )
    png, text = draw_insights_chart(raw)
    assert png.startswith(b"\x89PNG")
    assert "Week of 30 Nov: <5 diagnoses; Headspace <5, Motivation <5." in text
    assert "Week of 7 Dec: 14 diagnoses; Headspace 12, Motivation 5." in text
    assert "Headspace with Motivation: <5" in text
