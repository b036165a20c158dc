"""A figure read off a trust's table: the row asked about, or the top or bottom of a column."""

from __future__ import annotations

import pytest

from bot.core.answering.table_lookup import table_answer, tables_in

TEAMS = [
    "Table 1. School nursing teams, quarter 2.",
    "Team | Open caseload | New referrals (Jul-Sep) | Did not attend rate |  | Vacancy rate",
    "Northgate | 1,240 | 312 | 8.2% | 11.6 | 6.0%",
    "Riverside | 1,585 | 406 | 14.7% | 12.4 | 19.4%",
    "Castlefield | 980 | 241 | 6.1% | 9.0 | 0.0%",
    "All teams | 3,805 | 959 | 9.9% | 33.0 | 9.1%",
    "Riverside remains the outlier.",
]
QUARTERS = [
    "Unit | Q1 (Apr to Jun) | Q2 (Jul to Sep) | Q3 (Oct to Dec)",
    "Kestle Bridge | 11/18 (61%) | 9/14 (64%) | 10/15 (67%)",
    "Tollgate | 4/9 (44%) | 4/10 (40%) | 7/15 (47%)",
]


def test_a_table_is_its_header_and_the_rows_as_wide() -> None:
    (table,) = tables_in(TEAMS)
    assert table.header[0] == "Team" and table.header[4] == ""
    assert [cells[0] for _, cells in table.rows] == [
        "Northgate",
        "Riverside",
        "Castlefield",
        "All teams",
    ]


def test_the_row_named_is_read_with_the_asked_figure_first() -> None:
    index, text = table_answer("how many new referrals did castlefield get?", TEAMS) or (0, "")
    assert index == 4
    assert text.startswith("Castlefield: New referrals (Jul-Sep) 241;"), text
    assert "Open caseload 980" in text


def test_a_row_named_before_the_ask_and_a_quarter_column() -> None:
    found = table_answer("tollgate numbers look grim. what % started on a fistula in q2", QUARTERS)
    assert found is not None and found[1].startswith("Tollgate: Q2 (Jul to Sep) 4/10 (40%)")


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        # more did-not-attend is worse; "DNA" is the column's initials
        ("which team had the worst DNA rate?", "Riverside had the highest Did not attend rate"),
        ("which team had the best dna rate", "Castlefield had the lowest Did not attend rate"),
        ("which team has the most vacancies", "Riverside had the highest Vacancy rate"),
        ("which team had the fewest new referrals", "Castlefield had the lowest New referrals"),
    ],
)
def test_the_top_or_bottom_of_the_column_asked(question: str, lead: str) -> None:
    found = table_answer(question, TEAMS)
    assert found is not None and found[1].startswith(lead), found
    assert "All teams" not in found[1]  # the total is no team


def test_nothing_is_read_off_without_a_column_or_row_asked() -> None:
    assert table_answer("who chairs the school nursing group?", TEAMS) is None
    assert table_answer("how many teams are there?", ["No table here.", "Just prose."]) is None


def test_a_tie_names_no_row() -> None:
    tied = ["Site | Falls", "North | 4", "South | 4", "East | 2"]
    assert table_answer("which site had the most falls?", tied) is None
