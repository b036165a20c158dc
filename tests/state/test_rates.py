"""Per-user rate limits in the shared store: one limit across replicas, exact under contention."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import select

from bot.slack.delivery.ratelimit import RateLimiter
from bot.state import rates
from bot.state.rates import WINDOW_S, admitted_count, prune_hits, rate_key
from bot.state.schema import rate_hits
from tests.state.conftest import Clock


def test_the_limit_is_shared_not_multiplied_by_replicas(stores: Any, clock: Clock) -> None:
    a, b = (RateLimiter(per_minute=3, store=s) for s in stores)
    assert [a.allow("T1:U1"), b.allow("T1:U1"), a.allow("T1:U1")] == [True] * 3
    assert [b.allow("T1:U1"), a.allow("T1:U1")] == [False, False]  # in memory: 6 would pass
    assert b.allow("T1:U2") is True  # another user has a limit of their own
    assert admitted_count(stores[1], "T1:U1") == 3


def test_the_window_slides(stores: Any, clock: Clock) -> None:
    a, b = (RateLimiter(per_minute=2, store=s) for s in stores)
    assert a.allow("u") is True
    clock.now += 30
    assert b.allow("u") is True and a.allow("u") is False
    clock.now += 30  # the first hit is now a minute old: one slot again
    assert b.allow("u") is True and a.allow("u") is False
    clock.now += 30
    assert a.allow("u") is True


def test_concurrent_requests_on_two_replicas_admit_exactly_the_limit(stores: Any) -> None:
    limiters = [RateLimiter(per_minute=7, store=s) for s in stores]
    results: list[bool] = []
    lock = threading.Lock()

    def ask(limiter: RateLimiter) -> None:
        for _ in range(5):
            allowed = limiter.allow("T1:Ubusy")
            with lock:
                results.append(allowed)

    threads = [threading.Thread(target=ask, args=(limiters[n % 2],)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 40 and results.count(True) == 7
    assert admitted_count(stores[0], "T1:Ubusy") == 7


def test_pruning_removes_only_rows_older_than_the_window(stores: Any, clock: Clock) -> None:
    a, b = stores
    for user in ("old1", "old2"):
        rates.admit(a, user, 5)
    clock.now += WINDOW_S / 2
    rates.admit(b, "fresh", 5)
    clock.now += WINDOW_S / 2 + 1
    assert prune_hits(b) == 2
    assert prune_hits(a) == 0
    with a.reading() as conn:
        assert conn.execute(select(rate_hits.c.key)).scalars().all() == [rate_key("fresh")]


def test_only_a_hash_of_the_user_is_stored(stores: Any) -> None:
    a, _b = stores
    RateLimiter(per_minute=3, store=a).allow("T123:U456")
    with a.reading() as conn:
        [row] = conn.execute(select(rate_hits)).all()
    assert "U456" not in str(tuple(row)) and row.key == rate_key("T123:U456")


def test_a_store_outage_falls_back_to_a_local_limit(
    stores: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    limiter = RateLimiter(per_minute=2, store=stores[0], clock=lambda: 5.0)

    def down(*_args: Any, **_kw: Any) -> bool:
        raise ConnectionError("database unreachable")

    monkeypatch.setattr("bot.slack.delivery.ratelimit.admit", down)
    assert [limiter.allow("u") for _ in range(3)] == [True, True, False]
    assert "limiting locally" in caplog.text


def test_without_a_store_the_limit_is_kept_in_memory() -> None:
    now = [0.0]
    limiter = RateLimiter(per_minute=2, clock=lambda: now[0])
    assert [limiter.allow("u") for _ in range(3)] == [True, True, False]
    now[0] += WINDOW_S
    assert limiter.allow("u") is True
