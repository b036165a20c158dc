"""The shared store behaves the same on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from sqlalchemy import select

from bot.state.store import GroupCommit, SharedStore, inflight
from tests.state.conftest import Clock


def test_a_claim_is_won_once_across_replicas_and_expires(stores: Any, clock: Clock) -> None:
    a, b = stores
    assert a.claim("event:Ev1", ttl_s=60) is True
    assert b.claim("event:Ev1", ttl_s=60) is False
    assert a.claim("event:Ev1", ttl_s=60) is False
    clock.now += 61
    assert b.claim("event:Ev1", ttl_s=60) is True
    assert a.prune_claims() == 0  # b's fresh claim is not expired


def test_concurrent_claims_have_exactly_one_winner(stores: Any) -> None:
    a, b = stores
    wins: list[bool] = []
    lock = threading.Lock()

    def race(store: SharedStore) -> None:
        won = store.claim("message:C1:1.000001", ttl_s=60)
        with lock:
            wins.append(won)

    threads = [threading.Thread(target=race, args=(s,)) for s in (a, b) * 8]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(wins) == [False] * 15 + [True]


def test_promises_are_taken_once_by_their_owner_or_after_the_lease(
    stores: Any, clock: Clock
) -> None:
    a, b = stores
    a.promise('{"n": 1}', "replica-a", lease_s=120)
    assert b.take_lost("replica-b", own_too=True) == []  # a is alive: not b's to take
    assert [p for _t, p in a.take_lost("replica-a", own_too=True)] == ['{"n": 1}']
    a.promise('{"n": 2}', "replica-a", lease_s=120)
    clock.now += 121
    taken = [b.take_lost("replica-b", own_too=False), a.take_lost("replica-a", own_too=True)]
    assert [len(t) for t in taken] == [1, 0] and a.pending_count() == 0


def test_concurrent_promises_are_each_committed_before_they_return(stores: Any) -> None:
    """Promises made at once are written together, yet each is in the store (seen by another
    replica) by the time its own call returns, and each gets its own id."""
    a, b = stores
    go = threading.Barrier(24)
    seen: dict[str, bool] = {}
    lock = threading.Lock()

    def promise(n: int) -> None:
        go.wait()
        entry = a.promise(f'{{"n": {n}}}', "replica-a", lease_s=120)
        with b.reading() as conn:
            row = conn.execute(select(inflight.c.id).where(inflight.c.id == entry)).first()
        with lock:
            seen[entry] = row is not None

    threads = [threading.Thread(target=promise, args=(n,)) for n in range(24)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 24 and all(seen.values())
    taken = sorted(p for _t, p in b.take_lost("replica-a", own_too=True))
    assert taken == sorted(f'{{"n": {n}}}' for n in range(24))


def test_a_failed_group_write_fails_every_caller_it_carried() -> None:
    """No caller is told its row is committed when the transaction holding it failed."""
    release = threading.Event()
    calls: list[list[dict[str, Any]]] = []

    def write(rows: list[dict[str, Any]]) -> None:
        calls.append(rows)
        if len(calls) == 1:
            release.wait(5)  # the others queue behind this write and go in the next one
            return
        raise OSError("disk full")

    group = GroupCommit(write)
    first = threading.Thread(target=group.write, args=({"n": 0},))
    first.start()
    while not calls:
        time.sleep(0.001)
    errors: list[BaseException | None] = []

    def later(n: int) -> None:
        try:
            group.write({"n": n})
            errors.append(None)
        except OSError as exc:
            errors.append(exc)

    others = [threading.Thread(target=later, args=(n,)) for n in (1, 2, 3)]
    for thread in others:
        thread.start()
    while len(group._waiting) < 3:
        time.sleep(0.001)
    release.set()
    for thread in [first, *others]:
        thread.join()
    assert [len(rows) for rows in calls] == [1, 3]
    assert len(errors) == 3 and all(isinstance(e, OSError) for e in errors)


def test_a_fulfilled_promise_is_never_apologised_for(stores: Any, clock: Clock) -> None:
    a, b = stores
    entry = a.promise('{"n": 3}', "replica-a", lease_s=1)
    a.fulfil(entry)
    clock.now += 10
    assert b.take_lost("replica-b", own_too=False) == []


def test_cards_are_shared_and_expire(stores: Any, clock: Clock) -> None:
    a, b = stores
    a.put_card("card1", '{"x": 1}', ttl_s=3600)
    assert b.get_card("card1") == '{"x": 1}'
    a.put_card("card1", '{"x": 2}', ttl_s=3600)
    assert b.get_card("card1") == '{"x": 2}'
    clock.now += 3601
    assert b.get_card("card1") is None and b.get_card("nope") is None


def test_the_store_holds_no_message_text(stores: Any, backend: str) -> None:
    from sqlalchemy import inspect

    a, _b = stores
    columns = {
        table: {c["name"] for c in inspect(a.engine).get_columns(table)}
        for table in inspect(a.engine).get_table_names()
    }
    assert columns["changebot_claims"] == {"key", "expires_at"}
    assert columns["changebot_inflight"] == {"id", "owner", "lease_until", "created_at", "payload"}
    assert a.ping() and a.backend in {"sqlite", "postgresql"}


def test_a_lease_has_one_holder_and_is_given_back(stores: Any, clock: Clock) -> None:
    from bot.state.store import Busy

    a, b = stores
    with a.lease("ingest", "host-a", ttl_s=60):
        with pytest.raises(Busy) as busy:
            with b.lease("ingest", "host-b", ttl_s=60):
                pass
        assert busy.value.holder == "host-a"
    with b.lease("ingest", "host-b", ttl_s=60):  # released: the other host may go
        pass
    a.acquire("ingest", "host-a", ttl_s=10)  # a holder that died without releasing...
    clock.now += 11
    assert b.acquire("ingest", "host-b", ttl_s=10)[0] is True  # ...is overtaken after its lease
