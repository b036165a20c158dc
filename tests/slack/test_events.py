"""Mentions, DMs and thread follow-ups: threaded replies, exactly one reply (T6–T9), escaping
(T15), limits (T16), Slack Connect refusal, rate limit and input cap (LD4)."""

import dataclasses
import json
import threading
import time

import pytest

from bot.core.models import Answer, Reply
from bot.slack.delivery.ratelimit import BUSY_MESSAGE
from bot.slack.flows.connect_policy import SHARED_NOTICE
from bot.workers.gateway import LocalCore
from tests.servers.slack_api import BOT_ID, BOT_USER, Scripted
from tests.slack.conftest import settle
from tests.slack.harness import message_event, next_ts


class Canned:
    """Returns fixed core values (fault injection standing in for a runaway model)."""

    def __init__(self, **results):
        for name, value in results.items():
            setattr(self, name, lambda *a, _v=value, **k: _v)


SITUATION = "our ward team has no time for the new discharge process; every shift is firefighting"


def mention(text: str = SITUATION, **kw):
    return message_event(f"<@{BOT_USER}> {text}", kind="app_mention", **kw)


def test_mention_gets_one_threaded_reply(harness, stub, services, runtime) -> None:
    event = mention()
    assert harness.event(event)[0] == 200
    [post] = stub.wait_for("chat.postMessage")
    settle(runtime)
    assert post.payload["channel"] == "C1" and post.payload["thread_ts"] == event["ts"]
    assert post.payload["unfurl_links"] is False and post.payload["unfurl_media"] is False
    assert post.payload["text"]  # fallback text always present
    blocks = json.dumps(post.payload["blocks"])
    assert "Barrier profile" in blocks and "feedback_up" in blocks
    assert services.responder.calls == 1 and len(stub.posts()) == 1


def test_question_gets_an_answer_with_sources(harness, stub, services, runtime) -> None:
    harness.event(mention("What does the guidance say about protected time for change?"))
    [post] = stub.wait_for("chat.postMessage")
    assert "Sources" in json.dumps(post.payload["blocks"])
    settle(runtime)
    assert services.responder.calls == 1


