"""A question that asks two things at once: split into asks that stand alone, answered in turn."""

from __future__ import annotations

import re

import pytest

from bot.core.answering.compound import joined_answer, separate_asks
from bot.core.models import Answer, Citation
from tests.core.test_answer import ask


@pytest.mark.fast
@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # the second ask's "it" is the document the first names
        (
            "who wrote the 'transformational change in nhs providers' supplement, and how many "
            "pages is it",
            [
                "who wrote the 'transformational change in nhs providers' supplement",
                "how many pages is the 'transformational change in nhs providers' supplement",
            ],
        ),
        (
            "is the mckinsey supplement based on interviews in GP practices or somewhere else?? "
            "also roughly how many pages is it",
            [
                "is the mckinsey supplement based on interviews in GP practices or somewhere "
                "else??",
                "how many pages is the mckinsey supplement",
            ],
        ),
        # the scene both asks point into goes with each
        (
            "there was a study in the scan about a sustainability tool... how many orgs was it "
            "and whose tool was it originally?",
            [
                "there was a study in the scan about a sustainability tool... how many orgs was it",
                "there was a study in the scan about a sustainability tool... whose tool was it "
                "originally?",
            ],
        ),
    ],
)
def test_each_ask_is_made_to_stand_alone(question: str, expected: list[str]) -> None:
    assert separate_asks(question) == expected


@pytest.mark.fast
@pytest.mark.parametrize(
    "question",
    [
        "who wrote the supplement?",  # one ask
        # an ask reported inside the first, not a second one put directly
        "what does the report say about primary care networks and how GP practices should work "
        "together on change?",
        # "it" is the panel, named after the first ask's document
        "who chaired the improvement practitioner panel that fed into the report, and how many "
        "people were on it",
        # "it" is the Q initiative; the report is named in the second ask itself
        "what's the health foundation's Q initiative and how does the report tie into it",
        # a bare comma inside one ask
        "How much money, in £, did the Health Foundation say national bodies should put in?",
        # "which chapter of the supplement …": "it" is the chapter
        "which chapter of the mckinsey supplement covers the wider system and what page does it "
        "start on?",
    ],
)
def test_what_is_not_two_asks_or_cannot_stand_alone_is_not_split(question: str) -> None:
    assert separate_asks(question) == []


def _answer(text: str, *chunks: str, grounded: bool = True) -> Answer:
    cites = [
        Citation(n=n, title=c, document="notes.md", chunk_id=c) for n, c in enumerate(chunks, 1)
    ]
    return Answer(answer=text, citations=cites, grounded=grounded)


@pytest.mark.fast
def test_joined_answers_renumber_their_citations_and_say_nothing_twice() -> None:
    first = _answer(
        "The guidance says: Written by McKinsey. [1] Dated 2015. [2]\n\nMore.", "a", "b"
    )
    second = _answer("The guidance says: It runs to 32 pages. [1] Dated 2015. [2]", "c", "b")
    joined = joined_answer([first, second])
    assert joined is not None
    assert joined.answer == (
        "The guidance says: Written by McKinsey. [1] Dated 2015. [2]\n\n"
        "The guidance says: It runs to 32 pages. [3]"
    )
    assert [(c.n, c.chunk_id) for c in joined.citations] == [(1, "a"), (2, "b"), (3, "c")]
    # one ask unanswered: nothing joined, the message stays declined
    assert joined_answer([first, _answer("no", grounded=False)]) is None


def test_both_halves_of_a_question_declined_whole_are_answered(services) -> None:  # type: ignore[no-untyped-def]
    a = ask(
        services,
        "who wrote the 'transformational change in nhs providers' supplement, and how many pages "
        "is it",
    )
    assert a.grounded and "McKinsey" in a.answer and "32" in a.answer
    assert {int(n) for n in re.findall(r"\[(\d+)\]", a.answer)} == {c.n for c in a.citations}


def test_a_second_ask_the_guidance_lacks_keeps_the_question_declined(services) -> None:  # type: ignore[no-untyped-def]
    a = ask(
        services,
        "what did the NHS long term plan in 2019 say about QI and does it build on "
        "constructive comfort?",
    )
    assert not a.grounded
