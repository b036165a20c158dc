"""Patient data never reaches the model, by any path (a recording OpenAI-compatible stub).

The app runs with an LLM configured against a loopback stub that records every request body.
Messages carrying an NHS number in any spelling, or a name with a date of birth, are refused with
the usual notice; a follow-up in a thread whose earlier message held an NHS number is answered
without that turn ever being sent; the LLM client itself refuses to send such text.
"""

from __future__ import annotations

import dataclasses
import json
import re
from typing import Any

import pytest

from tests.servers.openai_server import OpenAIServer
from tests.servers.slack_api import BOT_ID, BOT_USER
from tests.slack.conftest import settle
from tests.slack.harness import message_event, next_ts

VALID = "9434765919"
SPELLINGS = [
    "943\u00a0476\u00a05919",  # non-breaking spaces, as pasted from Word or an EPR
    "4505  577  104",  # double spaces
    "943\u2013476\u20135919",  # en dashes
    "943\u2009476\u20095919",  # thin spaces
    "9434 765 919",
    "94347 65919",
]


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def never_sent(stub: OpenAIServer, number: str) -> None:
    for request in stub.requests:
        assert number not in digits(request.text), f"{number} reached the model"


def follow_up_a_refused_thread(harness: Any, stub: Any, runtime: Any, refused: str) -> None:
    """A thread whose first message was refused for patient data, then a clean follow-up in it.

    Waits for the follow-up's reply and checks it went to the thread.
    """
    parent = next_ts()
    stub.seed_message("C1", {"ts": parent, "user": "U1", "text": f"<@{BOT_USER}> {refused}"})
    stub.seed_message(
        "C1",
        {
            "ts": next_ts(),
            "thread_ts": parent,
            "bot_id": BOT_ID,
            "user": BOT_USER,
            "text": "I can't work with that message: it looks like it contains patient data.",
        },
    )
    harness.event(
        message_event(
            "what does the guidance say about protected time for change?",
            thread_ts=parent,
            user="U2",
        )
    )
    [post] = stub.wait_for("chat.postMessage")
    settle(runtime)
    assert post.payload["thread_ts"] == parent


@pytest.fixture
def model_stub() -> Any:
    server = OpenAIServer(mode="ok").start()
    yield server
    server.stop()


@pytest.fixture
def services(real_services: Any, model_stub: OpenAIServer, tmp_path: Any) -> Any:
    """The session's services with a language model configured (the recording stub)."""
    from bot.core.answering.answer import Answerer
    from bot.core.respond import Responder
    from bot.llm.client import LLMClient

    settings = real_services.settings.model_copy(
        update={
            "openai_base_url": model_stub.url,
            "openai_api_key": "sk-test",
            "llm_max_attempts": 1,
        }
    )
    llm = LLMClient.from_config(settings, backoff_base_s=0.01)
    answerer = Answerer(real_services.retriever, real_services.framework, llm=llm)
    diagnoser = real_services.diagnoser.with_llm(llm)
    responder = Responder(real_services.retriever, answerer, diagnoser)
    from bot.state.store import SharedStore

    store = SharedStore(f"sqlite:///{tmp_path / 'state.db'}")
    yield dataclasses.replace(
        real_services,
        llm=llm,
        answerer=answerer,
        diagnoser=diagnoser,
        responder=responder,
        store=store,
    )
    store.close()  # this test's own store (the index is the session's)


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_every_spelling_of_an_nhs_number_is_refused_in_a_dm(
    harness: Any, stub: Any, runtime: Any, model_stub: OpenAIServer, spelling: str
) -> None:
    text = f"patient {spelling} keeps being discharged late and the team has no time to fix it"
    harness.event(message_event(text, channel="D9", channel_type="im"))
    [post] = stub.wait_for("chat.postMessage")
    settle(runtime)
    shown = json.dumps(post.payload)
    assert digits(spelling) not in digits(shown)
    assert "patient" in shown.lower() and "Barrier profile" not in shown
    never_sent(model_stub, digits(spelling))


def test_a_name_with_a_date_of_birth_is_refused(
    harness: Any, stub: Any, runtime: Any, model_stub: OpenAIServer
) -> None:
    text = "Mrs Jane Smith DOB 04/05/1950 waited nine hours; our flow work keeps stalling"
    harness.event(message_event(text, channel="D9", channel_type="im"))
    [post] = stub.wait_for("chat.postMessage")
    settle(runtime)
    assert "1950" not in json.dumps(post.payload) and "Smith" not in json.dumps(post.payload)
    assert not [r for r in model_stub.requests if "1950" in r.text or "Smith" in r.text]


def test_a_thread_follow_up_never_sends_an_earlier_refused_turn(
    harness: Any, stub: Any, runtime: Any, model_stub: OpenAIServer
) -> None:
    follow_up_a_refused_thread(harness, stub, runtime, "NHS no 943 476 5919 fell again")
    assert model_stub.chat_requests, "the follow-up should have used the model"
    never_sent(model_stub, VALID)


def test_the_llm_client_refuses_to_send_patient_data(services: Any, model_stub: Any) -> None:
    from bot.common.errors import LLMUnavailable

    llm = services.llm
    with pytest.raises(LLMUnavailable):
        llm.text([("system", llm.canary), ("user", "about NHS number 943 476 5919")])
    assert model_stub.requests == []


SAID_ALOUD = ["943 and 476 and 5919", "nine four three, four seven six, five nine one nine"]


@pytest.mark.parametrize("said", SAID_ALOUD)
def test_a_number_said_in_words_is_refused_in_a_dm(
    harness: Any, stub: Any, runtime: Any, model_stub: OpenAIServer, said: str
) -> None:
    text = f"she gave {said} at the desk and the team has no time to fix discharge"
    harness.event(message_event(text, channel="D9", channel_type="im"))
    [post] = stub.wait_for("chat.postMessage")
    settle(runtime)
    shown = json.dumps(post.payload)
    assert said not in shown and "Barrier profile" not in shown
    assert "NHS number" in shown
    assert not [r for r in model_stub.requests if said in r.text]


@pytest.mark.parametrize("said", SAID_ALOUD)
def test_a_number_said_in_words_in_a_thread_never_reaches_the_model(
    harness: Any, stub: Any, runtime: Any, model_stub: OpenAIServer, said: str
) -> None:
    follow_up_a_refused_thread(harness, stub, runtime, f"she gave {said}, fell again")
    assert model_stub.chat_requests, "the follow-up should have used the model"
    assert not [r for r in model_stub.requests if said in r.text or "fell again" in r.text]
