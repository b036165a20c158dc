"""What the sources name but do not give is declined plainly, with what changebot does know."""

from __future__ import annotations

import pytest

from bot.core.answering.unread import not_held
from knowledge.matching import default_matching
from tests.core.test_answer import ask


@pytest.mark.fast
@pytest.mark.parametrize(
    ("question", "known"),
    [
        ("what does the 'improving the odds' chapter in the supplement say? key points", "27"),
        (
            "there's a bit in the supplement that starts 'Imagine you are...' - what's the "
            "scenario and what point is it making?",
            "Imagine you are",
        ),
        ("in the scan's barrier table which two phases is staff resistance ticked for", "two"),
        ("role demarcation is flagged in delivery isn't it?", "one of the three"),
    ],
)
def test_content_the_sources_only_name_is_not_held(question: str, known: str) -> None:
    said = not_held(question, default_matching())
    assert said is not None and known in said and "won't guess" in said


@pytest.mark.fast
@pytest.mark.parametrize(
    "question",
    [
        "what page does the 'improving the odds' chapter start on?",  # where it is: known
        "which chapter is 'Improving the odds'?",
        "which barriers are flagged in all three phases?",  # the table's five: known
        "is 'NHS culture' flagged in more phases than 'culture and stability'?",
        "what does the supplement say about leadership?",
    ],
)
def test_what_the_sources_do_give_is_left_to_the_guidance(question: str) -> None:
    assert not_held(question, default_matching()) is None


def test_the_decline_reaches_the_asker(services) -> None:  # type: ignore[no-untyped-def]
    a = ask(
        services,
        "What specific actions does the supplement set out in its 'Improving the odds' chapter?",
    )
    assert not a.grounded and not a.citations
    assert "Improving the odds" in a.answer and "page 27" in a.answer


@pytest.mark.parametrize(
    "question",
    [
        "what £ figure did HF put on the 'invest far more in support' rec? need a number",
        "how many £m a year did the HF say the national improvement strategy should get",
        "Where does the title 'constructive comfort' actually come from? What do the authors "
        "mean by the phrase?",
        # a price, and a case study of a place, that no passage gives
        "how do I join the Health Foundation's Q community and is there a fee?",
        "does constructive comfort have a case study on salford royal? someone said it did",
    ],
)
def test_a_sum_or_a_title_s_origin_the_guidance_never_gives_is_declined(  # type: ignore[no-untyped-def]
    services, question: str
) -> None:
    assert not ask(services, question).grounded


@pytest.mark.fast
@pytest.mark.parametrize(
    "question",
    [
        "which chapter and page of constructive comfort covers the headspace barrier in detail",
        "what page of the main report is the motivation barrier discussed on",
        "page number for the recommendations chapter in the main report pls",
    ],
)
def test_a_page_of_the_main_report_is_not_held(question: str) -> None:
    said = not_held(question, default_matching())
    assert said is not None and "40 pages" in said and "won't guess" in said


@pytest.mark.fast
@pytest.mark.parametrize(
    "question",
    [
        "how many pages is constructive comfort?",  # its length is known
        "what page does chapter 5 of the supplement to constructive comfort start on?",
        "is there a short link for the report's web page?",
    ],
)
def test_the_main_reports_length_and_companions_are_not_declined(question: str) -> None:
    assert not_held(question, default_matching()) is None


@pytest.mark.fast
@pytest.mark.parametrize(
    ("question", "known"),
    [
        ("which databases did the evidence scan search? want to rerun it", "12 bibliographic"),
        ("what search terms did the scan use?", "12 bibliographic"),
        ("what did Penny Dash say about leading change in the supplement?", "Penny Dash"),
        # only the lengths in pages are known
        ("roughly whats the word count of the main report? reading it on the train", "40 pages"),
        ("how many words is the supplement", "32"),
    ],
)
def test_what_is_counted_or_named_but_not_given_is_not_held(question: str, known: str) -> None:
    said = not_held(question, default_matching())
    assert said is not None and known in said and "won't guess" in said


@pytest.mark.fast
@pytest.mark.parametrize(
    "question",
    [
        "how many databases did the scan search?",  # the count is known
        "is Sir Ian Carruthers one of the supplement's contributors?",  # the name is known
    ],
)
def test_the_count_and_the_names_are_left_to_the_guidance(question: str) -> None:
    assert not_held(question, default_matching()) is None
