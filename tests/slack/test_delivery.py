"""Issue #14: answers are never silently lost, never posted twice, and one busy channel does not
stall the others.

The flow tests drive the real bolt app over loopback HTTP with signed requests (``harness``) and
fake only the Slack Web API (``stub``), which can hold long threads, page like Slack, and fail a
call per channel: a 429 with ``Retry-After``, a 5xx, or a dropped connection after the message was
stored. The apology tests start from a promise left in the store (as a crash leaves it), and the
``post_soon`` tests call the app's own poster directly: no listener uses it yet (see LD2).
"""

from __future__ import annotations

import functools
import time
from typing import Any

import pytest

from bot.slack.delivery import poster as poster_module
from bot.slack.delivery.journal import APOLOGY, InFlightJournal, Pending
from bot.slack.delivery.poster import LANDED_PAGE, Poster
from bot.slack.delivery.retry import MAX_WAIT_S
from bot.slack.flows.reply import apologise_for_lost_replies
from bot.slack.render.blocks import notice_message
from bot.state.store import SharedStore
from tests.servers.slack_api import BOT_ID, BOT_USER, Call, Scripted, SlackApiStub
from tests.slack.conftest import settle
from tests.slack.harness import message_event, next_ts

SITUATION = "our ward team has no time for the new discharge process; every shift is firefighting"
DROPPED_AFTER_STORING = Scripted(reset=True, apply=True)
SERVER_ERROR = Scripted(status=500, body={"ok": False, "error": "internal_error"})


def mention(text: str = SITUATION, **kw: Any) -> dict[str, Any]:
    return message_event(f"<@{BOT_USER}> {text}", kind="app_mention", **kw)


def bot_messages(stub: SlackApiStub, channel: str) -> list[dict[str, Any]]:
    return [m for m in stub.messages.get(channel, []) if m.get("bot_id") == BOT_ID]


def by_channel(calls: list[Call]) -> dict[str, list[Call]]:
    grouped: dict[str, list[Call]] = {}
    for call in calls:
        grouped.setdefault(str(call.payload["channel"]), []).append(call)
    return grouped


# -- 1. the landed-check reads the newest messages of a long thread ------------------------------


@pytest.mark.parametrize("age", ["recent", "old"])
def test_a_reply_that_landed_at_the_end_of_a_long_thread_is_found_not_reposted(
    harness, stub, services, runtime, age
) -> None:
    """The thread has 260 replies (more than 50, and more than one page of 200); the connection
    drops after Slack stored changebot's reply, which is the thread's newest message. The check
    must see it (recent replies: it pages on; old ones: it asks only for messages since the post)
    and not post a second copy."""
    parent = next_ts()
    since = time.time() - (0 if age == "recent" else 3600)
    stub.seed_thread("C1", parent, 260, since=since)
    stub.script("chat.postMessage", DROPPED_AFTER_STORING)

    harness.event(mention("and what about the consultants?", thread_ts=parent))
    stub.wait_for("chat.postMessage", timeout=20)
    settle(runtime, 0.5)

    assert len(stub.calls_to("chat.postMessage")) == 1  # checked, not re-posted
    [ours] = bot_messages(stub, "C1")
    thread = [m for m in stub.messages["C1"] if m.get("thread_ts") == parent]
    assert len(thread) == 261 and max(thread, key=lambda m: float(m["ts"])) is ours
    checks = [
        c for c in stub.calls_to("conversations.replies") if "oldest" in c.payload
    ]  # the landed-check (the history read pages from the thread's start, without ``oldest``)
    assert checks and all(float(c.payload["oldest"]) > float(parent) for c in checks)
    if age == "recent":  # all 260 are recent: reaching the newest takes a second page
        assert len(checks) == 2 and checks[1].payload["cursor"] == f"off:{LANDED_PAGE}"
    assert services.store.pending_count() == 0  # delivered: no apology owed


# -- 2. a 429 in one channel holds up neither other channels nor other posts to it --------------


