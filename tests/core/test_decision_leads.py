"""Leads for what a trust's paper decided: the option it recommends, and since when a rule runs."""

import pytest

from bot.core.answering.extractive import _ASKS_DEADLINE, _GIVES_DEADLINE, _gives_figure
from bot.core.answering.quantities import names_post_holder
from bot.core.answering.question_form import question_form, question_sentence
from bot.core.answering.relevance import (
    ASKS_RECOMMENDED,
    RECOMMENDS_OPTION,
    asks_share,
    carries_answer,
)

pytestmark = pytest.mark.fast


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("which option did rachel's arrs paper end up recommending", True),
        ("Which model is going to the exec team as the recommended option?", True),
        ("what's the preferred approach for the hub?", True),
        ("would staff recommend the scheme?", False),
        ("how many options are there?", False),
    ],
)
def test_asking_for_the_recommended_option(question: str, asks: bool) -> None:
    assert bool(ASKS_RECOMMENDED.search(question)) is asks


@pytest.mark.parametrize(
    ("sentence", "recommends"),
    [
        ("We recommend Option B, the split week.", True),
        ("B. Split week (recommended): 2 days a week in the PCN", True),
        ("Recommended option: C, the Saturday hub clinics.", True),
        ("7 of the 8 paramedics say they would recommend the scheme to a colleague.", False),
        ("This paper sets out four ways forward and a recommendation.", False),
        ("We do not recommend option 3 yet.", False),
    ],
)
def test_a_sentence_naming_the_option_recommended(sentence: str, recommends: bool) -> None:
    assert bool(RECOMMENDS_OPTION.search(sentence)) is recommends


@pytest.mark.parametrize(
    "text",
    [
        "Is it true we can now leave a pt with ED after 45 mins? Since when?",
        "is the hub still running? since when",
        "the 72-hour rule for letters - from when?",
    ],
)
def test_since_when_after_a_question_asks_its_date(text: str) -> None:
    assert question_form(text) == "when"


def test_a_figure_the_question_names_the_thing_by_is_found_in_the_sentence() -> None:
    assert _gives_figure("from 1 October 2025 all trusts signed a 45-minute release", {"45"})
    assert not _gives_figure("a crew waited 1,450 minutes", frozenset({"45"}))
    assert not _gives_figure("the figure was 4.5 hours", frozenset({"45"}))


@pytest.mark.parametrize(
    ("sentence", "sets"),
    [
        ("Referrals must reach the frailty coordinator by 17:00 two working days before.", True),
        ("Send names no later than Friday.", True),
        ("The last referral is accepted at 19:00.", True),
        ("Last referral accepted | 19:00 | 21:00", True),
        ("Frailty coordinator | Leanne Rowe | 01632 960227 | Monday to Friday, 08:00-16:00", False),
    ],
)
def test_a_sentence_that_sets_a_deadline(sentence: str, sets: bool) -> None:
    assert bool(_GIVES_DEADLINE.search(sentence)) is sets


@pytest.mark.parametrize(
    ("question", "share"),
    [
        ("what proportion of the fallers ended up staying at home", True),
        ("what % of calls were closed with hear and treat?", True),
        ("how many fallers were left at home?", False),
    ],
)
def test_a_share_asked_needs_a_share_given(question: str, share: bool) -> None:
    assert asks_share(question) is share
    assert carries_answer("how_many", "Patients left safely at home | 81%", True, question)
    count = "Incidents attended by Falls Assist | 1,146"
    if share:  # a count is no share
        assert not carries_answer("how_many", count, True, question)


