"""Tests of change on Slack, over the loopback stub with signed requests and the real bolt stack.

Card → "Plan a test" → prefilled modal → submission (screened) → App Home → the look-back date
(the runtime clock is moved forward, nothing sleeps for days) → one reminder DM → outcome → Act.
Two replicas sharing one store (a SQLite file, and PostgreSQL) send one reminder between them.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.core.models import Diagnosis
from bot.slack.flows import reminders
from bot.slack.flows.reminders import send_due_reminders
from bot.slack.render import diagnosis_card as cards
from bot.slack.render import plans as plan_blocks
from bot.slack.render.plans import PlanRef, action_key, framework_action, ref_metadata
from bot.state.plans import Plan
from bot.state.schema import action_outcomes, plans
from knowledge.framework import default_framework
from tests.servers.postgres import postgres as postgres  # noqa: F401 - shared fixture
from tests.slack.conftest import settle
from tests.slack.test_actions import SITUATION

FRAMEWORK = default_framework()
DAY_S = 86_400.0
NHS_NUMBER = "943 476 5919"  # a valid check digit: the screen must catch it


class Clock:
    """The runtime clock the tests move forward."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def fast_sweep(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every replica built in these tests sweeps for due plans ten times a second."""
    monkeypatch.setattr(reminders, "SWEEP_S", 0.1)


@pytest.fixture
def clock(runtime: Any) -> Clock:
    ticking = Clock(time.time())
    runtime.clock = ticking
    return ticking


def plan_buttons(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        b["accessory"]
        for b in blocks
        if b.get("accessory", {}).get("action_id") == plan_blocks.PLAN_BUTTON
    ]


def block(view: dict[str, Any], block_id: str) -> dict[str, Any]:
    return next(b for b in view["blocks"] if b.get("block_id") == block_id)


def form_values(
    what: str,
    *,
    with_whom: str = "the day shift on the ward",
    prediction: str = "Huddles will start on time",
    measure: str = "huddles held per week",
    days: str = "14",
    study_on: str | None = None,
) -> dict[str, Any]:
    text = {"type": "plain_text_input"}
    return {
        "what": {"value": {**text, "value": what}},
        "with_whom": {"value": {**text, "value": with_whom}},
        "days": {"value": {"type": "static_select", "selected_option": {"value": days}}},
        "prediction": {"value": {**text, "value": prediction}},
        "measure": {"value": {**text, "value": measure}},
        "study_on": {"value": {"type": "datepicker", "selected_date": study_on}},
    }


def reminders_sent(stub: Any) -> list[Any]:
    return [c for c in stub.calls_to("chat.postMessage") if "Did it help?" in str(c.payload)]


def diagnose(harness: Any, stub: Any) -> dict[str, Any]:
    harness.command("/diagnose", SITUATION)
    [reply] = stub.wait_for("response", timeout=30)
    stub.calls.clear()
    return dict(reply.payload)


# -- the whole cycle -------------------------------------------------------------------------------


