"""LLMClient over real HTTP: request shapes, retries, Retry-After, timeouts, caps, output checks."""

from __future__ import annotations

import logging
import threading
import time

import pytest
from pydantic import BaseModel, Field

from bot.common.errors import LLMUnavailable
from bot.llm import policy as llm_policy
from bot.llm.client import LLMClient


class Reply(BaseModel):
    answer: str = Field(max_length=500)
    cited_ids: list[str] = Field(default_factory=list, max_length=5)


def ask(client: LLMClient) -> Reply:
    messages = [
        ("system", f"Answer in JSON. {client.canary}"),
        ("user", '<passage id="p-1">Protected time helps.</passage><question>Why?</question>'),
    ]
    return client.structured(messages, Reply)


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("json_schema", {"type": "json_schema"}),
        ("function_calling", None),
        ("json_mode", {"type": "json_object"}),
    ],
)
def test_each_structured_method_sends_its_request_shape(openai_server, make_llm, method, expected):
    reply = ask(make_llm(llm_structured_method=method))
    assert reply.cited_ids == ["p-1"]
    body = openai_server.chat_requests[0].body
    fmt = body.get("response_format")
    if expected is None:
        assert fmt is None and body["tool_choice"]["function"]["name"] == "Reply"
    else:
        assert fmt["type"] == expected["type"]
    if method == "json_schema":
        assert fmt["json_schema"]["strict"] is False  # strict mode rejects maxLength
    if method == "json_mode":  # a grammar for llama.cpp: ids and item counts, no length bounds
        assert fmt["schema"]["properties"]["cited_ids"]["maxItems"] == 5
        assert "maxLength" not in fmt["schema"]["properties"]["answer"]
    # Compatible servers honour legacy max_tokens; sending both is rejected by OpenAI gateways.
    assert body["max_tokens"] == 700 and "max_completion_tokens" not in body


def test_retry_after_is_honoured_then_succeeds(openai_server, llm):
    openai_server.script = ["429"]
    openai_server.retry_after = "1"
    started = time.monotonic()
    assert ask(llm).cited_ids == ["p-1"]
    assert time.monotonic() - started >= 1.0
    assert openai_server.hits["chat"] == 2


def test_always_rate_limited_stops_after_max_attempts(openai_server, make_llm):
    openai_server.mode = "429"
    openai_server.retry_after = "0.1"
    with pytest.raises(LLMUnavailable) as caught:
        ask(make_llm(llm_max_attempts=3))
    assert openai_server.hits["chat"] == 3
    assert caught.value.user_message == llm_policy.BUSY


def test_retry_after_beyond_the_budget_gives_up_at_once(openai_server, make_llm):
    openai_server.mode = "503"
    openai_server.retry_after = "5"
    started = time.monotonic()
    with pytest.raises(LLMUnavailable):
        ask(make_llm(llm_time_budget_s=2.0))
    assert time.monotonic() - started < 1.0
    assert openai_server.hits["chat"] == 1


def test_server_errors_are_retried_with_backoff_then_fail(openai_server, llm):
    openai_server.mode = "500"
    with pytest.raises(LLMUnavailable) as caught:
        ask(llm)
    assert openai_server.hits["chat"] == 3
    assert caught.value.user_message == llm_policy.UNREACHABLE
    assert "500" not in caught.value.user_message


def test_transient_errors_recover(openai_server, llm):
    openai_server.script = ["503", "408"]
    openai_server.retry_after = "0"
    assert ask(llm).answer.startswith("The guidance says")
    assert openai_server.hits["chat"] == 3


@pytest.mark.parametrize("status", ["400", "401"])
def test_client_errors_are_not_retried_and_logged_without_secrets(
    openai_server, llm, caplog, status
):
    openai_server.mode = status
    caplog.set_level(logging.DEBUG, logger="bot")
    with pytest.raises(LLMUnavailable) as caught:
        ask(llm)
    assert openai_server.hits["chat"] == 1
    assert caught.value.user_message == llm_policy.REJECTED
    assert f"status={status}" in caplog.text
    assert any(r.levelname == "ERROR" and "check key" in r.message for r in caplog.records)
    assert "sk-test" not in caplog.text


def test_timeout_fails_fast_and_frees_the_slot(openai_server, make_llm):
    client = make_llm(llm_timeout_s=1.0, llm_concurrency=1)
    openai_server.mode = "slow"
    started = time.monotonic()
    with pytest.raises(LLMUnavailable) as caught:
        ask(client)
    assert time.monotonic() - started < 2.0
    assert caught.value.user_message == llm_policy.TIMEOUT
    assert openai_server.hits["chat"] == 1  # a timeout is not retried
    openai_server.mode = "ok"
    assert ask(client).cited_ids == ["p-1"]  # the only slot was released


