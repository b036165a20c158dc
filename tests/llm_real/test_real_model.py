"""End to end against a real local model (run by scripts/test_llm.sh, i.e. `make test-llm`).

A 270M-parameter base model is weak on purpose: the point is that whatever it produces, changebot
either shows a result that passed every check (citations to given ids only, quotes really in the
user's text, framework ids and actions only) or falls back with a plain note. Each test prints
which of the two happened and how long it took.
"""

from __future__ import annotations

import re
import time
import urllib.request

import pytest

from bot.common.errors import LLMUnavailable
from bot.core.diagnosis.suggest import suggest_action
from bot.core.llm.answer import NO_CITATIONS, llm_answer
from bot.core.llm.diagnose import llm_diagnose
from bot.core.models import BarrierFinding, Diagnosis, Passage
from bot.llm.client import LLMClient
from bot.llm.policy import INVALID, TIMEOUT
from bot.settings import Settings
from knowledge.framework import BARRIER_IDS, Framework, default_framework

pytestmark = pytest.mark.llm_real

PASSAGES = [
    Passage(
        chunk_id="cc-0001",
        text="Headspace is the time and mental space to think about change. "
        "Teams under pressure lose it first; protect a regular hour for it.",
        title="Constructive comfort",
        document="constructive_comfort",
        section="Barriers to change",
        page="12",
    ),
    Passage(
        chunk_id="cc-0002",
        text="Start with small, visible changes that the team chose themselves.",
        title="Constructive comfort",
        document="constructive_comfort",
        section="Approaches",
        page="20",
    ),
]
QUESTIONS = ["What is headspace?", "How can a busy team protect time to think?"]
SITUATIONS = [
    (
        "The ward team are keen, but we have been at OPEL 4 since November and every "
        "improvement workshop gets cancelled.",
        "every improvement workshop gets cancelled",
    ),
    (
        "The board does not see why we need to change, and the data we show them never lands.",
        "the data we show them never lands",
    ),
]


@pytest.fixture(scope="module")
def settings() -> Settings:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    if not settings.openai_base_url:
        pytest.skip("needs a local model server: run scripts/test_llm.sh (make test-llm)")
    return settings


@pytest.fixture(scope="module")
def llm(settings: Settings) -> LLMClient:
    return LLMClient.from_config(settings)


@pytest.fixture(scope="module")
def framework() -> Framework:
    return default_framework()


# A weak model may time out or produce output that fails our checks; a crashed or unreachable
# server is a failure of the setup (or of our request), not an acceptable fallback.
# a clean fall-back: a reply that failed its checks, came too late, or cited nothing we gave it
ACCEPTABLE_FALLBACKS = {INVALID, TIMEOUT, NO_CITATIONS}


def report(kind: str, outcome: str, started: float) -> None:
    print(f"\n[llm_real] {kind}: {outcome} in {time.monotonic() - started:.1f}s")


@pytest.mark.parametrize("question", QUESTIONS)
def test_answer_validates_or_falls_back(llm, question):
    started = time.monotonic()
    try:
        answer = llm_answer(question, PASSAGES, llm)
    except LLMUnavailable as exc:
        assert exc.user_message in ACCEPTABLE_FALLBACKS
        return report(f"answer {question!r}", f"fell back ({exc.user_message})", started)
    assert answer.mode == "llm" and answer.citations
    assert {c.chunk_id for c in answer.citations} <= {p.chunk_id for p in PASSAGES}
    assert set(re.findall(r"\[(\d+)\]", answer.answer)) == {str(c.n) for c in answer.citations}
    assert "http" not in answer.answer and "@" not in answer.answer
    assert len(re.sub(r"\[\d+\]", "", answer.answer).split()) <= 150
    report(f"answer {question!r}", f"validated: {answer.answer!r}", started)


@pytest.mark.parametrize(("situation", "quote"), SITUATIONS)
def test_diagnosis_validates_or_falls_back(llm, framework, situation, quote):
    seed = BarrierFinding(id="headspace", score=0.5, evidence=[quote])
    offline = Diagnosis(
        barriers=[seed],
        actions=[suggest_action(a, seed) for a in framework.barrier("headspace").actions[:3]],
        message="offline reading",
    )
    started = time.monotonic()
    try:
        result = llm_diagnose(situation, offline, framework, llm)
    except LLMUnavailable as exc:
        assert exc.user_message in ACCEPTABLE_FALLBACKS
        return report("diagnosis", f"fell back ({exc.user_message})", started)
    folded = " ".join(situation.casefold().split())
    assert result.mode == "llm" and {b.id for b in result.barriers} <= set(BARRIER_IDS)
    for barrier in result.barriers:
        assert 0.0 <= barrier.score <= 1.0
        assert all(" ".join(e.casefold().split()) in folded for e in barrier.evidence)
    known = {a.text for b in framework.barriers for a in b.actions}
    assert result.actions and {a.text for a in result.actions} <= known
    barriers = [(b.id, round(b.score, 2), b.evidence) for b in result.barriers]
    report("diagnosis", f"validated: {barriers}", started)


def test_json_schema_method_is_handled(settings):
    client = LLMClient.from_config(
        settings.model_copy(update={"llm_structured_method": "json_schema", "llm_max_attempts": 1})
    )
    started = time.monotonic()
    try:
        llm_answer(QUESTIONS[0], PASSAGES, client)
    except LLMUnavailable as exc:
        report("json_schema", f"fell back ({exc.user_message})", started)
    else:
        report("json_schema", "validated", started)
    # whatever the server thought of json_schema, it must still be serving
    urllib.request.urlopen(f"{settings.openai_base_url}/models", timeout=10).close()


def test_timeout_falls_back_quickly(settings):
    """Last on purpose: the server keeps generating for the abandoned request."""
    client = LLMClient.from_config(settings.model_copy(update={"llm_timeout_s": 0.5}))
    started = time.monotonic()
    with pytest.raises(LLMUnavailable) as caught:
        llm_answer(QUESTIONS[1], PASSAGES, client)
    assert caught.value.user_message == TIMEOUT
    assert time.monotonic() - started < 5.0
    report("timeout", "fell back", started)
