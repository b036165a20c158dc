"""How staff ask about a trust's own figures, hours, meetings and policies (blind42-45 packs).

Each test pins a general reading found while tracing a first-sight miss: "whats the reason for
the dip" asks why a figure fell; "open visiting between 10am and 8pm" gives hours; "compared
between November and December" sets two months side by side; one month's figure needs a line
naming that month; a cost needs a sum beside what it is the cost of; a policy on something no
document names is not answered with another.
"""

import pytest

from bot.common.types import Passage
from bot.core.answering.answer import _POLICY_ON
from bot.core.answering.extractive import periods_compared
from bot.core.answering.quantities import states_the_figure, states_the_hours, states_what_is_asked
from bot.core.answering.shorthand import spell_out
from bot.core.answering.staff_words import in_index_words
from bot.core.answering.topics import topical_terms
from bot.core.wording import terms

pytestmark = pytest.mark.fast


@pytest.mark.parametrize(
    ("question", "framing"),
    [
        ("when should they chase if nothing's come through", {"chase", "noth", "through"}),
        ("what's the reason for the dip", {"reason"}),
    ],
)
def test_words_that_only_frame_the_ask_are_no_topic(question: str, framing: set[str]) -> None:
    assert not framing & set(topical_terms(question))


def test_a_dip_is_the_fall_the_documents_write() -> None:
    known = set(terms("The November fall to 61.9% followed the loss of 14 lists"))
    reworded = in_index_words("whats the reason for the dip", lambda t: t in known)
    assert reworded == "whats the reason for the fall"


def test_hours_between_two_times_are_hours_given() -> None:
    texts = ["We have open visiting between 10am and 8pm every day, including bank holidays."]
    assert states_the_hours("what are the visiting times on hazel ward?", texts)
    assert not states_the_hours(
        "what are the visiting times on hazel ward?", ["Visitors must sign in at 10am."]
    )


@pytest.mark.parametrize(
    ("asked", "periods"),
    [
        ("how Linden chair utilisation compared between November and December?", ["nov", "dec"]),
        ("how did DNAs differ between july and august", ["jul", "aug"]),
        ("how many referrals between July and Sept?", []),  # one span
    ],
)
def test_compared_between_two_months_is_two_periods(asked: str, periods: list[str]) -> None:
    assert periods_compared(asked) == periods


def test_the_next_meeting_of_a_group_named_in_five_words() -> None:
    spelt = spell_out("when's the next AO / triage line ops group, and when are papers due?")
    assert "group meeting" in spelt


_FDS_ROW = "Lung: Oct 2025 73.0%; Nov 2025 71.0%; Dec 2025 74.6%; Q3 2025/26 72.8%."
_FDS_HEAD = "Cancer services performance report > Faster Diagnosis Standard by tumour site"


@pytest.mark.parametrize(
    ("question", "stated"),
    [
        ("what was lung FDS in november?", True),
        ("what was lung FDS in nov?", True),
        ("what was lung FDS in september?", False),  # the report gives October to December
    ],
)
def test_one_months_figure_needs_a_line_naming_that_month(question: str, stated: bool) -> None:
    assert states_what_is_asked(question, [_FDS_ROW], headings=[_FDS_HEAD]) is stated


@pytest.mark.parametrize(
    ("question", "stated"),
    [
        ("How much does the Kestrel Moor rapid diagnostic centre cost to run each year?", False),
        ("how much does the second overnight triage nurse cost a year?", True),
    ],
)
def test_a_cost_needs_a_sum_beside_what_it_is_the_cost_of(question: str, stated: bool) -> None:
    texts = ["The second overnight triage nurse costs £23,500 a year for the trial."]
    assert states_the_figure(question, texts) is stated


@pytest.mark.parametrize(
    ("question", "on"),
    [
        (
            "what's our lone working policy for triage line nurses on night shifts?",
            "lone working",
        ),
        ("is there a dress code procedure for the unit?", "dress code"),
        ("what does the sepsis SOP say?", "sepsis"),
    ],
)
def test_what_a_policy_is_on_is_read_from_the_words_before_it(question: str, on: str) -> None:
    """A policy on what no document names ("lone working") is declined, not answered by another."""
    assert {t for m in _POLICY_ON.finditer(question) for t in terms(m["on"])} == set(terms(on))


def test_two_years_compared_are_two_periods() -> None:
    asked = "How many out of area bed days did older adults use in 2024/25 compared with 2022/23?"
    assert periods_compared(asked) == ["2024", "2022"]


