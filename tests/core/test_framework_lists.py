"""Framework lists for bare asks and for claims about a count: pure rules over framework.yaml."""

from __future__ import annotations

import pytest

from bot.core.answering.framework_answers import counted_list, framework_answer, framework_count
from bot.core.answering.relevance import supposes_document_fact
from knowledge.framework import Framework, default_framework

pytestmark = pytest.mark.fast


@pytest.fixture(scope="module")
def framework() -> Framework:
    return default_framework()


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("3 approach types?", "approaches"),
        ("the barrier areas? briefly", "barriers"),
        ("recommendations? short version", "recommendations"),
        # what the report says national bodies should do is its recommendations to them
        ("what does the report say national bodies should do differently?", "recommendations"),
    ],
)
def test_a_bare_ask_for_a_framework_list_gets_the_list(
    framework: Framework, question: str, topic: str
) -> None:
    answer = framework_answer(question, framework)
    assert answer is not None and answer.topic == topic


def test_a_yes_no_question_is_not_a_bare_ask_for_the_list(framework: Framework) -> None:
    assert framework_answer("did it recommend scrapping inspections?", framework) is None


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("so the 3 approach types are all about money, right?", "approaches"),
        ("my manager says there are six barriers, is that right?", "barriers"),
        ("the 4 recommendations were for ICBs weren't they?", "recommendations"),
    ],
)
def test_a_claim_about_a_count_is_answered_with_the_list(
    framework: Framework, question: str, topic: str
) -> None:
    answer = counted_list(question, framework)
    assert answer is not None and answer.topic == topic


def test_a_count_mentioned_in_passing_is_not_a_claim(framework: Framework) -> None:
    question = "did anyone ever check whether the four recommendations were carried out?"
    assert counted_list(question, framework) is None


def test_a_tag_question_before_a_second_ask_still_checks_a_supposition() -> None:
    assert supposes_document_fact(
        "the supplement was by the King's Fund wasn't it? who actually wrote it"
    )
    assert not supposes_document_fact("who actually wrote the supplement?")


@pytest.mark.parametrize(
    "question",
    [
        "pretty sure the supplement was done by the kings fund?? can someone confirm",
        "the evidence scan - isnt it evidence scan no. 42 and about 80 pages long?",
        "the scan was written by the Nuffield Trust. could someone confirm who wrote it",
    ],
)
def test_a_hedged_claim_checks_a_supposition(question: str) -> None:
    assert supposes_document_fact(question)


def test_a_plural_tag_checks_a_supposition_too() -> None:
    assert supposes_document_fact("the scan was written by two authors, weren't they?")


def test_a_question_about_where_the_factors_matter_is_not_a_list_ask(
    framework: Framework,
) -> None:
    assert framework_answer("at what stage do the success factors count most?", framework) is None
    assert framework_answer("what are the success factors?", framework) is not None


def test_only_a_supposed_maker_excuses_a_name_the_guidance_never_uses() -> None:
    from bot.core.answering.relevance import claims_a_maker

    assert claims_a_maker("the scan was written by the Nuffield Trust, wasn't it?")
    assert not claims_a_maker("did the Prime Minister respond when it came out?")


@pytest.mark.parametrize(
    "question",
    ["publication date?", "who are the authors", "how many pages does it run to?"],
)
def test_a_bare_document_fact_with_no_conversation_is_about_the_report(question: str) -> None:
    from bot.core.answering.rewrite import standalone_question

    assert standalone_question(question, None).endswith("(Constructive comfort)")


@pytest.mark.parametrize(
    "question",
    ["who wrote the scan?", "who leads the discharge pilot?", "how do we start?"],
)
def test_a_question_with_its_own_subject_is_left_as_asked(question: str) -> None:
    from bot.core.answering.rewrite import standalone_question

    assert standalone_question(question, None) == question


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        ("is culture one of the four barriers?", "No. A culture"),
        ("is motivation one of the barriers?", "Yes. Motivation"),
        ("which of these isn't a success factor: leadership, culture, headspace?", "Headspace"),
    ],
)
def test_membership_is_answered_yes_or_no_with_the_list(
    framework: Framework, question: str, lead: str
) -> None:
    from bot.core.answering.framework_answers import framework_membership

    answer = framework_membership(question, framework)
    assert answer is not None and answer.text.startswith(lead)


