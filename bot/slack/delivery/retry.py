"""How long to wait when Slack says 429: capped, so a long ``Retry-After`` cannot park a worker.

Why: slack_sdk's ``RateLimitErrorRetryHandler`` sleeps for whatever ``Retry-After`` says. With
``MAX_RATE_RETRIES = 2`` and a cap of 10 s, one call waits at most ~20 s before giving up and the
failure is logged; a ``Retry-After`` above the cap is not retried at all (T10).

Two users of these rules: ``CappedRateLimitRetryHandler`` for the reading client (the wait
happens inside slack_sdk, where no lock of ours is held), and ``Poster`` for message posts, which
handles 429 itself so that it can release the channel's turn while it waits (one rate-limited
channel must not hold up posts to others).
"""

from __future__ import annotations

import random
import time
from collections.abc import Mapping

from slack_sdk.http_retry import HttpRequest, HttpResponse, RateLimitErrorRetryHandler, RetryState

MAX_WAIT_S = 10.0
MAX_RATE_RETRIES = 2


def retry_after_header(headers: Mapping[str, object] | None) -> float:
    """Seconds a ``Retry-After`` header asks for (1 when missing or odd); values may be lists."""
    for name, value in (headers or {}).items():
        if name.lower() != "retry-after":
            continue
        first = value[0] if isinstance(value, list | tuple) and value else value
        try:
            return max(float(str(first)), 0.0)
        except ValueError:
            return 1.0
    return 1.0


def retry_after(response: HttpResponse | None) -> float:
    """Seconds Slack asked us to wait (1 when the header is missing or odd)."""
    return 1.0 if response is None else retry_after_header(response.headers)


def jitter() -> float:
    """A little randomness so callers rate limited together do not come back together."""
    return random.random() * 0.2


class CappedRateLimitRetryHandler(RateLimitErrorRetryHandler):
    """Retry 429s only when the requested wait is at most ``MAX_WAIT_S``."""

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        return super()._can_retry(
            state=state, request=request, response=response, error=error
        ) and (retry_after(response) <= MAX_WAIT_S)

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        """Sleep the requested time (capped) plus a little jitter, then count the attempt."""
        state.next_attempt_requested = True
        time.sleep(min(retry_after(response), MAX_WAIT_S) + jitter())
        state.increment_current_attempt()
