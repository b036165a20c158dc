"""An approach type narrowed or equated in a claim ("type 3 is just training, yeah?") is set
beside the other types, from their definitions."""

from __future__ import annotations

from typing import Any

import pytest

from tests.core.test_answer_leads import ask


@pytest.mark.parametrize(
    "question",
    [
        "so type 3 is basically just training days for staff, right?",
        "is people-focused the same thing as proactive support?",
        "is the people focused approach purely about supporting staff?",
    ],
)
def test_the_types_are_set_side_by_side(services: Any, question: str) -> None:
    a = ask(services, question)
    assert a.grounded and "different approach types" in a.answer, a.answer
    assert "inspire, engage and involve" in a.answer
    assert a.citations[0].chunk_id.startswith("framework.yaml#compare-")


def test_a_narrowed_barrier_keeps_its_own_answer(services: Any) -> None:
    a = ask(services, "is headspace just about time?")
    assert a.grounded and "different barriers" not in a.answer
