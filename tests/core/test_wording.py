"""The term splitter every lexical match relies on."""

from __future__ import annotations

import pytest

from bot.core.wording import sentences, terms

pytestmark = pytest.mark.fast


def test_a_range_of_months_typed_as_one_word_is_each_month() -> None:
    """ "hours lost over jul-sep" asks about July and September as the report writes them."""
    assert terms("over jul-sep") == terms("july september")
    assert terms("April-June") == terms("april june")
    assert terms("in-patient") == ["in-patient"]
    assert terms("sep-2024") == ["sep-2024"]


def test_a_number_joined_to_its_unit_is_the_number_and_the_unit() -> None:
    """ "the 4-hour standard" is asked as "4hr" or "4 hours"; "the 12-week wait" as "12 wks"."""
    assert terms("the 4-hour standard") == terms("4 hours standard")
    assert terms("a 12-week wait") == terms("12 weeks wait")
    assert terms("a 12-wk wait") == terms("12 weeks wait")
    assert terms("10-15") == ["10-15"]


def test_a_possessive_is_the_word_itself() -> None:
    """ "Richard Taunt's job" is about Taunt; "that's" and "there's" are no content words."""
    assert terms("Richard Taunt's job") == terms("Richard Taunt job")
    assert terms("the scan's teams' views") == terms("scan teams views")
    assert terms("that's it, there's who's") == []


def test_a_table_row_is_one_sentence_whatever_its_cells_hold() -> None:
    """ "… cut-off, incl. Fridays | TH | 14/04/2026" split at "incl." broke the row's columns."""
    text = (
        "The log follows. It was agreed.\n\n"
        "A26/04 | Report P1 on the cut-off, incl. Fridays. Then more | TH | 14/04/2026\n\n"
        "Next meeting. In April."
    )
    assert sentences(text) == [
        "The log follows.",
        "It was agreed.",
        "A26/04 | Report P1 on the cut-off, incl. Fridays. Then more | TH | 14/04/2026",
        "Next meeting.",
        "In April.",
    ]
