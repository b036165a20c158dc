"""A bulletin or minutes typed as plain text: rules dropped, headings kept on their own lines."""

import pytest

from ingestion.markdown import load_text
from ingestion.text import without_rules

pytestmark = pytest.mark.fast

BULLETIN = """\
From: Network Office <office@nhs.example>
To: All staff
Subject: Network bulletin - March

=====================================================
  NORTHMOOR STROKE NETWORK
=====================================================

-----------------------------------------------------
3. SAVE THE DATE - NETWORK STUDY DAY, THURSDAY 21 MAY 2026
-----------------------------------------------------
Kelbridge Education Centre, 09:00-16:30.
Free for network staff.

3. POSTPARTUM HAEMORRHAGE (ARK, for TW)
ARK noted the August rise in PPH of 1500 ml or more.
"""


def test_rules_are_dropped_and_a_heading_is_read_with_the_line_after_it() -> None:
    text = load_text(BULLETIN.encode(), "bulletin.txt").blocks[0].text
    assert "-----" not in text and "=====" not in text
    assert (
        "3. SAVE THE DATE - NETWORK STUDY DAY, THURSDAY 21 MAY 2026\n"
        "Kelbridge Education Centre, 09:00-16:30." in text
    )


def test_a_heading_mostly_in_capitals_keeps_its_line() -> None:
    """ "(ARK, for TW)" is lower case in part; the heading is still not run into the minute."""
    text = load_text(BULLETIN.encode(), "bulletin.txt").blocks[0].text
    assert "3. POSTPARTUM HAEMORRHAGE (ARK, for TW)\nARK noted" in text


@pytest.mark.parametrize("rule", ["-----", "=====", "_____", "  ~~~~~  ", "*****"])
def test_each_kind_of_rule_is_dropped(rule: str) -> None:
    assert without_rules(f"Heading\n{rule}\nBody text.") == "Heading\nBody text."