def test_two_years_compared_are_each_stated_by_their_own_line() -> None:
    summary = "In 2024/25 older adults spent 2,861 bed days in out-of-area placements."
    row = "2022/23: People placed out of area 31; OAP bed days 1,904; Cost £1,009,120."
    head = "Business case: older adult out-of-area placements > Current position"
    asked = "How many out of area bed days did older adults use in 2024/25 compared with 2022/23?"
    assert states_what_is_asked(asked, [summary, row], headings=[head, head])
    assert not states_what_is_asked(asked, [summary], headings=[head])  # 2022/23 not given


@pytest.mark.parametrize(
    "asked",
    [
        "which option did the prep business case go with and whats the annual cost",
        "what model did they settle on in the end?",
        "what's the chosen option for the weekend service?",
    ],
)
def test_the_option_a_paper_went_with_is_its_recommendation(asked: str) -> None:
    from bot.core.answering.relevance import ASKS_RECOMMENDED

    assert ASKS_RECOMMENDED.search(asked)


@pytest.mark.parametrize(
    ("sentence", "recommends"),
    [
        ("Option 3 is recommended.", True),
        ("Option 3 | Nurse-led clinics | £186,400 | 260 | Preferred option", True),
        ("Option 2 is not recommended because it adds no capacity.", False),
        ("Four options were appraised by the working group.", False),
    ],
)
def test_a_paper_names_the_option_it_recommends(sentence: str, recommends: bool) -> None:
    from bot.core.answering.relevance import RECOMMENDS_OPTION

    assert bool(RECOMMENDS_OPTION.search(sentence)) is recommends


@pytest.mark.parametrize(
    ("asked", "about_a_figure"),
    [
        ("why did CT waits go up in december?", True),
        ("why has holmwood's pmdi figure got an asterisk next to it on the dashboard", True),
        ("why is kellbridge htt so far off on 4hrs and whats being done about it?", True),
        ("why is nobody engaging with the new huddle?", False),  # a story to read
        ("why do the consultants keep pushing back on the pathway?", False),
    ],
)
def test_why_a_figure_moved_is_asked_of_the_records(asked: str, about_a_figure: bool) -> None:
    from bot.core.respond import _asks_why_a_figure_moved

    assert _asks_why_a_figure_moved(asked) is about_a_figure


def test_a_why_without_its_question_mark_is_still_an_ask() -> None:
    from bot.core.answering.question_form import question_form

    assert question_form("why has holmwood's pmdi figure got an asterisk on the dashboard") == "why"


_AG_LINES = [
    "A&G diversion rate: Jul-25 28%; Aug-25 30%; Sep-25 31%; Target 35%.",
    "Cardiology: Not yet live: planned for Q4 2025/26; Specialty clinical lead Dr Paul Whitcombe.",
]
_AG_HEADS = ["Outpatient transformation report > A&G", "PIFU and advice SOP > Specialties"]


@pytest.mark.parametrize(
    ("asked", "stated"),
    [
        ("whats the A&G diversion rate for cardiology specifically", False),
        ("whats the A&G diversion rate just for cardiology?", False),
        ("whats the A&G diversion rate in september", True),  # not narrowed
    ],
)
def test_a_figure_narrowed_to_one_part_needs_that_parts_line(asked: str, stated: bool) -> None:
    from bot.core.answering.quantities import narrowed_figure_stated

    assert narrowed_figure_stated(asked, _AG_LINES, _AG_HEADS) is stated


def test_a_narrowed_figure_given_for_that_part_is_stated() -> None:
    from bot.core.answering.quantities import narrowed_figure_stated

    lines = [*_AG_LINES, "Cardiology A&G diversion was 22% in September."]
    heads = [*_AG_HEADS, "Outpatient transformation report > Specialties"]
    asked = "whats the A&G diversion rate for cardiology specifically"
    assert narrowed_figure_stated(asked, lines, heads)


def test_a_label_line_says_what_the_sentence_under_it_is_about() -> None:
    from bot.core.answering.extractive import _is_label, _label_above

    text = (
        "Brothers and sisters\n\nWelcome between 10am and 7pm, with a parent.\n\n"
        "Other family and friends\n\nUp to 2 people named by the parents, between 2pm and 6pm."
    )
    page = Passage(chunk_id="nnu-1", text=text, title="Skylark unit", document="nnu.html")
    sents = ["Welcome between 10am and 7pm, with a parent.", "Other family and friends"]
    sents.append("Up to 2 people named by the parents, between 2pm and 6pm.")
    trust = page.model_copy(update={"owner": "admin"})
    assert _label_above(sents, 0, trust) == frozenset(terms("Brothers and sisters"))
    assert _label_above(sents, 2, trust) == frozenset(terms("Other family and friends"))
    assert _label_above(sents, 0, page) == frozenset()  # the guidance's notes have none
    assert _is_label("Other family and friends")
    assert not _is_label("Lead: Dr Grace Okafor")  # a labelled fact, not a label
    assert not _is_label("Welcome between 10am and 7pm, with a parent.")
