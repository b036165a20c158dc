"""Insights for the improvement team on Slack, over the loopback stub with signed requests.

``/changebot insights`` by an admin on a seeded store of 300 synthetic diagnoses: a DM with the
counts as text (checked against an independent recount, small cells "<5") and the chart uploaded
with Slack's current upload API; without matplotlib the text alone. A non-admin gets the refusal
and nothing is posted. A ``/diagnose`` records one diagnosis event with ids only (the raw table
is read). The admin setting that lets local outcomes rank the suggested actions, on and off.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.core.diagnosis.suggest import helped_rate, rank_by_outcomes
from bot.core.models import Diagnosis
from bot.slack.flows import insights as insights_flow
from bot.slack.flows import reply as reply_flow
from bot.slack.flows.permissions import REFUSAL
from bot.slack.render import diagnosis_card as cards
from bot.slack.render import home
from bot.slack.render.insights import CHART_NEEDS_MATPLOTLIB, insights_message
from bot.slack.render.plans import PLAN_BUTTON, action_key
from bot.state.insights import SUPPRESSED, record_diagnosis, weekly_insights
from bot.state.plans import Plan
from bot.state.schema import diagnosis_events
from bot.state.store import SharedStore
from bot.tools.insights_chart import ChartUnavailable
from knowledge.framework import default_framework
from tests.slack.conftest import settle
from tests.slack.test_actions import SITUATION
from tests.slack.test_blocks_golden import assert_within_limits, no_live_markup
from tests.state.test_insights import NOW, synthetic

FRAMEWORK = default_framework()
PNG = b"\x89PNG\r\n\x1a\n"
ADMIN_DM = "DADMIN"  # the stub's conversations.open: "D" + the user id without its "U"
UPLOAD_METHODS = ("files.getUploadURLExternal", "files.completeUploadExternal")


# -- helpers ---------------------------------------------------------------------------------------


def seed(runtime: Any) -> list[dict[str, Any]]:
    """300 synthetic diagnoses over the last 12 weeks before NOW, in the app's own store."""
    runtime.clock = lambda: NOW
    items = synthetic(300)
    for item in items:
        record_diagnosis(runtime.core.store, **item)
    return items


def monday(at: float) -> date:
    day = datetime.fromtimestamp(at, tz=UTC).date()
    return day - timedelta(days=day.weekday())


def shown(n: int) -> str:
    return str(n) if n >= 5 else "<5"


def day_month(day: date) -> str:
    return f"{day.day} {day:%b}"


def expected_lines(items: list[dict[str, Any]]) -> list[str]:
    """The DM's lines, recounted from the raw items (not from the store or ``Insights``)."""
    last = monday(NOW)
    weeks = [last - timedelta(weeks=k) for k in range(11, -1, -1)]
    totals: Counter[date] = Counter()
    per: dict[tuple[str, str], Counter[date]] = {}
    pairs: Counter[tuple[str, str]] = Counter()
    for item in items:
        week = monday(item["at"])
        totals[week] += 1
        for kind in ("barriers", "factors", "approaches"):
            for key in item[kind]:
                per.setdefault((kind, key), Counter())[week] += 1
        pairs.update(combinations(sorted(item["barriers"]), 2))
    labels = {
        "barriers": {b.id: b.label for b in FRAMEWORK.barriers},
        "factors": {f.id: f.label for f in FRAMEWORK.factors},
        "approaches": {a.id: f"Type {a.type_number}: {a.label}" for a in FRAMEWORK.approaches},
    }
    lines = [f"• Week of {day_month(w)}: {shown(totals[w])}" for w in weeks]
    for (kind, key), counts in per.items():
        cells = "; ".join(f"{day_month(w)}: {shown(counts[w])}" for w in weeks)
        lines.append(f"• {labels[kind][key]}: {cells}")
    for (a, b), n in pairs.items():
        lines.append(f"• {labels['barriers'][a]} with {labels['barriers'][b]}: {shown(n)}")
    return lines


def dm_text(call: Any) -> str:
    """Every piece of text of a posted message, unescaped as Slack shows it."""
    blocks = call.payload["blocks"]
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    parts = [b.get("text", {}).get("text", "") for b in blocks]
    parts += [e.get("text", "") for b in blocks for e in b.get("elements", [])]
    return html.unescape("\n".join(parts))


def small_numbers(text: str) -> list[str]:
    """Counts under 5 written as numbers after a colon (week labels are "7 Dec", not counts)."""
    return re.findall(r":\s([0-4])(?=[;\n]|$)", text)


# -- /changebot insights ---------------------------------------------------------------------------


