"""A claim that the report would drop the levers aimed at organisations gets a plain no."""

from __future__ import annotations

from typing import Any

import pytest

from bot.core.answering.levers_kept import levers_kept, pressure_claimed
from knowledge.framework import default_framework
from knowledge.matching import default_matching
from tests.core.test_answer_leads import ask


@pytest.mark.fast
@pytest.mark.parametrize(
    "question",
    [
        "so the report says bin the inspection regime altogether, yeah?",
        "does HF want national bodies to axe targets and go all in on support?",
        "my CEO says CC means we should get rid of type 1 prodding. right?",
    ],
)
def test_the_claim_gets_no_and_the_second_recommendation(question: str) -> None:
    reply = levers_kept(question, default_framework())
    assert reply is not None and reply.text.startswith("No. ")
    assert "Rework the blend of organisational levers" in reply.text


@pytest.mark.fast
@pytest.mark.parametrize(
    "question",
    [
        "what does the report say about targets?",  # nothing said of dropping them
        "our tariff income drops if we cut length of stay, which barrier is that?",
        "every improvement we start gets dropped when the next reorg lands",
    ],
)
def test_other_questions_are_left_alone(question: str) -> None:
    assert levers_kept(question, default_framework()) is None


def test_the_no_reaches_the_asker_cited(services: Any) -> None:
    a = ask(services, "so basically CC says scrap the regulation and league tables stuff?")
    assert a.grounded and a.answer.startswith("No. ")
    assert a.citations[0].chunk_id == "framework.yaml#recommendation-organisational_levers"


@pytest.mark.parametrize(
    "question",
    [
        "so does CC say get rid of the regulation and inspection levers?",  # read as "remove"
        "does the report say regulators should stop prodding trusts with targets altogether?",
    ],
)
def test_every_wording_of_dropping_reaches_the_no(services: Any, question: str) -> None:
    assert ask(services, question).answer.startswith("No. ")


@pytest.mark.fast
@pytest.mark.parametrize(
    ("question", "claimed"),
    [
        (
            "my manager reckons the health foundation said national bodies are too soft on "
            "trusts and need to crack down harder. is that rigth?",
            True,
        ),
        ("did the HF say national bodies should put more pressure on trusts?", True),
        ("what does the report say national bodies should do?", False),  # no claim
        ("our board wants tougher targets for the wards, which barrier is that?", False),
        ("so CC says scrap the targets, right?", False),  # the other claim: levers_kept
    ],
)
def test_a_claim_that_the_report_wants_more_pressure_gets_no(question: str, claimed: bool) -> None:
    reply = pressure_claimed(question, default_framework(), default_matching().balance_verdict)
    assert (reply is not None) is claimed
    if reply is not None:
        assert reply.text.startswith("No. ") and "proactive support" in reply.text


def test_the_pressure_claim_is_answered_in_chat(services: Any) -> None:
    a = ask(services, "didnt HF argue national bodies need to get tougher on trusts?")
    assert a.grounded and a.answer.startswith("No. "), a.answer
    assert a.citations[0].chunk_id == "matching.yaml#balance_verdict"


@pytest.mark.parametrize(
    "question",
    [
        "in HF's view, was the blend of national approaches right at the time?",
        "what was the Health Foundation's verdict on the national approach?",
    ],
)
def test_the_verdict_on_the_national_mix_is_said_when_asked(services: Any, question: str) -> None:
    from bot.core.answering.levers_kept import verdict_asked

    framework = services.responder._diagnoser.framework
    verdict = services.responder._matching.balance_verdict
    said = verdict_asked(question, framework, verdict)
    assert said is not None
    assert said.text.startswith(verdict.text) and "Type 1, 'prod organisations'" in said.text
    # a claim that it wants harder pressure is answered "No" elsewhere
    assert (
        verdict_asked(
            "so the mix of national approaches should crack down harder?", framework, verdict
        )
        is None
    )
