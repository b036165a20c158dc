"""Core fixtures: the real services over the bundled guidance (built once per session)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(scope="session")
def services(bundled_services: Any) -> Any:
    return bundled_services
