"""Slash commands and the /diagnose form: ack first, ephemeral cards, admin-only actions (A1–A3),
response_url fallbacks (T12) and the Slack Connect refusal for commands."""

import json

import pytest

from bot.common.audit import read_audit
from bot.slack.flows.connect_policy import SHARED_NOTICE
from bot.slack.flows.permissions import REFUSAL
from tests.slack.conftest import settle

SITUATION = "The consultants don't see why we need to change the outpatient clinic model"


def test_diagnose_with_text_returns_an_ephemeral_card(harness, stub, services, runtime) -> None:
    status, body, elapsed = harness.command("/diagnose", SITUATION)
    assert status == 200 and elapsed < 1.0
    [reply] = stub.wait_for("response", timeout=20)
    assert reply.payload["response_type"] == "ephemeral"
    blocks = json.dumps(reply.payload["blocks"], ensure_ascii=False)
    for part in (
        "Barrier profile",
        "Next steps",
        "diagnosis_share",
        "diagnosis_more",
        "diagnosis_why",
        "feedback_down",
    ):
        assert part in blocks
    assert reply.payload["text"] and stub.calls_to("chat.postMessage") == []
    actions = [
        b
        for b in reply.payload["blocks"]
        if b["type"] == "section"
        and b["text"]["text"][:3] in ("*1.", "*2.", "*3.", "*4.", "*5.", "*6.")
    ]
    assert 3 <= len(actions) <= 6
    assert all("_Why:_" in a["text"]["text"] and "_Source:_" in a["text"]["text"] for a in actions)


def test_diagnose_without_text_opens_the_form_and_the_form_returns_the_card(
    harness, stub, runtime
) -> None:
    harness.command("/diagnose", "")
    [opened] = stub.wait_for("views.open")
    view = (
        opened.payload["view"]
        if isinstance(opened.payload["view"], dict)
        else json.loads(opened.payload["view"])
    )
    assert view["callback_id"] == "diagnose_modal" and opened.payload["trigger_id"] == "trig.1"
    values = {
        "situation": {"text": {"type": "plain_text_input", "value": SITUATION}},
        "role": {"value": {"selected_option": {"value": "clinical_lead"}}},
        "setting": {"value": {"selected_option": {"value": "board"}}},
        "rate_leadership": {"value": {"selected_option": {"value": "2"}}},
        "rate_culture": {"value": {"selected_option": {"value": "4"}}},
    }
    status, body, _ = harness.view_submission("diagnose_modal", values, view["private_metadata"])
    assert status == 200 and body in (b"", b"{}")
    [reply] = stub.wait_for("response", timeout=20)
    text = json.dumps(reply.payload["blocks"], ensure_ascii=False)
    assert "Barrier profile" in text and "weakest first" in text and "2/5" in text


def test_form_rejects_over_long_situation_inline(harness, stub, runtime) -> None:
    values = {"situation": {"text": {"value": "x" * 5000}}}
    status, body, _ = harness.view_submission("diagnose_modal", values, "{}")
    assert status == 200 and json.loads(body)["response_action"] == "errors"
    settle(runtime)
    assert stub.posts() == []


def test_expired_response_url_falls_back_to_ephemeral(harness, stub, runtime) -> None:
    """T12: response_url answers 404; the card still reaches the user, quickly."""
    stub.response_status = 404
    harness.command("/diagnose", SITUATION)
    [fallback] = stub.wait_for("chat.postEphemeral", timeout=20)
    assert fallback.payload["user"] == "U1" and fallback.payload["channel"] == "C1"
    assert len(stub.calls_to("response")) == 1


def test_diagnose_in_a_shared_channel_is_refused(harness, stub, services, runtime) -> None:
    stub.channels["CSHARED"] = {"is_ext_shared": True}
    harness.command("/diagnose", SITUATION, channel_id="CSHARED")
    [reply] = stub.wait_for("response", timeout=20)
    assert SHARED_NOTICE[:30] in reply.payload["text"]
    settle(runtime)
    assert services.responder.calls == 0


@pytest.mark.parametrize("sub", ["help", "", "sources"])
def test_changebot_public_subcommands(harness, stub, runtime, sub) -> None:
    harness.command("/changebot", sub)
    [reply] = stub.wait_for("response", timeout=20)
    if sub == "sources":
        count = len(runtime.core.documents())
        assert f"Guidance I use ({count} documents)" in reply.payload["blocks"][0]["text"]["text"]
    else:
        assert "/diagnose" in reply.payload["blocks"][0]["text"]["text"]


def test_unknown_subcommand_is_escaped(harness, stub) -> None:
    harness.command("/changebot", "<!channel>")
    [reply] = stub.wait_for("response")
    assert (
        "<!channel>" not in json.dumps(reply.payload)
        and "Try `/changebot help`" in reply.payload["text"]
    )


@pytest.mark.parametrize(
    "identity",
    [
        {"user_id": "U2"},  # A1 plain non-admin
        {"user_id": "U2", "user_name": "UADMIN"},  # A2 spoofed name
        {"user_id": "UADMIN", "team_id": "T999"},  # A3 foreign team
        {"user_id": "UADMIN", "enterprise_id": "E1", "team_id": "T2"},  # foreign org
    ],
    ids=["non-admin", "spoofed-name", "foreign-team", "foreign-enterprise"],
)
@pytest.mark.parametrize("sub", ["status", "ingest", "reingest", "insights"])
def test_admin_subcommands_refuse_others_and_audit(
    harness, stub, runtime, slack_settings, identity, sub
) -> None:
    harness.command("/changebot", sub, **identity)
    [reply] = stub.wait_for("response")
    assert reply.payload["text"] == REFUSAL
    settle(runtime)
    assert not runtime.ingests.running and stub.calls_to("chat.update") == []
    assert stub.calls_to("chat.postMessage") == [] and stub.uploaded() == []
    [record] = [r for r in read_audit(slack_settings.data_dir) if r["action"] == f"slack.{sub}"]
    assert record["outcome"] == "refused" and record["user_id"] == identity["user_id"]
    assert "text" not in record


def test_admin_status(harness, stub, runtime, slack_settings) -> None:
    harness.command("/changebot", "status", user_id="UADMIN")
    [reply] = stub.wait_for("response")
    text = reply.payload["blocks"][0]["text"]["text"]
    assert f"Documents: {len(runtime.core.documents())}" in text and "Version:" in text
    assert read_audit(slack_settings.data_dir)[-1]["outcome"] == "allowed"


def test_admin_ingest_outside_a_dm_points_to_the_dm(harness, stub) -> None:
    harness.command("/changebot", "ingest", user_id="UADMIN", channel_id="C1")
    [reply] = stub.wait_for("response")
    assert "DM" in reply.payload["text"]


def test_admin_ingest_with_nothing_uploaded(harness, stub) -> None:
    harness.command("/changebot", "ingest", user_id="UADMIN", channel_id="D1")
    [reply] = stub.wait_for("response")
    assert "Upload the PDF" in reply.payload["text"]
