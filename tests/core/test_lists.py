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


def test_bullets_stay_when_their_announcing_line_was_set_aside() -> None:
    import numpy as np

    from bot.core.answering.extractive import Candidate, _lists_read_whole
    from bot.core.models import Passage

    said = sentences(TEXT)
    vectors = np.eye(len(said), dtype=np.float32)
    scores = np.array([0.1, 0.2, 0.3, 0.9, 0.4], dtype=np.float32)
    passage = Passage(chunk_id="c", text=TEXT, title="Leg ulcer pathway", document="p.docx")
    every = [Candidate(float(scores[i]), 0, i, s) for i, s in enumerate(said)]
    merged = _lists_read_whole(every, 0, (said, vectors), scores, passage)
    # the list is one candidate, scored by its best part; the sentence after it stays apart
    assert [c.index for c in merged] == [0, 1, 4]
    assert merged[1].score == pytest.approx(0.9) and "12 weeks" in merged[1].text
    without_intro = [c for c in every if c.index != 1]  # e.g. set aside as a fragment
    assert _lists_read_whole(without_intro, 0, (said, vectors), scores, passage) == without_intro
