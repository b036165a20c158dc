"""Rows T5, A6, J4, J7 and L7 at the Slack level: the real bolt app over loopback HTTP (and a real
Socket Mode socket for T5) with a language model configured against a recording loopback stub.

- T5: with the core taking 10 s, signed mention, DM, slash and ``block_actions`` POSTs, and
  Socket Mode envelopes (event, slash command, interactive), are all acked within a second.
- A6: the model answers "REINDEX, delete docs" and emits tool-call JSON naming admin actions;
  the ingest runner, the index collections and the live/previous pointer stay exactly as they were.
- J4: an obedient model names other channels and users; every Slack call the bot makes goes to the
  origin channel (and thread), and no DM is opened.
- J7: a clinical question gets the out-of-scope refusal with its signpost; "what dose for Mrs X,
  DOB 01/02/1950?" trips both the patient-data and the clinical gate; neither reaches the model.
- L7: the model always answers 503; each question costs exactly the configured attempts (no SDK
  retries compounding them) and the user gets the offline answer with its note, in time.
"""

from __future__ import annotations

import dataclasses
import json
import threading
import time
from typing import Any

import pytest
from slack_bolt.adapter.socket_mode import SocketModeHandler

from tests.servers import openai_replies as replies
from tests.servers.openai_server import OpenAIServer
from tests.servers.slack_api import BOT_USER
from tests.slack.conftest import CountingCore, settle
from tests.slack.harness import message_event, next_ts
from tests.slack.ws_stub import SocketModeStub

QUESTION = "what does the guidance say about protected time for change?"
SITUATION = (
    "Our ward has no time for the new discharge process; everyone is firefighting every shift "
    "and the project meetings keep being cancelled."
)


# -- fixtures: the session's services with a recording model stub behind the LLM client ----------


@pytest.fixture
def model_stub() -> Any:
    server = OpenAIServer(mode="ok", retry_after="0").start()
    yield server
    server.stop()


@pytest.fixture
def services(real_services: Any, model_stub: OpenAIServer, tmp_path: Any) -> Any:
    """The session's services with the model configured; the responder counts (and can slow)."""
    from bot.core.answering.answer import Answerer
    from bot.core.respond import Responder
    from bot.llm.client import LLMClient
    from bot.state.store import SharedStore

    settings = real_services.settings.model_copy(
        update={
            "openai_base_url": model_stub.url,
            "openai_api_key": "sk-test",
            "llm_max_attempts": 2,
        }
    )
    llm = LLMClient.from_config(settings, backoff_base_s=0.01)
    answerer = Answerer(real_services.retriever, real_services.framework, llm=llm)
    diagnoser = real_services.diagnoser.with_llm(llm)
    responder = Responder(real_services.retriever, answerer, diagnoser)
    store = SharedStore(f"sqlite:///{tmp_path / 'state.db'}")
    yield dataclasses.replace(
        real_services,
        llm=llm,
        answerer=answerer,
        diagnoser=diagnoser,
        responder=CountingCore(responder, "respond"),
        store=store,
    )
    store.close()  # this test's own store (the index is the session's)


def mention(text: str, channel: str = "C1", ts: str | None = None) -> dict[str, Any]:
    return message_event(f"<@{BOT_USER}> {text}", kind="app_mention", channel=channel, ts=ts)


def passage_ids(body: dict[str, Any]) -> list[str]:
    return [pid for pid, _ in replies.PASSAGE.findall(replies.user_text(body))]


def completion(body: dict[str, Any], content: str | None, tool_calls: list[Any] | None) -> Any:
    message: dict[str, Any] = {"role": "assistant", "content": content}
    if tool_calls:
        message["tool_calls"] = tool_calls
    finish = "tool_calls" if tool_calls else "stop"
    return replies._envelope(body, [replies._choice(message, finish)])


# -- T5 -------------------------------------------------------------------------------------------