def test_a_preferred_option_asked_hints_the_lexical_search_without_rewording_it() -> None:
    """Reworded "recommended", the question asked for the report's own recommendations."""
    from bot.core.answering.relevance import lexical_hints

    assert lexical_hints("which option is going to EMT as the preferred one?") == [
        "recommend option recommendation"
    ]
    assert lexical_hints("what does the report recommend?") == []


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("whats the cut off for getting someone onto the frailty mdt list", True),
        ("what's the deadline for the vax rota?", True),
        ("whats the cut off score for red?", False),
    ],
)
def test_a_deadline_asked_unless_a_cut_off_score(question: str, asks: bool) -> None:
    assert bool(_ASKS_DEADLINE.search(question)) is asks


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        (
            "if someone never opens the portal letter does a paper copy go out automatically",
            "does a paper copy go out automatically",
        ),
        ("once the referral is in does the pt get a letter", "does the pt get a letter"),
    ],
)
def test_a_case_then_its_yes_no_ask_without_a_comma(text: str, asked: str) -> None:
    assert question_sentence(text) == asked
    assert question_form(text) == "yes_no"


def test_a_case_told_with_if_is_no_question() -> None:
    assert question_sentence("if we dont fix this the team will leave") is None


def test_the_holder_of_the_whole_post_asked_is_named() -> None:
    asked = "who's the clinical safety officer on the outpatient letters work"
    row = "Clinical safety officer | Dr Tomasz Nowak | 01632 960588 | Monday to Friday"
    assert names_post_holder(asked, row)
    assert not names_post_holder(asked, "Clinical lead | Dr Amara Nwosu | 01632 960518")
    assert not names_post_holder(asked, "Templates are checked by the clinical safety officer.")


def test_which_days_is_no_question_a_row_of_scores_answers() -> None:
    from bot.core.answering.table_lookup import table_answer

    survey = [
        "Team | Q1 2025/26 | Q2 2025/26 | Responses Q2",
        "Leg ulcer clinic | 74 | 77 | 22",
        "Trust overall | 68 | 70 | 412",
    ]
    assert table_answer("which days is the leg ulcer clinic on at farleigh", survey) is None
    assert table_answer("whats the leg ulcer clinic healing rate at 12 wks", survey) is None
    assert table_answer("what did the leg ulcer clinic score?", survey) is not None


@pytest.mark.parametrize(
    ("question", "follows"),
    [
        ("which practices came out red on the ipc audit this yr", False),
        ("what did the hub deliver this month?", False),
        ("and who leads it?", True),
        ("what does this mean for us?", True),
    ],
)
def test_this_year_is_when_not_what_was_said_before(question: str, follows: bool) -> None:
    from bot.core.answering.rewrite import standalone_question
    from bot.core.models import Turn

    history = [
        Turn(role="user", text="whos covering the mat leave"),
        Turn(role="assistant", text="Beth."),
    ]
    assert (standalone_question(question, history) != question) is follows


@pytest.mark.parametrize(
    "text", ["whos covering aishas mat leave at marden downs and what days", "whos the lead?"]
)
def test_whos_typed_without_its_apostrophe_asks_who(text: str) -> None:
    assert question_form(text) == "who"


@pytest.mark.parametrize(
    ("sentence", "gives"),
    [
        ("**Review at least every three months**, and sooner after a trigger event.", True),
        ("Findings are reported monthly to the Medicines Management Group.", True),
        ("Checks run 10 times a week on each site.", True),
        ("Completed by a registered nurse using the IP Risk Assessment v3 template.", False),
        ("1125-01 Complete learning review of the two missed-dose incidents | KD | 26 Nov", False),
    ],
)
def test_how_often_is_answered_by_a_frequency(sentence: str, gives: bool) -> None:
    """ "how often do IP risk assessments have to be redone?" is a frequency, not any count."""
    from bot.core.answering.relevance import asks_frequency

    question = "quick one - how often do IP risk assessments have to be redone?"
    assert asks_frequency(question) and question_form(question) == "how_many"
    assert not asks_frequency("how often was the 136 suite full over jul-sep?")
    assert carries_answer("how_many", sentence, True, question) is gives


def test_people_asked_for_are_counted_as_the_services_patients() -> None:
    """ "how many ppl are on the waiting list?" is answered by "2,347 patients waiting"."""
    from bot.core.answering.relevance import counts_asked

    sentence = "Total waiting list: 2,347 patients waiting for a first appointment."
    assert counts_asked(sentence, ["people"])
    assert not counts_asked("The clinic has 4 rooms.", ["people"])
