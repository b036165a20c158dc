"""Shared fixtures: clean environment, a network guard, settings, the real embedder and index."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.settings import Settings
from tests.servers.chroma import chroma_server as chroma_server  # noqa: F401 - shared fixture
from tests.servers.network_guard import NetworkGuard

_ENV_PREFIXES = ("CHANGEBOT_", "SLACK_", "OPENAI_", "AZURE_OPENAI_")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test sees the developer's own settings or .env."""
    for name in list(os.environ):
        if name.startswith(_ENV_PREFIXES):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture(autouse=True)
def network_guard(monkeypatch: pytest.MonkeyPatch) -> Iterator[NetworkGuard]:
    """Every test: resolving or connecting to anything but loopback fails at once."""
    guard = NetworkGuard()
    guard.install(monkeypatch)
    yield guard


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Offline settings on a temporary data directory."""
    return Settings(data_dir=tmp_path / "data")


@pytest.fixture(scope="session")
def embedder() -> Any:
    """The real local embedder (loaded once per session)."""
    from knowledge.embeddings import local_embedder

    return local_embedder()


@pytest.fixture(scope="session")
def bundled_services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Real services over an index built from the bundled guidance (built once per session)."""
    from bot.services import build_services
    from bot.startup import ensure_index

    data = tmp_path_factory.mktemp("bundled")
    services = build_services(Settings(data_dir=data))
    ensure_index(services)
    yield services
    services.close()


# Modules of pure units: no model, no index, no server. ``make test-fast`` runs only these.
FAST_MODULES = frozenset(
    {
        "tests/test_layering.py",
        "tests/test_settings.py",
        "tests/core/test_routing.py",
        "tests/core/test_clauses.py",
        "tests/core/test_privacy.py",
        "tests/core/test_training_cache.py",
        "tests/core/test_scope_rules.py",
        "tests/knowledge/test_framework.py",
        "tests/knowledge/test_fitted.py",
        "tests/llm/test_policy.py",
        "tests/llm/test_prompts.py",
        "tests/llm/test_llm_filter.py",
        "tests/llm/test_llm_evidence.py",
        "tests/slack/test_escape.py",
        "tests/slack/test_blocks_golden.py",
        "tests/slack/test_manifest.py",
    }
)
_ROOT = Path(__file__).resolve().parent.parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the fast tier in one place (modules may also mark themselves)."""
    for item in items:
        if Path(item.path).resolve().relative_to(_ROOT).as_posix() in FAST_MODULES:
            item.add_marker(pytest.mark.fast)
