"""What the asker says around the question (why they ask, their case, their hedges) is no topic.

"For the minutes of our quality committee, could you confirm …" asks about the launch date; the
minutes and the committee are not words a passage must hold.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.core.test_answer import ask


@pytest.mark.parametrize(
    ("question", "wanted"),
    [
        (
            "Good afternoon. For the minutes of our quality committee, could you confirm the exact "
            "day the Health Foundation launched Constructive comfort? I have only 'early 2015'.",
            "26 February",
        ),
        (
            "If I wanted to get in touch with the people who ran this project at the Health "
            "Foundation, who were the named contacts?",
            "Dormon",
        ),
        (
            "Quick one - who is Richard Taunt and what was his job when the report came out? "
            "Trying to work out who's who on the author list for my rotation write-up.",
            "Director of Policy",
        ),
        (
            "need to reference constructive comfort properly in a board paper - who are the "
            "authors?",
            "Allcock",
        ),
        (
            "GP in Lanarkshire here. Is this report even about us, or is it purely an English NHS "
            "thing?",
            "England",
        ),
        # why it is asked, in a sentence of its own, and the asker's case after the ask
        (
            "is the evidence scan a proper systematic review? need to know how much weight to "
            "put on it",
            "not a systematic review",
        ),
        (
            "who are the contacts on the project page if I want to get in touch about the work",
            "Felicity Dormon",
        ),
        # who took part in the workshops is said by their roles
        (
            "who was in the workshops for CC? trying to work out whether people like us got a say",
            "commissioners",
        ),
        # what a colleague calls the scan is the claim checked
        (
            "A colleague keeps calling the 'What's getting in the way?' scan a systematic review "
            "in our teaching slides. Is that right?",
            "not a systematic review",
        ),
        ("how long are the three docs (CC, the mckinsey one, the scan)?", "28 pages"),
    ],
)
def test_the_scene_around_a_question_is_not_what_it_asks(
    services: Any, question: str, wanted: str
) -> None:
    a = ask(services, question)
    assert a.grounded and wanted in a.answer, a.answer


def test_the_stages_the_scan_sorts_by_are_its_phases(services: Any) -> None:
    """Not its four groups; and a quoted question keeps its own mark ("…projects?", not "?.")."""
    a = ask(
        services,
        "The evidence scan sorts barriers by stage of an improvement project. What are the stages?",
    )
    assert a.grounded and "design or development" in a.answer, a.answer
    assert "dissemination" in a.answer and "?." not in a.answer
