"""Reply bodies for the scripted OpenAI-compatible server: what a model would send in each mode.

The server reads the task from the request itself: ``<passage id=...>`` elements mean an answer,
a ``<situation>`` element means a diagnosis, anything else is plain text. When the request carries
tools (``function_calling``) the reply is a forced tool call; otherwise it is message content.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

PASSAGE = re.compile(r'<passage id="([^"]+)"[^>]*>(.*?)</passage>', re.DOTALL)
SITUATION = re.compile(r"<situation>(.*?)</situation>", re.DOTALL)


def completion(mode: str, body: dict[str, Any], override: dict[str, Any] | None) -> dict[str, Any]:
    """A chat.completion object for ``mode``."""
    if mode == "empty_choices":
        return _envelope(body, [])
    if mode == "refusal":
        message = {"role": "assistant", "content": None, "refusal": "I can't help with that."}
        return _envelope(body, [_choice(message, "stop")])
    if mode == "malformed":
        return _reply(body, "Sure! Here is what I think: the team needs more time.")
    if mode == "echo":
        return _reply(body, json.dumps(_echo(body)))
    if mode == "length":
        return _reply(body, '{"answer": "The guidance says that', finish="length")
    payload = override if override is not None else _payload(mode, body)
    return _reply(body, json.dumps(payload))


def _payload(mode: str, body: dict[str, Any]) -> dict[str, Any]:
    user = user_text(body)
    passages = PASSAGE.findall(user)
    situation = SITUATION.search(user)
    if passages:
        return _answer(mode, passages)
    if situation:
        return _diagnosis(mode, html.unescape(situation.group(1)).strip(), body)
    return {"text": "plain reply"}


def _answer(mode: str, passages: list[tuple[str, str]]) -> dict[str, Any]:
    ids = [pid for pid, _ in passages]
    if mode == "schema":
        return {"answer": 42, "citations": "all of them"}
    if mode == "unknown_ids":
        bogus = "zz-unknown-0001"
        return {"answer": f"The guidance says so [{bogus}].", "cited_ids": [bogus]}
    if mode == "obedient":
        copied = " ".join(f"{text.strip()} [{pid}]" for pid, text in passages)
        return {"answer": f"As instructed: {copied}", "cited_ids": ids}
    first = f"The guidance says that leaders need protected time to think [{ids[0]}]."
    second = f" changebot suggests starting small [{ids[1]}]." if len(ids) > 1 else ""
    return {"answer": first + second, "cited_ids": ids[:2]}


def _diagnosis(mode: str, situation: str, body: dict[str, Any]) -> dict[str, Any]:
    words = situation.split()
    quote = " ".join(words[:4])
    actions = _action_ids(body)[:2]
    if mode == "schema":
        return {"barriers": "lots of them", "factors": [{"score": "high"}]}
    if mode == "unknown_ids":
        return {"barriers": [{"id": "burnout", "score": 0.9, "evidence": [quote]}]}
    if mode == "bad_evidence":
        fake = "we have had no budget for three years"
        return {"barriers": [{"id": "capability", "score": 0.8, "evidence": [fake]}]}
    if mode == "obedient":
        barriers = [
            {"id": b, "score": 1.0, "evidence": [situation[:150]]}
            for b in ("recognition", "motivation", "headspace", "capability")
        ]
        return {"barriers": barriers, "factors": [], "approaches": [], "action_ids": actions}
    return {
        "barriers": [{"id": "headspace", "score": 0.9, "evidence": [quote.upper()]}],
        "factors": [{"id": "resources_support", "score": 0.6}],
        "approaches": [{"id": "proactive_support", "score": 0.7}],
        "action_ids": actions,
    }


def _action_ids(body: dict[str, Any]) -> list[str]:
    """The action ids the request's schema allows, so 'ok' can pick real ones."""
    fmt = body.get("response_format") or {}
    schema = (fmt.get("json_schema") or {}).get("schema") or fmt.get("schema")
    if schema is None and body.get("tools"):
        schema = body["tools"][0]["function"]["parameters"]
    text = json.dumps(schema or {})
    found = re.search(r'"action_ids": \{[^{}]*"items": \{[^{}]*"enum": (\[[^\]]*\])', text)
    return list(json.loads(found.group(1))) if found else []


def _echo(body: dict[str, Any]) -> dict[str, Any]:
    everything = "\n".join(str(m.get("content")) for m in body.get("messages", []))
    ids = [pid for pid, _ in PASSAGE.findall(user_text(body))]
    return {"answer": everything, "cited_ids": ids, "barriers": [], "text": everything}


def user_text(body: dict[str, Any]) -> str:
    return "\n".join(
        str(m.get("content")) for m in body.get("messages", []) if m.get("role") == "user"
    )


def _reply(body: dict[str, Any], content: str, finish: str = "stop") -> dict[str, Any]:
    tools = body.get("tools")
    if tools and finish == "stop":
        call = {
            "id": "call_1",
            "type": "function",
            "function": {"name": tools[0]["function"]["name"], "arguments": content},
        }
        message = {"role": "assistant", "content": None, "tool_calls": [call]}
        return _envelope(body, [_choice(message, "tool_calls")])
    if body.get("messages") and not _wants_json(body) and content.startswith('{"text"'):
        content = json.loads(content)["text"]
    return _envelope(body, [_choice({"role": "assistant", "content": content}, finish)])


def _wants_json(body: dict[str, Any]) -> bool:
    return bool(body.get("response_format") or body.get("tools"))


def _choice(message: dict[str, Any], finish: str) -> dict[str, Any]:
    return {"index": 0, "message": message, "finish_reason": finish, "logprobs": None}


def _envelope(body: dict[str, Any], choices: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 0,
        "model": body.get("model", "test-model"),
        "choices": choices,
        "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
    }
