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
