"""Answers on the bundled guidance: framework lists, citations, grounding gate, follow-ups."""

from __future__ import annotations

import re

import pytest

from bot.core.models import Turn


def _markers(text: str) -> set[int]:
    return {int(n) for n in re.findall(r"\[(\d+)\]", text)}


def ask(services, question, history=None):  # type: ignore[no-untyped-def]
    """Through the core's one entry point, as ``changebot ask`` does."""
    return services.responder.respond(question, history, mode="answer").as_answer()


def test_framework_list_is_complete_and_in_order(services) -> None:
    a = ask(services, "remind me what the seven success factors are")
    labels = [f.label for f in services.framework.factors]
    positions = [a.answer.find(label) for label in labels]
    assert all(p >= 0 for p in positions) and positions == sorted(positions)
    assert a.citations and a.grounded


def test_barriers_list(services) -> None:
    a = ask(services, "what are the four barriers to change?")
    for word in ("Recognition", "Motivation", "Headspace", "Capability"):
        assert word in a.answer
    assert _markers(a.answer) <= {c.n for c in a.citations}


@pytest.mark.parametrize(
    "question",
    [
        "who are the authors of Constructive comfort?",
        "what did the evidence scan find about staff resistance?",
        "how can a ward manager create time for improvement work?",
    ],
)
def test_answers_cite_what_they_use_and_stay_short(services, question: str) -> None:
    a = ask(services, question)
    assert a.grounded and a.citations
    assert _markers(a.answer) == {c.n for c in a.citations}
    body = a.answer
    assert len(body.split()) <= 150
    assert all(c.chunk_id and c.title for c in a.citations)


def test_authors_question_names_them(services) -> None:
    a = ask(services, "who wrote Constructive comfort?")
    assert "Allcock" in a.answer


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("nursing student 👋 who are the authors of constructive comfort?", "Allcock"),
        (
            "medical student 👋 what are the four barriers to change in constructive comfort?",
            "Headspace",
        ),
        (
            "medical student what are the four barriers to change in constructive comfort?",
            "Headspace",
        ),
    ],
)
def test_who_asks_before_an_emoji_or_the_ask_is_not_what_is_asked(
    services, question: str, expected: str
) -> None:
    """An emoji ends who asks as a full stop would; neither "student" is a topic to look up."""
    a = ask(services, question)
    assert a.grounded and expected in a.answer


def test_northern_ireland_beside_the_other_nations_is_read_so(services) -> None:
    """ "scotland/wales/NI": NI is no unknown name beside the other nations."""
    a = ask(
        services, "is constructive comfort england only or does it apply to scotland/wales/NI too?"
    )
    assert a.grounded and "Northern Ireland" in a.answer


def test_a_maker_supposed_by_did_x_write_it_gets_the_real_authors(services) -> None:
    a = ask(services, "did mckinsey write the main constructive comfort report")
    assert a.grounded and a.answer.startswith("The guidance says: Constructive comfort was written")


def test_headspace_reached_through_everyday_words(services) -> None:
    r = services.retriever.search("my team has no time to think about improvement", k=5)
    assert any("headspace" in (p.text + p.title).lower() for p in r.passages)


@pytest.mark.parametrize(
    "question",
    [
        "what's the recommended antibiotic for a UTI in pregnancy?",
        "who won the premier league in 2019?",
        "what does the report say about blockchain for GP records?",
    ],
)
def test_not_covered_is_declined(services, question: str) -> None:
    a = ask(services, question)
    assert a.grounded is False and not a.citations
    assert "doesn't cover" in a.answer or "outside" in a.answer


