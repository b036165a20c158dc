"""A thing claimed unquoted to be one of the framework's lists gets "No" when it is not one."""

from __future__ import annotations

import pytest

from bot.core.answering.framework_answers import claimed_outside
from knowledge.framework import default_framework
from knowledge.matching import default_matching

_SCAN = [(b.name, b.category) for b in default_matching().scan_barriers]


@pytest.mark.fast
def test_an_unquoted_claim_gets_no_and_where_it_belongs() -> None:
    reply = claimed_outside(
        "is lack of funding one of the four barrier areas? my director says it is",
        default_framework(),
        _SCAN,
    )
    assert reply is not None and reply.text.startswith("No. 'lack of funding'")
    assert "'Lack of funding' (organisational)" in reply.text


@pytest.mark.fast
def test_the_words_of_another_kind_are_pointed_to() -> None:
    reply = claimed_outside("is resources one of the barrier areas?", default_framework())
    assert reply is not None and "Resources and support for change is one of the success" in (
        reply.text
    )


@pytest.mark.fast
@pytest.mark.parametrize(
    "question",
    [
        "is data one of the seven success factors?",  # part of a member's name
        "is lack of time one of the barrier areas?",  # what headspace is about
        "is headspace one of the barriers?",  # a member: answered yes elsewhere
        "what is one of the barriers?",  # no claim
    ],
)
def test_members_and_what_they_cover_are_not_refused(question: str) -> None:
    assert claimed_outside(question, default_framework(), _SCAN) is None