def test_insights_dm_has_recounted_text_and_an_uploaded_png(harness, stub, runtime) -> None:
    pytest.importorskip("matplotlib")
    items = seed(runtime)
    status, _body, elapsed = harness.command("/changebot", "insights", user_id="UADMIN")
    assert status == 200 and elapsed < 1.0
    [done] = stub.wait_for("response", timeout=60)
    assert done.payload["text"] == insights_flow.SENT

    [post] = [c for c in stub.calls_to("chat.postMessage") if c.payload["channel"] == ADMIN_DM]
    text = dm_text(post)
    for line in expected_lines(items):
        assert line in text, line
    assert SUPPRESSED in text and small_numbers(text) == []
    assert "12 weeks, from the week of" in text and CHART_NEEDS_MATPLOTLIB not in text

    # the chart: Slack's current upload API, in the admin's DM, after the counts
    [asked] = stub.calls_to("files.getUploadURLExternal")
    [upload] = stub.uploaded(ADMIN_DM)
    assert upload["content"].startswith(PNG) and len(upload["content"]) > 20_000
    assert int(asked.payload["length"]) == len(upload["content"])
    assert upload["name"].endswith(".png") and "same counts" in (upload["alt_txt"] or "")
    order = [c.method for c in stub.calls if c.method in ("chat.postMessage", *UPLOAD_METHODS)]
    assert order == ["chat.postMessage", *UPLOAD_METHODS]
    assert stub.calls_to("files.upload") == []  # never the retired upload method
    # nothing went to the channel the command was typed in
    assert all(c.payload.get("channel") != "C1" for c in stub.calls_to("chat.postMessage"))


def test_insights_without_matplotlib_sends_the_text_and_says_why(
    harness, stub, runtime, monkeypatch
) -> None:
    def unavailable(*_args: Any, **_kwargs: Any) -> Any:
        raise ChartUnavailable()

    monkeypatch.setattr(insights_flow, "draw_insights_chart", unavailable)
    items = seed(runtime)
    harness.command("/changebot", "insights", user_id="UADMIN", channel_id="D1")
    [done] = stub.wait_for("response", timeout=30)
    assert (
        done.payload["text"] == insights_flow.SENT_TEXT_ONLY
        and "matplotlib" in done.payload["text"]
    )
    [post] = stub.calls_to("chat.postMessage")
    text = dm_text(post)
    assert CHART_NEEDS_MATPLOTLIB in text and all(line in text for line in expected_lines(items))
    assert [c for c in stub.calls if c.method.startswith("files.") or c.method == "upload"] == []


def test_an_install_without_files_write_gets_the_counts_and_says_why(
    harness, stub, runtime
) -> None:
    from tests.servers.slack_api import Scripted

    pytest.importorskip("matplotlib")
    stub.script(
        "files.getUploadURLExternal",
        Scripted(body={"ok": False, "error": "missing_scope", "needed": "files:write"}),
    )
    seed(runtime)
    harness.command("/changebot", "insights", user_id="UADMIN")
    [done] = stub.wait_for("response", timeout=60)
    assert done.payload["text"] == insights_flow.CHART_NEEDS_SCOPE
    assert len(stub.calls_to("chat.postMessage")) == 1  # the counts went all the same
    assert stub.calls_to("files.completeUploadExternal") == [] and stub.uploaded() == []


@pytest.mark.parametrize(
    "identity",
    [{"user_id": "U2"}, {"user_id": "UADMIN", "team_id": "T999"}],
    ids=["non-admin", "foreign-team"],
)
def test_insights_are_refused_to_others_and_nothing_is_posted(
    harness, stub, runtime, identity
) -> None:
    seed(runtime)
    harness.command("/changebot", "insights", **identity)
    [reply] = stub.wait_for("response")
    assert reply.payload["text"] == REFUSAL
    settle(runtime)
    assert stub.calls_to("chat.postMessage") == [] and stub.calls_to("conversations.open") == []
    assert [c for c in stub.calls if c.method.startswith("files.") or c.method == "upload"] == []


def test_app_home_shows_admins_the_counts_and_others_nothing(harness, stub, runtime) -> None:
    items = seed(runtime)
    harness.event({"type": "app_home_opened", "user": "UADMIN", "channel": "D1", "tab": "home"})
    [admin_home] = stub.wait_for("views.publish")
    harness.event({"type": "app_home_opened", "user": "U2", "channel": "D2", "tab": "home"})
    published = stub.wait_for("views.publish", 2)
    admin_text = html.unescape(json.dumps(admin_home.payload["view"], ensure_ascii=False))
    user_text = json.dumps(published[-1].payload["view"], ensure_ascii=False)
    assert "Insights (admins)" in admin_text and "Insights (admins)" not in user_text
    for line in expected_lines(items):
        assert json.dumps(line, ensure_ascii=False)[1:-1] in admin_text, line
    assert len(admin_home.payload["view"]["blocks"]) <= 100
    assert stub.calls_to("files.getUploadURLExternal") == []  # no chart in App Home


