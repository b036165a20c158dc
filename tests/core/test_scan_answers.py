"""The evidence scan's barrier table answered whole: its four groups and its all-phase barriers."""

from __future__ import annotations

import pytest

from bot.core.answering.scan_answers import scan_reply
from knowledge.matching import default_matching
from tests.core.test_answer import ask

ALL_PHASES = ("management", "insufficient use of data", "lack of time", "lack of funding")


@pytest.mark.fast
@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("which barriers does the scan flag in every phase?", "scan-all-phases"),
        ("how does the evidence scan group the barriers it found?", "scan-groups"),
        ("what sits under the system-wide barriers in the scan", "scan-groups"),
        ("where does role demarcation sit in the scan's table?", "scan-groups"),
        ("which category of barrier did the scan find studied most?", None),  # a finding
        ("international research groups barriers into 4 buckets per the scan - which?", None),
        ("staff resistance is ticked for which two phases in the scan?", None),  # not known
        ("how many studies did the scan look at?", None),
        ("what are the seven success factors?", None),
        # the stages it sorts barriers by are its phases, not its groups
        ("The evidence scan sorts barriers by stage of a project. What are the stages?", None),
        ("which category and phase is role demarcation in the scan?", "scan-groups"),
        # how many phases a barrier is marked in is in the table; which ones are not
        (
            "In the scan's barrier table, which barriers only get flagged against a single "
            "phase? I want the full list please.",
            "scan-1-phases",
        ),
        ("which barriers are marked in two phases in the scan?", "scan-2-phases"),
    ],
)
def test_only_the_tables_own_questions_are_answered_from_it(
    question: str, topic: str | None
) -> None:
    reply = scan_reply(question, default_matching())
    assert (reply.topic if reply else None) == topic


def test_the_all_phase_barriers_are_listed_whole(services) -> None:
    a = ask(
        services,
        "For our risk log: which barriers in the scan's table are ticked against all three phases?",
    )
    lead = a.answer.lower()
    assert a.grounded and all(name in lead for name in ALL_PHASES) and "nhs culture" in lead
    assert a.citations[0].document == "evidence_scan" and a.citations[0].page == "3"


def test_a_named_group_leads_and_the_others_follow(services) -> None:
    a = ask(services, "what organisational barriers are in the evidence scan? need the full list")
    first, *rest = a.answer.splitlines()
    assert first.startswith("The evidence scan's organisational barriers are")
    assert "'Lack of time allocated'" in first and "'Role demarcation'" not in first
    assert any(line.startswith("- system-wide:") for line in rest)


def test_comparing_with_the_reports_areas_says_how_they_differ(services) -> None:
    a = ask(
        services,
        "how do the scan's groups of barriers compare with the report's four barrier areas?",
    )
    assert "- individual:" in a.answer and "headspace" in a.answer, a.answer


def test_the_barriers_marked_in_one_phase_are_listed_whole(services) -> None:  # type: ignore[no-untyped-def]
    a = ask(services, "which barriers does the scan only flag in a single phase? full list pls")
    for name in ("Usability of interventions", "Fit with processes", "Role demarcation"):
        assert name in a.answer, a.answer
    assert "does not show which phase" in a.answer


@pytest.mark.fast
def test_a_barrier_named_in_an_all_phase_question_is_answered_first() -> None:
    matching = default_matching()
    no = scan_reply("is role demarcation one of the scan's barriers in every phase?", matching)
    assert no is not None and no.text.startswith("No: 'Role demarcation' is marked in one")
    yes = scan_reply("does the scan flag NHS culture in all three phases?", matching)
    assert yes is not None and yes.text.startswith("Yes: 'NHS culture'")
