"""Tests of change on both backends: the plan's life, one reminder per date across replicas, the
privacy screen on every free-text field, and anonymous outcome counts."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import select

from bot.state.plans import (
    DAY_S,
    Plan,
    PlanNotFound,
    PlanRefused,
    PlanStore,
    adapted,
    prune_plans,
)
from bot.state.schema import action_outcomes, plans
from bot.state.store import SharedStore
from tests.state.conftest import Clock

NHS_NUMBER = "943 476 5919"  # passes the modulus-11 check


def a_plan(clock: Clock, **values: Any) -> Plan:
    fields: dict[str, Any] = {
        "team_id": "T1",
        "user_id": "U1",
        "action_id": "cap_one_small_test",
        "barrier": "capability",
        "what": "Run one two-week test of a board huddle on ward 7",
        "with_whom": "the ward manager and two nurses",
        "prediction": "handovers start on time more often",
        "measure": "handovers starting on time, counted daily",
        "created_at": clock.now,
    }
    return Plan(**(fields | values))


def ids(found: list[Plan]) -> set[str]:
    return {p.id for p in found}


def test_a_plan_defaults_to_a_study_date_two_weeks_on(clock: Clock) -> None:
    plan = a_plan(clock)
    assert plan.days == 14 and plan.study_on == clock.now + 14 * DAY_S
    assert plan.status == "open" and len(plan.id) == 32
    assert not plan.due(plan.study_on - 1) and plan.due(plan.study_on)
    assert a_plan(clock, days=3).study_on == clock.now + 3 * DAY_S
    assert a_plan(clock, study_on=clock.now + 5).study_on == clock.now + 5


def test_the_life_of_a_plan(stores: Any, clock: Clock) -> None:
    a, b = stores
    here, there = PlanStore(a), PlanStore(b)
    plan = here.save(a_plan(clock))
    clock.now += 10
    newer = here.save(a_plan(clock, what="Try a visible measures board"))
    other = here.save(a_plan(clock, user_id="U2"))
    assert there.get(plan.id) == plan
    assert there.get("nope") is None
    assert [p.id for p in there.for_user("T1", "U1")] == [newer.id, plan.id]
    assert [p.id for p in there.for_user("T1", "U2")] == [other.id]
    assert {p.id for p in there.all_plans()} == {plan.id, newer.id, other.id}

    # nothing is due before the study date; on it, one reminder, once
    assert there.claim_due(plan.study_on - 1) == []
    claimed = there.claim_due(plan.study_on)
    assert [p.id for p in claimed] == [plan.id] and claimed[0].reminded_at == plan.study_on
    assert ids(here.claim_due(plan.study_on + DAY_S)) == {newer.id, other.id}  # theirs now

    # snoozed: reminded again at the new date, once
    snoozed = here.snooze(plan.id, plan.study_on + 3 * DAY_S)
    assert snoozed.reminded_at is None and snoozed.snoozed_until == plan.study_on + 3 * DAY_S
    assert ids(there.claim_due(plan.study_on + 2 * DAY_S)) == set()
    assert [p.id for p in there.claim_due(plan.study_on + 3 * DAY_S)] == [plan.id]
    assert ids(here.claim_due(plan.study_on + 4 * DAY_S)) == set()

    done = there.record_outcome(plan.id, "helped", "handovers were calmer")
    assert done.status == "done" and done.outcome == "helped"
    assert done.note == "handovers were calmer"
    assert here.get(plan.id) == done
    assert not done.due(plan.study_on + 9 * DAY_S)

    acted = here.act(plan.id, "adapt")
    assert acted.act == "adapt" and acted.status == "done"
    follow_on = here.save(adapted(acted, clock.now))
    assert follow_on.id != plan.id and follow_on.what == plan.what and follow_on.status == "open"

    closed = here.close(other.id)
    assert closed.status == "closed"
    assert ids(there.claim_due(other.study_on + 30 * DAY_S)) == {follow_on.id}
    abandoned = here.act(newer.id, "abandon")  # an open plan is closed by its next step
    assert abandoned.status == "closed" and abandoned.act == "abandon"

    for call in (
        lambda: here.snooze("nope", 1.0),
        lambda: here.record_outcome("nope", "helped"),
        lambda: here.act("nope", "adopt"),
        lambda: here.close("nope"),
    ):
        with pytest.raises(PlanNotFound):
            call()


def test_two_replicas_sweeping_at_once_remind_each_plan_exactly_once(
    stores: tuple[SharedStore, SharedStore], clock: Clock
) -> None:
    a, b = stores
    due_at = clock.now + 14 * DAY_S
    saved = {PlanStore(a).save(a_plan(clock, user_id=f"U{n}")).id for n in range(120)}
    claimed: dict[str, list[str]] = {"a": [], "b": []}
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def sweep(name: str, store: SharedStore) -> None:
        try:
            plan_store = PlanStore(store)
            start.wait()
            while batch := plan_store.claim_due(due_at, limit=7):
                claimed[name].extend(p.id for p in batch)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [
        threading.Thread(target=sweep, args=(name, store))
        for name, store in (("a", a), ("b", b), ("a", a), ("b", b))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    everyone = claimed["a"] + claimed["b"]
    assert sorted(everyone) == sorted(saved)  # each plan exactly once, none left over
    assert PlanStore(a).claim_due(due_at + DAY_S) == []


@pytest.mark.parametrize("field", ["what", "with_whom", "prediction", "measure"])
def test_a_field_with_an_nhs_number_is_refused_and_nothing_is_saved(
    stores: Any, clock: Clock, field: str
) -> None:
    a, _ = stores
    plan = a_plan(clock, **{field: f"check the record for {NHS_NUMBER} first"})
    with pytest.raises(PlanRefused) as refused:
        PlanStore(a).save(plan)
    assert refused.value.field == field
    assert "nhs_number" in refused.value.kinds
    assert NHS_NUMBER not in refused.value.user_message
    assert "5919" not in refused.value.user_message
    assert PlanStore(a).all_plans() == []


def test_a_note_with_patient_data_is_refused_and_the_plan_stays_as_it_was(
    stores: Any, clock: Clock
) -> None:
    a, _ = stores
    store = PlanStore(a)
    plan = store.save(a_plan(clock))
    with pytest.raises(PlanRefused) as refused:
        store.record_outcome(plan.id, "helped", f"worked for NHS no {NHS_NUMBER}")
    assert refused.value.field == "note" and "5919" not in refused.value.user_message
    assert store.get(plan.id) == plan
    assert store.outcome_counts([plan.action_id]) == {plan.action_id: (0, 0)}


def test_outcomes_are_counted_per_action_without_users_or_text(stores: Any, clock: Clock) -> None:
    a, b = stores
    store = PlanStore(a)
    answers = ["helped"] * 6 + ["not_helped"] * 3 + ["not_tried"] * 2
    for n, outcome in enumerate(answers):
        plan = store.save(a_plan(clock, user_id=f"U{n}"))
        store.record_outcome(plan.id, outcome, "a short note")  # type: ignore[arg-type]
    other = store.save(a_plan(clock, action_id="hs_protected_session", barrier="headspace"))
    store.record_outcome(other.id, "helped")
    # the same person answering again (a second click, another replica) changes, never adds
    PlanStore(b).record_outcome(other.id, "not_helped")
    PlanStore(b).record_outcome(other.id, "not_helped")
    assert PlanStore(b).outcome_counts(
        ["cap_one_small_test", "hs_protected_session", "mot_codesign_workshop"]
    ) == {
        "cap_one_small_test": (9, 6),
        "hs_protected_session": (1, 0),
        "mot_codesign_workshop": (0, 0),
    }
    assert PlanStore(b).outcome_counts([]) == {}

    with a.reading() as conn:
        rows = [dict(r._mapping) for r in conn.execute(select(action_outcomes))]
        plan_ids = {r[0] for r in conn.execute(select(plans.c.id))}
    assert len(rows) == len(answers) + 1
    assert set(rows[0]) == {"id", "action_id", "barrier", "outcome", "week"}
    for row in rows:
        assert row["id"] not in plan_ids
        assert row["action_id"] in {"cap_one_small_test", "hs_protected_session"}
        assert row["barrier"] in {"capability", "headspace"}
        assert row["outcome"] in {"helped", "not_helped", "not_tried"}
        values = " ".join(str(v) for v in row.values())
        assert "U1" not in values and "T1" not in values and "note" not in values


def test_ended_plans_are_pruned_after_the_retention_period(stores: Any, clock: Clock) -> None:
    a, _ = stores
    store = PlanStore(a)
    finished = store.save(a_plan(clock))
    store.record_outcome(finished.id, "helped")
    ignored = store.save(a_plan(clock, days=1))  # reminded, never answered
    long_test = store.save(a_plan(clock, days=300))  # still running
    clock.now += 32 * DAY_S
    recent = store.save(a_plan(clock))
    store.close(recent.id)
    assert prune_plans(a, retention_days=30) == 2
    assert {p.id for p in store.all_plans()} == {long_test.id, recent.id}
    assert store.get(ignored.id) is None
    assert store.outcome_counts([finished.action_id]) == {finished.action_id: (1, 1)}


def test_a_button_after_the_note_keeps_the_note_and_snoozing_never_reopens(
    stores: Any, clock: Clock
) -> None:
    a, _ = stores
    store = PlanStore(a)
    plan = store.save(a_plan(clock))
    store.record_outcome(plan.id, "helped", "huddles were shorter")
    again = store.record_outcome(plan.id, "helped")
    assert again.note == "huddles were shorter" and again.status == "done"
    closed = store.close(store.save(a_plan(clock)).id)
    snoozed = store.snooze(closed.id, closed.study_on + DAY_S)
    assert snoozed.status == "closed" and not snoozed.due(closed.study_on + 2 * DAY_S)
    assert ids(store.claim_due(closed.study_on + 2 * DAY_S)) == set()


def test_claim_due_can_leave_the_terminals_plans_to_the_terminal(stores: Any) -> None:
    """Slack's sweep skips the terminal chat's plans (it cannot DM "terminal")."""
    from bot.state.plans import TERMINAL_TEAM, Plan, PlanStore

    plans = PlanStore(stores[0])
    slack = plans.save(
        Plan(
            team_id="T1",
            user_id="U1",
            action_id="a",
            barrier="headspace",
            what="protect an hour",
            created_at=0.0,
            study_on=10.0,
        )
    )
    local = plans.save(
        Plan(
            team_id=TERMINAL_TEAM,
            user_id="terminal",
            action_id="a",
            barrier="headspace",
            what="protect an hour",
            created_at=0.0,
            study_on=10.0,
        )
    )
    assert [p.id for p in plans.claim_due(20.0, skip_team=TERMINAL_TEAM)] == [slack.id]
    assert [p.id for p in plans.claim_due(20.0)] == [local.id]