@pytest.mark.parametrize(
    "question",
    [
        # another nation's own system: the report is about England and holds none of it
        "does the report have figures for how NHS Scotland does on these barriers compared with "
        "England",
        "Scottish colleague here. Did Constructive comfort include any case studies from NHS "
        "Scotland?",
        # a setting only our own tips mention, asked as what the report itself says
        "GP partner here. What did the evidence scan find about barriers to improvement "
        "specifically in general practice?",
    ],
)
def test_what_the_report_never_holds_is_declined_though_our_notes_touch_it(
    services, question: str
) -> None:
    a = ask(services, question)
    assert a.grounded is False and not a.citations, a.answer


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # a figure in the scene, or one the asker doubts, is not what is asked about
        ("I've got 15 minutes before the board starts. Who wrote the evidence scan?", "silva"),
        ("when was the supplement published? my notes say 2016 which can't be right", "2015"),
        # who made "it", or when, asks of the document the scene names
        ("reading the evidence scan on the train - when did it come out", "2015"),
    ],
)
def test_the_scene_beside_a_document_fact_does_not_decline_it(
    services, question: str, expected: str
) -> None:
    a = ask(services, question)
    assert a.grounded and expected in a.answer.lower(), a.answer


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        ("my manager says data and analytics is a barrier area - is she right?", "No. Data"),
        ("our lead insists motivation is one of the barriers?? settle this", "Yes. Motivation"),
    ],
)
def test_a_claim_about_the_framework_put_for_checking_gets_yes_or_no(
    services, question: str, lead: str
) -> None:
    a = ask(services, question)
    assert a.answer.startswith(lead), a.answer


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # all three types named at once, then "what are they?"
        (
            "our strategy doc mentions 'Type 1, 2 and 3' approaches from HF. what are they in "
            "plain words?",
            ["Prod organisations", "Proactive support", "People-focused"],
        ),
        # one part set aside, the rest asked for
        (
            "besides the seven success factors, what else is in the framework?",
            ["Besides the seven success factors", "Prod organisations", "Headspace"],
        ),
        # "explain X" is X's definition
        (
            "can you explain the headspace barrier so i can use it at our huddle",
            ["Headspace to make change happen is one of the framework's barriers"],
        ),
        # a supposed pair of authors, one of them wrong
        ("is it right the report was by Jennifer Dixon and Ann Smith? my refs say so", ["Allcock"]),
    ],
)
def test_framework_items_named_or_set_aside_are_answered(
    services, question: str, expected: list[str]
) -> None:
    a = ask(services, question)
    assert a.grounded and all(e in a.answer for e in expected), a.answer


def test_what_they_are_asks_of_the_group_counted_before_it(services) -> None:
    """The item named after the ask ("the prodding one") is not what "they" are."""
    a = ask(
        services,
        "HF says national bodies use three types of approach. What are they? our ICB only ever "
        "does the prodding one",
    )
    assert a.answer.startswith("The report describes three types"), a.answer


@pytest.mark.parametrize(
    "question",
    [
        # names asked for ("which actual trusts"), and none given anywhere
        "which particular trusts did the McKinsey people talk to? want to get in touch",
        # what happened after the report, which nothing indexed tells
        "did the national bodies formally respond to the four recommendations?",
    ],
)
def test_names_and_aftermaths_the_guidance_never_gives_are_declined(
    services, question: str
) -> None:
    a = ask(services, question)
    assert a.grounded is False and not a.citations, a.answer


def test_a_year_asked_about_is_still_declined(services) -> None:
    a = ask(services, "did the health foundation publish a follow-up on it in 2018?")
    assert a.grounded is False and not a.citations, a.answer


def test_what_the_report_says_by_its_title_is_no_persons_words(services) -> None:
    """ "What does constructive comfort say …" asks the report, not a person named Comfort."""
    a = ask(services, "What does constructive comfort say national bodies should do straight away?")
    assert a.grounded and "shared view" in a.answer.lower(), a.answer


def test_whether_the_report_applies_in_wales_is_answered(services) -> None:
    """Its notes say where it applies: "does it apply to us?" is no ask for Wales's system."""
    a = ask(services, "im in NHS Wales, does this even apply to us or is it england only")
    assert a.grounded and "England" in a.answer