def test_insights_builders_stay_within_slack_limits(tmp_path: Path) -> None:
    store = SharedStore(f"sqlite:///{tmp_path / 'insights.db'}")
    try:
        for item in synthetic(300):
            record_diagnosis(store, **item)
        insights = weekly_insights(store, NOW)
    finally:
        store.close()
    rendered = insights_message(insights, FRAMEWORK, note=CHART_NEEDS_MATPLOTLIB)
    assert_within_limits(rendered)
    no_live_markup(rendered.blocks)
    assert "<5" not in json.dumps(rendered.blocks) and "&lt;5" in json.dumps(rendered.blocks)
    view = home.home_view(FRAMEWORK, [], 30, insights=insights)
    assert "Insights (admins)" in json.dumps(view)
    assert "Insights" not in json.dumps(home.home_view(FRAMEWORK, [], 30))


# -- recording a diagnosis -------------------------------------------------------------------------

_ID = re.compile(r"^[a-z][a-z0-9_]*$")


def event_rows(runtime: Any) -> list[dict[str, Any]]:
    with runtime.core.store.reading() as conn:
        return [dict(r._mapping) for r in conn.execute(select(diagnosis_events)).all()]


def assert_ids_only(row: dict[str, Any], situation: str) -> None:
    for column, value in row.items():
        if column == "id":
            assert re.fullmatch(r"[0-9a-f]{32}", value)
        elif column == "week":
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)
        elif column in ("barriers", "factors", "approaches"):
            assert all(_ID.match(v) for v in json.loads(value)), (column, value)
        else:
            assert value is None or _ID.match(str(value)), (column, value)
    raw = json.dumps(row).lower()
    words = set(re.findall(r"[a-z]{5,}", situation.lower()))
    assert [w for w in words if w in raw] == [], raw
    for identifier in ("u1", "c1", "t1", "d1"):  # user, channel, team, DM: never stored
        assert not re.search(rf"\b{identifier}\b", raw)


def test_diagnose_command_records_one_event_with_ids_only(harness, stub, runtime) -> None:
    harness.command("/diagnose", SITUATION)
    [reply] = stub.wait_for("response", timeout=30)
    assert "Barrier profile" in json.dumps(reply.payload["blocks"])
    settle(runtime)
    [row] = event_rows(runtime)
    assert_ids_only(row, SITUATION)
    assert row["scope"] == "in_scope" and json.loads(row["barriers"])
    assert (row["care_setting"], row["role"]) == (None, None)  # no form, no setting or role


def test_diagnose_form_records_its_setting_and_role_as_ids(harness, stub, runtime) -> None:
    values = {
        "situation": {"text": {"type": "plain_text_input", "value": SITUATION}},
        "role": {"value": {"selected_option": {"value": "clinical_lead"}}},
        "setting": {"value": {"selected_option": {"value": "ward"}}},
    }
    harness.view_submission("diagnose_modal", values, json.dumps({"c": "C1"}))
    [card] = stub.wait_for("chat.postEphemeral", timeout=30)  # no response_url: ephemeral
    assert "Barrier profile" in json.dumps(card.payload["blocks"])
    settle(runtime)
    [row] = event_rows(runtime)
    assert_ids_only(row, SITUATION)
    assert (row["care_setting"], row["role"]) == ("ward", "clinical_lead")


def test_a_failure_to_record_never_breaks_the_reply(harness, stub, runtime, monkeypatch) -> None:
    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("the store is away")

    monkeypatch.setattr(reply_flow, "record_diagnosis", broken)
    harness.command("/diagnose", SITUATION)
    [reply] = stub.wait_for("response", timeout=30)
    assert "Barrier profile" in json.dumps(reply.payload["blocks"])
    assert event_rows(runtime) == []


def test_an_answer_is_not_recorded(harness, stub, runtime) -> None:
    harness.command("/changebot", "help")
    stub.wait_for("response")
    settle(runtime)
    assert event_rows(runtime) == []


# -- ranking by local outcomes ---------------------------------------------------------------------


