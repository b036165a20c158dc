"""The chat model client: OpenAI, Azure OpenAI or any OpenAI-compatible server, or none at all.

Why it looks like this:

- We own retries (the SDK's are off, ``max_retries=0``) so "at most N attempts within a time
  budget" holds across SDK and app (reliability plan L1-L3), with a capped ``Retry-After``.
- A bounded semaphore caps concurrent model calls (L8); a caller waits at most the time budget.
- Every failure, including a reply that is refused, cut off, not JSON or not the schema, becomes
  ``LLMUnavailable`` with a plain message; callers fall back to the offline result (L4-L6).
- A per-process canary sits in every system prompt. A reply that contains it is leaking the
  prompt and is discarded (J1).
- Structured output is requested as ``json_schema`` (default), a forced tool call, or
  ``json_object``, chosen in settings, because llama.cpp's server answers ``json_schema`` with 500.
  The schema is sent non-strict: OpenAI's strict mode rejects ``maxLength``/``maxItems``, which
  weak models need; the reply is validated here with pydantic instead.
- Logs carry kinds, attempt numbers, status codes and latency, never prompt or reply text.
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any, Literal, TypeVar

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage
from pydantic import BaseModel, ValidationError

from bot.common.endpoints import ChatEndpoint
from bot.common.errors import LLMUnavailable
from bot.common.privacy import screen
from bot.llm.policy import (
    BUSY,
    REJECTED,
    WITHHELD,
    Failure,
    InvalidOutput,
    UnsafeOutput,
    backoff_seconds,
    classify,
)
from bot.llm.transport import make_chat_model

logger = logging.getLogger(__name__)

Role = Literal["system", "user", "assistant"]
Message = tuple[Role, str]
StructuredMethod = Literal["json_schema", "function_calling", "json_mode"]
ModelT = TypeVar("ModelT", bound=BaseModel)
T = TypeVar("T")


class LLMClient:
    """Calls a chat model with bounded retries, a concurrency cap and output checks."""

    def __init__(
        self,
        chat: BaseChatModel,
        *,
        method: StructuredMethod = "json_schema",
        timeout_s: float = 30.0,
        max_attempts: int = 3,
        time_budget_s: float = 60.0,
        concurrency: int = 4,
        backoff_base_s: float = 0.5,
        schema_in_json_mode: bool = False,
    ) -> None:
        self._chat = chat
        self._method: StructuredMethod = method
        self._timeout_s = timeout_s
        self._max_attempts = max_attempts
        self._budget_s = time_budget_s
        self._slots = threading.BoundedSemaphore(concurrency)
        self._backoff_base_s = backoff_base_s
        self._schema_in_json_mode = schema_in_json_mode
        self.canary = f"cb-canary-{secrets.token_hex(8)}"

    @classmethod
    def from_config(cls, settings: ChatEndpoint, *, backoff_base_s: float = 0.5) -> LLMClient:
        """The configured client (Azure when its endpoint is set, else OpenAI or compatible)."""
        return cls(
            make_chat_model(settings),
            method=settings.llm_structured_method,
            timeout_s=settings.llm_timeout_s,
            max_attempts=settings.llm_max_attempts,
            time_budget_s=settings.llm_time_budget_s,
            concurrency=settings.llm_concurrency,
            backoff_base_s=backoff_base_s,
            # llama.cpp and vLLM constrain json_object output to a schema given alongside it;
            # OpenAI itself would reject the extra field, so only custom servers get it.
            schema_in_json_mode=bool(
                settings.openai_base_url and not settings.azure_openai_endpoint
            ),
        )

    def structured(self, messages: Sequence[Message], schema: type[ModelT]) -> ModelT:
        """A reply validated against ``schema``; LLMUnavailable if none is obtained."""
        self._require_canary(messages)
        return self._run(
            schema.__name__, lambda timeout: self._structured_once(messages, schema, timeout)
        )

    def text(self, messages: Sequence[Message]) -> str:
        """A plain-text reply; LLMUnavailable if none is obtained."""
        self._require_canary(messages)
        return self._run("text", lambda timeout: self._text_once(messages, timeout))

    def _require_canary(self, messages: Sequence[Message]) -> None:
        if not any(role == "system" and self.canary in text for role, text in messages):
            raise ValueError("the system prompt must carry LLMClient.canary")
        self._require_screened(messages)

    @staticmethod
    def _require_screened(messages: Sequence[Message]) -> None:
        """The gateway: no text with patient-identifiable data leaves, whoever built the prompt.

        Callers screen first; this is the structural guarantee behind them, so a new path (a new
        history source, a new prompt field) cannot send an identifier to the model. The offline
        result is used instead, as for any other model failure.
        """
        if any(screen(text).sensitive for _role, text in messages):
            logger.warning("llm request withheld: patient-identifiable data in the prompt")
            raise LLMUnavailable(WITHHELD)

    def _run(self, kind: str, once: Callable[[float], T]) -> T:
        deadline = time.monotonic() + self._budget_s
        repairs_left = 1
        message = BUSY
        for attempt in range(1, self._max_attempts + 1):
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not self._slots.acquire(timeout=remaining):
                break
            started = time.monotonic()
            try:
                result = once(max(min(self._timeout_s, deadline - started), 0.01))
            except Exception as exc:  # noqa: BLE001 - every failure is classified below
                failure = classify(exc)
            else:
                logger.info("llm %s ok attempt=%d ms=%d", kind, attempt, _ms(started))
                return result
            finally:
                self._slots.release()
            _log_failure(kind, attempt, failure, started)
            message = failure.message
            if failure.repair:
                repairs_left -= 1
            if not failure.retry or repairs_left < 0 or attempt == self._max_attempts:
                break
            wait = failure.retry_after
            if wait is None:
                wait = backoff_seconds(attempt, self._backoff_base_s)
            if time.monotonic() + wait >= deadline:
                break
            time.sleep(wait)
        raise LLMUnavailable(message)

    def _structured_once(
        self, messages: Sequence[Message], schema: type[ModelT], timeout: float
    ) -> ModelT:
        json_schema = schema.model_json_schema()
        extra: dict[str, Any] = {"timeout": timeout}
        if self._method == "json_mode" and self._schema_in_json_mode:
            grammar = grammar_schema(json_schema)
            extra["response_format"] = {"type": "json_object", "schema": grammar}
        runnable = self._chat.with_structured_output(
            json_schema, method=self._method, include_raw=True, **extra
        )
        out = runnable.invoke(list(messages))
        assert isinstance(out, dict)
        raw = out.get("raw")
        self._check_reply(raw, out.get("parsed"))
        if out.get("parsing_error") is not None or out.get("parsed") is None:
            raise InvalidOutput
        try:
            return schema.model_validate(out["parsed"])
        except ValidationError as exc:
            raise InvalidOutput from exc

    def _text_once(self, messages: Sequence[Message], timeout: float) -> str:
        reply = self._chat.invoke(list(messages), timeout=timeout)
        self._check_reply(reply, None)
        text = reply.text if isinstance(reply.text, str) else ""
        if not text.strip():
            raise InvalidOutput
        return text

    def _check_reply(self, raw: object, parsed: object) -> None:
        """Reject leaks, refusals and truncation before anything is parsed or shown."""
        if not isinstance(raw, BaseMessage):
            raise InvalidOutput
        seen = json.dumps([raw.content, raw.additional_kwargs, parsed], default=str)
        if self.canary in seen:
            raise UnsafeOutput("prompt_leak")
        if raw.additional_kwargs.get("refusal"):
            raise UnsafeOutput("refusal")
        finish = raw.response_metadata.get("finish_reason")
        if finish == "content_filter":
            raise UnsafeOutput("content_filter")
        if finish == "length":
            raise UnsafeOutput("truncated")


def grammar_schema(schema: Any) -> Any:
    """The schema with long string bounds removed, for servers that turn it into a grammar.

    llama.cpp expands ``maxLength: N`` into N nested optional rules: with a 1,500-character
    answer the grammar parser gave up and llama-cpp-python's server crashed (measured), while
    300 worked. So bounds above ``GRAMMAR_MAX_LENGTH`` are dropped (pydantic still enforces them
    on the reply); short bounds, enums and ``maxItems`` stay to keep a weak model on the rails.
    """
    if isinstance(schema, dict):
        return {
            k: grammar_schema(v)
            for k, v in schema.items()
            if not (k == "maxLength" and isinstance(v, int) and v > GRAMMAR_MAX_LENGTH)
        }
    if isinstance(schema, list):
        return [grammar_schema(v) for v in schema]
    return schema


GRAMMAR_MAX_LENGTH = 300


def _log_failure(kind: str, attempt: int, failure: Failure, started: float) -> None:
    """Ids and counts only: never the prompt, the reply or the exception text."""
    logger.warning(
        "llm %s failed attempt=%d reason=%s status=%s ms=%d",
        kind,
        attempt,
        failure.reason,
        failure.status,
        _ms(started),
    )
    if failure.message == REJECTED:  # an admin must act: key, model or endpoint is wrong
        logger.error("llm %s rejected (status=%s): check key/model/endpoint", kind, failure.status)


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