def test_card_to_plan_to_one_reminder_to_outcome(harness, stub, runtime, clock) -> None:
    card = diagnose(harness, stub)
    buttons = plan_buttons(card["blocks"])
    assert buttons and all(b["text"]["text"] == "Plan a test" for b in buttons)
    value = json.loads(buttons[0]["value"])
    assert set(value) == {"a", "b", "c"}  # ids only: action, barrier, card
    barrier, action = framework_action(FRAMEWORK, value["a"]) or ("", None)
    assert action is not None and barrier == value["b"]

    # "Plan a test" → the modal, prefilled from the action and the person's own words
    harness.action("plan_test", buttons[0]["value"])
    [opened] = stub.wait_for("views.open")
    view = opened.payload["view"]
    assert view["callback_id"] == plan_blocks.PLAN_CALLBACK
    assert block(view, "what")["element"]["initial_value"] == action.text
    assert block(view, "days")["element"]["initial_option"]["value"] == "14"
    assert block(view, "study_on")["element"]["type"] == "datepicker"
    assert "What you said" in json.dumps(view, ensure_ascii=False)
    meta = json.loads(view["private_metadata"])
    assert (meta["a"], meta["b"], meta["c"], meta["ch"]) == (
        value["a"],
        value["b"],
        value["c"],
        "C1",
    )

    # submit → saved, confirmed privately, listed in App Home
    status, body, _ = harness.view_submission(
        plan_blocks.PLAN_CALLBACK, form_values(action.text), view["private_metadata"]
    )
    assert status == 200 and body in (b"", b"{}")
    [plan] = runtime.plans.for_user("T1", "U1")
    assert (plan.action_id, plan.barrier, plan.days, plan.status) == (
        value["a"],
        value["b"],
        14,
        "open",
    )
    assert plan.study_on == plan_blocks.default_study_on(clock.now, 14)
    [confirmation] = stub.wait_for("chat.postEphemeral")
    assert confirmation.payload["channel"] == "C1" and "saved" in confirmation.payload["text"]
    [home] = stub.wait_for("views.publish")
    home_json = json.dumps(home.payload["view"], ensure_ascii=False)
    assert "My tests of change" in home_json and "*Open*" in home_json
    assert "look back " + plan_blocks.short_date(plan.study_on) in home_json

    # nothing is due yet: the sweeps (ten a second) send nothing
    time.sleep(0.4)
    assert reminders_sent(stub) == []

    # the look-back date comes: exactly one reminder, however many sweeps run
    clock.now = plan.study_on + 60
    [dm] = stub.wait_for("chat.postMessage", timeout=10)
    time.sleep(0.6)
    assert len(reminders_sent(stub)) == 1 and dm.payload["channel"] == "D1"
    ids = [e["action_id"] for b in dm.payload["blocks"] for e in b.get("elements", [])]
    assert ids == ["plan_helped", "plan_not_helped", "plan_not_tried", "plan_snooze", "plan_close"]
    assert send_due_reminders(runtime) == 0  # claimed already

    # App Home shows it as due, with the outcome buttons
    harness.event({"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"})
    published = stub.wait_for("views.publish", 2)
    assert "*Due:*" in json.dumps(published[-1].payload["view"], ensure_ascii=False)

    # outcome from the DM → recorded, the message becomes the Act step
    harness.action("plan_helped", plan.id, channel="D1")
    [outcome] = stub.wait_for("response")
    assert outcome.payload["replace_original"] is True
    assert "recorded that it helped" in outcome.payload["text"]
    act_ids = [e.get("action_id") for b in outcome.payload["blocks"] for e in b.get("elements", [])]
    assert act_ids[:3] == ["plan_adopt", "plan_adapt", "plan_abandon"] and "plan_note" in act_ids
    done = runtime.plans.get(plan.id)
    assert done is not None and (done.status, done.outcome) == ("done", "helped")
    assert runtime.plans.outcome_counts([plan.action_id])[plan.action_id] == (1, 1)

    # the optional note, screened like every field
    stub.calls.clear()
    harness.action("plan_note", plan.id, channel="D1")
    [note_form] = stub.wait_for("views.open")
    note_view = note_form.payload["view"]
    assert note_view["callback_id"] == plan_blocks.NOTE_CALLBACK
    bad = {"note": {"value": {"value": f"Mr Jones {NHS_NUMBER} said it was great"}}}
    status, body, _ = harness.view_submission("plan_note", bad, note_view["private_metadata"])
    assert status == 200 and "errors" in json.loads(body) and NHS_NUMBER not in body.decode()
    good = {"note": {"value": {"value": "Start with the night shift next time"}}}
    harness.view_submission("plan_note", good, note_view["private_metadata"])
    noted = runtime.plans.get(plan.id)
    assert noted is not None and noted.note == "Start with the night shift next time"
    assert runtime.plans.outcome_counts([plan.action_id])[plan.action_id] == (1, 1)  # not twice

    # Act: adopt
    harness.action("plan_adopt", plan.id, channel="D1")
    [adopted] = stub.wait_for("response")
    assert adopted.payload["text"].startswith("Adopted")
    final = runtime.plans.get(plan.id)
    assert final is not None and final.act == "adopt"
    settle(runtime)
    assert len(reminders_sent(stub)) == 0  # a done plan is never reminded again


