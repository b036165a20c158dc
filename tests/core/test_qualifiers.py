"""The quarter, month, year or numbered unit a figure is asked for must be named to answer."""

import pytest

from bot.core.answering.qualifiers import asked_qualifiers, unnamed_qualifiers

Q2_REPORT = [
    "Safe Staffing Report Q2 2025/26 (July to September 2025)",
    "RN turnover (12-month rolling): 9.8% at 30 September 2025, down from 10.4%.",
    "Bank rates: AfC band 5; Weekday day (£/hr) 22.40. AfC band 6; Weekday day (£/hr) 26.10.",
    "Ward 14 moves to the Elm Unit from 1 Oct 2025 while it is refurbished.",
]


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("what was RN turnover back in Q1?", ["Q1"]),
        ("whats the bank rate for a band 8a on nights", ["band 8a"]),
        ("When is Ward 12 getting refurbished?", ["Ward 12"]),
        ("what was the cat 4 90th centile for september?", ["cat 4", "september"]),
        ("NBV within 14 days for Q1 2024/25? need it for the July board", ["Q1", "2024/25"]),
        ("ipu occupancy q3 vs q2?", ["q3", "q2"]),
        # what only tells the scene is not what is asked
        (
            "one of my ladies is an inpatient on ward 9 so i need to cancel her transport. "
            "whats the cut off",
            [],
        ),
        ("are there teams sessions on the new process? what days, want to send my band 6s", []),
        ("may i ask who leads the 24/7 line?", []),
        ("a 10/11/2025 clinic", []),
    ],
)
def test_what_a_figure_is_asked_for(question: str, said: list[str]) -> None:
    assert [q.said for q in asked_qualifiers(question)] == said


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        ("what was RN turnover back in Q1?", ["Q1"]),
        ("what was RN turnover in Q2?", []),
        ("what was RN turnover for jul-sep?", []),  # a month of the quarter named
        ("whats the bank rate for a band 8a on nights?", ["band 8a"]),
        ("whats the bank rate for a band 5 on a weekday?", []),
        ("When is Ward 12 getting refurbished?", ["Ward 12"]),
        ("When is ward 14 moving?", []),
        ("what was turnover in october?", []),  # "1 Oct 2025"
        ("what was turnover in march?", ["march"]),
        ("what was RN turnover in 2023/24?", ["2023/24"]),
        ("what was RN turnover in 25/26?", []),
    ],
)
def test_a_qualifier_no_passage_names(question: str, missing: list[str]) -> None:
    assert [q.said for q in unnamed_qualifiers(question, Q2_REPORT)] == missing


def test_a_yes_no_question_may_be_answered_no() -> None:
    """ "is it in March?" is answered "no, in October": its month is not a must."""
    asked = "is the ward 14 move in march?"
    assert [q.said for q in unnamed_qualifiers(asked, Q2_REPORT, yes_no=True)] == []
    assert [q.said for q in unnamed_qualifiers(asked, Q2_REPORT)] == ["march"]


@pytest.mark.parametrize(
    ("question", "named", "other"),
    [
        (
            "How many new arrivals did Stanmoor take between July and Sept?",
            ["Q2 2025/26", "July to September 2025"],
            "Q3",
        ),
        ("how many referrals from jan to march?", ["Quarter 4 of 2025/26", "Jan-Mar"], "Q1"),
    ],
)
def test_three_months_that_make_a_quarter_are_asked_of_that_quarter(
    question: str, named: list[str], other: str
) -> None:
    """A report giving "Q2" names "between July and Sept"; one giving only Q3 does not."""
    for quarter in named:
        assert unnamed_qualifiers(question, [f"Table 1: Receptions, {quarter}"]) == []
    assert unnamed_qualifiers(question, [f"Table 1: Receptions, {other}"])
