"""Tests of change: "Plan a test" on a card, and the buttons of the look-back DM and App Home.

* ``plan_test`` (a card's suggested action): open the plan modal prefilled from the action and,
  for the card's owner, their own words. The trigger expires in 3 s: the urgent lane.
* ``plan_helped`` / ``plan_not_helped`` / ``plan_not_tried``: record the outcome, then offer the
  Act step (adopt, adapt, abandon) and an optional short note.
* ``plan_snooze`` (ask again in a week), ``plan_close``.
* ``plan_adopt`` / ``plan_abandon`` end the cycle; ``plan_adapt`` opens a new plan prefilled from
  this one.

Every plan button carries the plan id only, and the plan must belong to the person clicking
(user *and* team): a crafted payload for someone else's plan changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack
from slack_sdk.errors import SlackClientError

from bot.slack.flows.permissions import Actor, actor_from_body
from bot.slack.listeners.events.app_home import publish_home
from bot.slack.render.blocks import Rendered, notice_message
from bot.slack.render.plans import (
    ACT_BUTTONS,
    CLOSE_BUTTON,
    DAY_S,
    NOTE_BUTTON,
    OUTCOME_BUTTONS,
    PLAN_BUTTON,
    SNOOZE_BUTTON,
    SNOOZE_DAYS,
    PlanDraft,
    PlanRef,
    act_message,
    action_key,
    closed_message,
    framework_action,
    note_modal,
    outcome_message,
    parse_plan_ref,
    plan_modal,
    snoozed_message,
)
from bot.slack.server.context import SlackRuntime
from bot.state.plans import Act, Outcome, Plan
from bot.workers.gateway import Core

logger = logging.getLogger(__name__)
Handler = Callable[..., None]
GONE = "That plan no longer exists."


def _channel(body: dict[str, Any]) -> str:
    return str(
        (body.get("channel") or {}).get("id")
        or (body.get("container") or {}).get("channel_id")
        or ""
    )


def _value(body: dict[str, Any]) -> str:
    return str((body.get("actions") or [{}])[0].get("value") or "")


def open_view(runtime: SlackRuntime, body: dict[str, Any], view: dict[str, Any]) -> bool:
    """``views.open`` with the click's trigger; False (logged) when Slack refused."""
    try:
        runtime.poster.client.views_open(trigger_id=body.get("trigger_id"), view=view)
        return True
    except (OSError, SlackClientError) as exc:
        logger.warning("views.open failed (%s)", type(exc).__name__)
        return False


# -- "Plan a test" ---------------------------------------------------------------------------------


def draft_from_card(runtime: SlackRuntime, ref: PlanRef, user_id: str) -> PlanDraft:
    """The modal's prefill: the card's action (or the framework's) and the owner's own words."""
    framework = runtime.core.framework
    card = runtime.cards.get(ref.card_id) if ref.card_id else None
    what = ""
    quotes: tuple[str, ...] = ()
    if card is not None:
        for suggested in card.diagnosis.actions:
            if (
                suggested.barrier == ref.barrier
                and action_key(framework, suggested) == ref.action_id
            ):
                what = suggested.text
        if card.owner == user_id:  # "What you said" only to the person who said it
            quotes = next(
                (tuple(b.evidence) for b in card.diagnosis.barriers if b.id == ref.barrier), ()
            )
    if not what:
        known = framework_action(framework, ref.action_id)
        what = known[1].text if known else ""
    return PlanDraft(ref=ref, what=what, quotes=quotes)


def open_plan_form(runtime: SlackRuntime, body: dict[str, Any]) -> None:
    """Parse the click and open the prefilled modal."""
    barriers = [b.id for b in runtime.core.framework.barriers]
    ref = parse_plan_ref(_value(body), barriers)
    if ref is None:
        logger.warning("plan payload rejected")
        return
    actor = actor_from_body(body)
    ref = PlanRef(ref.action_id, ref.barrier, ref.card_id, _channel(body)[:32])
    draft = draft_from_card(runtime, ref, actor.user_id)
    open_view(runtime, body, plan_modal(draft, runtime.core.framework))


