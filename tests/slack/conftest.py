"""Fixtures for the Slack layer: clean environment, loopback-only network, sample core values."""

from __future__ import annotations

import ipaddress
import os
import socket
from typing import Any

import pytest

from bot.core.models import (
    Answer,
    ApproachFinding,
    BarrierFinding,
    Citation,
    Diagnosis,
    FactorFinding,
    SourceRef,
    SuggestedAction,
)

_ENV_PREFIXES = ("CHANGEBOT_", "SLACK_", "OPENAI_", "AZURE_OPENAI_")


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith(_ENV_PREFIXES):
            monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test in tests/slack may reach a non-loopback host (style item 13)."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: Any) -> Any:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            host = address[0]
            try:
                loopback = ipaddress.ip_address(host).is_loopback
            except ValueError:
                loopback = host == "localhost"
            if not loopback:
                raise ConnectionRefusedError(f"test network guard: {host} is not loopback")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


HOSTILE = (
    "Ask <!channel> & <@U999> to visit <http://evil.example|NHS guidance> "
    "or https://attacker.example/x?q=1 @here"
)


@pytest.fixture
def sample_answer() -> Answer:
    return Answer(
        answer="Headspace means time and attention to lead change [1]. " + HOSTILE,
        citations=[
            Citation(
                n=1,
                title="Evidence scan No. 24",
                document="evidence_scan",
                section="Key messages",
                page="3",
                chunk_id="c1",
            ),
            Citation(
                n=2,
                title="Our notes <b>",
                document="notes.md",
                section="Headspace",
                chunk_id="c2",
                provenance="interpretation",
            ),
        ],
        mode="offline",
        note="The language model was not used.",
    )


@pytest.fixture
def sample_diagnosis() -> Diagnosis:
    source = SourceRef(document="evidence_scan", title="", section="Key messages", page="3")
    return Diagnosis(
        barriers=[
            BarrierFinding(
                id="headspace",
                score=0.82,
                evidence=["we are firefighting every shift", "no time <!here>"],
            ),
            BarrierFinding(id="motivation", score=0.41, evidence=["the consultants don't see why"]),
        ],
        factors=[
            FactorFinding(id="resources_support", score=0.7),
            FactorFinding(id="leadership", score=0.4),
        ],
        approaches=[ApproachFinding(id="proactive_support", score=0.8)],
        actions=[
            SuggestedAction(
                text=f"Protect one hour a week for the project team ({n})",
                barrier="headspace",
                approach="proactive_support",
                why="Headspace grows when time is ring-fenced.",
                source=source,
            )
            for n in range(1, 5)
        ],
        follow_up_questions=[
            "What takes most of your team's time?",
            "Who could cover one session?",
        ],
        message="This sounds mostly like a headspace problem.",
    )
