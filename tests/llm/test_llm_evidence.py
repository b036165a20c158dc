"""Evidence spans: found despite case, spacing and curly quotes; shown in the user's spelling."""

from __future__ import annotations

import pytest

from bot.core.llm.evidence import find_span, real_spans

TEXT = "We\u2019re at  OPEL 4 since\nNovember, and every workshop gets cancelled."


@pytest.mark.parametrize(
    ("quote", "expected"),
    [
        ("opel 4 since november", "OPEL 4 since\nNovember"),
        ('"We\'re at OPEL 4"', "We\u2019re at  OPEL 4"),
        ("every workshop gets cancelled.", "every workshop gets cancelled"),
        ("workshops get cancelled", None),
        ("we", None),
        ("", None),
    ],
)
def test_find_span(quote, expected):
    assert find_span(TEXT, quote) == expected


def test_real_spans_dedupes_and_limits():
    quotes = ["OPEL 4", "opel 4", "made up", "November", "every workshop", "gets cancelled"]
    assert real_spans(TEXT, quotes) == ["OPEL 4", "November", "every workshop"]
