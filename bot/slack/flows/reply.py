"""Turn text into the reply changebot posts: the core's ``respond`` decides, this only renders.

Mentions, DMs and thread follow-ups call ``respond`` in its automatic mode; ``/diagnose`` and the
form ask it to diagnose. An answer becomes an answer message, a diagnosis a card (kept for Share
and "More actions"), a notice a short card. Errors become plain words here, at the edge; the
exception type is logged, never its text.

Every in-scope diagnosis is also counted for the improvement team's insights
(``bot.state.insights.record_diagnosis``): its week, scope and the barrier, factor and approach
ids, with the care setting and role only when the ``/diagnose`` form gave them. Never text, a
user id or a channel; a failure to count is logged (its type) and never touches the reply.
"""

from __future__ import annotations

import functools
import logging
import threading
import uuid
from collections.abc import Callable

from bot.common.errors import ChangebotError
from bot.core.models import Diagnosis, Turn
from bot.core.respond import Mode
from bot.slack.delivery.journal import APOLOGY, Pending
from bot.slack.delivery.ratelimit import BUSY_MESSAGE
from bot.slack.flows.connect_policy import SHARED_NOTICE
from bot.slack.flows.permissions import Actor
from bot.slack.flows.reminders import card_outcomes
from bot.slack.flows.ttl_stores import StoredCard
from bot.slack.render.blocks import Rendered, answer_message, error_message, notice_message
from bot.slack.render.diagnosis_card import diagnosis_card
from bot.slack.server.context import SlackRuntime
from bot.state.history import user_key
from bot.state.insights import record_diagnosis
from bot.workers.gateway import CoreStopped

logger = logging.getLogger(__name__)
SWEEP_S = 15.0


def too_long(runtime: SlackRuntime, text: str) -> Rendered | None:
    """A refusal for over-long input (checked before any core call), else None."""
    cap = runtime.settings.max_input_chars
    if len(text) <= cap:
        return None
    return notice_message(
        f"That message is {len(text):,} characters; I can read up to {cap:,}. "
        "Please shorten it to the key points of your situation or question."
    )


def gate(runtime: SlackRuntime, actor: Actor, text: str) -> Rendered | None:
    """Per-user rate limit and input cap: a polite reply when the request must not run."""
    if not runtime.limiter.allow(actor.label):
        logger.info("rate limited user=%s", actor.user_id)
        return notice_message(BUSY_MESSAGE)
    if not text.strip():
        return notice_message(
            "Tell me what is happening with your change, or ask a question about the guidance."
        )
    return too_long(runtime, text)


def count_for_insights(
    runtime: SlackRuntime,
    diagnosis: Diagnosis,
    ref: str,
    *,
    care_setting: str | None = None,
    role: str | None = None,
) -> bool:
    """Record one diagnosis for insights (ids only); False, logged by type, when it failed."""
    try:
        record_diagnosis(
            runtime.core.store,
            at=runtime.clock(),
            scope=diagnosis.scope,
            barriers=[b.id for b in diagnosis.barriers],
            factors=[f.id for f in diagnosis.factors],
            approaches=[a.id for a in diagnosis.approaches],
            care_setting=care_setting,
            role=role,
        )
    except Exception as exc:  # counting is for the improvement team: never fail a reply for it
        logger.warning("insights not recorded ref=%s (%s)", ref, type(exc).__name__)
        return False
    return True


def compose(
    runtime: SlackRuntime,
    actor: Actor,
    text: str,
    history: list[Turn] | None = None,
    *,
    channel: str = "",
    shared: bool = True,
    ratings: dict[str, int] | None = None,
    mode: Mode = "auto",
    care_setting: str | None = None,
    role: str | None = None,
) -> Rendered:
    """Respond to ``text`` and render the result; raises only ``CoreStopped`` (shutting down).

    ``care_setting`` and ``role`` are the ``/diagnose`` form's choices (ids), counted with an
    in-scope diagnosis for insights; other surfaces leave them out.
    """
    card_id = uuid.uuid4().hex[:16]
    core = runtime.core
    try:
        reply = core.respond(text, history, mode=mode)
        runtime.acks.wait_quiet()  # render and post after the acks in progress, not between them
        if reply.answer is not None:
            answer = reply.answer
            logger.info("answered ref=%s citations=%d", card_id, len(answer.citations))
            return answer_message(answer, card_id)
        diagnosis = reply.as_diagnosis()
        if diagnosis.scope == "in_scope":
            runtime.cards.put(
                card_id,
                StoredCard(diagnosis, actor.user_id, channel, tuple((ratings or {}).items())),
            )
            barriers = [b.id for b in diagnosis.barriers]
            runtime.history.record(user_key(actor.team_id, actor.user_id), card_id, list(barriers))
            count_for_insights(runtime, diagnosis, card_id, care_setting=care_setting, role=role)
        logger.info(
            "diagnosed ref=%s scope=%s barriers=%d",
            card_id,
            diagnosis.scope,
            len(diagnosis.barriers),
        )
        outcomes = card_outcomes(runtime, diagnosis)
        return diagnosis_card(
            diagnosis,
            core.framework,
            card_id,
            shared=shared,
            ratings=ratings,
            outcomes=outcomes,
            rank=runtime.settings.rank_by_local_outcomes,
        )
    except CoreStopped:
        raise  # shutting down: post nothing, the promise stays for one apology
    except ChangebotError as exc:
        logger.warning("core refused ref=%s (%s)", card_id, type(exc).__name__)
        return error_message(exc)
    except Exception as exc:
        logger.error("core failed ref=%s (%s)", card_id, type(exc).__name__)
        return error_message(exc)


