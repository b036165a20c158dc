"""A 429 retry handler whose wait is capped, so a long ``Retry-After`` cannot park a worker.

Why: slack_sdk's ``RateLimitErrorRetryHandler`` sleeps for whatever ``Retry-After`` says. With
``max_retry_count=2`` and a cap of 10 s, one post waits at most ~20 s before giving up and the
failure is logged; a ``Retry-After`` above the cap is not retried at all (T10).
"""

from __future__ import annotations

import random
import time

from slack_sdk.http_retry import HttpRequest, HttpResponse, RateLimitErrorRetryHandler, RetryState

MAX_WAIT_S = 10.0


def retry_after(response: HttpResponse | None) -> float:
    """Seconds Slack asked us to wait (1 when the header is missing or odd)."""
    if response is None:
        return 1.0
    for name, values in response.headers.items():
        if name.lower() == "retry-after" and values:
            try:
                return max(float(values[0]), 0.0)
            except ValueError:
                return 1.0
    return 1.0


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
        time.sleep(min(retry_after(response), MAX_WAIT_S) + random.random() * 0.2)
        state.increment_current_attempt()