def test_a_rate_limited_channel_does_not_stall_other_channels_or_its_own_queue(
    harness, stub, services, runtime
) -> None:
    stub.script_channel(
        "chat.postMessage", "CA", Scripted(status=429, headers={"Retry-After": "4"})
    )
    first_a, b, second_a = (
        mention(channel="CA", user="U1"),
        mention(channel="CB", user="U2"),
        mention(channel="CA", user="U3"),
    )
    for event in (first_a, b, second_a):
        assert harness.event(event)[0] == 200

    stub.wait_for("chat.postMessage", 4, timeout=30)
    settle(runtime, 0.5)
    posts = by_channel(stub.calls_to("chat.postMessage"))
    limited, other_a, retried = posts["CA"]
    [to_b] = posts["CB"]

    assert limited.payload["thread_ts"] == retried.payload["thread_ts"]
    assert other_a.payload["thread_ts"] != limited.payload["thread_ts"]
    assert retried.at - limited.at >= 4.0  # Retry-After honoured by the post it was given to
    assert to_b.at - limited.at < 2.5  # channel B did not wait out channel A's Retry-After
    assert other_a.at < retried.at and other_a.at - limited.at < 2.5  # nor did A's next post
    assert other_a.at - limited.at >= 0.95  # …which still kept A's one-a-second pace
    assert retried.at - other_a.at >= 0.95
    for channel, thread in ((first_a["channel"], first_a["ts"]), ("CB", b["ts"])):
        assert [m["thread_ts"] for m in bot_messages(stub, channel)].count(thread) == 1
    assert services.store.pending_count() == 0


# -- 3. DMs and apologies are checked, never blindly re-posted -----------------------------------


def test_a_dm_fallback_whose_connection_dropped_after_storing_is_posted_once(
    harness, stub, services, runtime
) -> None:
    """/diagnose: the response_url is gone and the ephemeral refused, so the card goes to the DM;
    Slack stores that post but the connection drops. The DM is opened (a real channel to check),
    its history is read, and the card is not posted again."""
    stub.response_status = 404
    stub.script(
        "chat.postEphemeral", Scripted(status=200, body={"ok": False, "error": "not_in_channel"})
    )
    stub.script("chat.postMessage", DROPPED_AFTER_STORING)

    assert harness.command("/diagnose", SITUATION, user_id="U7", channel_id="C1")[0] == 200
    stub.wait_for("conversations.history", timeout=30)
    settle(runtime, 0.5)

    [opened] = stub.calls_to("conversations.open")
    assert opened.payload["users"] == "U7"
    [post] = stub.calls_to("chat.postMessage")
    assert post.payload["channel"] == "D7"
    assert len(bot_messages(stub, "D7")) == 1
    assert len(stub.calls_to("chat.postEphemeral")) == 1  # refused once, not retried
    assert services.store.pending_count() == 0


@pytest.mark.parametrize("kind", ["thread", "private"])
def test_an_apology_whose_connection_dropped_after_storing_is_sent_once(
    stub, services, runtime, kind
) -> None:
    """A promise left by a crashed process: one apology on recovery, even when the connection
    drops after Slack stored it (thread: checked in the thread; private: in the DM)."""
    parent = next_ts()
    pending = (
        Pending(kind="thread", channel="C1", user="U1", thread_ts=parent)
        if kind == "thread"
        else Pending(kind="private", channel="", user="U8")
    )
    runtime.journal.open(pending)
    stub.script("chat.postMessage", DROPPED_AFTER_STORING)

    assert apologise_for_lost_replies(runtime) == 1
    assert runtime.urgent.drain(20)

    channel = "C1" if kind == "thread" else "D8"
    [post] = stub.calls_to("chat.postMessage")
    assert APOLOGY in post.payload["text"] and post.payload["channel"] == channel
    assert [m["text"] for m in bot_messages(stub, channel)] == [post.payload["text"]]
    check = "conversations.replies" if kind == "thread" else "conversations.history"
    assert stub.calls_to(check)
    assert apologise_for_lost_replies(runtime) == 0  # taken once: never a second apology