def test_adapt_opens_a_new_plan_prefilled_from_the_old(harness, stub, runtime, clock) -> None:
    old = runtime.plans.save(
        Plan(
            team_id="T1",
            user_id="U1",
            action_id="rec_peer_benchmark",
            barrier="recognition",
            what="Share the peer benchmark at the huddle",
            with_whom="band 6 nurses",
            days=21,
            prediction="More ideas from staff",
            measure="ideas logged",
            created_at=clock.now,
        )
    )
    runtime.plans.record_outcome(old.id, "not_helped")
    harness.action("plan_adapt", old.id, channel="D1")
    [opened] = stub.wait_for("views.open")
    view = opened.payload["view"]
    assert view["callback_id"] == plan_blocks.PLAN_CALLBACK
    assert block(view, "what")["element"]["initial_value"] == old.what
    assert block(view, "with_whom")["element"]["initial_value"] == "band 6 nurses"
    assert block(view, "days")["element"]["initial_option"]["value"] == "21"
    stub.wait_for("response")
    adapted = runtime.plans.get(old.id)
    assert adapted is not None and adapted.act == "adapt"
    clock.now += DAY_S
    chosen = (plan_blocks.day_of(clock.now + 30 * DAY_S)).isoformat()
    harness.view_submission(
        plan_blocks.PLAN_CALLBACK,
        form_values("Share it at the board too", study_on=chosen),
        view["private_metadata"],
    )
    newest = runtime.plans.for_user("T1", "U1")[0]
    assert newest.id != old.id and newest.what == "Share it at the board too"
    assert newest.study_on == plan_blocks.study_time(plan_blocks.day_of(clock.now + 30 * DAY_S))


def test_snooze_then_close(harness, stub, runtime, clock) -> None:
    plan = runtime.plans.save(
        Plan(
            team_id="T1",
            user_id="U1",
            action_id="rec_peer_benchmark",
            barrier="recognition",
            what="Try it",
            days=7,
            created_at=clock.now,
        )
    )
    clock.now = plan.study_on + 1
    stub.wait_for("chat.postMessage")
    harness.action("plan_snooze", plan.id, channel="D1")
    [snoozed] = stub.wait_for("response")
    assert snoozed.payload["text"].startswith("OK, I'll ask again")
    clock.now += 3 * DAY_S
    time.sleep(0.4)
    assert len(reminders_sent(stub)) == 1  # not yet
    clock.now += 5 * DAY_S
    stub.wait_for("chat.postMessage", 2)
    time.sleep(0.4)
    assert len(reminders_sent(stub)) == 2  # once more after the snooze, once only
    harness.action("plan_close", plan.id, channel="D1")
    stub.wait_for("response", 2)
    closed = runtime.plans.get(plan.id)
    assert closed is not None and closed.status == "closed"
    clock.now += 30 * DAY_S
    time.sleep(0.4)
    assert len(reminders_sent(stub)) == 2


def test_someone_elses_plan_cannot_be_answered(harness, stub, runtime, clock) -> None:
    plan = runtime.plans.save(
        Plan(team_id="T1", user_id="U1", action_id="a1", barrier="headspace", what="Try it")
    )
    harness.action("plan_helped", plan.id, user="U2", channel="D2")
    harness.action("plan_close", plan.id, user="U1", team="T2", channel="D1")
    stub.wait_for("response", 2)
    settle(runtime)
    same = runtime.plans.get(plan.id)
    assert same is not None and (same.status, same.outcome) == ("open", None)


def test_reminder_that_cannot_be_delivered_is_retried_later(harness, stub, runtime, clock) -> None:
    from tests.servers.slack_api import Scripted

    plan = runtime.plans.save(
        Plan(team_id="T1", user_id="U1", action_id="a1", barrier="headspace", what="Try it")
    )
    stub.script("conversations.open", Scripted(body={"ok": False, "error": "user_disabled"}))
    runtime.poster._dm_channels.clear()
    clock.now = plan.study_on + 1
    stub.wait_for("conversations.open")
    time.sleep(0.3)
    assert reminders_sent(stub) == []
    later = runtime.plans.get(plan.id)
    assert later is not None and later.snoozed_until == pytest.approx(clock.now + reminders.RETRY_S)
    clock.now += reminders.RETRY_S + 1
    stub.wait_for("chat.postMessage")
    time.sleep(0.3)
    assert len(reminders_sent(stub)) == 1


# -- privacy ---------------------------------------------------------------------------------------


