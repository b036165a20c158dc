"""How LLMClient treats each failure: retry or not, how long to wait, and what the user is told.

Why a separate module: the retry rules are the part reviewers check against the reliability plan
(rows L1-L6), so they sit together, free of HTTP and LangChain plumbing. Messages are plain English
because they reach users as the note on an offline answer; raw exception text never does (it can
contain response bodies, and so model output or echoed prompt text).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import openai

_OFFLINE = "so this reply comes from changebot's offline method."
TIMEOUT = f"The language model did not answer in time, {_OFFLINE}"
BUSY = f"The language model is busy, {_OFFLINE} Try again in a minute for a fuller answer."
UNREACHABLE = f"The language model could not be reached, {_OFFLINE}"
REJECTED = f"The language model is not set up correctly, {_OFFLINE}"
INVALID = f"The language model's reply did not pass changebot's checks, {_OFFLINE}"
WITHHELD = (
    f"Part of the conversation looked like patient data, so none of it was sent to the language "
    f"model, {_OFFLINE}"
)

RETRY_AFTER_CAP_S = 10.0
_RETRY_STATUS = frozenset({408, 409, 429})
_BUSY_STATUS = frozenset({429, 503})


class InvalidOutput(Exception):
    """The reply was not valid JSON for the schema (one repair attempt is allowed)."""


class UnsafeOutput(Exception):
    """The reply leaked the canary, was refused, filtered or cut off: never retried."""


@dataclass(frozen=True)
class Failure:
    """One failed attempt, classified: ``reason`` is a short token safe to log.

    ``repair`` marks a reply that arrived but was unusable: only one such retry is allowed (L6).
    """

    reason: str
    message: str
    retry: bool
    status: int | None = None
    retry_after: float | None = None
    repair: bool = False


def classify(exc: BaseException) -> Failure:
    """Map an exception from one attempt onto the retry policy."""
    if isinstance(exc, InvalidOutput):
        return Failure("invalid_output", INVALID, retry=True, repair=True)
    if isinstance(exc, UnsafeOutput):
        return Failure(str(exc) or "unsafe_output", INVALID, retry=False)
    if isinstance(exc, openai.LengthFinishReasonError):  # cut off at the token cap: not JSON
        return Failure("truncated", INVALID, retry=False)
    if isinstance(exc, openai.ContentFilterFinishReasonError):
        return Failure("content_filter", INVALID, retry=False)
    if isinstance(exc, openai.APITimeoutError):
        # Not retried: the user has already waited a full timeout.
        return Failure("timeout", TIMEOUT, retry=False)
    if isinstance(exc, openai.APIConnectionError):
        return Failure("connection", UNREACHABLE, retry=True)
    if isinstance(exc, openai.APIStatusError):
        return _classify_status(exc)
    if isinstance(exc, openai.APIResponseValidationError | json.JSONDecodeError):
        return Failure("bad_response", INVALID, retry=True, repair=True)
    return Failure(type(exc).__name__, UNREACHABLE, retry=False)


def _classify_status(exc: openai.APIStatusError) -> Failure:
    status = exc.status_code
    if status in _BUSY_STATUS:
        wait = retry_after_seconds(getattr(exc.response, "headers", {}))
        return Failure(f"http_{status}", BUSY, retry=True, status=status, retry_after=wait)
    if status in _RETRY_STATUS or status >= 500:
        return Failure(f"http_{status}", UNREACHABLE, retry=True, status=status)
    return Failure(f"http_{status}", REJECTED, retry=False, status=status)


def retry_after_seconds(headers: Any, cap: float = RETRY_AFTER_CAP_S) -> float | None:
    """The wait the server asks for (``retry-after-ms``/``retry-after``), capped; None if absent."""
    try:
        millis = headers.get("retry-after-ms")
        if millis is not None:
            return min(max(float(millis) / 1000.0, 0.0), cap)
        value = headers.get("retry-after")
    except (AttributeError, ValueError):
        return None
    if value is None:
        return None
    try:
        return min(max(float(value), 0.0), cap)
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return min(max((when - datetime.now(UTC)).total_seconds(), 0.0), cap)


def backoff_seconds(attempt: int, base: float) -> float:
    """Exponential backoff with jitter (50-100% of ``base * 2**(attempt-1)``)."""
    return float(base * (2 ** (attempt - 1)) * random.uniform(0.5, 1.0))
