"""A length asked beside something else is given even when the answer's sentences lacked it."""

from __future__ import annotations

from typing import Any

import pytest

from bot.core.answering.lengths import lengths_answer, with_lengths
from bot.core.models import Answer, Citation
from knowledge.contents import default_contents
from tests.core.test_answer_leads import ask

_ANSWER = Answer(
    scope="question",
    answer="The guidance says: The McKinsey Hospital Institute wrote the supplement. [1]",
    citations=[Citation(n=1, title="t", document="supplement.md", chunk_id="supplement.md#1")],
)


@pytest.mark.fast
def test_the_missing_length_is_added_and_cited() -> None:
    added = with_lengths(
        "who wrote the supplement and how many pages is it?", _ANSWER, default_contents()
    )
    assert added.answer.endswith("The supplement runs to 32 pages. [2]")
    assert added.citations[-1].n == 2
    assert added.citations[-1].chunk_id == "contents.yaml#length-supplement"


@pytest.mark.fast
@pytest.mark.parametrize(
    "question",
    [
        "who wrote the supplement?",  # no length asked
        "how long did the scan take to do?",  # a duration, not a length
    ],
)
def test_nothing_is_added_unless_a_length_is_asked(question: str) -> None:
    assert with_lengths(question, _ANSWER, default_contents()) is _ANSWER


@pytest.mark.fast
def test_a_declined_answer_stays_declined() -> None:
    declined = Answer(scope="question", answer="not covered", grounded=False)
    assert with_lengths("how long is the supplement?", declined, default_contents()) is declined


def test_the_length_reaches_the_asker(services: Any) -> None:
    a = ask(services, "How long is the scan, and which organisation was its author with?")
    assert a.grounded and "28" in a.answer and "Evidence Centre" in a.answer, a.answer


@pytest.mark.fast
def test_lengths_asked_alone_are_the_whole_answer() -> None:
    contents = default_contents()
    every = lengths_answer(
        "how long are the three docs (Constructive comfort, the mckinsey one, the scan)?",
        contents,
        "question",
    )
    assert every is not None and [c.chunk_id for c in every.citations] == [
        "contents.yaml#length-constructive_comfort",
        "contents.yaml#length-supplement",
        "contents.yaml#length-evidence_scan",
    ]
    assert "40 pages" in every.answer and "32 pages" in every.answer and "28" in every.answer
    # another ask beside the length, or a duration, is left to the guidance
    asked = "how long is the supplement, and which organisation produced it?"
    assert lengths_answer(asked, contents, "question") is None
    assert lengths_answer("how long did the scan take?", contents, "question") is None
