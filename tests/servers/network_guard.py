"""A guard that stops tests reaching non-loopback hosts (like pydantic-ai's ALLOW_MODEL_REQUESTS).

Why: a test that silently calls api.openai.com (or resolves a name through DNS) would pass on a
laptop and hang or leak a key in CI. The guard patches name resolution and ``connect`` so anything
other than 127.0.0.0/8, ::1 or ``localhost`` fails at once and is recorded in ``blocked``.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from typing import Any

import pytest


def is_loopback(host: object) -> bool:
    """True for loopback addresses and the name ``localhost``."""
    if isinstance(host, bytes):
        host = host.decode()
    if not isinstance(host, str):
        return False
    if host.lower() in {"localhost", "localhost."}:
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


class NetworkGuard:
    """Records and refuses every attempt to resolve or connect to a non-loopback host."""

    def __init__(self) -> None:
        self.blocked: list[str] = []

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Patch ``socket`` for the duration of one test."""
        real_getaddrinfo = socket.getaddrinfo
        real_connect = socket.socket.connect
        real_connect_ex = socket.socket.connect_ex

        def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
            if host is not None and not is_loopback(host):
                self.blocked.append(str(host))
                raise socket.gaierror(socket.EAI_NONAME, f"network guard: {host} is not loopback")
            return real_getaddrinfo(host, *args, **kwargs)

        def check(sock: socket.socket, address: Any) -> None:
            if sock.family in (socket.AF_INET, socket.AF_INET6) and not is_loopback(address[0]):
                self.blocked.append(str(address[0]))
                raise ConnectionRefusedError(f"network guard: {address[0]} is not loopback")

        def connect(sock: socket.socket, address: Any) -> None:
            check(sock, address)
            real_connect(sock, address)

        def connect_ex(sock: socket.socket, address: Any) -> int:
            check(sock, address)
            return real_connect_ex(sock, address)

        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
        monkeypatch.setattr(socket.socket, "connect", connect)
        monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)


@pytest.fixture
def network_guard(monkeypatch: pytest.MonkeyPatch) -> Iterator[NetworkGuard]:
    """Install the guard for one test (use with ``autouse`` in a conftest)."""
    guard = NetworkGuard()
    guard.install(monkeypatch)
    yield guard