def test_patient_data_in_a_field_is_refused_inline_and_nothing_is_stored(
    harness, stub, runtime, clock
) -> None:
    meta = ref_metadata(PlanRef("rec_peer_benchmark", "recognition", "", "C1"))
    values = form_values("Huddle at 9", with_whom=f"Mrs Patel, NHS number {NHS_NUMBER}")
    status, body, _ = harness.view_submission(plan_blocks.PLAN_CALLBACK, values, meta)
    assert status == 200
    reply = json.loads(body)
    assert reply["response_action"] == "errors" and list(reply["errors"]) == ["with_whom"]
    assert "With whom" in reply["errors"]["with_whom"]
    assert NHS_NUMBER not in body.decode() and "Patel" not in body.decode()
    settle(runtime)
    assert runtime.plans.for_user("T1", "U1") == []
    with runtime.core.store.reading() as conn:
        assert conn.execute(select(plans)).all() == []
    assert stub.posts() == [] and stub.calls_to("views.publish") == []


def test_a_forged_plan_payload_opens_nothing(harness, stub, runtime) -> None:
    harness.action("plan_test", json.dumps({"a": "x", "b": "<!channel>", "c": "c"}))
    harness.action("plan_test", "not json")
    status, _body, _ = harness.view_submission(
        plan_blocks.PLAN_CALLBACK, form_values("Try"), json.dumps({"a": "x", "b": "nope"})
    )
    settle(runtime)
    assert status == 200 and stub.calls_to("views.open") == []
    assert runtime.plans.for_user("T1", "U1") == []


# -- what helped here ------------------------------------------------------------------------------


def seed_outcomes(runtime: Any, action_id: str, barrier: str, outcomes: list[str]) -> None:
    for n, outcome in enumerate(outcomes):
        plan = runtime.plans.save(
            Plan(
                team_id="T1",
                user_id=f"U9{n}{len(outcome)}{time.monotonic_ns() % 10_000}",
                action_id=action_id,
                barrier=barrier,
                what="Try it",
            )
        )
        runtime.plans.record_outcome(plan.id, outcome)


def test_outcomes_line_appears_on_the_card_only_from_five(harness, stub, runtime) -> None:
    first = json.loads(plan_buttons(diagnose(harness, stub)["blocks"])[0]["value"])
    seed_outcomes(runtime, first["a"], first["b"], ["helped", "helped", "not_helped", "helped"])
    seed_outcomes(runtime, first["a"], first["b"], ["not_tried"])  # not counted as tried
    assert "Tried by" not in json.dumps(diagnose(harness, stub)["blocks"])
    seed_outcomes(runtime, first["a"], first["b"], ["not_helped"])
    card = diagnose(harness, stub)
    text = json.dumps(card["blocks"], ensure_ascii=False)
    assert text.count("Tried by") == 1 and "Tried by 5 teams here; 3 said it helped" in text
    with runtime.core.store.reading() as conn:  # the counts hold no user or plan text
        rows = conn.execute(select(action_outcomes)).all()
    assert rows and "U9" not in repr(rows) and "Try it" not in repr(rows)


def test_outcomes_line_renderer(sample_diagnosis: Diagnosis) -> None:
    key = action_key(FRAMEWORK, sample_diagnosis.actions[0])
    below = cards.diagnosis_card(sample_diagnosis, FRAMEWORK, "c1", outcomes={key: (4, 4)})
    at = cards.diagnosis_card(sample_diagnosis, FRAMEWORK, "c1", outcomes={key: (5, 2)})
    assert "Tried by" not in json.dumps(below.blocks)
    assert "Tried by 5 teams here; 2 said it helped" in json.dumps(at.blocks)
    values = [json.loads(b["value"]) for b in plan_buttons(at.blocks)]
    assert [v["c"] for v in values] == ["c1"] * 4 and len({v["a"] for v in values}) == 4


# -- replicas --------------------------------------------------------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def shared_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'shared.db'}"
    return str(request.getfixturevalue("postgres").url())


@pytest.fixture
def two(real_services: Any, shared_url: str, stub: Any, tmp_path: Path) -> Iterator[list[Any]]:
    from tests.slack.test_replicas import Replica

    replicas = [Replica(n, tmp_path, real_services, shared_url, stub.api_url) for n in ("a", "b")]
    for replica in replicas:
        replica.harness.response_url = stub.response_url()
    yield replicas
    for replica in replicas:
        replica.close()


