"""Buttons and views: feedback (no text stored), card buttons, App Home, re-checked admin clicks."""

import json

from bot.common.audit import read_audit
from bot.slack.listeners.actions.diagnosis import EXPIRED, NOT_YOURS
from bot.slack.render.blocks import feedback_value
from bot.state.feedback import read_feedback
from tests.slack.conftest import settle

SITUATION = (
    "Our ward team has no time to try the new discharge process; every shift is firefighting"
)


def card_id_from(reply) -> str:
    for block in reply.payload["blocks"]:
        for element in block.get("elements", []):
            if element.get("action_id") == "diagnosis_share":
                return element["value"]
    raise AssertionError("no share button")


def run_diagnose(harness, stub) -> str:
    harness.command("/diagnose", SITUATION)
    [reply] = stub.wait_for("response", timeout=20)
    stub.calls.clear()
    return card_id_from(reply)


def test_thumbs_up_stores_ids_only(harness, stub, runtime, slack_settings) -> None:
    harness.action("feedback_up", feedback_value("diagnosis", "card123", "headspace"))
    stub.wait_for("response")
    [record] = read_feedback(slack_settings.data_dir, runtime.core.store)
    assert (record.kind, record.ref, record.vote, record.label) == (
        "diagnosis",
        "card123",
        "up",
        "headspace",
    )
    with runtime.core.store.engine.connect() as conn:  # what is really stored: no user id
        rows = conn.exec_driver_sql("SELECT * FROM changebot_feedback").fetchall()
    assert rows and "U1" not in repr(rows)


def test_thumbs_down_opens_reason_and_stores_it(harness, stub, runtime, slack_settings) -> None:
    value = feedback_value("answer", "ans9")
    harness.action("feedback_down", value)
    [opened] = stub.wait_for("views.open")
    view = opened.payload["view"]
    assert view["callback_id"] == "feedback_reason" and view["private_metadata"] == value
    values = {"reason": {"value": {"selected_option": {"value": "missing_source"}}}}
    assert harness.view_submission("feedback_reason", values, value)[0] == 200
    settle(runtime)
    records = read_feedback(slack_settings.data_dir, runtime.core.store)
    assert [(r.vote, r.reason) for r in records] == [("down", "missing_source")]  # newest wins


def test_forged_feedback_payload_is_ignored(harness, stub, runtime, slack_settings) -> None:
    harness.action("feedback_up", json.dumps({"k": "answer", "id": "x" * 500}))
    harness.action("feedback_up", json.dumps({"k": "answer", "id": "a", "l": "<!channel>"}))
    harness.action("feedback_up", "not json")
    settle(runtime)
    assert read_feedback(slack_settings.data_dir, runtime.core.store) == [] and stub.posts() == []


def test_share_posts_the_card_in_the_channel(harness, stub, runtime) -> None:
    card = run_diagnose(harness, stub)
    harness.action("diagnosis_share", card)
    [post] = stub.wait_for("chat.postMessage")
    blocks = json.dumps(post.payload["blocks"])
    assert post.payload["channel"] == "C1" and "Shared by <@U1>" in blocks
    assert "diagnosis_share" not in blocks and "diagnosis_why" in blocks


def test_only_the_owner_can_share(harness, stub, runtime) -> None:
    card = run_diagnose(harness, stub)
    harness.action("diagnosis_share", card, user="U2")
    [reply] = stub.wait_for("response")
    assert reply.payload["text"] == NOT_YOURS and stub.calls_to("chat.postMessage") == []


def test_share_refused_in_shared_channel(harness, stub, runtime) -> None:
    card = run_diagnose(harness, stub)
    stub.channels["C1"] = {"is_ext_shared": True}
    runtime.channels._cache._items.clear()
    harness.action("diagnosis_share", card)
    stub.wait_for("response")
    assert stub.calls_to("chat.postMessage") == []


def test_more_actions_and_why(harness, stub, runtime) -> None:
    card = run_diagnose(harness, stub)
    harness.action("diagnosis_more", card)
    harness.action("diagnosis_why", card)
    replies = stub.wait_for("response", 2)
    texts = sorted(r.payload["text"] for r in replies)
    assert any(t.startswith("More actions for") or "already lists" in t for t in texts)
    assert any(t.startswith("Why ") for t in texts)


def test_expired_card(harness, stub) -> None:
    harness.action("diagnosis_why", "no-such-card")
    [reply] = stub.wait_for("response")
    assert reply.payload["text"] == EXPIRED


def test_home_tab_for_user_and_admin(harness, stub, runtime) -> None:
    run_diagnose(harness, stub)
    harness.event({"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"})
    harness.event({"type": "app_home_opened", "user": "UADMIN", "channel": "D2", "tab": "home"})
    published = stub.wait_for("views.publish", 2)
    by_user = {
        c.payload["user_id"]: json.dumps(c.payload["view"], ensure_ascii=False) for c in published
    }
    assert "home_reingest" not in by_user["U1"] and "home_reingest" in by_user["UADMIN"]
    assert "Your last diagnoses" in by_user["U1"] and "No diagnoses yet" not in by_user["U1"]
    assert SITUATION[:20] not in by_user["U1"]  # labels only, never the user's words
    assert f"Documents: {len(runtime.core.documents())}" in by_user["UADMIN"]


def test_reingest_button_is_rechecked_at_click(harness, stub, runtime, slack_settings) -> None:
    """A4: a non-admin sends a crafted block_actions payload for the admin button."""
    harness.action("home_reingest", "reingest", user="U2")
    [dm] = stub.wait_for("chat.postMessage")
    assert "Only changebot admins" in dm.payload["text"]
    settle(runtime)
    assert not runtime.ingests.running and stub.calls_to("chat.update") == []
    assert read_audit(slack_settings.data_dir)[-1]["outcome"] == "refused"