def test_follow_up_uses_history(services) -> None:
    first = ask(services, "what are the four barriers to change?")
    history = [
        Turn(role="user", text="what are the four barriers to change?"),
        Turn(role="assistant", text=first.answer),
    ]
    a = ask(services, "and what about the third one?", history)
    assert "headspace" in a.answer.lower()


def test_patient_data_is_refused_before_retrieval(services) -> None:
    a = ask(services, "what barrier applies to Mrs Jones DOB 04/05/1950?")
    assert a.scope == "patient_data" and not a.grounded and "1950" not in a.answer


def test_provenance_is_labelled(services) -> None:
    a = ask(services, "what can I do locally about the motivation barrier?")
    kinds = {c.provenance == "source" for c in a.citations}
    assert a.citations
    assert ("The guidance says" in a.answer) == (True in kinds)
    assert ("changebot suggests" in a.answer) == (False in kinds)


def test_chat_filler_cannot_join_an_nhs_number_that_then_leaves(services, monkeypatch) -> None:
    """Dropping "lol" or "pls" would join 943 476 5919; the joined form is screened too."""
    from bot.core.answering.shorthand import screen_spelled

    seen: list[str] = []
    embed = services.retriever._embedder.embed
    monkeypatch.setattr(
        services.retriever._embedder, "embed", lambda texts: seen.extend(texts) or embed(texts)
    )
    message = "patient 943 lol 476 pls 5919 keeps missing clinic, which barrier is that?"
    assert screen_spelled(message).sensitive
    reply = services.responder.respond(message)
    assert reply.kind == "notice" and reply.scope == "patient_data"
    history = [Turn(role="user", text=message), Turn(role="assistant", text="noted")]
    ask(services, "and what helps with headspace?", history)
    assert not any("5919" in text for text in seen)


@pytest.mark.parametrize(
    "question",
    [
        "what evidence did the report draw on?",
        "how did they actually get the evidence for the report, was it just a lit review?",
        "what evidence went into the report? i know there was a lit scan but what else did they "
        "draw on",
    ],
)
def test_what_the_report_rests_on_is_its_workstreams_not_the_evidence_scan(
    services, question: str
) -> None:
    a = ask(services, question)
    assert a.grounded and "workstreams" in a.answer.split("[1]")[0], a.answer
    assert "interviews" in a.answer and "workshops" in a.answer


def test_what_the_scan_was_based_on_stays_the_scan_s(services) -> None:
    from bot.core.answering.rewrite import with_the_report

    asked = "the barriers scan was based on 37 NHS studies wasnt it"
    assert with_the_report(asked) == asked


@pytest.mark.parametrize(
    ("question", "said"),
    [
        (
            "Board member insists 'lack of funding' is one of the four barrier areas in "
            "Constructive comfort. I don't think it is - who's right?",
            "'Lack of funding' (organisational)",
        ),
        (
            "is 'stability' one of the four barrier areas in the report?",
            "'Lack of stability' (system-wide)",
        ),
        (
            "Is 'capabilty to execute change' one of the seven success factors?",
            "Capability to execute change is one of the barrier areas",
        ),
    ],
)
def test_a_claimed_member_that_is_not_one_gets_no_and_where_it_belongs(
    services, question: str, said: str
) -> None:
    a = ask(services, question)
    assert a.answer.startswith("No. '") and said in a.answer, a.answer
    assert "1. " in a.answer  # with the list asked about


@pytest.mark.parametrize(
    "question",
    [
        "can u map the four recommendations onto the three approach types for me, need it for a "
        "commissioning intentions paper",
        "how many reccomendations r there and which approach type does each one line up with",
    ],
)
def test_the_recommendations_mapped_onto_the_approach_types(services, question: str) -> None:
    a = ask(services, question)
    for line in ("Type 1, prod organisations", "Type 2, proactive support", "Type 3, people"):
        assert line in a.answer, a.answer
    # one recommendation asked about keeps its own answer
    one = ask(services, "the 'invest far more in support' recommendation - which approach type?")
    assert "Type 1, prod organisations" not in one.answer
