"""Asked for a factor's exact wording, the report's own key words follow our paraphrased label."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.common.errors import KnowledgeError
from bot.core.answering.report_words import EXACT_WORDING
from knowledge.report_words import MAX_QUOTED_WORDS, default_report_words, load_report_words
from tests.core.test_answer_leads import ask


@pytest.mark.fast
def test_every_quote_is_short_and_for_a_paraphrased_label() -> None:
    from knowledge.framework import default_framework

    labels = {f.id: f.label.lower() for f in default_framework().factors}
    for ident, words in default_report_words().factors.items():
        assert len(words.split()) <= MAX_QUOTED_WORDS
        assert words.lower() not in labels[ident]  # the label is ours, the quote the report's


@pytest.mark.fast
def test_a_long_quote_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "report_words.yaml"
    bad.write_text(
        "source: {document: health_foundation_web, chapter: page}\n"
        "factors: {culture: 'one two three four five six seven eight'}\n"
    )
    with pytest.raises(KnowledgeError, match="factors"):
        load_report_words(bad)


@pytest.mark.fast
@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("list the success factors, exact wording please", True),
        ("what's the data factor actually called in the report?", True),
        ("I want to quote the culture factor word for word", True),
        ("list the seven success factors", False),
        ("what does the culture factor mean?", False),
    ],
)
def test_the_wording_asked_for(question: str, asked: bool) -> None:
    assert bool(EXACT_WORDING.search(question)) is asked


def test_the_list_in_the_reports_words(services: Any) -> None:
    a = ask(services, "can you list the seven success factors in the report's exact wording?")
    assert a.grounded
    for words in default_report_words().factors.values():
        assert f"in the report's words, '{words}'" in a.answer


def test_no_quotes_unless_the_wording_is_asked_for(services: Any) -> None:
    a = ask(services, "what are the seven success factors?")
    assert a.grounded and "in the report's words" not in a.answer
