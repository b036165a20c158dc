"""Shared fixtures: clean environment, a network guard, settings, the real embedder and index."""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.settings import Settings

_ENV_PREFIXES = ("CHANGEBOT_", "SLACK_", "OPENAI_", "AZURE_OPENAI_")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test sees the developer's own settings or .env."""
    for name in list(os.environ):
        if name.startswith(_ENV_PREFIXES):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


def _loopback(address: Any) -> bool:
    if isinstance(address, str | bytes):  # unix socket path
        return True
    host = address[0]
    if host in {"localhost", ""}:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def network_guard(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any connection to a host other than loopback (no test may use the network)."""
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def connect(self: socket.socket, address: Any) -> Any:
        if not _loopback(address):
            raise RuntimeError(f"network access outside loopback attempted: {address!r}")
        return real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> Any:
        if not _loopback(address):
            raise RuntimeError(f"network access outside loopback attempted: {address!r}")
        return real_connect_ex(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)


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
    from bot.bootstrap import ensure_index
    from bot.services import build_services

    data = tmp_path_factory.mktemp("bundled")
    services = build_services(Settings(data_dir=data))
    ensure_index(services)
    yield services
