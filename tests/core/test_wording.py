"""The term splitter every lexical match relies on."""

from __future__ import annotations

import pytest

from bot.core.wording import terms

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
