"""A figure read off a trust's table: the row asked about, or the top or bottom of a column."""

from __future__ import annotations

import pytest

from bot.core.answering.table_lookup import (
    cell_spellings,
    in_a_table,
    labelled_row,
    rows_under,
    table_answer,
    tables_in,
)

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


MONTHS = [
    "Tumour site | Jul 2025 | Aug 2025 | Sep 2025 | Q2 2025/26",
    "Breast | 91.2% | 89.7% | 92.4% | 91.1%",
    "Lower GI | 64.3% | 62.1% | 59.8% | 62.0%",
    "Trust total | 78.4% | 76.9% | 78.1% | 77.8%",
]
SITES = [
    "Site | FDS Q1 | FDS Q2 | 62-day Q1 | 62-day Q2 | Waiting >62 days 30 Jun"
    " | Waiting >62 days 30 Sep",
    "Northfield | 79.6% | 79.1% | 68.2% | 70.4% | 112 | 96",
    "Eastmere | 74.1% | 75.0% | 63.7% | 61.9% | 49 | 58",
]


def test_a_month_asked_in_full_or_shortened_names_its_column() -> None:
    found = table_answer("can someone tell me lower gi's FDS for august please", MONTHS)
    assert found is not None and found[1].startswith("Lower GI: Aug 2025 62.1%"), found
    worst = table_answer("which tumour site did worst on FDS in sept?", MONTHS)
    assert worst is not None and worst[1].startswith("Lower GI had the lowest Sep 2025: 59.8%")


def test_columns_named_alike_all_come_first_and_a_hyphened_name_is_its_words() -> None:
    both = table_answer(
        "how many eastmere pts were waiting over 62 days at end of sept vs june", SITES
    )
    assert both is not None and both[1].startswith(
        "Eastmere: Waiting >62 days 30 Jun 49; Waiting >62 days 30 Sep 58;"
    ), both
    day = table_answer("what was eastmere's 62 day performance in q2?", SITES)
    assert day is not None and day[1].startswith("Eastmere: 62-day Q2 61.9%"), day


def test_before_and_after_is_not_read_off_one_row() -> None:
    """ "what % of lists started on time before vs after?" leads with the move, not a row."""
    table = [
        "Measure | Baseline Jan-Mar 2025 | Pilot Apr-Jun 2025 | Target",
        "First cases on time | 38% | 71% | 85%",
        "Lists finishing after 17:30 | 22% | 14% | under 10%",
    ]
    asked = "what % of lists started on time before vs after, and did it hit the target?"
    assert table_answer(asked, table) is None


def test_a_time_asked_is_read_off_a_table_of_hours_only() -> None:
    hours = [
        "Site | Monday to Friday | Saturday and Sunday | Bank holidays",
        "Thornbury General Hospital | 08:00–20:00 | 09:00–17:00 | 09:00–17:00",
        "Castlemead Hospital | 08:30–16:30 | No cover (weekdays only) | No cover",
    ]
    found = table_answer("what time do the AOS nurses finish on a saturday at TGH?", hours)
    assert found is not None and found[1].startswith(
        "Thornbury General Hospital: Saturday and Sunday 09:00–17:00;"
    ), found
    assert table_answer("what time does castlefield open?", TEAMS) is None


def test_a_two_part_question_is_read_off_by_its_first_ask_alone() -> None:
    """Both sites are named in the whole message, so no one row is, until the first ask is read
    alone; the second ask is answered by a sentence of its own."""
    import numpy as np

    from bot.core.answering.extractive import Candidate, _read_off_table
    from bot.core.models import Passage

    hours = [
        "Site | Monday to Friday | Saturday and Sunday | Bank holidays",
        "Thornbury General Hospital | 08:00–20:00 | 09:00–17:00 | 09:00–17:00",
        "Castlemead Hospital | 08:30–16:30 | No cover (weekdays only) | No cover",
    ]
    passage = Passage(chunk_id="c", text="\n".join(hours), title="AOS", document="a.html")
    passage = passage.model_copy(update={"owner": "admin"})
    texts = [(hours, np.eye(len(hours), dtype=np.float32))]
    lead = Candidate(1.0, 0, 0, hours[0])
    asked = (
        "what time do the AOS nurses finish on a saturday at TGH? and is there anyone covering "
        "castlemead at weekends or not"
    )
    found = _read_off_table(asked, [passage], texts, lead)
    assert found is not None
    assert found.text.startswith("Thornbury General Hospital: Saturday and Sunday 09:00–17:00")


