"""Fixtures for the Slack layer (the root conftest cleans the env and guards the network)."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Iterator
from pathlib import Path

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
from tests.servers.slack_api import SlackApiStub
from tests.slack.harness import SECRET, Harness

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


# -- integration fixtures: real services, the Slack Web API stub, the real bolt HTTP stack ------

GUIDE_A = """# Headspace for change

Teams need protected time and attention to plan change while still running the service.
Ring-fence an hour a week for the project team, and stop one low-value meeting to make room.
"""
GUIDE_HOSTILE = """# Where to find help

For headspace support, ask <!channel> and <@U999> or @here, and visit
<http://evil.example|NHS guidance> or https://attacker.example/x?q=1 for the protected time
toolkit & templates.
"""
GUIDE_B = """# Motivation to change

Clinicians engage with a change when they see evidence that it helps patients and when peers
they respect lead it. Share local data early and invite sceptics to shape the pilot.
"""


class CountingCore:
    """Delegates to a real core object, counting calls and optionally slowing them down."""

    def __init__(self, real: object, name: str) -> None:
        self.real, self.name = real, name
        self.calls = 0
        self.delay_s = 0.0
        self.lock = threading.Lock()

    def __getattr__(self, attr: str) -> object:
        target = getattr(self.real, attr)
        if attr != self.name:
            return target

        def call(*args: object, **kwargs: object) -> object:
            with self.lock:
                self.calls += 1
            if self.delay_s:
                time.sleep(self.delay_s)
            return target(*args, **kwargs)

        return call


@pytest.fixture(scope="session")
def real_services(bundled_services, tmp_path_factory: pytest.TempPathFactory):
    """Real services over a two-note index, built once.

    The fitted-model cache of the session's bundled services is copied in first, so the models
    are fitted once per test run, not once per fixture.
    """
    import shutil

    from bot.services import build_services
    from bot.settings import Settings
    from ingestion.pipeline import ingest

    root = tmp_path_factory.mktemp("slack-services")
    shutil.copytree(bundled_services.settings.data_dir / "cache", root / "data" / "cache")
    guidance = root / "guidance"
    guidance.mkdir()
    (guidance / "headspace.md").write_text(GUIDE_A, encoding="utf-8")
    (guidance / "motivation.md").write_text(GUIDE_B, encoding="utf-8")
    (guidance / "links.md").write_text(GUIDE_HOSTILE, encoding="utf-8")
    services = build_services(Settings(data_dir=root / "data", guidance_dir=guidance))
    ingest([guidance], services.index, services.settings, mode="replace")
    yield services
    services.close()


@pytest.fixture
def services(real_services, tmp_path: Path):
    """The session services with a counting (and optionally slow) core entry point.

    Each test is a fresh deployment: its own shared store (claims, promises, cards).
    """
    from bot.state.store import SharedStore

    store = SharedStore(f"sqlite:///{tmp_path / 'state.db'}")
    yield dataclasses.replace(
        real_services, responder=CountingCore(real_services.responder, "respond"), store=store
    )
    store.close()  # only the store is this test's own; the index is the session's


@pytest.fixture
def stub() -> Iterator[SlackApiStub]:
    with SlackApiStub() as server:
        yield server


@pytest.fixture
def slack_settings(tmp_path: Path, stub: SlackApiStub):
    from bot.settings import Settings

    return Settings(
        data_dir=tmp_path / "slack-data",
        slack_bot_token="xoxb-test",
        slack_signing_secret=SECRET,
        slack_api_url=stub.api_url,
        admin_user_ids=["UADMIN"],
        admin_team_id="T1",
        user_rate_per_minute=50,
    )


@pytest.fixture
def built(slack_settings, services):
    from bot.slack.server.app import build_app, runtime_of

    app = build_app(slack_settings, services)
    runtime = runtime_of(app)
    yield app, runtime
    runtime.shutdown(timeout=10)


@pytest.fixture
def harness(built, stub: SlackApiStub) -> Iterator[Harness]:
    h = Harness(built[0], response_url=stub.response_url())
    yield h
    h.close()


@pytest.fixture
def runtime(built):
    return built[1]


def settle(runtime, seconds: float = 0.3) -> None:
    """Let listeners submit, then wait for the worker to finish (bounded)."""
    time.sleep(seconds)
    assert runtime.worker.drain(20)
    time.sleep(0.05)
