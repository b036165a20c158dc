"""Fixtures for the LLM path: the scripted OpenAI-compatible server, settings, framework, guard."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest

from bot.llm.client import LLMClient
from bot.settings import Settings
from tests.llm.framework_fixture import small_framework
from tests.servers.network_guard import NetworkGuard
from tests.servers.network_guard import network_guard as network_guard  # noqa: F401
from tests.servers.openai_server import OpenAIServer
from tests.servers.openai_server import openai_server as openai_server  # noqa: F401

ENV_PREFIXES = ("CHANGEBOT_", "OPENAI_", "AZURE_OPENAI_", "SLACK_", "LANGSMITH_", "LANGCHAIN_")


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, network_guard: NetworkGuard) -> None:  # noqa: F811
    """No ambient configuration and no non-loopback network in any LLM test."""
    for name in list(os.environ):
        if name.startswith(ENV_PREFIXES):
            monkeypatch.delenv(name)


@pytest.fixture
def make_settings(tmp_path: Any, openai_server: OpenAIServer) -> Callable[..., Settings]:  # noqa: F811
    """Settings pointing at the loopback server, fast limits; override any field by keyword."""

    def make(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "data_dir": tmp_path,
            "openai_base_url": openai_server.url,
            "openai_api_key": "sk-test",
            "llm_model": "test-model",
            "llm_timeout_s": 2.0,
            "llm_time_budget_s": 10.0,
        }
        values.update(overrides)
        return Settings(_env_file=None, **values)  # type: ignore[call-arg]

    return make


@pytest.fixture
def make_llm(make_settings: Callable[..., Settings]) -> Callable[..., LLMClient]:
    """An LLMClient from settings with a short backoff so retry tests stay fast."""

    def make(**overrides: Any) -> LLMClient:
        return LLMClient.from_config(make_settings(**overrides), backoff_base_s=0.05)

    return make


@pytest.fixture
def llm(make_llm: Callable[..., LLMClient]) -> LLMClient:
    """The default client against the loopback server (json_schema)."""
    return make_llm()


@pytest.fixture(scope="session")
def framework() -> Any:
    """A small but complete framework built in code, independent of framework.yaml edits."""
    return small_framework()
