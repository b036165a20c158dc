"""Naming the framework item a question describes in its own words."""

from __future__ import annotations

import pytest

from bot.core.answering.identify import kind_asked
from tests.core.test_answer import ask

pytestmark = pytest.mark.fast


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("what's the barrier called that's about having space in your week to plan", "barrier"),
        ("which of the three types covers bonuses aimed at individuals?", "approach type"),
        ("which success factor is the one about figures showing it worked", "success factor"),
    ],
)
def test_a_description_asked_to_be_named_is_recognised(question: str, kind: str) -> None:
    assert kind_asked(question) == kind


@pytest.mark.parametrize(
    "question",
    [
        "what are the seven success factors?",  # a list
        "which success factor did the McKinsey interviews find weakest?",  # a finding
        "which of the three approach types is not aimed at organisations?",  # a negation
        "which approach type did the report think national bodies leaned on too much?",
        "which barrier?",  # nothing described
    ],
)
def test_a_list_a_finding_or_no_description_is_not_named_so(question: str) -> None:
    assert kind_asked(question) is None


@pytest.mark.parametrize(
    ("question", "label"),
    [
        (
            "what's the barrier called that's basically about having enough room in your week "
            "to get on with a change",
            "Headspace",
        ),
    ],
)
def test_an_item_described_in_everyday_words_is_named(services, question: str, label: str) -> None:
    """Worded so the lexical gate declines them: the description is matched instead."""
    a = ask(services, question)
    assert a.grounded and a.answer.startswith("That sounds like"), a.answer
    assert label in a.answer.split("[1]")[0], a.answer


def test_a_topic_the_guidance_lacks_is_not_named_as_an_item(services) -> None:
    a = ask(services, "which success factor covers artificial intelligence?")
    assert a.grounded is False and not a.citations, a.answer


def test_a_description_quoted_with_words_the_guidance_lacks_is_still_named(services) -> None:  # type: ignore[no-untyped-def]
    """Inside quotes, "frazzled" and "think" describe; outside them a word the guidance never
    uses is the topic, and the question is declined."""
    from tests.core.test_answer import ask

    a = ask(
        services,
        "which of the four barrier areas is basically 'we're all too busy and frazzled to even "
        "think about changing anything'",
    )
    assert a.grounded and a.answer.startswith("That sounds like Headspace")
    assert not ask(services, "which success factor covers artificial intelligence?").grounded