def test_which_of_two_kinds_is_a_membership_question(framework: Framework) -> None:
    """ "… one of the success factors or one of the barriers? And what else sits in the same
    list?" was answered with the seven factors: the either-or question was never checked."""
    from bot.core.answering.framework_answers import asks_which_kind, framework_membership

    question = (
        "Is 'headspace' one of the success factors or one of the barriers? And what else sits "
        "in the same list?"
    )
    assert asks_which_kind(question)
    answer = framework_membership(question, framework)
    assert answer is not None
    assert answer.text.startswith("Headspace to make change happen is one of the barrier areas")
    assert not asks_which_kind("is headspace one of the barriers?")


def test_a_namesake_in_the_other_list_is_not_answered_no(framework: Framework) -> None:
    from bot.core.answering.framework_answers import framework_membership

    assert framework_membership("is capability one of the success factors?", framework) is None


def test_a_supposed_count_is_read_with_what_it_counts() -> None:
    from bot.core.answering.relevance import supposed_count

    assert supposed_count("the scan used 12 databases, didn't it?") == ("12", "databases")
    assert supposed_count("how many databases did the scan use?") is None


def test_using_the_framework_to_find_out_why_gets_the_four_areas(framework: Framework) -> None:
    from bot.core.answering.framework_answers import reading_list

    answer = reading_list(
        "how can we apply the model to understand why our audit stalled?", framework
    )
    assert answer is not None and answer.topic == "barriers"
    assert reading_list("how do we apply for funding?", framework) is None


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("what is meant by 'enabling environment' in the success factors?", "enabling_environment"),
        ("what are all seven success factors and what do they mean?", "factors"),
        ("which of the recommendations is meant to be done first?", "recommendations"),
    ],
)
def test_one_item_asked_to_be_defined_gets_its_definition(
    framework: Framework, question: str, topic: str
) -> None:
    answer = framework_answer(question, framework)
    assert answer is not None and answer.topic == topic


def test_where_a_list_is_in_a_document_is_not_answered_with_the_list(
    framework: Framework,
) -> None:
    assert framework_answer("which chapter covers the seven success factors?", framework) is None


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("how would i use the seven success factors as a checklist", "factors"),
        ("how could a board use the four barrier areas to challenge a plan", "barriers"),
        ("how do we work through the three approach types with our ICB?", "approaches"),
        ("how might I apply the people-focused idea in my own patch", "people_focused"),
    ],
)
def test_a_how_to_gets_the_list_or_approach_it_works_through(
    framework: Framework, question: str, topic: str
) -> None:
    from bot.core.answering.framework_answers import reading_list

    answer = reading_list(question, framework)
    assert answer is not None and answer.topic == topic


def test_help_with_a_named_barrier_is_not_answered_with_its_definition(
    framework: Framework,
) -> None:
    from bot.core.answering.framework_answers import reading_list

    assert reading_list("how do I build recognition on my ward?", framework) is None


@pytest.mark.parametrize(
    ("question", "count"),
    [
        ("how many barriers", "four"),
        ("how many barriers are there?", "four"),
        ("how many success factors", "seven"),
        ("how many approaches?", "three"),
        ("how many recommendations does the report make?", "four"),
    ],
)
def test_a_framework_count_asked_alone_gets_the_list(
    framework: Framework, question: str, count: str
) -> None:
    answer = framework_count(question, framework)
    assert answer is not None and count in answer.text


def test_a_count_of_something_else_is_not_the_frameworks(framework: Framework) -> None:
    assert framework_count("how many barriers did the scan find?", framework) is None
    assert framework_count("how many staff were interviewed?", framework) is None


@pytest.mark.parametrize(
    "question",
    [
        "what did DN score on recommend as a place to work in the q2 pulse survey",
        "how many would recommend us to friends and family?",
    ],
)
def test_a_staff_survey_recommend_is_not_the_reports_recommendations(
    framework: Framework, question: str
) -> None:
    assert framework_answer(question, framework) is None
    assert framework_answer("what are the report's recommendations?", framework) is not None


@pytest.mark.parametrize(
    "question",
    [
        "which health foundation report is the barriers and success factors stuff from, and "
        "what year?",
        "what report do the seven success factors come from?",
    ],
)
def test_asking_which_document_the_lists_are_from_is_not_a_list_ask(
    framework: Framework, question: str
) -> None:
    assert framework_answer(question, framework) is None
