"""A trust's document named by a run of its title, in staff's lower case."""

from __future__ import annotations

import pytest

from bot.core.answering.retrieve import names_title

pytestmark = pytest.mark.fast


@pytest.mark.parametrize(
    ("query", "title", "named"),
    [
        ("who's the boss of release to respond?", "Release to Respond: handover report", True),
        ("how often at make ready?", "SOP: Make Ready vehicle preparation", True),
        ("when is the weekly huddle", "Release to Respond: handover report", False),
        ("what is the project about", "Release to Respond: handover project report", False),
    ],
)
def test_a_document_is_named_by_a_run_of_its_title(query: str, title: str, named: bool) -> None:
    assert names_title(query, title) is named
