"""Mentions, DMs and thread follow-ups: one path from a message event to exactly one reply.

Why one path: ``app_mention`` and ``message`` can both carry the same message, and Slack retries
slow deliveries; routing both through ``accept`` means one ``(channel, ts)`` claim decides who
answers. The claim happens in the listener (fast); the thread lookup, core call and post happen in
the worker, after the ack. In channels changebot replies in a thread (the mention starts it); in
DMs it replies in place, or in the thread when the message is in one (the agent view).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackClientError

from bot.core.models import Turn
from bot.slack.delivery.dedupe import message_key
from bot.slack.delivery.journal import Pending
from bot.slack.delivery.ratelimit import QUEUE_FULL_MESSAGE
from bot.slack.flows.connect_policy import SHARED_NOTICE
from bot.slack.flows.permissions import Actor, actor_from_body
from bot.slack.flows.reply import compose, gate
from bot.slack.render.blocks import notice_message
from bot.slack.server.context import SlackRuntime
from bot.workers.gateway import CoreStopped

logger = logging.getLogger(__name__)
MAX_TURNS = 10
MAX_TURN_CHARS = 1_000
HISTORY_PAGE = 200  # messages per conversations.replies page
HISTORY_PAGES = 5  # a thread longer than this is read from its start to 1,000 messages
STATUS_TEXT = "Searching the guidance…"
_MENTION = re.compile(r"<@[UW][A-Z0-9]+(\|[^>]*)?>")


@dataclass(frozen=True)
class Inbound:
    """The parts of a message event the reply needs."""

    actor: Actor
    channel: str
    ts: str
    thread_ts: str | None
    text: str
    is_dm: bool
    shared_channel: bool
    follow_up: bool = False

    @property
    def reply_thread(self) -> str | None:
        """Thread to answer in: the message's thread, or a new one under it outside DMs."""
        return self.thread_ts or (None if self.is_dm else self.ts)


def parse(body: dict[str, Any], event: dict[str, Any], *, follow_up: bool = False) -> Inbound:
    """Build an Inbound from an event envelope; mention tokens are stripped from the text."""
    text = _MENTION.sub(" ", str(event.get("text") or "")).strip()
    thread_ts = event.get("thread_ts")
    return Inbound(
        actor=actor_from_body(body),
        channel=str(event.get("channel") or ""),
        ts=str(event.get("ts") or ""),
        thread_ts=str(thread_ts) if thread_ts else None,
        text=text,
        is_dm=event.get("channel_type") == "im",
        shared_channel=bool(body.get("is_ext_shared_channel")),
        follow_up=follow_up,
    )


def accept(runtime: SlackRuntime, inbound: Inbound) -> None:
    """Claim the message and queue the reply; a duplicate delivery stops here."""
    if not runtime.dedupe.claim(message_key(inbound.channel, inbound.ts)):
        logger.info("duplicate message dropped channel=%s ts=%s", inbound.channel, inbound.ts)
        return
    if inbound.shared_channel:
        if not inbound.follow_up:
            notice = notice_message(SHARED_NOTICE)
            runtime.urgent.submit(
                lambda: runtime.poster.ephemeral(inbound.channel, inbound.actor.user_id, notice),
                "shared-notice",
            )
        return
    job: Callable[[], bool | None] = lambda: reply(runtime, inbound)  # noqa: E731
    entry = None
    if promised(runtime, inbound):
        promise = Pending(
            kind="thread",
            channel=inbound.channel,
            user=inbound.actor.user_id,
            thread_ts=inbound.reply_thread,
        )
        entry, job = runtime.journal.tracked(promise, job)
    if not runtime.worker.submit(job, "reply"):
        if entry:
            runtime.journal.close(entry)
        busy = notice_message(QUEUE_FULL_MESSAGE)  # queued at the channel's pace, no thread held
        runtime.poster.post_soon(inbound.channel, busy, inbound.reply_thread)


def promised(runtime: SlackRuntime, inbound: Inbound) -> bool:
    """Whether a reply is owed (and a lost one worth an apology after a restart).

    A mention or DM always; a thread follow-up only in a thread this process knows is
    changebot's, so a restart never apologises in a thread changebot was not part of.
    """
    if not inbound.follow_up:
        return True
    return (
        bool(inbound.thread_ts)
        and runtime.threads.state(inbound.channel, str(inbound.thread_ts)) is True
    )


