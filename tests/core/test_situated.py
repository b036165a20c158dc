"""A story with a question about it: the reading answers what the question asks of it."""

from __future__ import annotations

import re

import pytest

from bot.core.answering.extractive import MAX_WORDS
from bot.core.answering.situated import asked_parts, asks_approach_told
from tests.core.test_answer import ask

STORY = (
    "AHP lead on a stroke unit. We want therapy assistants to take on some of the rehab tasks "
    "the nurses do now, but every profession keeps telling us that's not their job and won't "
    "let go of anything."
)


@pytest.mark.fast
@pytest.mark.parametrize(
    ("asks", "parts"),
    [
        ("which barrier is this?", []),
        ("what does the evidence scan call this kind of barrier?", ["scan"]),
        ("which success factor is missing, and what did HF ask national bodies to do?",
         ["national", "factors"]),
        ("which type of national approach is meant to help with it?", ["approaches"]),
    ],
)  # fmt: skip
def test_the_parts_a_question_asks_for_are_read_from_its_asks(asks: str, parts: list[str]) -> None:
    assert asked_parts(asks) == parts


@pytest.mark.fast
@pytest.mark.parametrize(
    ("asks", "told"),
    [
        ("in CC terms what type of national approach is that", True),
        ("which of the 3 approach types would that count as?", True),
        ("does the report back that kind of approach?", True),
        ("which type of national approach is meant to help with it?", False),
        ("which barrier is this?", False),
        ("is that type 2 or type 3?", True),
        # a type of barrier, not of approach
        ("what does the scan call this type of barrier and which of its groups is it in?", False),
        ("is this more prod or support", True),
    ],
)
def test_asking_which_approach_a_story_tells_of(asks: str, told: bool) -> None:
    assert asks_approach_told(asks) is told


def _numbered_in_order(answer) -> None:  # type: ignore[no-untyped-def]
    """Every marker has its citation, numbered in order of first use."""
    markers = [int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)]
    first_use = list(dict.fromkeys(markers))
    assert first_use == list(range(1, len(first_use) + 1)), answer.answer
    assert [c.n for c in answer.citations] == first_use


def test_what_the_scan_calls_a_story_is_named_with_its_source(services) -> None:
    a = ask(services, f"{STORY} What does the evidence scan call this kind of barrier?")
    assert "'Role demarcation'" in a.answer, a.answer
    scan = [c for c in a.citations if c.document == "evidence_scan"]
    assert scan and scan[0].provenance == "interpretation"  # the match is our reading
    _numbered_in_order(a)
    assert len(a.answer.split()) <= MAX_WORDS + 10


def test_the_scan_is_not_named_unless_asked(services) -> None:
    a = ask(services, f"{STORY} Which barrier is this?")
    assert "evidence scan's terms" not in a.answer
    assert a.answer.startswith("From what you describe, the main barrier")


def test_a_usability_story_gets_the_scans_own_example(services) -> None:
    a = ask(
        services,
        "We were sent a national toolkit for the new pathway and it is so complicated that "
        "the team could not make sense of it and gave up within weeks. Is there anything on "
        "this in the evidence scan?",
    )
    assert "'Usability of interventions'" in a.answer and "19" in a.answer, a.answer


def test_the_approach_a_story_tells_of_is_named_first(services) -> None:
    a = ask(
        services,
        "head of nursing here, our trust was put in special measures last month and the "
        "inspectors keep coming back with deadlines. in HF terms what type of approach is that",
    )
    assert a.answer.startswith("What you describe sounds like Type 1, prod organisations [1]")
    assert a.citations[0].chunk_id == "framework.yaml#prod_organisations"
    _numbered_in_order(a)


def test_what_the_report_asks_of_national_bodies_is_kept_when_asked(services) -> None:
    a = ask(
        services,
        "Our ward has no protected time for improvement and every project is done on top of "
        "the day job, so nothing moves. Which barrier is it, and what does the report ask "
        "national bodies to do about it?",
    )
    assert "national bodies here:" in a.answer and "shared view" in a.answer, a.answer
    assert any(c.chunk_id.startswith("framework.yaml#") and c.n > 1 for c in a.citations)
    _numbered_in_order(a)


def test_an_ask_that_points_back_at_the_story_gets_it_read(services) -> None:
    """Not declined for words the guidance lacks ("FY1s", "drug round"): the story is read."""
    a = ask(
        services,
        "ward pharmacist. we offered to take on the TTOs to free up the FY1s but the medics say "
        "that's their job and nursing won't let us near the drug round either. what would the "
        "evidence scan call this?",
    )
    assert a.grounded and a.answer.startswith("From what you describe"), a.answer
    assert "'Role demarcation'" in a.answer