@pytest.mark.parametrize("concurrent", [False, True], ids=["sequential", "concurrent"])
def test_retries_never_double_answer(harness, stub, services, runtime, concurrent) -> None:
    """T6: original + X-Slack-Retry-Num 1..3, the 2nd within 100 ms, with a slow core."""
    services.responder.delay_s = 1.0
    event, statuses = mention(), []

    def deliver(retry):
        statuses.append(harness.event(event, event_id="EvSame", retry=retry)[0])

    if concurrent:
        threads = [threading.Thread(target=deliver, args=(r,)) for r in (None, 1, 2, 3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    else:
        for retry in (None, 1, 2, 3):
            deliver(retry)
    assert statuses == [200, 200, 200, 200]
    stub.wait_for("chat.postMessage", timeout=20)
    settle(runtime, 0.5)
    assert len(stub.calls_to("chat.postMessage")) == 1 and services.responder.calls == 1


def test_retry_whose_original_was_lost_is_answered_once(harness, stub, runtime) -> None:
    """T7: a retry is never dropped just because it is a retry."""
    event = mention()
    harness.event(event, event_id="EvLost", retry=1)
    harness.event(event, event_id="EvLost", retry=2)
    stub.wait_for("chat.postMessage")
    settle(runtime)
    assert len(stub.calls_to("chat.postMessage")) == 1


@pytest.mark.parametrize("order", ["mention-first", "message-first", "concurrent"])
def test_app_mention_and_message_for_one_post_give_one_reply(harness, stub, runtime, order) -> None:
    """T8: both event types, different event ids, same channel + ts."""
    ts = next_ts()
    as_mention = mention(ts=ts)
    as_message = message_event(f"<@{BOT_USER}> {SITUATION}", ts=ts)
    pair = [as_mention, as_message] if order != "message-first" else [as_message, as_mention]
    if order == "concurrent":
        threads = [threading.Thread(target=harness.event, args=(e,)) for e in pair]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    else:
        for e in pair:
            harness.event(e)
    stub.wait_for("chat.postMessage")
    settle(runtime)
    assert len(stub.calls_to("chat.postMessage")) == 1


def test_same_ts_in_a_dm_from_two_event_types_gives_one_reply(harness, stub, runtime) -> None:
    ts = next_ts()
    harness.event(message_event(SITUATION, channel="D1", channel_type="im", ts=ts))
    harness.event(message_event(SITUATION, channel="D1", ts=ts, kind="app_mention"))
    stub.wait_for("chat.postMessage")
    settle(runtime)
    assert len(stub.calls_to("chat.postMessage")) == 1


@pytest.mark.parametrize(
    "event",
    [
        message_event(SITUATION, channel="D1", channel_type="im", user=BOT_USER),
        message_event(
            SITUATION, channel="D1", channel_type="im", bot_id="B2", subtype="bot_message"
        ),
        message_event(SITUATION, channel="D1", channel_type="im", bot_id=BOT_ID),
        message_event(SITUATION, channel="D1", channel_type="im", subtype="message_changed"),
        message_event("joined", channel="D1", channel_type="im", subtype="channel_join"),
        message_event(SITUATION, channel="D1", channel_type="im", user="USLACKBOT"),
        message_event("   ", channel="D1", channel_type="im"),
        message_event(SITUATION),  # top-level channel chatter without a mention
        mention(bot_id="B2"),  # another bot mentioning changebot
    ],
    ids=[
        "self",
        "bot_message",
        "own-bot-id",
        "changed",
        "join",
        "slackbot",
        "empty",
        "chatter",
        "bot-mention",
    ],
)
def test_ignored_messages_reach_neither_core_nor_slack(
    harness, stub, services, runtime, event
) -> None:
    """T9."""
    assert harness.event(event)[0] == 200
    settle(runtime)
    assert services.responder.calls == 0
    assert stub.posts() == []


def test_dm_is_answered_in_place(harness, stub, runtime) -> None:
    harness.event(message_event(SITUATION, channel="D1", channel_type="im"))
    [post] = stub.wait_for("chat.postMessage")
    assert post.payload["channel"] == "D1" and not post.payload.get("thread_ts")


def test_dm_thread_uses_agent_status_and_history(harness, stub, runtime) -> None:
    parent = next_ts()
    stub.seed_message(
        "D1", {"ts": parent, "user": "U1", "text": "We are launching a new clinic model"}
    )
    harness.event(message_event(SITUATION, channel="D1", channel_type="im", thread_ts=parent))
    [post] = stub.wait_for("chat.postMessage")
    assert post.payload["thread_ts"] == parent
    [status] = stub.calls_to("assistant.threads.setStatus")
    assert status.payload["status"] == "Searching the guidance…"
    assert stub.calls_to("conversations.replies")


def test_follow_up_in_changebots_thread_needs_no_mention(harness, stub, services, runtime) -> None:
    parent = next_ts()
    stub.seed_message("C1", {"ts": parent, "user": "U1", "text": f"<@{BOT_USER}> help"})
    stub.seed_message(
        "C1",
        {
            "ts": next_ts(),
            "thread_ts": parent,
            "bot_id": BOT_ID,
            "user": BOT_USER,
            "text": "Diagnosis: Headspace",
        },
    )
    harness.event(message_event("and the consultants don't see why either", thread_ts=parent))
    [post] = stub.wait_for("chat.postMessage")
    assert post.payload["thread_ts"] == parent
    settle(runtime)
    assert services.responder.calls == 1


def test_follow_up_in_someone_elses_thread_is_ignored(harness, stub, services, runtime) -> None:
    parent = next_ts()
    stub.seed_message("C1", {"ts": parent, "user": "U1", "text": "lunch?"})
    harness.event(message_event("yes please", thread_ts=parent))
    settle(runtime)
    harness.event(message_event("me too", thread_ts=parent))
    settle(runtime)
    assert stub.posts() == [] and services.responder.calls == 0
    assert len(stub.calls_to("conversations.replies")) == 1  # negative cache: checked once


def test_externally_shared_channel_is_refused_ephemerally(harness, stub, services, runtime) -> None:
    harness.event(mention(), shared=True)
    [notice] = stub.wait_for("chat.postEphemeral")
    assert notice.payload["user"] == "U1" and SHARED_NOTICE[:30] in notice.payload["text"]
    settle(runtime)
    assert services.responder.calls == 0 and stub.calls_to("chat.postMessage") == []


def test_hostile_guidance_text_is_escaped_in_what_slack_receives(harness, stub, runtime) -> None:
    """T15 through the real core: the offline answer quotes links.md, which is hostile."""
    harness.event(mention("Where is the protected time toolkit for headspace support?"))
    [post] = stub.wait_for("chat.postMessage")
    raw = json.dumps(post.payload, ensure_ascii=False)
    assert "toolkit" in raw  # the hostile passage really was quoted
    for bad in ("<!channel>", "<@U999>", "<http://evil", "https://attacker", " @here"):
        assert bad not in raw
    assert "&lt;!channel&gt;" in raw and "attacker[.]example" in raw
    assert post.payload["unfurl_links"] is False and post.payload["unfurl_media"] is False


def test_huge_answer_fits_slack_limits(harness, stub, runtime) -> None:
    """T16: a 100k-character answer (as a runaway model might give) still posts without error;
    the stub rejects >50 blocks, >3,000-char sections and >40k text like Slack does."""
    huge = Answer(answer="word " * 20_000)
    services = runtime.core.services
    runtime.core = LocalCore(
        dataclasses.replace(services, responder=Canned(respond=Reply.of_answer(huge)))
    )
    harness.event(mention("question?"))
    [post] = stub.wait_for("chat.postMessage")
    assert len(post.payload["blocks"]) <= 50 and len(post.payload["text"]) <= 3000
    assert stub.messages["C1"]  # the stub accepted (stored) it: no invalid_blocks/msg_too_long


def test_rate_limit_gives_a_polite_busy_reply(harness, stub, services, runtime) -> None:
    """LD4: the limit is 50/min in these settings; the 51st question is refused before the core."""
    runtime.limiter.per_minute = 3
    for n in range(5):
        harness.event(message_event(f"{SITUATION} ({n})", channel="D1", channel_type="im"))
    stub.wait_for("chat.postMessage", 5, timeout=20)
    settle(runtime)
    calls = stub.calls_to("chat.postMessage")
    texts = [c.payload["text"] for c in calls]
    assert texts.count(BUSY_MESSAGE) == 2 and services.responder.calls == 3
    gaps = [b.at - a.at for a, b in zip(calls, calls[1:], strict=False)]
    assert min(gaps) >= 0.95  # R3: posts to one channel are spaced at least a second apart


def test_over_long_input_is_refused_before_the_core(harness, stub, services, runtime) -> None:
    harness.event(message_event("x" * 40_000, channel="D1", channel_type="im"))
    [post] = stub.wait_for("chat.postMessage")
    assert "40,000 characters" in post.payload["text"] and services.responder.calls == 0


def test_patient_data_is_refused_and_not_logged(harness, stub, services, runtime, caplog) -> None:
    harness.event(
        message_event(
            "Mrs Jones, NHS number 943 476 5919, refuses the new pathway",
            channel="D1",
            channel_type="im",
        )
    )
    [post] = stub.wait_for("chat.postMessage")
    assert "patient" in post.payload["text"].lower()
    assert "943 476 5919" not in caplog.text and "Jones" not in caplog.text
    assert "943 476 5919" not in json.dumps(post.payload)


def test_rate_limited_post_is_retried_after_retry_after(harness, stub, runtime) -> None:
    """T10: 429 + Retry-After: 1 on chat.postMessage, then success; two hits, one message."""
    stub.script("chat.postMessage", Scripted(status=429, headers={"Retry-After": "1"}))
    started = time.monotonic()
    harness.event(mention())
    calls = stub.wait_for("chat.postMessage", 2, timeout=20)
    assert len(calls) == 2 and calls[1].at - calls[0].at >= 1.0
    settle(runtime)
    assert len(stub.calls_to("chat.postMessage")) == 2 and time.monotonic() - started < 15


def test_always_429_gives_up_after_the_cap(harness, stub, runtime, caplog) -> None:
    stub.script("chat.postMessage", *[Scripted(status=429, headers={"Retry-After": "0"})] * 5)
    harness.event(mention())
    stub.wait_for("chat.postMessage", 3, timeout=20)
    settle(runtime, 0.5)
    assert len(stub.calls_to("chat.postMessage")) == 3  # first try + 2 bounded retries
    assert "chat.postMessage failed" in caplog.text
    # the answer was never delivered: its promise stays, so a restart (or another replica once
    # the lease runs out) sends the one apology instead of silence
    assert runtime.core.store.pending_count() == 1
    assert [p.channel for p in runtime.journal.recover()] == ["C1"]


def test_a_delivered_reply_leaves_no_promise(harness, stub, runtime) -> None:
    harness.event(mention())
    stub.wait_for("chat.postMessage", timeout=20)
    settle(runtime, 0.5)
    assert runtime.core.store.pending_count() == 0


def test_connection_reset_after_slack_stored_the_post_leaves_one_message(
    harness, stub, runtime
) -> None:
    """T11, ambiguous failure: Slack stored the post, then the connection reset before the reply.
    The poster checks the thread (conversations.replies), finds its message and does not repost."""
    stub.script("chat.postMessage", Scripted(reset=True, apply=True))
    event = mention()
    harness.event(event)
    stub.wait_for("conversations.replies", timeout=20)
    settle(runtime)
    assert len(stub.calls_to("chat.postMessage")) == 1
    bot_posts = [m for m in stub.messages["C1"] if m.get("bot_id") == BOT_ID]
    assert len(bot_posts) == 1


def test_connection_reset_before_slack_stored_the_post_reposts_once(harness, stub, runtime) -> None:
    stub.script("chat.postMessage", Scripted(reset=True))
    harness.event(mention())
    stub.wait_for("chat.postMessage", 2, timeout=20)
    settle(runtime)
    assert len(stub.calls_to("chat.postMessage")) == 2
    assert len([m for m in stub.messages["C1"] if m.get("bot_id") == BOT_ID]) == 1


def test_agent_view_thread_start_offers_prompts(harness, stub, runtime) -> None:
    harness.event(
        {
            "type": "assistant_thread_started",
            "assistant_thread": {"user_id": "U1", "channel_id": "D1", "thread_ts": "1.0"},
        }
    )
    [prompts] = stub.wait_for("assistant.threads.setSuggestedPrompts")
    assert (
        len(
            json.loads(prompts.payload["prompts"])
            if isinstance(prompts.payload["prompts"], str)
            else prompts.payload["prompts"]
        )
        == 4
    )
    [greeting] = stub.wait_for("chat.postMessage")
    assert greeting.payload["thread_ts"] == "1.0"


def test_logs_carry_ids_and_counts_never_text(harness, stub, runtime, caplog) -> None:
    """P6: our loggers at DEBUG, a DM and a mention; the words never appear in the logs."""
    caplog.set_level("DEBUG", logger="bot")
    secret_words = "the matron on ward seven is burnt out"
    harness.event(message_event(f"{SITUATION}; {secret_words}", channel="D1", channel_type="im"))
    harness.event(mention(f"{secret_words}, what does the guidance say?"))
    stub.wait_for("chat.postMessage", 2)
    settle(runtime)
    bot_lines = [r.getMessage() for r in caplog.records if r.name.startswith("bot")]
    assert bot_lines and not any("matron" in line for line in bot_lines)


def test_a_listener_crash_becomes_a_plain_message(harness, stub, runtime, caplog) -> None:
    """Never silent: a malformed button payload makes the listener raise; the user is told."""
    harness.interaction(
        {
            "type": "block_actions",
            "team": {"id": "T1"},
            "user": {"id": "U1", "team_id": "T1"},
            "response_url": harness.response_url,
            "trigger_id": "t",
            "actions": [{"action_id": "feedback_up", "block_id": "b", "type": "button"}],
        }
    )
    [reply] = stub.wait_for("response")
    assert reply.payload["text"].startswith("Sorry, something went wrong")
    assert "Traceback" not in json.dumps(reply.payload) and "KeyError" not in json.dumps(
        reply.payload
    )


class RecordingResponder:
    """Stands in for the core's responder: keeps the history it was given, answers briefly."""

    def __init__(self) -> None:
        self.histories: list[list[str]] = []

    def respond(self, text, history=None, mode="auto"):  # noqa: ANN001, ANN201 - a test double
        self.histories.append([turn.text for turn in history or []])
        return Reply.notice_of("smalltalk", "noted")


def test_history_of_a_long_thread_is_its_opening_and_its_latest_turns(
    harness, stub, runtime
) -> None:
    """A 260-message thread: the model sees the opening message and the turns just before the
    new one, not the thread's first page."""
    recorder = RecordingResponder()
    runtime.core = LocalCore(dataclasses.replace(runtime.core.services, responder=recorder))
    parent = next_ts()
    stub.seed_thread("C1", parent, 260)
    harness.event(mention("so what should we try next?", thread_ts=parent))
    stub.wait_for("chat.postMessage", timeout=20)
    [history] = recorder.histories
    assert history[0] == "a long discussion" and history[-1] == "reply 259"
    assert "reply 0" not in history and len(history) <= 10