def reply(runtime: SlackRuntime, inbound: Inbound) -> bool | None:
    """Worker job: check the thread, gate, set status, call the core, post one reply.

    Returns whether the reply was delivered (None when none was owed after all, or when another
    replica got the same message first).
    """
    if not runtime.dedupe.claim_everywhere(message_key(inbound.channel, inbound.ts)):
        logger.info("another replica answers channel=%s ts=%s", inbound.channel, inbound.ts)
        return None
    history: list[Turn] | None = None
    if inbound.thread_ts:
        history, ours = thread_history(runtime, inbound)
        if inbound.follow_up and not ours:
            return None
    refusal = gate(runtime, inbound.actor, inbound.text)
    if refusal is None and inbound.is_dm and inbound.thread_ts:
        set_status(runtime, inbound.channel, inbound.thread_ts)
    try:
        rendered = refusal or compose(
            runtime, inbound.actor, inbound.text, history, channel=inbound.channel
        )
    except CoreStopped:  # shutting down mid-answer: the promise stays for one apology
        return False
    posted = runtime.poster.post(inbound.channel, rendered, inbound.reply_thread)
    if inbound.reply_thread:
        runtime.threads.mark(inbound.channel, inbound.reply_thread)
    return posted is not None


def set_status(runtime: SlackRuntime, channel: str, thread_ts: str) -> None:
    """Show the honest loading status in the agent view (ignored where Slack has no such view)."""
    try:
        runtime.poster.client.assistant_threads_setStatus(
            channel_id=channel, thread_ts=thread_ts, status=STATUS_TEXT
        )
    except (OSError, SlackClientError) as exc:
        logger.debug("setStatus unavailable (%s)", type(exc).__name__)


def thread_history(runtime: SlackRuntime, inbound: Inbound) -> tuple[list[Turn], bool]:
    """Earlier turns of the thread (bounded) and whether changebot has replied in it."""
    assert inbound.thread_ts is not None
    known = runtime.threads.state(inbound.channel, inbound.thread_ts)
    if inbound.follow_up and known is False:
        return [], False
    try:
        messages = _thread_messages(runtime, inbound.channel, inbound.thread_ts)
    except (OSError, SlackClientError) as exc:
        logger.warning("conversations.replies failed (%s)", type(exc).__name__)
        return [], bool(known)
    me = runtime.identity
    turns: list[Turn] = []
    ours = bool(known)
    for item in messages:
        if item.get("ts") == inbound.ts:
            continue
        mine = item.get("bot_id") == me.bot_id or item.get("user") == me.user_id
        ours = ours or mine
        if item.get("bot_id") and not mine:
            continue
        text = _MENTION.sub(" ", str(item.get("text") or "")).strip()
        text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        if text:
            turns.append(Turn(role="assistant" if mine else "user", text=text[:MAX_TURN_CHARS]))
    if turns and len(turns) > MAX_TURNS:  # the thread's opening message, then the latest turns
        turns = [turns[0], *turns[-(MAX_TURNS - 1) :]]
    if ours:
        runtime.threads.mark(inbound.channel, inbound.thread_ts)
    else:
        runtime.threads.mark_not_ours(inbound.channel, inbound.thread_ts)
    return turns, ours


def _thread_messages(runtime: SlackRuntime, channel: str, thread_ts: str) -> list[dict[str, Any]]:
    """The thread's messages, oldest first, read to its *end* (a bounded number of pages).

    ``conversations.replies`` pages from the thread's start; reading only the first page of a
    long thread would give the model its opening, not the turns just before the new message.
    """
    messages: list[dict[str, Any]] = []
    cursor: str | None = None
    for _page in range(HISTORY_PAGES):
        resp = runtime.poster.client.conversations_replies(
            channel=channel, ts=thread_ts, limit=HISTORY_PAGE, cursor=cursor
        )
        messages.extend(resp.get("messages") or [])
        cursor = (resp.get("response_metadata") or {}).get("next_cursor") or None
        if not resp.get("has_more") or not cursor:
            break
    return messages
