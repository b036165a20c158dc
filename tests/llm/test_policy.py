"""The retry policy's small pure parts: Retry-After parsing and capping, backoff growth."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from bot.llm.policy import RETRY_AFTER_CAP_S, backoff_seconds, retry_after_seconds


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"retry-after": "2"}, 2.0),
        ({"retry-after": "0.5"}, 0.5),
        ({"retry-after-ms": "1500"}, 1.5),
        ({"retry-after": "3600"}, RETRY_AFTER_CAP_S),
        ({"retry-after": "-4"}, 0.0),
        ({"retry-after": "soon"}, None),
        ({}, None),
    ],
)
def test_retry_after_is_parsed_and_capped(headers, expected):
    assert retry_after_seconds(headers) == expected


def test_retry_after_accepts_an_http_date():
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=5), usegmt=True)
    assert 3.0 <= (retry_after_seconds({"retry-after": when}) or 0) <= 5.0


def test_backoff_grows_and_stays_bounded():
    waits = [backoff_seconds(attempt, 0.5) for attempt in (1, 2, 3)]
    assert 0.25 <= waits[0] <= 0.5 and 0.5 <= waits[1] <= 1.0 and 1.0 <= waits[2] <= 2.0
