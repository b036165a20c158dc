"""A claim someone else made about the documents is checked, not declined for who made it."""

from __future__ import annotations

from typing import Any

import pytest

from bot.core.answering.relevance import supposes_document_fact
from bot.core.answering.rewrite import claim_put_plainly
from bot.core.wording import sentences
from tests.core.test_answer_leads import ask


@pytest.mark.fast
@pytest.mark.parametrize(
    ("told", "plain"),
    [
        (
            "a colleague in our ward governance meeting said the supplement was 60 pages. "
            "is that right?",
            "the supplement was 60 pages. is that right?",
        ),
        (
            "sat in a board seminar where someone said the HF reckons we need 6% productivity "
            "growth?? did they get that wrong",
            "the HF reckons we need 6% productivity growth?? did they get that wrong",
        ),
        (
            "somebody told me the barriers paper was evidence scan No. 7. what's its title?",
            "the barriers paper was evidence scan No. 7, is that right? what's its title?",
        ),
        # what someone calls a document is the claim checked
        (
            "A colleague keeps calling the scan a systematic review in our slides. Is that right?",
            "the scan a systematic review in our slides. Is that right?",
        ),
        (
            "Someone at our unit governance meeting claimed the Health Foundation's scan found "
            "NHS staff have MORE improvement experience. That doesn't sound right - what does it "
            "say?",
            "the Health Foundation's scan found NHS staff have MORE improvement experience. "
            "That doesn't sound right - what does it say?",
        ),
    ],
)
def test_who_said_it_is_scene_and_the_claim_is_checked(told: str, plain: str) -> None:
    assert claim_put_plainly(told) == plain


@pytest.mark.fast
@pytest.mark.parametrize(
    "question",
    [
        "my manager said we need to redo the rota but nobody has time. which barrier is this?",
        "our matron says the new board is keen on QI but staff are exhausted",
        "what did the report say about productivity?",
    ],
)
def test_a_story_or_a_plain_question_is_left_as_it_is(question: str) -> None:
    assert claim_put_plainly(question) == question


@pytest.mark.fast
def test_a_series_number_is_a_fact_about_the_document() -> None:
    assert supposes_document_fact("isnt the barriers one evidence scan no. 42?")


def test_a_told_figure_is_answered_with_the_real_one(services: Any) -> None:
    answer = ask(
        services,
        "someone at our quality forum said the barriers evidence scan was based on 40 NHS "
        "studies. that right?",
    )
    assert answer.grounded and "73" in sentences(answer.answer)[0], answer.answer


def test_a_told_series_number_gets_the_title_and_the_real_number(services: Any) -> None:
    answer = ask(services, "Someone told me the barriers paper was Evidence scan No. 9. Its title?")
    assert answer.grounded and "No. 24" in answer.answer and "getting in the way" in answer.answer
