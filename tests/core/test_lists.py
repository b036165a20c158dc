"""A list in a trust's document is read with the sentence announcing it."""

from __future__ import annotations

import pytest

from bot.core.answering.lists import MAX_LIST_WORDS, announced_lists, as_one_sentence
from bot.core.wording import sentences

pytestmark = pytest.mark.fast

TEXT = (
    "Measure the wound every 4 weeks. Refer to the TVN service if:\n\n"
    "- the wound has reduced by less than 40% after 4 weeks; or\n\n"
    "- the ulcer has not healed within 12 weeks.\n\n"
    "Referrals go to the TVN mailbox."
)


def test_an_announced_list_is_its_bulleted_sentences() -> None:
    said = sentences(TEXT)
    assert announced_lists(said, TEXT) == {1: [2, 3]}  # not the sentence after the bullets


def test_a_colon_without_bullets_after_it_announces_nothing() -> None:
    text = "The service does not accept: children. Referrals go to the hub."
    assert announced_lists(sentences(text), text) == {}


def test_a_list_too_long_to_quote_stays_apart() -> None:
    items = "".join(f"- item {n} " + "word " * 12 + "\n" for n in range(8))
    text = f"Bring these:\n{items}"
    said = sentences(text)
    assert sum(len(s.split()) for s in said) > MAX_LIST_WORDS
    assert announced_lists(said, text) == {}


def test_the_list_reads_as_one_sentence_without_its_joining_words() -> None:
    said = sentences(TEXT)
    assert as_one_sentence(said[1], [said[2], said[3]]) == (
        "Refer to the TVN service if: the wound has reduced by less than 40% after 4 weeks; "
        "the ulcer has not healed within 12 weeks"
    )
