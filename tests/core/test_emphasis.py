"""The writer's own word on the main problem: which clauses are stressed, and what that changes."""

from __future__ import annotations

import pytest

from bot.core.diagnosis.clauses import split_clauses
from bot.core.diagnosis.emphasis import stressed_clauses, turned_clauses
from bot.core.diagnosis.findings import find_barriers
from bot.core.diagnosis.params import Calibration
from bot.core.diagnosis.reading import Reading


def _stressed(text: str) -> list[str]:
    clauses = split_clauses(text)
    return [clauses[i] for i in stressed_clauses(clauses)]


@pytest.mark.fast
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "nobody has time and nobody trusts the numbers. but the real reason the vascular "
            "team won't look is they think it will be used against them",
            [
                "but the real reason the vascular team won't look is they think it will be "
                "used against them"
            ],
        ),
        (
            "the consultants think the C diff rate is noise, but mostly it's that the "
            "ward has no time to look",
            ["mostly it's that the ward has no time to look"],
        ),
        (
            "the partners are up for it. The problem is none of us has ever run a project",
            ["The problem is none of us has ever run a project"],
        ),
        (
            "they resent the ICB telling them what to do, that's the real blocker",
            ["they resent the ICB telling them what to do"],
        ),
        (
            "honestly the biggest problem is: we're covering two vacancies every week",
            ["honestly the biggest problem is", "we're covering two vacancies every week"],
        ),
    ],
)
def test_marked_clauses_are_stressed(text: str, expected: list[str]) -> None:
    assert _stressed(text) == expected


@pytest.mark.fast
@pytest.mark.parametrize(
    "text",
    [
        # the adverb inside a clause, not a marker
        "the fluid balance charts are mostly done but nobody adds them up",
        "the ward managers are mostly up for it, the rota has four gaps",
        # the marker points away from this clause
        "some managers say conveyance isn't the real issue, it's the handover queue",
        # nothing marked at all
        "we have no analyst and the dashboards are two months out of date",
    ],
)
def test_unmarked_or_denied_clauses_are_not_stressed(text: str) -> None:
    assert _stressed(text) == []


@pytest.mark.fast
def test_a_stressed_barrier_leads_though_mentioned_last() -> None:
    """Headspace is named first and scores higher; the writer says motivation is the real issue."""
    reading = Reading(
        barriers={"recognition": 0.1, "motivation": 0.55, "headspace": 0.8, "capability": 0.1},
        factors={},
        first_clause={"headspace": 0.0, "motivation": 1.0},
        stressed={"recognition": 0.05, "motivation": 0.7, "headspace": 0.1, "capability": 0.0},
    )
    cal = Calibration(barrier_floor=0.35, relative_floor=0.45, position_weight=0.6)
    found = find_barriers(reading, cal)
    assert [f.id for f in found] == ["motivation", "headspace"]
    assert all(f.score <= 1.0 for f in found)
    unstressed = Reading(barriers=reading.barriers, factors={}, first_clause=reading.first_clause)
    assert [f.id for f in find_barriers(unstressed, cal)] == ["headspace", "motivation"]


@pytest.mark.fast
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "the consultants are on board, but the rota has four gaps every week",
            ["the rota has four gaps every week"],
        ),
        (
            "We have an analyst. However, nobody on the ward believes the numbers",
            ["However, nobody on the ward believes the numbers"],
        ),
        ("we have no analyst and the dashboards are two months out of date", []),
    ],
)
def test_clauses_after_a_contrast_are_turned(text: str, expected: list[str]) -> None:
    clauses = split_clauses(text)
    assert [clauses[i] for i in turned_clauses(text, clauses)] == expected
