"""Clause splitting: contrasts and consequences split apart; intensifiers and fragments do not."""

from __future__ import annotations

import pytest

from bot.core.diagnosis.clauses import split_clauses


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "the team are keen, but we have no time to plan anything",
            ["the team are keen", "we have no time to plan anything"],
        ),
        (
            "the audit came back red so nobody on the ward believes it",
            ["the audit came back red", "nobody on the ward believes it"],
        ),
        (
            "we're so short staffed that nobody gets time off the floor",
            ["we're so short staffed that nobody gets time off the floor"],
        ),
        (
            "the matrons are so busy covering gaps. the data pack sits unread",
            ["the matrons are so busy covering gaps", "the data pack sits unread"],
        ),
        (
            "we tried it, sort of. nobody owns the project now",
            ["we tried it, sort of", "nobody owns the project now"],
        ),
    ],
)
def test_split_clauses(text: str, expected: list[str]) -> None:
    assert split_clauses(text) == expected


def test_clauses_are_exact_slices_of_the_text() -> None:
    text = "Honestly?? the consultants are dead set on it -- but the rota has 4 gaps; so what now"
    clauses = split_clauses(text)
    assert len(clauses) >= 3
    assert all(clause in text for clause in clauses)