def test_a_dropped_post_that_slack_did_not_store_is_posted_again_once(
    harness, stub, services, runtime
) -> None:
    stub.script("chat.postMessage", Scripted(reset=True))  # dropped before Slack stored it
    harness.event(message_event(SITUATION, channel="D1", channel_type="im"))
    stub.wait_for("chat.postMessage", 2, timeout=20)
    settle(runtime, 0.5)
    assert len(stub.calls_to("chat.postMessage")) == 2
    assert len(bot_messages(stub, "D1")) == 1 and stub.calls_to("conversations.history")
    assert services.store.pending_count() == 0


def test_when_the_check_itself_fails_the_post_is_not_repeated(
    harness, stub, services, runtime
) -> None:
    """The outcome is unknown and cannot be found out: no second copy is risked; the promise
    stays, so at worst one apology follows instead of a duplicate answer."""
    stub.script("chat.postMessage", DROPPED_AFTER_STORING)
    stub.script("conversations.replies", *[SERVER_ERROR] * 4)  # both reads fail (and retries)
    harness.event(mention())
    stub.wait_for("chat.postMessage", timeout=20)
    settle(runtime, 1.0)
    assert len(stub.calls_to("chat.postMessage")) == 1
    assert len(bot_messages(stub, "C1")) == 1
    assert services.store.pending_count() == 1


# -- 4. a 5xx or an over-long Retry-After leaves the promise for a retry or one apology ---------


@pytest.mark.parametrize("stored", [False, True], ids=["not-stored", "stored"])
def test_a_5xx_is_checked_then_posted_at_most_once_more(
    harness, stub, services, runtime, stored
) -> None:
    failure = Scripted(status=500, body={"ok": False, "error": "internal_error"}, apply=stored)
    stub.script("chat.postMessage", failure)
    harness.event(mention())
    stub.wait_for("conversations.replies", timeout=20)  # the landed-check
    settle(runtime, 1.5)
    assert len(stub.calls_to("chat.postMessage")) == (1 if stored else 2)
    assert len(bot_messages(stub, "C1")) == 1
    assert services.store.pending_count() == 0  # delivered, so the promise is closed


def test_repeated_5xx_leave_the_promise_for_one_apology(harness, stub, services, runtime) -> None:
    stub.script("chat.postMessage", SERVER_ERROR, SERVER_ERROR)
    event = mention()
    harness.event(event)
    stub.wait_for("chat.postMessage", 2, timeout=20)
    settle(runtime, 1.0)
    assert len(stub.calls_to("chat.postMessage")) == 2  # bounded: one check, one more try
    assert bot_messages(stub, "C1") == []
    [owed] = runtime.journal.recover()
    assert (owed.channel, owed.thread_ts) == ("C1", event["ts"])


def test_a_retry_after_beyond_the_budget_is_not_waited_for(
    harness, stub, services, runtime
) -> None:
    wait = str(int(MAX_WAIT_S * 3))
    stub.script("chat.postMessage", Scripted(status=429, headers={"Retry-After": wait}))
    harness.event(mention())
    [limited] = stub.wait_for("chat.postMessage", timeout=20)
    settle(runtime, 1.0)
    assert time.monotonic() - limited.at < MAX_WAIT_S  # gave up at once, did not sleep 30 s
    assert len(stub.calls_to("chat.postMessage")) == 1 and bot_messages(stub, "C1") == []
    assert services.store.pending_count() == 1  # one apology later instead of silence


def test_a_private_diagnosis_that_reaches_no_one_keeps_its_promise(
    harness, stub, services, runtime
) -> None:
    """Every private route fails (response_url 404, ephemeral 500, the DM post 500 twice)."""
    stub.response_status = 404
    stub.script("chat.postEphemeral", SERVER_ERROR)
    stub.script("chat.postMessage", SERVER_ERROR, SERVER_ERROR)
    harness.command("/diagnose", SITUATION, user_id="U9", channel_id="C1")
    stub.wait_for("chat.postMessage", 2, timeout=30)
    settle(runtime, 1.0)
    assert stub.calls_to("response") and len(stub.calls_to("chat.postEphemeral")) == 1
    assert bot_messages(stub, "D9") == []
    [owed] = runtime.journal.recover()
    assert (owed.kind, owed.user) == ("private", "U9")