COSTS = [
    "Item | Cost | Type",
    "Handsets, headsets and softphone licences (set-up) | £18,900 | One-off",
    "Contingency | £5,000 | One-off",
    "Total one-off | £61,200 | ",
    "Annual platform licences and support | £23,400 per year | Recurring (3 years)",
]


def test_a_row_named_in_full_is_read_though_no_column_is() -> None:
    found = table_answer("what's the total one-off budget for replacing the phones?", COSTS)
    assert found == (3, "Total one-off: Cost £61,200")
    # one word of a label names no row by itself when no column is asked either
    assert table_answer("what is the contingency?", COSTS) is None


def test_a_row_is_named_without_its_possessive() -> None:
    practices = [
        "Practice | List size (1 Oct 25) | DNA %",
        "Orchard Lea Surgery | 8,410 | 2.9%",
        "St Brannock's Practice | 12,710 | 5.2%",
    ]
    found = table_answer("what's the list size at st brannocks", practices)
    assert found is not None and found[1].startswith("St Brannock's Practice: List size")


def test_the_others_asked_for_are_not_the_row_named() -> None:
    asked = "castlefield is in special measures - which other teams are, and why?"
    assert table_answer(asked, TEAMS) is None


def test_a_glossary_row_named_in_full_is_no_figure() -> None:
    glossary = [
        "Term | Meaning",
        "PIFU window | The period during which the patient may book directly back in",
        "A&G | Advice and guidance from a consultant to the referring GP",
    ]
    assert table_answer("whats the pifu window for dermatology patients?", glossary) is None


def test_a_glossary_row_is_no_header() -> None:
    rows = [
        "PIFU | Patient-initiated follow-up: the patient books a follow-up when they need one",
        "PIFU window | The period during which the patient may book directly back in",
    ]
    assert tables_in(rows) == []


def test_a_row_is_shown_under_its_columns_names() -> None:
    """A row leading an answer says which figure is whose: "which site did better?"."""
    rows = [
        "Indicator | Kelbridge Royal Infirmary | Tarnside General | Standard",
        "Admitted to a stroke unit within 4 h | 71% | 58% | 75%",
        "Stroke admissions (n) | 312 | 148 | –",
    ]
    assert labelled_row(rows, 1) == (
        "Admitted to a stroke unit within 4 h: Kelbridge Royal Infirmary 71%; "
        "Tarnside General 58%; Standard 75%"
    )
    assert labelled_row(rows, 0) is None  # the header itself
    assert labelled_row(["Plain sentence, no table."], 0) is None


def test_a_header_naming_its_columns_with_figures_heads_its_rows() -> None:
    """ "Within 6 h | 6–24 h (incl. wake-up stroke)" answers nothing itself; its rows do."""
    rows = [
        "Criterion | Presenting within 6 h of onset | Presenting 6–24 h (incl. wake-up stroke)",
        "NIHSS | 6 or more | 6 or more",
        "Imaging | CT + CTA | CT + CTA and CTP (perfusion)",
        "Basilar occlusion: refer up to 24 h from onset.",
    ]
    assert rows_under(rows, 0) == [1, 2]
    assert rows_under(rows, 1) == []  # a row, not the header
    assert labelled_row(rows, 2) == (
        "Imaging: Presenting within 6 h of onset CT + CTA; "
        "Presenting 6–24 h (incl. wake-up stroke) CT + CTA and CTP (perfusion)"
    )
    # a table without a header row: its first row holds bare values, so it names no columns
    values = ["Castlefield | 980 | 241", "Northgate | 812 | 199"]
    assert rows_under(values, 0) == [] and labelled_row(values, 1) is None


def test_when_is_read_off_a_cell_holding_a_date() -> None:
    """ "when's the welcome day for the sept 2026 intake?": the date under "Welcome day"."""
    rows = [
        "Cohort | Welcome day | Venue",
        "March 2026 | Monday 2 March 2026 | Lecture Theatre",
        "September 2026 | Monday 14 September 2026 | Education Centre",
    ]
    found = table_answer("when's the welcome day for the September 2026 intake", rows)
    assert found is not None and found[0] == 2
    assert found[1].startswith("September 2026: Welcome day Monday 14 September 2026")
    # a cell that is neither a date nor a time answers no "when"
    counts = ["Cohort | Starters | Venue", "September 2026 | 36 | Education Centre"]
    assert table_answer("when do the starters for the September 2026 intake come", counts) is None


