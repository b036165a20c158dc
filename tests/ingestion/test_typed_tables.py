"""Minutes typed in plain text: an action log in aligned columns is read one row per paragraph."""

import pytest

from ingestion.chunking import make_chunks
from ingestion.initials import defined_initials, with_names
from ingestion.markdown import load_text
from ingestion.text import aligned_table_rows, typed_table_rows

pytestmark = pytest.mark.fast

MINUTES = """\
JOINT STEERING GROUP - MINUTES

Present:
  SR   Dr Seamus Rourke      Consultant in Palliative Medicine (Chair)
  PL   Priya Lakhani         Lead Nurse for End of Life Care
  MF   Mo Farrukh, Discharge & Flow Team Lead (item 4 only)

ACTION LOG (open actions after this meeting)
======================================================================
Ref     Action                                             Owner   Due
------  -------------------------------------------------  ------  ----------
A26/04  Report P1 same-day performance for one full        PL      14/04/2026
        quarter on the 15:00 cut-off, incl. Fridays
A26/07  RDH Fast Track PDSA on wards 14 & 15 (start        SR/MF   14/04/2026
        02/03/2026), report results
A26/08  Cost the overnight variant                         PL      03/03/2026

Date of next meeting: Tuesday 14 April 2026.
"""


def test_each_row_is_a_paragraph_with_its_wrapped_lines_joined() -> None:
    rows = [p for p in typed_table_rows(MINUTES).split("\n\n") if " | " in p]
    assert rows == [
        "Ref | Action | Owner | Due",
        "A26/04 | Report P1 same-day performance for one full quarter on the 15:00 cut-off, "
        "incl. Fridays | PL | 14/04/2026",
        "A26/07 | RDH Fast Track PDSA on wards 14 & 15 (start 02/03/2026), report results | "
        "SR/MF | 14/04/2026",
        "A26/08 | Cost the overnight variant | PL | 03/03/2026",
    ]
    assert "Date of next meeting: Tuesday 14 April 2026." in typed_table_rows(MINUTES)


def test_a_table_off_its_columns_is_left_as_typed() -> None:
    crooked = "Ref  Action  Owner\n---  ------  -----\nA1   Write the paper PL\n"
    assert typed_table_rows(crooked) == crooked
    prose = "Some prose\n-----------\nMore prose."
    assert typed_table_rows(prose) == prose  # one rule under a heading is no table


def test_a_list_giving_initials_first_defines_them_and_shared_owners_are_named() -> None:
    people = defined_initials(MINUTES)
    assert people == {"SR": "Seamus Rourke", "PL": "Priya Lakhani", "MF": "Mo Farrukh"}
    doc = with_names(load_text(MINUTES.encode(), "minutes.txt"))
    chunks = make_chunks(doc, document="minutes.txt", doc_hash="cd" * 32)
    text = "\n\n".join(c.text for c in chunks)
    assert "A26/08 | Cost the overnight variant | Priya Lakhani (PL) | 03/03/2026" in text
    assert "| Seamus Rourke (SR)/Mo Farrukh (MF) |" in text
    assert "A26/08 |" in text and "Ref | Action | Owner | Due" in text


AUDIT = """Scoring bands are unchanged: anything under 85% is red.

  Practice                      Score   Band
  Wellbrook Surgery              96%    Green
  Harbour View Surgery           81%    Red
  Ashcombe Lane Medical Group    84%    Red

Harbour View lost most marks in the treatment room."""


def test_columns_aligned_without_a_rule_are_read_one_row_per_paragraph() -> None:
    paragraphs = aligned_table_rows(AUDIT).split("\n\n")
    assert "Practice | Score | Band" in paragraphs
    assert "Harbour View Surgery | 81% | Red" in paragraphs
    assert "Harbour View lost most marks in the treatment room." in paragraphs


@pytest.mark.parametrize(
    "typed",
    [
        # who was there, under "Present:", is a list of people for initials.py
        "Present:\n  Priya Ranganathan    Deputy Director\n"
        "  Kirsty Feldman       Programme Manager\n  Dean Okafor          HALO lead",
        # initials first
        "MP   Marcia Penhaligon\nLF   Lena Fairclough\nTH   Tom Hale",
        # an email's header lines are labelled, not a table
        "From:    Sunil Varma\nSent:    4 March 2026\nTo:      Owen Rickard",
        # a drawn box around a notice
        "|   STUDY DAY 2026        |\n|   Thursday 26 February  |\n|   Lecture Theatre 2     |",
        # two rows are not yet a table
        "Practice      Score\nWellbrook     96%",
    ],
)
def test_what_is_not_a_table_is_left_as_typed(typed: str) -> None:
    assert aligned_table_rows(typed) == typed