def diagnose_privately(
    runtime: SlackRuntime,
    actor: Actor,
    channel: str | None,
    response_url: str | None,
    text: str,
    ratings: dict[str, int] | None = None,
    *,
    care_setting: str | None = None,
    role: str | None = None,
) -> bool:
    """Worker job for ``/diagnose`` and the form: an ephemeral card for the person who asked.

    Returns whether it was delivered (else the promise stays for one apology). ``care_setting``
    and ``role`` are the form's choices, counted for insights (``compose``).
    """
    refusal = gate(runtime, actor, text)
    if refusal is None and channel and not runtime.channels.channel_allowed(channel):
        refusal = notice_message(SHARED_NOTICE)
    try:
        rendered = refusal or compose(
            runtime,
            actor,
            text,
            channel=channel or "",
            shared=False,
            ratings=ratings,
            mode="diagnose",
            care_setting=care_setting,
            role=role,
        )
    except CoreStopped:
        return False
    return runtime.poster.private(response_url, channel, actor.user_id, rendered)


def queue_private_diagnosis(
    runtime: SlackRuntime,
    actor: Actor,
    channel: str | None,
    response_url: str | None,
    text: str,
    ratings: dict[str, int] | None = None,
    *,
    care_setting: str | None = None,
    role: str | None = None,
) -> bool:
    """Queue ``diagnose_privately`` with an in-flight promise; False (nothing queued) if busy."""
    promise = Pending(kind="private", channel=channel or "", user=actor.user_id)
    entry, job = runtime.journal.tracked(
        promise,
        lambda: diagnose_privately(
            runtime,
            actor,
            channel,
            response_url,
            text,
            ratings,
            care_setting=care_setting,
            role=role,
        ),
    )
    if runtime.worker.submit(job, "diagnose"):
        return True
    runtime.journal.close(entry)
    return False


def safely(render: Callable[[], Rendered], label: str) -> Rendered:
    """Run a render step; any failure becomes a plain message (type logged, text never)."""
    try:
        return render()
    except ChangebotError as exc:
        logger.warning("%s refused (%s)", label, type(exc).__name__)
        return error_message(exc)
    except Exception as exc:
        logger.error("%s failed (%s)", label, type(exc).__name__)
        return error_message(exc)


def apologise_for_lost_replies(runtime: SlackRuntime) -> int:
    """On start: one apology for each reply a previous process acked but never sent."""
    lost = runtime.journal.recover()
    for pending in lost:
        runtime.urgent.submit(functools.partial(apologise, runtime, pending), "apology")
    return len(lost)


def start_lost_reply_sweeper(
    runtime: SlackRuntime, interval_s: float = SWEEP_S
) -> threading.Thread:
    """While serving: apologise once for promises whose replica died (their lease expired)."""
    interval_s = min(interval_s, max(0.5, runtime.journal.lease_s / 2))  # short leases, tests

    def loop() -> None:
        while not runtime.stopping.wait(interval_s):
            for pending in runtime.journal.sweep():
                runtime.urgent.submit(functools.partial(apologise, runtime, pending), "apology")

    thread = threading.Thread(target=loop, name="cb-lost-replies", daemon=True)
    thread.start()
    return thread


def apologise(runtime: SlackRuntime, pending: Pending) -> None:
    """Post the apology where the reply would have gone (privately for /diagnose)."""
    note = notice_message(APOLOGY)
    if pending.kind == "thread":
        runtime.poster.post(pending.channel, note, pending.thread_ts)
    elif not pending.channel or not runtime.poster.ephemeral(pending.channel, pending.user, note):
        runtime.poster.dm(pending.user, note)
