"""Tests of change on Slack: the look-back reminders and the outcome counts a card shows.

Why a sweep over the shared store and not ``chat.scheduleMessage``: a scheduled message cannot be
taken back when the person snoozes or closes the plan from App Home, is lost with the workspace's
scheduled-message limit, and cannot carry a check that the plan is still open. The store is the
one truth: every replica sweeps, and ``PlanStore.claim_due`` hands each due plan to exactly one of
them, so one reminder goes out, never two, and a restart loses none (a plan that was due while
every replica was down is sent by the first sweep after the start).

Time comes from ``runtime.clock``, so tests move it forward instead of sleeping.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping

from bot.core.models import Diagnosis
from bot.slack.render.plans import card_action_keys, reminder_message
from bot.slack.server.context import SlackRuntime
from bot.state.plans import TERMINAL_TEAM

logger = logging.getLogger(__name__)
SWEEP_S = 60.0
"""How often each replica looks for due plans (a reminder may be up to this late)."""
RETRY_S = 3_600.0
"""An undelivered reminder (DM refused, Slack down) is tried again this much later."""
BATCH = 50


def send_due_reminders(runtime: SlackRuntime, limit: int = BATCH) -> int:
    """Claim the plans due now and DM each owner once; returns how many were delivered.

    A plan whose DM fails is snoozed for ``RETRY_S`` so a later sweep (on any replica) tries
    again; the claim itself is never undone, so two replicas never both send it.
    """
    now = runtime.clock()
    claimed = runtime.plans.claim_due(now, limit=limit, skip_team=TERMINAL_TEAM)
    sent = 0
    for plan in claimed:
        rendered = reminder_message(plan, runtime.core.framework)
        try:
            delivered = runtime.poster.dm(plan.user_id, rendered) is not None
        except Exception as exc:  # a poster bug must not lose the other reminders
            logger.error("reminder failed plan=%s (%s)", plan.id, type(exc).__name__)
            delivered = False
        if delivered:
            sent += 1
            logger.info("reminder sent plan=%s", plan.id)
        else:
            logger.warning("reminder not delivered plan=%s; retrying later", plan.id)
            runtime.plans.snooze(plan.id, now + RETRY_S)
    return sent


def start_reminder_sweeper(
    runtime: SlackRuntime, interval_s: float | None = None
) -> threading.Thread:
    """While serving: every ``interval_s`` (default ``SWEEP_S``), send the reminders now due."""
    every = SWEEP_S if interval_s is None else interval_s

    def loop() -> None:
        while not runtime.stopping.wait(every):
            try:
                while send_due_reminders(runtime) >= BATCH and not runtime.stopping.is_set():
                    pass  # a full batch: there may be more due
            except Exception as exc:  # the store was unreachable: try again next round
                logger.warning("reminder sweep failed (%s)", type(exc).__name__)

    thread = threading.Thread(target=loop, name="cb-plan-reminders", daemon=True)
    thread.start()
    return thread


def card_outcomes(runtime: SlackRuntime, diagnosis: Diagnosis) -> Mapping[str, tuple[int, int]]:
    """(tried, helped) per suggested action on this card; empty when the store cannot say."""
    if not diagnosis.actions:
        return {}
    try:
        keys = card_action_keys(runtime.core.framework, diagnosis.actions)
        return runtime.plans.outcome_counts(keys)
    except Exception as exc:  # the counts are a nicety: never fail a card for them
        logger.warning("outcome counts unavailable (%s)", type(exc).__name__)
        return {}