def test_the_journal_closes_a_promise_only_when_the_job_says_delivered(tmp_path) -> None:
    journal = InFlightJournal(SharedStore(f"sqlite:///{tmp_path / 'state.db'}"), "replica-a")
    outcomes: dict[str, bool | None] = {"sent": True, "lost": False, "nothing-owed": None}
    for name, outcome in outcomes.items():
        _entry, job = journal.tracked(
            Pending(kind="private", channel="", user=name), functools.partial(lambda o: o, outcome)
        )
        job()
    assert [p.user for p in journal.recover()] == ["lost"]


# -- post_soon: notices that need no ts wait in a timetable, not in a thread ---------------------


def _queue(poster: Poster, channel: str, results: dict[str, str | None], name: str) -> bool:
    def done(ts: str | None) -> None:
        results[name] = ts

    return poster.post_soon(channel, notice_message(f"notice {name}"), None, on_done=done)


def test_post_soon_keeps_one_busy_channel_from_delaying_the_others(stub, runtime) -> None:
    """Five notices for one channel, then one for another: the caller never waits, the busy
    channel keeps its one-a-second pace, and the other channel's notice goes out at once."""
    poster: Poster = runtime.poster
    results: dict[str, str | None] = {}
    started = time.monotonic()
    for n in range(5):
        assert _queue(poster, "CHOT", results, f"hot{n}")
    assert _queue(poster, "COTHER", results, "other")
    queued_in = time.monotonic() - started
    assert poster.drain(20)
    poster.close()

    assert queued_in < 0.5  # nothing blocked the caller
    posts = by_channel(stub.calls_to("chat.postMessage"))
    hot = [c.at for c in posts["CHOT"]]
    assert len(hot) == 5 and min(b - a for a, b in zip(hot, hot[1:], strict=False)) >= 0.95
    [other] = posts["COTHER"]
    assert other.at - started < 0.9 and other.at < hot[1]  # not behind the busy channel
    assert all(results[name] for name in results) and len(results) == 6


def test_post_soon_waits_out_a_429_without_holding_up_its_channel(stub, runtime) -> None:
    stub.script_channel(
        "chat.postMessage", "CA", Scripted(status=429, headers={"Retry-After": "3"})
    )
    poster: Poster = runtime.poster
    results: dict[str, str | None] = {}
    for name, channel in (("a1", "CA"), ("a2", "CA"), ("b1", "CB")):
        assert _queue(poster, channel, results, name)
    assert poster.drain(20)
    poster.close()

    posts = by_channel(stub.calls_to("chat.postMessage"))
    limited, a2, a1 = posts["CA"]
    assert [c.payload["text"] for c in (limited, a2, a1)] == ["notice a1", "notice a2", "notice a1"]
    assert 0.95 <= a2.at - limited.at < 2.0  # a2 went at its turn, not after a1's Retry-After
    assert a1.at - limited.at >= 3.0
    assert posts["CB"][0].at - limited.at < 0.9
    assert set(results) == {"a1", "a2", "b1"} and all(results.values())


def test_post_soon_bounds_a_channels_backlog(stub, runtime, monkeypatch) -> None:
    monkeypatch.setattr(poster_module, "MAX_BACKLOG", 2)
    poster: Poster = runtime.poster
    results: dict[str, str | None] = {}
    queued = [_queue(poster, "CFLOOD", results, f"n{n}") for n in range(6)]
    assert poster.drain(20)
    poster.close()
    refused = [f"n{n}" for n, ok in enumerate(queued) if not ok]
    assert len(refused) >= 3  # at most one in flight plus two waiting
    assert all(results[name] is None for name in refused)  # told, never silently dropped
    delivered = [name for name, ts in results.items() if ts]
    assert len(delivered) == 6 - len(refused) == len(stub.calls_to("chat.postMessage"))
