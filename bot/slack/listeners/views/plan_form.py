"""The "Plan a test" modal and the optional outcome note: screen, save, confirm.

Every free-text field goes through the patient-data screen before anything is stored: a field
that fails gets an inline error on that field (naming it, never echoing what was typed) and the
modal stays open, so nothing is saved, logged or sent. ``PlanStore.save`` screens again as the
last line of defence. The plan is saved before the modal closes (a store write, milliseconds), so
a store failure is an inline error too rather than a lost plan; the confirmation and the Home tab
refresh follow on the worker.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from slack_bolt import Ack

from bot.common.privacy import screen
from bot.slack.flows.permissions import Actor, actor_from_body
from bot.slack.listeners.events.app_home import publish_home
from bot.slack.render.plans import (
    FIELD_LABELS,
    LIMITS,
    MAX_LOOK_AHEAD_DAYS,
    NOTE_CALLBACK,
    PLAN_CALLBACK,
    PlanRef,
    day_of,
    default_study_on,
    parse_plan_ref,
    saved_message,
    study_time,
)
from bot.slack.server.context import SlackRuntime
from bot.state.plans import Plan, PlanRefused
from bot.workers.gateway import Core

logger = logging.getLogger(__name__)
Handler = Callable[..., None]
TEXT_FIELDS = ("what", "with_whom", "prediction", "measure")
NOT_SAVED = "Sorry, I couldn't save the plan just now. Please try again in a moment."


def patient_data_error(field: str) -> str:
    """The inline error for a field that failed the screen (names the field, not its words)."""
    label = FIELD_LABELS.get(field, field)
    return (
        f"“{label}” seems to contain patient-identifiable details (a name, NHS number, date of "
        "birth or similar), so nothing was saved. Please describe a team or role instead."
    )


def refusal_errors(field: str) -> dict[str, str]:
    """Inline errors for a ``PlanRefused`` from the store.

    On its field, or on every text field when only the fields taken together identify someone.
    """
    if field in TEXT_FIELDS:
        return {field: patient_data_error(field)}
    together = (
        "Taken together, these fields seem to contain patient-identifiable details, so nothing "
        "was saved. Please describe a team or role instead."
    )
    return dict.fromkeys(TEXT_FIELDS, together)


def _value(values: dict[str, Any], block_id: str) -> dict[str, Any]:
    return (values.get(block_id) or {}).get("value") or {}


def parse_plan_form(view: dict[str, Any], now: float) -> tuple[dict[str, Any], dict[str, str]]:
    """(fields, errors): the typed fields and an inline error per block that is not right."""
    values = view.get("state", {}).get("values", {})
    fields: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name in TEXT_FIELDS:
        text = str(_value(values, name).get("value") or "").strip()
        if len(text) > LIMITS[name]:
            errors[name] = f"Please keep it under {LIMITS[name]} characters."
        elif text and screen(text).sensitive:
            errors[name] = patient_data_error(name)
        fields[name] = text
    if not fields["what"] and "what" not in errors:
        errors["what"] = "Say what you will try."
    raw_days = str((_value(values, "days").get("selected_option") or {}).get("value") or "14")
    days = int(raw_days) if raw_days.isdigit() else 0
    if not 1 <= days <= MAX_LOOK_AHEAD_DAYS:
        errors["days"] = "Choose how long the test runs."
    fields["days"] = days
    picked = str(_value(values, "study_on").get("selected_date") or "")
    today = day_of(now)
    if picked:
        try:
            day = date.fromisoformat(picked)
        except ValueError:
            day = today
        if day <= today or day > today + timedelta(days=MAX_LOOK_AHEAD_DAYS):
            errors["study_on"] = "Choose a date after today and within a year."
        fields["study_on"] = study_time(day)
    else:
        fields["study_on"] = default_study_on(now, days or 14)
    return fields, errors


def _metadata(view: dict[str, Any], barriers: list[str]) -> PlanRef | None:
    return parse_plan_ref(str(view.get("private_metadata") or ""), barriers)


def confirm(core: Core, runtime: SlackRuntime, actor: Actor, plan: Plan, channel: str) -> None:
    """Tell the person it is saved (ephemeral where they clicked, else a DM); refresh Home."""
    rendered = saved_message(plan, core.framework)
    runtime.poster.private(None, channel or None, actor.user_id, rendered)
    publish_home(core, runtime, actor, actor.user_id)


def make_plan_handler(core: Core, runtime: SlackRuntime) -> Handler:
    """Bind the core and runtime to the plan modal's submission."""

    def handle_plan_modal(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        ref = _metadata(view, [b.id for b in core.framework.barriers])
        if ref is None:
            logger.warning("plan modal metadata rejected")
            ack()
            return
        now = runtime.clock()
        fields, errors = parse_plan_form(view, now)
        if errors:
            logger.info("plan form returned with errors on %s", ",".join(sorted(errors)))
            ack(response_action="errors", errors=errors)
            return
        actor = actor_from_body(body)
        try:
            saved = runtime.plans.save(
                Plan(
                    team_id=actor.team_id,
                    user_id=actor.user_id,
                    action_id=ref.action_id,
                    barrier=ref.barrier,
                    created_at=now,
                    **fields,
                )
            )
        except PlanRefused as exc:  # the store's own screen (e.g. the fields taken together)
            logger.info("plan refused by the store screen (field=%s)", exc.field)
            ack(response_action="errors", errors=refusal_errors(exc.field))
            return
        except Exception as exc:
            logger.error("plan save failed (%s)", type(exc).__name__)
            ack(response_action="errors", errors={"what": NOT_SAVED})
            return
        ack()
        logger.info("plan saved plan=%s action=%s", saved.id, saved.action_id)
        runtime.worker.submit(lambda: confirm(core, runtime, actor, saved, ref.channel), "plan")

    return handle_plan_modal


def make_note_handler(core: Core, runtime: SlackRuntime) -> Handler:
    """Bind the core and runtime to the outcome note's submission."""

    def handle_plan_note(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        values = view.get("state", {}).get("values", {})
        note = str(_value(values, "note").get("value") or "").strip()
        if len(note) > 300:
            ack(response_action="errors", errors={"note": "Please keep it under 300 characters."})
            return
        if note and screen(note).sensitive:
            ack(response_action="errors", errors={"note": patient_data_error("note")})
            return
        try:
            meta = json.loads(view.get("private_metadata") or "{}")
        except ValueError:
            meta = {}
        actor = actor_from_body(body)
        plan = runtime.plans.get(str(meta.get("p") or "")) if isinstance(meta, dict) else None
        mine = plan is not None and (plan.user_id, plan.team_id) == (actor.user_id, actor.team_id)
        if plan is None or not mine or plan.outcome is None:
            logger.warning("plan note for an unknown or foreign plan ignored")
            ack()
            return
        try:
            runtime.plans.record_outcome(plan.id, plan.outcome, note)
        except PlanRefused:
            ack(response_action="errors", errors={"note": patient_data_error("note")})
            return
        except Exception as exc:
            logger.error("plan note failed (%s)", type(exc).__name__)
            ack(response_action="errors", errors={"note": NOT_SAVED})
            return
        ack()
        runtime.worker.submit(lambda: publish_home(core, runtime, actor, actor.user_id), "home")

    return handle_plan_note


def register_plan_views(app: Any, core: Core, runtime: SlackRuntime) -> None:
    """Register the plan modal and the outcome note."""
    app.view(PLAN_CALLBACK)(make_plan_handler(core, runtime))
    app.view(NOTE_CALLBACK)(make_note_handler(core, runtime))