def test_rank_by_outcomes_reorders_only_rated_actions_and_drops_none() -> None:
    actions = ["a", "b", "c", "d", "e"]
    counts = [(5, 0), None, (4, 4), (20, 19), (5, 5)]  # c has too few to count
    ranked = rank_by_outcomes(actions, counts, 5)
    assert ranked == ["d", "b", "c", "e", "a"]  # b and c keep their places
    assert sorted(ranked) == actions
    assert helped_rate(20, 19) > helped_rate(5, 5)  # the prior: 19 of 20 beats 5 of 5
    assert rank_by_outcomes(actions, [None] * 5, 5) == actions
    tie = rank_by_outcomes(["x", "y"], [(6, 3), (6, 3)], 5)
    assert tie == ["x", "y"]  # ties keep the chosen order
    with pytest.raises(ValueError):
        rank_by_outcomes(actions, counts[:2], 5)


@pytest.mark.parametrize("rank", [False, True], ids=["off", "on"])
def test_card_ranking_follows_the_setting(sample_diagnosis: Diagnosis, rank: bool) -> None:
    keys = [action_key(FRAMEWORK, a) for a in sample_diagnosis.actions]
    outcomes = {keys[0]: (6, 0), keys[3]: (8, 7)}
    card = cards.diagnosis_card(sample_diagnosis, FRAMEWORK, "c1", outcomes=outcomes, rank=rank)
    order = [
        json.loads(b["accessory"]["value"])["a"]
        for b in card.blocks
        if b.get("accessory", {}).get("action_id") == PLAN_BUTTON
    ]
    text = json.dumps(card.blocks, ensure_ascii=False)
    if rank:
        assert order == [keys[3], keys[1], keys[2], keys[0]]
        assert cards.RANKED_NOTE in text
        assert text.index(cards.RANKED_NOTE) < text.index("*1. ")
    else:
        assert order == keys and cards.RANKED_NOTE not in text
    assert "Tried by 8 teams here; 7 said it helped" in text  # the line either way


def test_card_ranking_says_nothing_when_the_order_stands(sample_diagnosis: Diagnosis) -> None:
    keys = [action_key(FRAMEWORK, a) for a in sample_diagnosis.actions]
    agreeing = {keys[0]: (9, 8), keys[1]: (9, 2)}  # already in the order the answers give
    card = cards.diagnosis_card(sample_diagnosis, FRAMEWORK, "c1", outcomes=agreeing, rank=True)
    assert cards.RANKED_NOTE not in json.dumps(card.blocks)


def plan_order(card: dict[str, Any]) -> list[str]:
    return [
        json.loads(b["accessory"]["value"])["a"]
        for b in card["blocks"]
        if b.get("accessory", {}).get("action_id") == PLAN_BUTTON
    ]


def seed_outcomes(runtime: Any, action_id: str, barrier: str, outcome: str, n: int) -> None:
    for k in range(n):
        plan = runtime.plans.save(
            Plan(team_id="T1", user_id=f"U7{k}", action_id=action_id, barrier=barrier, what="Try")
        )
        runtime.plans.record_outcome(plan.id, outcome)  # type: ignore[arg-type]


def diagnose_card(harness: Any, stub: Any) -> dict[str, Any]:
    harness.command("/diagnose", SITUATION)
    [reply] = stub.wait_for("response", timeout=30)
    stub.calls.clear()
    return dict(reply.payload)


def test_the_setting_reorders_cards_in_the_app(harness, stub, runtime) -> None:
    first = diagnose_card(harness, stub)
    order = plan_order(first)
    assert len(order) >= 3
    barrier_of = {
        json.loads(b["accessory"]["value"])["a"]: json.loads(b["accessory"]["value"])["b"]
        for b in first["blocks"]
        if b.get("accessory", {}).get("action_id") == PLAN_BUTTON
    }
    seed_outcomes(runtime, order[0], barrier_of[order[0]], "not_helped", 5)
    seed_outcomes(runtime, order[-1], barrier_of[order[-1]], "helped", 5)

    off = diagnose_card(harness, stub)  # off by default: the chosen order, with the counts
    off_text = json.dumps(off["blocks"], ensure_ascii=False)
    assert not runtime.settings.rank_by_local_outcomes
    assert plan_order(off) == order and cards.RANKED_NOTE not in off_text
    assert "Tried by 5 teams here; 5 said it helped" in off_text

    runtime.settings = runtime.settings.model_copy(update={"rank_by_local_outcomes": True})
    on = diagnose_card(harness, stub)
    on_text = json.dumps(on["blocks"], ensure_ascii=False)
    assert plan_order(on) == [order[-1], *order[1:-1], order[0]]
    assert cards.RANKED_NOTE in on_text and sorted(plan_order(on)) == sorted(order)
