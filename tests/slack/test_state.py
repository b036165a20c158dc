"""Dedupe, rate limit, TTL memory and the bounded worker: the state behind exactly-one-reply."""

import threading
import time

from bot.slack.delivery.dedupe import Deduper, event_key, message_key
from bot.slack.delivery.ratelimit import RateLimiter
from bot.slack.delivery.worker import Worker
from bot.slack.flows.ttl_stores import ThreadTracker, TTLCache


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_claim_is_first_wins_and_expires() -> None:
    clock = Clock()
    dedupe = Deduper(ttl_s=10, clock=clock)
    assert dedupe.claim("a") and not dedupe.claim("a")
    clock.now += 11
    assert dedupe.claim("a")


def test_claim_is_atomic_under_contention() -> None:
    dedupe = Deduper()
    wins: list[bool] = []
    barrier = threading.Barrier(16)

    def race() -> None:
        barrier.wait()
        wins.append(dedupe.claim("event:Ev1"))

    threads = [threading.Thread(target=race) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert wins.count(True) == 1 and len(wins) == 16


def test_dedupe_is_bounded() -> None:
    dedupe = Deduper(max_keys=100)
    for n in range(1000):
        dedupe.claim(str(n))
    assert len(dedupe) == 100


def test_keys() -> None:
    assert event_key({"type": "event_callback", "event_id": "Ev1"}) == "event:Ev1"
    assert event_key({"type": "block_actions"}) is None
    assert event_key({"type": "event_callback", "event_id": ""}) is None
    assert message_key("C1", "1.2") == "message:C1:1.2"


def test_rate_limit_sliding_window() -> None:
    clock = Clock()
    limiter = RateLimiter(per_minute=3, clock=clock)
    assert [limiter.allow("u") for _ in range(5)] == [True, True, True, False, False]
    assert limiter.allow("other")
    clock.now += 60
    assert limiter.allow("u")


def test_ttl_cache_and_threads() -> None:
    clock = Clock()
    cache: TTLCache[int] = TTLCache(ttl_s=5, max_items=2, clock=clock)
    cache.put("a", 1)
    cache.put("b", 2)
    cache.put("c", 3)
    assert cache.get("a") is None and cache.get("c") == 3
    clock.now += 6
    assert cache.get("c") is None
    tracker = ThreadTracker()
    assert tracker.state("C", "1") is None
    tracker.mark_not_ours("C", "1")
    assert tracker.state("C", "1") is False
    tracker.mark("C", "1")
    assert tracker.state("C", "1") is True


def test_worker_refuses_when_saturated_and_drains() -> None:
    worker = Worker(max_workers=1, max_pending=2)
    gate = threading.Event()
    done: list[int] = []
    assert worker.submit(lambda: (gate.wait(5), done.append(1)) and None)
    assert worker.submit(lambda: done.append(2))
    assert not worker.submit(lambda: done.append(3))
    gate.set()
    assert worker.drain(5)
    assert sorted(done) == [1, 2]
    worker.shutdown()


def test_worker_survives_a_failing_job(caplog) -> None:
    worker = Worker(max_workers=1, max_pending=2)

    def boom() -> None:
        raise RuntimeError("patient text must not be logged")

    assert worker.submit(boom, "boom")
    assert worker.drain(5)
    assert "patient text" not in caplog.text and "RuntimeError" in caplog.text
    started = time.monotonic()
    assert worker.submit(lambda: None) and worker.drain(5)
    assert time.monotonic() - started < 1
    worker.shutdown()


def test_a_store_outage_falls_back_to_claims_in_this_process(tmp_path) -> None:
    from bot.state.store import SharedStore

    store = SharedStore(f"sqlite:///{tmp_path / 'state.db'}")
    dedupe = Deduper(store=store)
    assert dedupe.claim_everywhere("message:C1:1") and not dedupe.claim_everywhere("message:C1:1")
    store.engine.dispose()
    (tmp_path / "state.db").unlink()  # the database is gone: its tables no longer exist
    assert dedupe.claim_everywhere("message:C1:2") is True  # answering beats dropping