def test_a_two_column_table_of_labels_and_values_is_read_as_it_is() -> None:
    rows = ["Meeting | Network Board, 28 January 2026", "Version | 1.0 FINAL", "Owner | Jo Hart"]
    assert labelled_row(rows, 1) is None and labelled_row(rows, 2) is None
    assert rows_under(rows, 0) == []


def test_a_row_is_named_by_a_word_and_its_number_under_its_column() -> None:
    """ "a band 5 on a sunday": the row whose "AfC band" cell is 5, not every band's."""
    rows = [
        "Role | AfC band | Weekday day (£/hr) | Sunday & bank holiday (£/hr)",
        "Healthcare support worker | 2 | 13.18 | 19.77",
        "Staff nurse / midwife | 5 | 19.87 | 29.81",
        "Junior sister / charge nurse | 6 | 23.08 | 34.62",
    ]
    found = table_answer("whats the bank rate for a band 5 doing a sunday shift?", rows)
    assert found is not None and found[0] == 2
    assert found[1].startswith("Staff nurse / midwife: Sunday & bank holiday (£/hr) 29.81")
    assert table_answer("whats the bank rate for a band 8a on a sunday?", rows) is None


ACTIVITY = [
    "Urgent Community Response (2-hour) Service: Quarterly Performance Report",
    "Month (2025) | Referrals received | Reached within 2 hours (%) | Referred on to virtual ward",
    "July | 486 | 78.4 | 44",
    "August | 512 | 74.1 | 52",
    "September | 547 | 71.9 | 61",
]
SURVEY = [
    "Team | Q1 2025/26 | Q2 2025/26 | Responses Q2",
    "District nursing | 52 | 58 | 171",
    "Virtual ward | 70 | 68 | 37",
]


def test_a_short_form_is_read_as_the_cell_it_spells_out() -> None:
    """ "DN" is the row "District nursing"; "VW" the column "Referred on to virtual ward"."""
    assert cell_spellings("what did DN score in q2", "\n".join(SURVEY)) == {
        "dn": "District nursing"
    }
    assert cell_spellings("how many went to the VW", "\n".join(ACTIVITY)) == {"vw": "virtual ward"}
    found = table_answer("what did DN score in q2?", SURVEY)
    assert found is not None and found[1].startswith("District nursing: Q2 2025/26 58")
    found = table_answer("how many did UCR refer on to the VW in august?", ACTIVITY)
    assert found is not None and found[1].startswith("August: Referred on to virtual ward 52")


def test_a_name_pinned_by_its_short_form_is_found_in_the_title_or_a_cell() -> None:
    """ "UCR" is spelt out by the report's title, "VW" by a column: the table holds both."""
    query = "how many did UCR refer on to the VW in august?"
    assert in_a_table(query, ["\n".join(ACTIVITY)], {"ucr", "vw"})
    assert not in_a_table(query, ["\n".join(ACTIVITY[1:])], {"ucr", "vw"})


BANDS = [
    "Role | Band | Main responsibilities",
    "Trainee nurse endoscopist | 7 | Supervised lists, training log",
    "Nurse endoscopist | 7 | Independent diagnostic lists",
]
TRAINING = [
    "Role | Band | Training time",
    "Trainee nurse endoscopist | 7 | 18 months",
    "Nurse endoscopist | 7 | 6 months",
]


def test_a_duration_asked_is_read_only_off_a_row_that_gives_one() -> None:
    """ "how long before a trainee nurse endoscopist …" is no cell of a row of bands and duties."""
    asked = "how long before a trainee nurse endoscopist can work independently"
    assert table_answer(asked, BANDS) is None
    found = table_answer(asked, TRAINING)
    assert found is not None and "18 months" in found[1]


ACTIVITY_BY_QUARTER = [
    "Measure | Q1 2025/26 | Q2 2025/26 | Q2 2024/25 | Target",
    "Formal complaints received | 171 | 187 | 164 | -",
    "Complaints closed | 158 | 169 | 150 | -",
    "PALS contacts | 1,118 | 1,243 | 1,067 | -",
]


def test_a_quarters_months_name_its_column_and_got_is_received() -> None:
    """ "how many complaints did we get jul-sep?": the "Q2" column of the row received."""
    asked = "how many complaints did we get jul-sep?"
    found = table_answer(asked, ACTIVITY_BY_QUARTER)
    assert found is not None
    assert found[1].startswith("Formal complaints received: Q2 2025/26 187"), found[1]
    assert in_a_table(asked, ["\n".join(ACTIVITY_BY_QUARTER)], set())
    assert table_answer("how many complaints were there?", ACTIVITY_BY_QUARTER) is None
