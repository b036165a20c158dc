"""Where the asker is and what the answer is for are not what the question is about.

"I need the address for the reference list in our porters' induction pack", "one of the
team insists …", "had the NHS ever managed it historically?", "is the CQC one of them?": the
pack, the teller, the adverb and the member checked are not topics a passage must hold. The
wording here is ours, not the eval files'.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.core.answering.answer import asks_another_nations_system
from bot.core.answering.compound import with_each_asks_lead
from bot.core.answering.relevance import case_counted, member_checked
from bot.core.answering.rewrite import claim_put_plainly
from bot.core.answering.shorthand import spell_out
from bot.core.answering.situated import asks_approach_told
from bot.core.answering.spelling import manner_adverb
from bot.core.answering.topics import asked_focus, topical_terms, without_who_asks
from bot.core.models import Answer, Citation
from tests.core.test_answer import ask


@pytest.mark.parametrize(
    ("question", "wanted"),
    [
        (
            "Estates admin here. I need the Health Foundation's address as it appears on the "
            "2015 documents for the reference list in our porters' induction pack.",
            "Long Acre",
        ),
        (
            "Payroll manager at a Scottish health board here. What yearly productivity growth "
            "did the report say the NHS needed, and had it ever managed that historically?",
            "never",
        ),
        (
            "one of the registrars insists Richard Taunt ran the Health Foundation when the "
            "report came out. who's right?",
            "Director of Policy",
        ),
        (
            "How many pages are the report, the supplement and the scan? I want to know what "
            "I'm letting myself in for.",
            "40",
        ),
        (
            "would merging our two hospital laundries count as an 'improvement project' in the "
            "scan's sense?",
            "reconfiguration",
        ),
        (
            "Trust secretary in Belfast. The report is about England's NHS, isn't it? Do they "
            "say it applies more widely?",
            "UK",
        ),
        (
            "Our board wants a 'what good looks like' session and a colleague said the "
            "supplement has a chapter with that title. Which chapter, and from what page?",
            "page 13",
        ),
        (
            "In the scan's barrier table, which barriers are marked in just one phase? asking "
            "because our new rostering app is driving everyone mad",
            "Role demarcation",
        ),
        (
            "About the interviews behind the report - who was interviewed? And how many "
            "separate workstreams did the whole thing rest on?",
            "five",
        ),
        (
            "Is the barriers scan really a systematic review? And how many NHS studies did it "
            "look at in the end?",
            "systematic review",
        ),
        (
            "who was really in the room for the workshops they held for the report?",
            "commissioners",
        ),
        (
            "was HF's complaint all stick and no carrot from the national bodies, or the reverse?",
            "support",
        ),
        (
            "Is there a one-page visual of the framework I could pop into a slide for my team "
            "brief? What's it called?",
            "what national bodies can do to help",
        ),
        (
            "who counts as a 'national body' in the report - is NHS Improvement one of them?",
            "whole of the NHS",
        ),
    ],
)
def test_covered_questions_with_the_askers_scene_are_answered(
    services: Any, question: str, wanted: str
) -> None:
    answer = ask(services, question)
    assert answer.grounded, answer.answer
    assert wanted in answer.answer


@pytest.mark.parametrize(
    "question",
    [
        "what does the report say about digitally enabled care at home?",
        "does the report cover the elderly in care homes?",
        "is there anything on net zero I could put on the wall in our office?",
        "what was Felicity Dormon's role at the Health Foundation when the report came out?",
        "does the report give guidance on co-designing services with carers?",
    ],
)
def test_uncovered_questions_stay_declined(services: Any, question: str) -> None:
    assert not ask(services, question).grounded


def test_an_adverb_of_a_word_says_how_not_what() -> None:
    assert manner_adverb("historically") and manner_adverb("publicly")
    assert not any(manner_adverb(w) for w in ("family", "assembly", "elderly", "quarterly"))


def test_a_member_checked_is_the_supposition() -> None:
    assert member_checked("who do they mean - is the CQC one of them?") == {"cqc"}
    assert member_checked("who are the national bodies?") == set()


def test_who_asks_is_not_the_nation_asked_about() -> None:
    signed = "Finance lead at a Welsh health board here. What productivity rate did they want?"
    assert "Welsh" not in without_who_asks(signed)
    assert not asks_another_nations_system(signed)
    assert asks_another_nations_system("what figures does the report give for Wales?")


def test_where_the_answer_goes_is_not_asked() -> None:
    pinned = asked_focus(
        "Is there a one-page summary I could put on the wall in the staff room? What's it called?"
    )
    assert "wall" not in pinned and "staff room" not in pinned
    packed = asked_focus(
        "I need the launch date for the reference list in our team's training pack."
    )
    assert "pack" not in topical_terms(packed)
    assert "myself" not in topical_terms("what am I letting myself in for?")
    assert "class" not in topical_terms(spell_out("what type of document is it classed as?"))
    assert "class" in topical_terms("how many places are left in the strength classes?")


def test_a_one_page_visual_is_the_infographic() -> None:
    assert "infographic" in spell_out("is there a one-page visual version of the report?")


def test_one_of_a_group_can_tell_a_claim() -> None:
    claim = claim_put_plainly("one of the matrons insists the scan was written by McKinsey. right?")
    assert claim.startswith("the scan was written by McKinsey")


def test_the_askers_case_is_held_up_against_a_definition() -> None:
    case = case_counted("does moving our kitchen off-site count as an improvement project?")
    assert {"kitchen", "off-site"} <= case
    assert case_counted("what is an improvement project?") == set()


def test_a_title_told_before_a_claim_is_what_that_title_means() -> None:
    claim = claim_put_plainly(
        "we run a 'speak up' week and my manager said the report has a chapter with that "
        "title. which chapter?"
    )
    assert "'speak up'" in claim


def test_an_asks_own_lead_joins_the_whole_answer_within_the_limit() -> None:
    whole = Answer(
        answer="The guidance says: First fact. [1] Second fact. [2]",
        citations=[
            Citation(n=1, title="A", document="d", chunk_id="a"),
            Citation(n=2, title="B", document="d", chunk_id="b"),
        ],
        grounded=True,
    )
    alone = Answer(
        answer="The guidance says: What the other ask wanted. [1]",
        citations=[Citation(n=1, title="C", document="d", chunk_id="c")],
        grounded=True,
    )
    joined = with_each_asks_lead(whole, [alone])
    assert joined.answer == (
        "The guidance says: First fact. [1] What the other ask wanted. [2] Second fact. [3]"
    )
    assert [c.chunk_id for c in joined.citations] == ["a", "c", "b"]
    assert with_each_asks_lead(whole, [whole]).answer == whole.answer


def test_a_documents_kind_is_not_an_approach_type() -> None:
    assert not asks_approach_told("who wrote it and what type of document is it classed as?")
    assert asks_approach_told("league tables and fines - what type of approach is that?")
