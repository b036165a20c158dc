"""The recommendation to act on at once is named, not left unmarked in a list of four."""

from __future__ import annotations

from typing import Any

import pytest

from bot.core.answering.urgent import urgent_recommendation
from knowledge.framework import default_framework
from tests.core.test_answer_leads import ask


@pytest.mark.fast
@pytest.mark.parametrize(
    "question",
    [
        "which of the four recs is meant to happen right away?",
        "what did the report say national bodies should do first?",
        "is there a recommendation they wanted acted on urgently?",
    ],
)
def test_the_urgent_recommendation_is_named(question: str) -> None:
    reply = urgent_recommendation(question, default_framework())
    assert reply is not None
    assert reply.text.startswith("The recommendation to act on immediately is recommendation 1")
    assert "shared view" in reply.text.lower()


@pytest.mark.fast
def test_a_claim_that_another_was_urgent_gets_a_no() -> None:
    reply = urgent_recommendation(
        "was the rec to do immediately the focus on staff (type 3)?", default_framework()
    )
    assert reply is not None and reply.text.startswith("No. ")
    assert "Focus national action on NHS staff" in reply.text


@pytest.mark.fast
@pytest.mark.parametrize(
    "question",
    [
        "what are the four recommendations?",  # no urgency asked
        "what should our ward do first about headspace?",  # no recommendation asked
    ],
)
def test_other_asks_are_left_alone(question: str) -> None:
    assert urgent_recommendation(question, default_framework()) is None


def test_all_four_when_the_list_is_asked_too(services: Any) -> None:
    a = ask(services, "list the recs for national bodies - which one has to happen at once?")
    assert a.grounded and a.answer.startswith("The recommendation to act on immediately")
    assert all(r.label in a.answer for r in default_framework().recommendations)
