"""Minutes answer "when's the next meeting?" under their own heading."""

import pytest

from bot.core.answering.extractive import _gives_next_meeting
from bot.core.answering.relevance import ASKS_NEXT_MEETING

pytestmark = pytest.mark.fast

MINUTES = (
    "6. ANY OTHER BUSINESS\n   None.\n\n7. DATE OF NEXT MEETING\n"
    "   Wednesday 12 November 2025, 14:00-15:30, Boardroom 2."
)


def test_the_date_under_the_next_meeting_heading_gives_it() -> None:
    assert _gives_next_meeting("Wednesday 12 November 2025, 14:00-15:30, Boardroom 2.", MINUTES)
    assert _gives_next_meeting("Date of next meeting: Tuesday 2 December 2025, 09:30.", "")
    assert not _gives_next_meeting("None.", MINUTES)


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("when's the next D2A steering group meeting?", True),
        ("when do we next meet?", True),
        ("next PPG meet?", True),
        ("when does the steering group meet?", False),
    ],
)
def test_asking_for_the_next_meeting(question: str, asks: bool) -> None:
    assert bool(ASKS_NEXT_MEETING.search(question)) is asks


def test_asking_for_the_next_meeting_searches_for_the_minutes_closing_section() -> None:
    from bot.core.answering.relevance import lexical_hints

    assert lexical_hints("when is the next estates operational group meeting?") == [
        "date of next meeting"
    ]
    assert lexical_hints("when does the steering group meet?") == []