def make_plan_handler(runtime: SlackRuntime) -> Handler:
    """Bind the runtime to the "Plan a test" handler."""

    def handle_plan_test(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        runtime.urgent.submit(lambda: open_plan_form(runtime, body), "plan-form")

    return handle_plan_test


# -- the look-back buttons -------------------------------------------------------------------------


def owned_plan(runtime: SlackRuntime, body: dict[str, Any]) -> tuple[Plan | None, Actor]:
    """The clicked plan if it belongs to the person clicking, else None (logged)."""
    actor = actor_from_body(body)
    plan_id = _value(body)
    plan = runtime.plans.get(plan_id) if plan_id and len(plan_id) <= 64 else None
    if plan is not None and (plan.user_id != actor.user_id or plan.team_id != actor.team_id):
        logger.warning("plan button for another user's plan ignored plan=%s", plan.id)
        return None, actor
    return plan, actor


def show(
    core: Core, runtime: SlackRuntime, body: dict[str, Any], actor: Actor, msg: Rendered
) -> None:
    """Replace the clicked message (the DM), or refresh App Home when the click came from there."""
    if body.get("view", {}).get("type") == "home" or not body.get("response_url"):
        publish_home(core, runtime, actor, actor.user_id)
        return
    if not runtime.poster.respond(body.get("response_url"), msg, replace=True):
        container = body.get("container") or {}
        channel, ts = _channel(body), str(container.get("message_ts") or "")
        if not (channel and ts and runtime.poster.update(channel, ts, msg)):
            runtime.poster.dm(actor.user_id, msg)


def on_plan(
    core: Core,
    runtime: SlackRuntime,
    body: dict[str, Any],
    change: Callable[[Plan], Plan],
    render: Callable[[Plan], Rendered],
    label: str,
) -> None:
    """The common shape of a plan button: check the owner, change the plan, show the result."""
    plan, actor = owned_plan(runtime, body)
    if plan is None:
        runtime.poster.respond(body.get("response_url"), notice_message(GONE))
        return
    try:
        changed = change(plan)
    except Exception as exc:
        logger.warning("plan %s failed plan=%s (%s)", label, plan.id, type(exc).__name__)
        runtime.poster.respond(
            body.get("response_url"),
            notice_message("Sorry, I couldn't update that plan just now. Please try again."),
        )
        return
    logger.info("plan %s plan=%s", label, plan.id)
    show(core, runtime, body, actor, render(changed))


def make_button_handler(
    core: Core,
    runtime: SlackRuntime,
    change: Callable[[Plan], Plan],
    render: Callable[[Plan], Rendered],
    label: str,
) -> Handler:
    """A plan button that changes the plan in the store and shows the result."""

    def handle_plan_button(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        runtime.worker.submit(lambda: on_plan(core, runtime, body, change, render, label), label)

    return handle_plan_button


def open_note_form(runtime: SlackRuntime, body: dict[str, Any]) -> None:
    """The optional note after an outcome."""
    plan, _actor = owned_plan(runtime, body)
    if plan is not None and plan.outcome is not None:
        open_view(runtime, body, note_modal(plan.id, plan.outcome))


def adapt(core: Core, runtime: SlackRuntime, body: dict[str, Any]) -> None:
    """Open a new plan prefilled from this one (trigger first), then record "adapt"."""
    plan, actor = owned_plan(runtime, body)
    if plan is None:
        return
    ref = PlanRef(plan.action_id, plan.barrier, "", _channel(body)[:32], plan.id)
    draft = PlanDraft(
        ref=ref,
        what=plan.what,
        with_whom=plan.with_whom,
        days=plan.days,
        prediction=plan.prediction,
        measure=plan.measure,
        title="Adapt the test",
    )
    open_view(runtime, body, plan_modal(draft, core.framework))
    runtime.worker.submit(
        lambda: on_plan(
            core,
            runtime,
            body,
            lambda p: runtime.plans.act(p.id, "adapt"),
            lambda p: act_message(p, core.framework),
            "adapt",
        ),
        "adapt",
    )


def register_plan_actions(app: Any, core: Core, runtime: SlackRuntime) -> None:
    """Register every tests-of-change button."""
    framework = core.framework

    def record(outcome: Outcome) -> Callable[[Plan], Plan]:
        return lambda p: runtime.plans.record_outcome(p.id, outcome)

    def step(act: Act) -> Callable[[Plan], Plan]:
        return lambda p: runtime.plans.act(p.id, act)

    def after_act(p: Plan) -> Rendered:
        return act_message(p, framework)

    app.action(PLAN_BUTTON)(make_plan_handler(runtime))
    outcomes: tuple[Outcome, ...] = ("helped", "not_helped", "not_tried")
    for outcome in outcomes:
        app.action(OUTCOME_BUTTONS[outcome][1])(
            make_button_handler(
                core,
                runtime,
                record(outcome),
                lambda p: outcome_message(p, framework),
                f"outcome-{outcome}",
            )
        )
    app.action(SNOOZE_BUTTON)(
        make_button_handler(
            core,
            runtime,
            lambda p: runtime.plans.snooze(p.id, runtime.clock() + SNOOZE_DAYS * DAY_S),
            snoozed_message,
            "snooze",
        )
    )
    app.action(CLOSE_BUTTON)(
        make_button_handler(
            core, runtime, lambda p: runtime.plans.close(p.id), closed_message, "close"
        )
    )
    acts: tuple[Act, ...] = ("adopt", "abandon")
    for act in acts:
        app.action(ACT_BUTTONS[act][1])(
            make_button_handler(core, runtime, step(act), after_act, act)
        )

    def handle_adapt(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        runtime.urgent.submit(lambda: adapt(core, runtime, body), "plan-adapt")

    def handle_note(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        runtime.urgent.submit(lambda: open_note_form(runtime, body), "plan-note")

    app.action(ACT_BUTTONS["adapt"][1])(handle_adapt)
    app.action(NOTE_BUTTON)(handle_note)
