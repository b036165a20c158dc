"""Chat habits that hid a covered question: greetings, thanks, what the answer is for, idioms.

"Good afternoon. For the reference list in a board paper I need the precise launch date …
Many thanks." asks the launch date; the greeting, the paper and the thanks are not topics a
passage must hold. The wording here is ours, not the eval files'.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.core.answering.question_form import question_sentence
from bot.core.answering.rewrite import standalone_question
from bot.core.answering.shorthand import spell_out
from bot.core.answering.topics import asked_focus
from tests.core.test_answer import ask


@pytest.mark.parametrize(
    ("question", "wanted"),
    [
        (
            "Good morning. For the bibliography of my essay I need the exact day Constructive "
            "comfort was launched. Many thanks.",
            "26 February",
        ),
        (
            "For a poster we're preparing for the QI forum: who wrote the evidence scan on "
            "barriers to improvement?",
            "de Silva",
        ),
        ("where can I download constructive comfort? pdf link pls", "health.org.uk"),
        (
            "which of the four barrier areas covers staff with no room in their heads for "
            "anything but the day job",
            "Headspace",
        ),
        (
            "ops manager on a surgical division. people keep quoting a productivity target from "
            "the report - what was it, and had the NHS hit it before",
            "never",
        ),
        ("what annual % growth in productivity did the report say was needed?", "2 to 3"),
        ("optometrist in Belfast - is constructive comfort just for England?", "UK"),
        (
            "new to the transformation committee, could you talk me through the four barrier "
            "areas in plain words?",
            "Headspace",
        ),
        ("how many contributors does the supplement thank by name?", "34"),
        ("hang on, was the supplement done by a consultancy? what company?", "McKinsey"),
        (
            "I've listed the scan as written by the Nuffield Trust in our reading list. Can you "
            "check before it goes out tonight?",
            "de Silva",
        ),
        ("what did HF criticise about the national approach at the time?", "prodding"),
        ("was the mix of national levers about right back in 2015, in HF's view?", "too much"),
        ("are the seven success factors in place everywhere in the NHS, or not?", "patchy"),
        (
            "physio lead - are the success factors only for the board of a trust, or do they "
            "apply at other levels too?",
            "every level",
        ),
        (
            "our audit lead describes the HF barriers review as a systematic review in her "
            "write-up. is that fair?",
            "not a systematic review",
        ),
        ("what did HF base the constructive comfort report on, method-wise?", "five workstreams"),
        (
            "Board member here. Before I cite the report in our strategy I need to know what it "
            "was based on",
            "workstreams",
        ),
    ],
)
def test_covered_questions_in_chat_habits_are_answered(
    services: Any, question: str, wanted: str
) -> None:
    answer = ask(services, question)
    assert answer.grounded, answer.answer
    assert wanted in answer.answer


def test_greetings_and_thanks_are_dropped() -> None:
    spelt = spell_out("Hello, what are the barriers? Thanks so much!")
    assert spelt.startswith("what are the barriers?")
    assert "Thanks" not in spelt


def test_a_purpose_before_a_colon_is_not_asked() -> None:
    focus = asked_focus("For a slide I'm building for the regional team: who wrote the report?")
    assert "slide" not in focus and "who wrote the report" in focus


def test_a_document_called_by_its_subject_is_searched_by_its_name() -> None:
    rewritten = standalone_question("who wrote the evidence scan on barriers to improvement?", None)
    assert "barriers" not in rewritten and "evidence scan" in rewritten


def test_an_ask_after_a_spaced_dash_is_the_question() -> None:
    told = "my director keeps quoting the report - what did it say about support"
    assert question_sentence(told) == "what did it say about support"
