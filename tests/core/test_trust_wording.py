"""Staff's ways of asking about a trust's documents that name no topic of their own.

"is the MAL open over lunch?", "which practice had the lowest share?", "who gets a PHQ9 score
of 2?", "when would round the clock outreach start?": a time of day, a ranking, a spelling
without its hyphen and an idiom for 24/7 are read as the documents write them.
"""

import pytest

from bot.common.types import Passage
from bot.core.answering.answer import _AT_LUNCH, asked_key_coverage
from bot.core.answering.retrieve import Retrieval
from bot.core.answering.shorthand import spell_out
from bot.core.answering.topics import contains_term, topical_terms
from bot.core.wording import terms

pytestmark = pytest.mark.fast


def _trust(text: str, query: str) -> Retrieval:
    passage = Passage(
        chunk_id="sop-1",
        text=text,
        title="Talking therapies risk SOP",
        document="sop.md",
        owner="admin",
    )
    return Retrieval(passages=[passage], dense_top=0.6, query=query, query_terms=terms(query))


def test_a_code_typed_without_its_hyphen_is_found_where_the_document_hyphenates_it() -> None:
    retrieval = _trust(
        "If the person scores 2 or 3 on PHQ-9 item 9, the duty clinician is told the same day.",
        "who gets told about a PHQ9 score",
    )
    assert asked_key_coverage(retrieval) == 1.0


@pytest.mark.parametrize(
    ("question", "ranking"),
    [
        ("which practice had the lowest pMDI share in Q3?", "lowest"),
        ("which site had the highest DNA rate?", "highest"),
        ("which ward had the fewest falls?", "fewest"),
    ],
)
def test_a_ranking_word_frames_the_question(question: str, ranking: str) -> None:
    assert ranking not in topical_terms(question)


@pytest.mark.parametrize(
    ("question", "a_time"),
    [
        ("is the MAL open over lunch on wednesdays?", True),
        ("can I ring the line at lunchtime?", True),
        ("is lunch provided on the study day?", False),  # the meal itself is what is asked
        ("who pays for the lunch at the away day?", False),
    ],
)
def test_lunch_is_a_time_of_day_only_after_a_word_of_time(question: str, a_time: bool) -> None:
    assert bool(_AT_LUNCH.search(question)) is a_time


@pytest.mark.parametrize(
    ("typed", "spelt"),
    [
        ("when would round the clock outreach start?", "when would 24/7 outreach start?"),
        ("is it a round-the-clock service?", "is it a 24/7 service?"),
    ],
)
def test_round_the_clock_is_spelt_as_documents_write_it(typed: str, spelt: str) -> None:
    assert spell_out(typed) == spelt


@pytest.mark.parametrize(
    ("asked", "written"),
    [("week", "wks"), ("hour", "hrs"), ("minut", "mins"), ("wks", "week")],
)
def test_a_table_headers_short_unit_is_the_unit_asked(asked: str, written: str) -> None:
    # "> 65 wks" heads the column a question about 65-week waits is answered from
    assert contains_term(asked, ["65", written])


@pytest.mark.parametrize(
    ("asked", "periods"),
    [
        ("what % of urgent jobs got done within 15 mins in aug vs sept?", ["aug", "sep"]),
        ("was the return figure better in july or august?", ["jul", "aug"]),
        ("how did Q1 compare with Q2 for DNAs?", ["q1", "q2"]),
        ("what was the urgent % between July and Sept?", []),  # one span: the quarter
        ("what was the DNA rate from april to june?", []),
        ("what was the sickness % for jul-sep?", []),
        ("how many referrals in august and september?", ["aug", "sep"]),
        ("how many referrals in august?", []),
    ],
)
def test_periods_set_side_by_side_each_get_their_figure(asked: str, periods: list[str]) -> None:
    from bot.core.answering.extractive import periods_compared

    assert periods_compared(asked) == periods


def test_people_asked_about_are_the_patients_a_trusts_document_names() -> None:
    retrieval = _trust(
        "Transport takes patients to appointments when their condition means they need it.",
        "is the transport only for people on appointments",
    )
    assert asked_key_coverage(retrieval) == 1.0


@pytest.mark.parametrize(
    "asked",
    [
        "what did the decision say about marketing or the junior doctors?",  # no month at all
        "how many declined vs separated?",
    ],
)
def test_words_that_start_like_a_month_are_no_period(asked: str) -> None:
    from bot.core.answering.extractive import periods_compared

    assert periods_compared(asked) == []


def test_a_period_comparison_keeps_its_other_words() -> None:
    from bot.core.answering.extractive import periods_compared

    # "compared to target" is no span of months
    assert periods_compared("urgent % in aug vs sept compared to target?") == ["aug", "sep"]