@pytest.mark.parametrize("mode", ["malformed", "schema"])
def test_invalid_output_gets_one_repair_attempt(openai_server, llm, mode):
    openai_server.mode = mode
    with pytest.raises(LLMUnavailable) as caught:
        ask(llm)
    assert openai_server.hits["chat"] == 2
    assert caught.value.user_message == llm_policy.INVALID


def test_repair_attempt_can_succeed(openai_server, llm):
    openai_server.script = ["malformed"]
    assert ask(llm).cited_ids == ["p-1"]
    assert openai_server.hits["chat"] == 2


@pytest.mark.parametrize(
    ("mode", "hits"), [("refusal", 1), ("length", 1), ("empty_choices", 1), ("malformed_body", 2)]
)
@pytest.mark.parametrize("method", ["json_schema", "json_mode", "function_calling"])
def test_unusable_replies_become_llm_unavailable(openai_server, make_llm, mode, hits, method):
    openai_server.mode = mode
    with pytest.raises(LLMUnavailable) as caught:
        ask(make_llm(llm_structured_method=method))
    assert openai_server.hits["chat"] == hits
    expected = llm_policy.UNREACHABLE if mode == "empty_choices" else llm_policy.INVALID
    assert caught.value.user_message == expected


def test_reply_containing_the_canary_is_discarded(openai_server, llm):
    openai_server.mode = "echo"
    with pytest.raises(LLMUnavailable):
        llm.text([("system", f"Be brief. {llm.canary}"), ("user", "hello")])
    with pytest.raises(LLMUnavailable):
        ask(llm)
    assert openai_server.hits["chat"] == 2  # a leak is never retried


def test_text_returns_plain_content(openai_server, llm):
    assert llm.text([("system", llm.canary), ("user", "hello")]) == "plain reply"


def test_system_prompt_without_canary_is_a_programming_error(openai_server, llm):
    with pytest.raises(ValueError, match="canary"):
        llm.text([("system", "no marker"), ("user", "hello")])
    assert openai_server.hits["chat"] == 0


@pytest.mark.parametrize(
    ("method", "ok", "hits"),
    [("json_schema", False, 3), ("json_mode", True, 1), ("function_calling", True, 1)],
)
def test_llama_cpp_style_server_works_with_fallback_methods(
    openai_server, make_llm, method, ok, hits
):
    openai_server.mode = "json_schema_500"
    client = make_llm(llm_structured_method=method)
    if ok:
        assert ask(client).cited_ids == ["p-1"]
    else:
        with pytest.raises(LLMUnavailable):
            ask(client)
    assert openai_server.hits["chat"] == hits


def test_concurrency_cap_holds(openai_server, make_llm):
    client = make_llm(llm_concurrency=4)
    openai_server.delay_s = 0.2
    results: list[object] = []

    def worker() -> None:
        try:
            results.append(ask(client))
        except LLMUnavailable as exc:
            results.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 20 and all(isinstance(r, Reply) for r in results)
    assert openai_server.max_in_flight == 4
    assert openai_server.hits["chat"] == 20


def test_logs_carry_counts_not_text(openai_server, llm, caplog):
    caplog.set_level(logging.DEBUG, logger="bot")
    ask(llm)
    assert "attempt=1" in caplog.text
    assert "Protected time" not in caplog.text and "guidance says" not in caplog.text


def test_azure_endpoint_uses_deployment_path_and_standard_token_cap(openai_server, make_llm):
    client = make_llm(
        openai_base_url=None,
        azure_openai_endpoint=openai_server.base,
        azure_openai_api_key="azure-key",
    )
    assert ask(client).cited_ids == ["p-1"]
    request = openai_server.chat_requests[0]
    assert request.path.startswith("/openai/deployments/test-model/chat/completions?api-version=")
    assert request.headers.get("api-key") == "azure-key"
    assert request.body["max_completion_tokens"] == 700 and "max_tokens" not in request.body


def test_default_openai_endpoint_is_unreachable_under_the_guard(make_llm, network_guard):
    with pytest.raises(LLMUnavailable):
        ask(make_llm(openai_base_url=None))
    assert set(network_guard.blocked) == {"api.openai.com"}


def test_guard_blocks_non_loopback_addresses(make_llm, network_guard):
    with pytest.raises(LLMUnavailable):
        ask(make_llm(openai_base_url="http://198.51.100.7:9/v1", llm_max_attempts=1))
    assert set(network_guard.blocked) == {"198.51.100.7"}