@pytest.mark.parametrize(
    ("message", "named"),
    [
        (
            "our ICB has started sending an improvement team into struggling practices to coach "
            "them through redesign, with analyst time thrown in. which of the three approach "
            "types would that be?",
            "Type 2, proactive support",
        ),
        (
            "NHSE have brought in league tables and fines for missing the 4 hour target. in CC "
            "terms what type of approach is that?",
            "Type 1, prod organisations",
        ),
        # the story and its ask in one sentence, either side of a dash
        (
            "a national scheme that trains ward sisters in improvement methods and tries to get "
            "them inspired about it - is that type 2 or type 3?",
            "Type 3, people-focused",
        ),
    ],
)
def test_a_lever_told_of_is_named_not_the_three_types_listed(
    services, message: str, named: str
) -> None:
    a = ask(services, message)
    assert a.answer.startswith(f"What you describe sounds like {named} [1]"), a.answer
    others = {"Type 1", "Type 2", "Type 3"} - {named[:6]}
    assert not any(other in a.answer for other in others), a.answer
    _numbered_in_order(a)


def test_in_chat_the_card_names_what_the_story_asks_for(services) -> None:
    """Chat gives a story its diagnosis card; the card answers the ask about the scan too."""
    reply = services.responder.respond(f"{STORY} What would the evidence scan call this?")
    assert reply.kind == "diagnosis" and reply.diagnosis is not None
    assert "'Role demarcation'" in reply.diagnosis.message, reply.diagnosis.message
    plain = services.responder.respond(f"{STORY} Where do we start?")
    assert plain.diagnosis is None or "evidence scan's terms" not in plain.diagnosis.message


def test_asked_whether_there_is_too_much_of_it_the_verdict_on_the_mix_is_given(services) -> None:
    a = ask(
        services,
        "the main way the centre gets our trust to improve is inspections, ratings and targets "
        "hanging over the board. which of HF's approach types is that, and did HF think there "
        "was too much of it?",
    )
    assert a.answer.startswith("What you describe sounds like Type 1, prod organisations [1]")
    assert "relied too much on pressing organisations" in a.answer
    verdict = next(c for c in a.citations if c.chunk_id == "matching.yaml#balance_verdict")
    assert verdict.section == "press release"
    _numbered_in_order(a)
    # not asked about the balance: no verdict
    plain = ask(services, "NHSE brought in league tables and fines. what type of approach is that?")
    assert "relied too much" not in plain.answer


def test_a_story_of_what_national_bodies_do_gets_what_the_report_asks_of_them(services) -> None:
    a = ask(
        services,
        "ICB director. on the same service change we get one message from the regulator, another "
        "from NHSE region and a third from a royal college. does constructive comfort say "
        "anything useful about this?",
    )
    assert "What the report asks of national bodies here" in a.answer
    assert "shared view" in a.answer
    _numbered_in_order(a)


def test_the_weak_factor_here_is_read_from_the_story(services) -> None:
    """ "which of the 7 success factors is the weak one here?": a reading, not the list."""
    a = ask(
        services,
        "QI facilitator in a community trust. teams are keen and full of ideas but nobody really "
        "knows how to break a problem down or test a fix properly. which of the 7 success "
        "factors is the weak one here?",
    )
    assert "capabilities and skills for finding and fixing problems" in a.answer
    assert "1. Committed" not in a.answer


def test_what_a_source_is_retold_as_saying_is_looked_up_not_read_as_a_story(services) -> None:
    a = ask(
        services,
        "I heard the HF compared how a CEO of a trust in special measures gets treated with how "
        "consultants at the same trust get treated. What was that example and which barrier was "
        "it about?",
    )
    assert "clinical excellence award" in a.answer
    assert "From what you describe" not in a.answer


@pytest.mark.parametrize(
    "story",
    [
        # who writes is not part of the story; a clause joined by "so" or "and honestly" is
        # matched alone as well as whole
        "physio team lead. we got handed a national 'sustainability' tool to help embed changes "
        "and honestly half the team couldnt make sense of it so it just sat in a drawer",
        "patient safety specialist 🙃 we got sent a national falls toolkit and most wards gave up "
        "on it cos it was too fiddly",
    ],
)
def test_a_toolkit_nobody_could_use_is_the_scans_usability_barrier(services, story: str) -> None:
    a = ask(services, f"{story}. does the evidence scan have a name for this kind of barrier?")
    assert "'Usability of interventions'" in a.answer, a.answer


def test_asked_what_else_the_report_wants_the_other_types_are_named(services) -> None:
    a = ask(
        services,
        "ICB board: we keep writing to providers saying 'you must improve X' and offering nothing "
        "else. in the report's terms what approach are we leaning on, and what would it push us "
        "towards instead?",
    )
    assert a.answer.startswith("What you describe sounds like Type 1, prod organisations [1]")
    assert "invest much more in proactive support (Type 2)" in a.answer
    assert "focus national action on NHS staff (Type 3)" in a.answer
    _numbered_in_order(a)


def test_an_approach_ask_reported_in_the_last_sentence_names_the_lever(services) -> None:
    a = ask(
        services,
        "We've been issuing contract performance notices and withholding CQUIN money to push our "
        "local acute trust on delayed discharges for two years now. Nothing shifts. My director "
        "wants to know which of the report's approach types we've been relying on, and what the "
        "report would say we're missing.",
    )
    assert a.answer.startswith("What you describe sounds like Type 1, prod organisations [1]")
    assert "(Type 2)" in a.answer