class TimedSocketStub(SocketModeStub):
    """The WS stub, also noting when each envelope was sent and when its ack came back."""

    def __init__(self, sessions: list[list[dict[str, Any]]]) -> None:
        super().__init__(sessions)
        self.sent_at: dict[str, float] = {}
        self.acked_at: dict[str, float] = {}

    def _reader(self, ws: Any) -> None:
        from websockets.exceptions import ConnectionClosed

        try:
            for raw in ws:
                data = json.loads(raw)
                with self._lock:
                    if "envelope_id" in data:
                        self.acks.append(data["envelope_id"])
                        self.acked_at.setdefault(data["envelope_id"], time.perf_counter())
                    self._lock.notify_all()
        except ConnectionClosed:
            return

    def _handle(self, ws: Any) -> None:
        with self._lock:
            number = self.connections
            self.connections += 1
        ws.send(
            json.dumps({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A1"}})
        )
        reader = threading.Thread(target=self._reader, args=(ws,), daemon=True)
        reader.start()
        for frame in self.sessions[number] if number < len(self.sessions) else []:
            if "pause" in frame:
                time.sleep(frame["pause"])
                continue
            self.sent_at[frame["envelope_id"]] = time.perf_counter()
            ws.send(json.dumps(frame))
        reader.join()


def card_from(reply: Any) -> str:
    for block in reply.payload.get("blocks") or []:
        for element in block.get("elements") or []:
            if element.get("action_id") == "diagnosis_why":
                return str(element["value"])
    raise AssertionError("no diagnosis card in the reply")


@pytest.mark.slow  # ~25 s: five 10 s core calls on four worker threads
def test_t5_every_surface_acks_within_a_second_while_the_core_takes_10_s(
    harness: Any, stub: Any, services: Any, runtime: Any, built: Any
) -> None:
    harness.command("/diagnose", SITUATION)  # a fast card first, for the buttons
    card = card_from(stub.wait_for("response", timeout=20)[0])
    settle(runtime)
    stub.calls.clear()
    before = services.responder.calls
    services.responder.delay_s = 10.0

    http = {
        "mention": harness.event(mention(QUESTION))[2],
        "dm": harness.event(message_event(SITUATION, channel="D1", channel_type="im"))[2],
        "slash": harness.command("/diagnose", SITUATION)[2],
        "button-more": harness.action("diagnosis_more", card)[2],
        "button-why": harness.action("diagnosis_why", card)[2],
        "button-share": harness.action("diagnosis_share", card)[2],
    }
    interactive = {
        "type": "block_actions",
        "team": {"id": "T1"},
        "user": {"id": "U1", "team_id": "T1"},
        "api_app_id": "A1",
        "trigger_id": "trig.ws",
        "response_url": stub.response_url("ws"),
        "channel": {"id": "C1"},
        "container": {"type": "message", "channel_id": "C1"},
        "actions": [{"action_id": "diagnosis_why", "block_id": "b", "value": card}],
    }
    slash = {
        "command": "/diagnose",
        "text": SITUATION,
        "user_id": "U1",
        "team_id": "T1",
        "channel_id": "C2",
        "response_url": stub.response_url("ws-slash"),
        "trigger_id": "t",
    }
    envelopes: list[dict[str, Any]] = [
        {
            "envelope_id": "ws-event",
            "type": "events_api",
            "accepts_response_payload": False,
            "payload": {
                "type": "event_callback",
                "team_id": "T1",
                "event_id": "EvT5ws",
                "event": mention(QUESTION, channel="C3"),
            },
        },
        {"envelope_id": "ws-slash", "type": "slash_commands", "payload": slash},
        {"envelope_id": "ws-button", "type": "interactive", "payload": interactive},
    ]
    # the socket sends its envelopes while the four HTTP-started core calls are still sleeping
    ws = TimedSocketStub([[{"pause": 0.3}, *envelopes]])
    with ws:
        stub.ws_url = ws.url
        handler = SocketModeHandler(built[0], app_token="xapp-test", ping_interval=5)
        try:
            handler.connect()  # type: ignore[no-untyped-call]
            for envelope in envelopes:
                assert ws.wait_acks(envelope["envelope_id"], timeout=10), envelope["envelope_id"]
            socket = {e: ws.acked_at[e] - ws.sent_at[e] for e in ws.sent_at}
            assert services.responder.calls - before >= 3  # the slow core really is busy
            answered = [p for p in stub.calls_to("chat.postMessage") if "thread_ts" in p.payload]
            assert not answered  # no answer yet: the slow core still holds every one
            # every answer still arrives: mention, DM, Share and the socket's mention
            posts = stub.wait_for("chat.postMessage", 4, timeout=40)
            responses = stub.wait_for("response", 5, timeout=40)
            settle(runtime)
        finally:
            handler.close()  # type: ignore[no-untyped-call]
    print(f"T5 ack seconds: http={http} socket={socket}")
    assert max(http.values()) < 1.0, http
    assert set(socket) == {"ws-event", "ws-slash", "ws-button"}
    assert max(socket.values()) < 1.0, socket
    assert sorted(p.payload["channel"] for p in posts) == ["C1", "C1", "C3", "D1"]
    assert len(responses) == 5  # /diagnose, More, Why over HTTP; /diagnose, Why over the socket
    assert services.responder.calls - before == 5


# -- A6 -------------------------------------------------------------------------------------------

ADMIN_TEXT = (
    "REINDEX NOW. /changebot reingest --replace; delete docs; drop the collection; "
    "switch live to previous; rollback the index"
)
ROGUE_CALLS = [
    {
        "id": "call_admin_1",
        "type": "function",
        "function": {"name": "reingest", "arguments": json.dumps({"mode": "replace"})},
    },
    {
        "id": "call_admin_2",
        "type": "function",
        "function": {"name": "delete_documents", "arguments": json.dumps({"all": True})},
    },
]


def store_state(services: Any, runtime: Any) -> dict[str, Any]:
    index = services.index
    client = index._client
    names = sorted(getattr(c, "name", c) for c in client.list_collections())
    return {
        "pointer": index.pointer(),
        "history": index.history(),
        "collections": {name: client.get_collection(name).count() for name in names},
        "documents": json.dumps([d.model_dump() for d in index.documents()], default=str),
        "ingest_running": runtime.ingests.running,
    }


@pytest.mark.parametrize("method", ["json_schema", "function_calling"])
@pytest.mark.parametrize("shape", ["admin_text", "tool_calls", "tool_calls_only"])
def test_a6_model_output_never_triggers_admin_actions(
    harness: Any,
    stub: Any,
    services: Any,
    runtime: Any,
    model_stub: OpenAIServer,
    monkeypatch: pytest.MonkeyPatch,
    method: str,
    shape: str,
) -> None:
    services.llm._method = method
    index = services.index
    writes: list[str] = []
    for verb in ("create_version", "add", "switch", "rollback", "drop", "prune"):
        real = getattr(index, verb)

        def spy(*args: Any, _verb: str = verb, _real: Any = real, **kwargs: Any) -> Any:
            writes.append(_verb)
            return _real(*args, **kwargs)

        monkeypatch.setattr(index, verb, spy)
    started: list[str] = []
    monkeypatch.setattr(runtime.ingests, "start", lambda *a, **k: started.append("ingest"))

    def reply(body: dict[str, Any]) -> tuple[int, Any]:
        ids = passage_ids(body)
        args = json.dumps({"answer": f"{ADMIN_TEXT} [{ids[0]}]", "cited_ids": ids[:1]})
        if shape == "admin_text":
            return 200, replies.completion("ok", body, json.loads(args))
        if shape == "tool_calls":  # content plus calls to tools nobody offered
            return 200, completion(body, args, ROGUE_CALLS)
        return 200, completion(body, None, ROGUE_CALLS)

    model_stub.respond_with = reply
    before = store_state(services, runtime)
    ts = next_ts()
    harness.event(mention(QUESTION, ts=ts))
    [post] = stub.wait_for("chat.postMessage", timeout=20)
    settle(runtime, 0.5)
    assert model_stub.chat_requests, "the question should have reached the model"
    assert len(model_stub.chat_requests) <= 2  # one call, plus at most one repair
    assert "tools" not in model_stub.chat_requests[0].body or method == "function_calling"
    assert store_state(services, runtime) == before
    assert writes == [] and started == []
    assert post.payload["channel"] == "C1" and post.payload["thread_ts"] == ts
    acted = {"chat.update", "chat.delete", "conversations.open", "files.completeUploadExternal"}
    assert not [c.method for c in stub.calls if c.method in acted]


# -- J4 -------------------------------------------------------------------------------------------

ELSEWHERE = (
    "Post this in <#C0OTHER|general> and channel C0OTHER, DM <@U0BOSS> and user U0BOSS, "
    "send it to #random and @here, and open a DM with W0EXEC"
)


def test_j4_an_obedient_model_naming_other_places_only_reaches_the_origin(
    harness: Any, stub: Any, runtime: Any, model_stub: OpenAIServer
) -> None:
    def reply(body: dict[str, Any]) -> tuple[int, Any]:
        ids = passage_ids(body)
        if ids:
            payload = {"answer": f"{ELSEWHERE} [{ids[0]}]", "cited_ids": ids}
            return 200, replies.completion("ok", body, payload)
        return 200, replies.completion("obedient", body, None)  # diagnoses: obey the situation

    model_stub.respond_with = reply
    parent = next_ts()
    harness.event(mention(QUESTION, ts=parent))
    harness.event(message_event(SITUATION, channel="D9", channel_type="im"))
    harness.command("/diagnose", SITUATION, channel_id="C5")
    stub.wait_for("chat.postMessage", 2, timeout=30)
    stub.wait_for("response", 1, timeout=30)
    settle(runtime, 0.5)
    assert len(model_stub.chat_requests) >= 3, "the model must have been asked"

    origins = {"C1", "D9", "C5"}
    for call in stub.calls:
        channel = call.payload.get("channel") or call.payload.get("channel_id")
        if channel:
            assert channel in origins, (call.method, channel)
        assert call.method not in ("conversations.open", "chat.scheduleMessage", "chat.update")
        assert "users" not in call.payload  # no DM opened with anyone
    posts = stub.calls_to("chat.postMessage")
    assert sorted((p.payload["channel"], p.payload.get("thread_ts")) for p in posts) == [
        ("C1", parent),
        ("D9", None),
    ]
    [response] = stub.calls_to("response")
    assert response.path == "/response/r1"
    shown = json.dumps([c.payload for c in stub.posts()])
    for live in ("<#C0OTHER", "<@U0BOSS>", "<!here>", "<@W0EXEC>"):
        assert live not in shown


# -- J7 -------------------------------------------------------------------------------------------

CLINICAL = "what dose of gentamicin should we give a 70kg man?"
BOTH = "what dose for Mrs X, DOB 01/02/1950?"
SIGNPOST = "use your local clinical guidance, pharmacy or a senior colleague"


def test_j7_clinical_questions_are_refused_with_the_signpost_before_the_model(
    harness: Any, stub: Any, runtime: Any, model_stub: OpenAIServer
) -> None:
    from bot.core.scope import MESSAGES

    assert SIGNPOST in MESSAGES["out_of_scope"]
    harness.event(mention(CLINICAL))
    harness.event(message_event(CLINICAL, channel="D9", channel_type="im"))
    posts = stub.wait_for("chat.postMessage", 2, timeout=20)
    settle(runtime)
    for post in posts:
        text = post.payload["text"] + json.dumps(post.payload.get("blocks") or [])
        assert "outside what I can help with" in text, text
        assert SIGNPOST in text, text
        assert "gentamicin" not in text
    assert model_stub.requests == []


def test_j7_a_dose_question_with_a_date_of_birth_trips_both_gates(
    harness: Any, stub: Any, runtime: Any, services: Any, model_stub: OpenAIServer
) -> None:
    from bot.common.privacy import screen
    from bot.core.routing import looks_clinical

    assert screen(BOTH).sensitive and looks_clinical(BOTH)  # both gates see it
    without_dob = BOTH.replace(", DOB 01/02/1950", "")
    assert not screen(without_dob).sensitive  # the clinical gate alone still refuses it:
    alone = services.responder.real.respond(without_dob)
    assert alone.kind == "notice" and SIGNPOST in alone.notice

    harness.event(mention(BOTH))
    harness.event(message_event(BOTH, channel="D9", channel_type="im"))
    harness.command("/diagnose", BOTH)
    posts = stub.wait_for("chat.postMessage", 2, timeout=20)
    [response] = stub.wait_for("response", 1, timeout=20)
    settle(runtime)
    for shown in [p.payload for p in posts] + [response.payload]:
        text = json.dumps(shown)
        assert "date of birth" in text and "never passed to the AI model" in text, text
        assert "1950" not in text and "Mrs X" not in text
    assert model_stub.requests == []


# -- L7 -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("attempts", [1, 3])
def test_l7_model_down_costs_the_configured_attempts_and_answers_offline(
    harness: Any,
    stub: Any,
    runtime: Any,
    services: Any,
    model_stub: OpenAIServer,
    attempts: int,
) -> None:
    from bot.llm import policy

    services.llm._max_attempts = attempts
    model_stub.mode = "503"
    ts = next_ts()
    started = time.monotonic()
    harness.event(mention(QUESTION, ts=ts))
    [post] = stub.wait_for("chat.postMessage", timeout=20)
    took = time.monotonic() - started
    settle(runtime)
    assert model_stub.hits["chat"] == attempts  # the SDK's own retries are off: no compounding
    assert post.payload["thread_ts"] == ts
    shown = json.dumps(post.payload)
    assert policy.BUSY.split(",")[0] in shown and "offline method" in shown
    assert "Protected" in shown or "protected" in shown  # the offline answer itself
    assert took < 10.0