def test_two_replicas_send_one_reminder(two: list[Any], stub: Any) -> None:
    a, b = two
    clock = Clock(time.time())
    a.runtime.clock = b.runtime.clock = clock
    meta = ref_metadata(PlanRef("rec_peer_benchmark", "recognition", "", ""))
    for user in ("U1", "U2", "U3"):
        status, body, _ = a.harness.view_submission(
            plan_blocks.PLAN_CALLBACK, form_values(f"Test for {user}"), meta, user=user
        )
        assert status == 200 and body in (b"", b"{}")
    saved = [b.runtime.plans.for_user("T1", u)[0] for u in ("U1", "U2", "U3")]
    for replica in two:
        settle(replica.runtime, 0.2)
    stub.calls.clear()

    clock.now = max(p.study_on for p in saved) + 60  # both replicas sweep ten times a second
    stub.wait_for("chat.postMessage", 3, timeout=15)
    time.sleep(0.8)
    sent = reminders_sent(stub)
    assert sorted(c.payload["channel"] for c in sent) == ["D1", "D2", "D3"]
    assert send_due_reminders(a.runtime) == send_due_reminders(b.runtime) == 0

    b.harness.action("plan_not_helped", saved[0].id, channel="D1")  # the click reaches b
    stub.wait_for("response")
    answered = a.runtime.plans.get(saved[0].id)
    assert answered is not None and answered.outcome == "not_helped"


def test_outcome_clicked_in_app_home_refreshes_the_tab(harness, stub, runtime, clock) -> None:
    plan = runtime.plans.save(
        Plan(team_id="T1", user_id="U1", action_id="a1", barrier="headspace", what="Try it")
    )
    clock.now = plan.study_on + 1
    harness.interaction(
        {
            "type": "block_actions",
            "team": {"id": "T1"},
            "user": {"id": "U1", "team_id": "T1"},
            "api_app_id": "A1",
            "trigger_id": "trig.9",
            "container": {"type": "view", "view_id": "VHOME"},
            "view": {"id": "VHOME", "type": "home"},
            "actions": [{"action_id": "plan_not_tried", "block_id": "b", "value": plan.id}],
        }
    )
    [home] = stub.wait_for("views.publish")
    settle(runtime)
    assert "it wasn't tried" in json.dumps(home.payload["view"], ensure_ascii=False)
    assert stub.calls_to("response") == []
    answered = runtime.plans.get(plan.id)
    assert answered is not None and answered.outcome == "not_tried"


# -- the builders: pinned JSON, Slack's limits, nothing live in the person's words -----------------

HOSTILE_PLAN = Plan(
    id="p1",
    team_id="T1",
    user_id="U1",
    action_id="rec_peer_benchmark",
    barrier="recognition",
    what="Tell <!channel> & <@U999> about https://attacker.example/x",
    with_whom="@here the day shift",
    prediction="<http://evil.example|NHS> will notice",
    measure="huddles per week",
    created_at=1_767_225_600.0,
    days=14,
)


def test_plan_builders_golden() -> None:
    from tests.slack.test_blocks_golden import assert_within_limits, check_golden, no_live_markup

    draft = plan_blocks.PlanDraft(
        ref=PlanRef("rec_peer_benchmark", "recognition", "card-1", "C1"),
        what=HOSTILE_PLAN.what,
        quotes=("we never see the numbers <!here>",),
    )
    modal = plan_blocks.plan_modal(draft, FRAMEWORK)
    check_golden("plan_modal", modal)
    assert len(modal["title"]["text"]) <= 24 and len(modal["blocks"]) <= 100
    no_live_markup([b for b in modal["blocks"] if b["type"] != "input"])
    reminder = plan_blocks.reminder_message(HOSTILE_PLAN, FRAMEWORK)
    answered = HOSTILE_PLAN.model_copy(update={"status": "done", "outcome": "helped"})
    outcome = plan_blocks.outcome_message(answered, FRAMEWORK)
    for name, rendered in (("plan_reminder", reminder), ("plan_outcome", outcome)):
        check_golden(name, {"text": rendered.text, "blocks": rendered.blocks})
        assert_within_limits(rendered)
        no_live_markup(rendered.blocks)
    now = HOSTILE_PLAN.study_on + 1
    later = HOSTILE_PLAN.model_copy(update={"id": "p2", "study_on": now + 7 * DAY_S})
    done = answered.model_copy(update={"id": "p3", "act": "adopt"})
    view = plan_blocks.plans_home_blocks([HOSTILE_PLAN, later, done], FRAMEWORK, now)
    check_golden("home_plans", view)
    no_live_markup(view)
    text = json.dumps(view, ensure_ascii=False)
    assert text.index("*Due:*") < text.index("*Open*") < text.index("*Done*")
    assert "it helped, adopted" in text
