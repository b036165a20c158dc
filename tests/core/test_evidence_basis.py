"""What a document rests on, which item a description names, and how two lists meet.

"What was the supplement based on?" is answered by where its evidence came from, not by its date
and length; "was it based on GP practices?" is answered by the providers it studied, not
declined for naming a setting the notes never use. "Which of the 4 barriers is the one about …"
names the area described, not the whole list; "how do the factors link to the barriers?" sets
the two lists against each other, saying the pairing is ours.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.core.answering.framework_answers import kinds_related, recommendations_by_type
from bot.core.answering.identify import kind_asked
from bot.core.answering.question_form import question_form
from bot.core.answering.relevance import settings_checked
from bot.core.answering.shorthand import spell_out
from tests.core.test_answer import ask
from tests.core.test_answer_leads import lead


@pytest.mark.parametrize(
    ("question", "wanted"),
    [
        ("what was the mckinsey supplement based on?", "interviews with senior leaders"),
        ("where did the supplement get its evidence from", "acute providers"),
        ("what evidence is the barriers scan based on?", "12 bibliographic databases"),
        ("what is constructive comfort based on?", "five workstreams"),
    ],
)
def test_a_basis_asked_leads_with_the_evidence(services: Any, question: str, wanted: str) -> None:
    assert wanted in lead(services, question)


@pytest.mark.parametrize(
    "question",
    [
        "did the supplement cover nursing homes at all?",
        "was the mckinsey supplement based on ambulance trusts or hospitals?",
        "Did the supplement include leaders from primary care?",
    ],
)
def test_a_setting_checked_against_the_supplement_is_answered(services: Any, question: str) -> None:
    answer = ask(services, question)
    assert answer.grounded, answer.answer
    assert "acute" in answer.answer


def test_only_the_supplements_scope_is_checked_so() -> None:
    assert settings_checked("did the supplement cover care homes?") == {"care", "home"}
    # what another document found in a setting is its topic, declined when never given
    assert settings_checked("what did the evidence scan find in general practice?") == set()
    assert settings_checked("what does the supplement say about leadership?") == set()


def test_a_setting_the_scan_never_splits_out_is_still_declined(services: Any) -> None:
    answer = ask(services, "how many of the scan's studies were done in care homes?")
    assert not answer.grounded


@pytest.mark.parametrize(
    ("typed", "spelt"),
    [
        ("no time bc of rotas", "because"),
        ("which bodies does it have in mind?", "does it mean?"),
        ("through the lens of the report, what helps?", "in the report"),
        ("our OD team wants to know", "organisational development team"),
        ("can transport take her, and how much notice do they need?", "how many days before"),
        ("I work for a national arm's-length body", "national body"),
    ],
)
def test_chat_shorthand_is_spelt_out(typed: str, spelt: str) -> None:
    assert spelt in spell_out(typed)


def test_od_alone_is_left_as_typed() -> None:
    assert "OD" in spell_out("is it 10mg OD or BD?")


def test_national_bodies_had_in_mind_are_named(services: Any) -> None:
    answer = ask(
        services,
        "When the report talks about national bodies, which organisations does it have in mind?",
    )
    assert answer.grounded
    assert "NHS England" in answer.answer and "Monitor" in answer.answer


@pytest.mark.parametrize(
    ("question", "wanted"),
    [
        (
            "which of the four barriers is the one about never getting a minute to think bc "
            "you're always firefighting",
            "Headspace",
        ),
    ],
)
def test_the_barrier_described_is_named_not_listed(
    services: Any, question: str, wanted: str
) -> None:
    answer = ask(services, question)
    assert answer.answer.startswith(f"That sounds like {wanted}"), answer.answer


def test_no_time_to_think_is_a_description_but_what_they_thought_is_a_finding() -> None:
    assert (
        kind_asked("which barrier is the one about having no time to think cos of firefighting")
        == "barrier"
    )
    assert kind_asked("which barrier did they think mattered in the end, out of the four?") is None
    assert kind_asked("which approach type were national bodies relying on too heavily?") is None


def test_factors_and_barriers_are_set_against_each_other(services: Any) -> None:
    framework = services.responder._diagnoser.framework
    related = kinds_related("are the success factors and the barriers the same list?", framework)
    assert related is not None
    assert related.text.startswith("No: they are two different lists")
    assert "patchy" in related.text and "our mapping, not the report's" in related.text
    for barrier in framework.barriers:
        assert barrier.label in related.text


def test_approach_types_and_barriers_are_set_against_each_other(services: Any) -> None:
    framework = services.responder._diagnoser.framework
    related = kinds_related("how do the approach types connect to the barrier areas?", framework)
    assert related is not None
    assert all(f"Type {a.type_number}" in related.text for a in framework.approaches)
    assert kinds_related("how do the scan's barriers relate to each other?", framework) is None


def test_recommendations_lined_up_against_types(services: Any) -> None:
    framework = services.responder._diagnoser.framework
    paired = recommendations_by_type(
        "how do the four recommendations line up with the three approach types?", framework
    )
    assert paired is not None and "no one type" in paired.text


@pytest.mark.parametrize(
    ("question", "form"),
    [
        ("When the report talks about national bodies, who does it mean?", "which"),
        ("If I want to reach them, who were the named contacts?", "who"),
        ("when was it published, and who wrote it?", "who"),
        ("when did the scan come out?", "when"),
    ],
)
def test_a_leading_clause_is_not_the_ask(question: str, form: str) -> None:
    assert question_form(question) == form


def test_a_barrier_is_named_only_when_the_diagnosis_reads_it_so(services: Any) -> None:
    # the closest match alone reads "not having the skills" as motivation; the diagnosis reads
    # capability, so neither is named and the four areas are listed
    answer = ask(
        services,
        "which of the four barriers is the one about not having the skills to actually deliver "
        "change?",
    )
    assert not answer.answer.startswith("That sounds like Motivation"), answer.answer
    assert "Capability to execute change" in answer.answer


def test_the_likeliest_barrier_of_a_description(services: Any) -> None:
    diagnoser = services.responder._diagnoser
    assert diagnoser.likeliest_barrier("nobody on the team knows how to run a PDSA") == "capability"
    assert diagnoser.likeliest_barrier("   ") is None


def test_one_barrier_with_the_factors_closest_to_it(services: Any) -> None:
    framework = services.responder._diagnoser.framework
    related = kinds_related("which success factors go with the capability barrier?", framework)
    assert related is not None
    assert related.text.startswith("Capability to execute change [1]:")
    for factor in framework.barrier("capability").related_factors:
        assert framework.factor(factor).label.lower() in related.text
    assert "our mapping, not the report's" in related.text
    # a factor named too is a pairing asked about, not the barrier's list
    assert kinds_related("how does data and analytics relate to recognition?", framework) is None


def test_one_barrier_with_the_approach_types_and_their_recommendations(services: Any) -> None:
    framework = services.responder._diagnoser.framework
    related = kinds_related(
        "if motivation is what's stuck, which approach types should national bodies lean on?",
        framework,
    )
    assert related is not None
    for approach in framework.barrier("motivation").approaches:
        assert f"Type {framework.approach(approach).type_number}" in related.text
    assert "our reading, not the report's" in related.text
    assert "Focus national action on NHS staff" in related.text
    # a type named is a check of that type, not the barrier's list
    assert kinds_related("does type 3 help with motivation?", framework) is None


def test_recommendations_by_type_say_what_each_asks(services: Any) -> None:
    framework = services.responder._diagnoser.framework
    paired = recommendations_by_type("map the recommendations onto the approach types", framework)
    assert paired is not None and "coherent improvement strategy" in paired.text


def test_one_recommendation_called_by_its_subject(services: Any) -> None:
    from bot.core.answering.urgent import recommendation_named

    framework = services.responder._diagnoser.framework
    named = recommendation_named(
        "under the rec on focusing on staff, what are national bodies meant to do?", framework
    )
    assert named is not None and named.text.startswith("Recommendation 4,")
    # which type it goes with is answered with the type, elsewhere
    assert (
        recommendation_named(
            "the recommendation about proactive support - which of the approach types is it?",
            framework,
        )
        is None
    )


def test_a_second_ask_with_its_own_exact_reply_is_answered_too(services: Any) -> None:
    answer = ask(
        services,
        "two things: which recommendation should happen without delay, and what's meant to "
        "come first under the recommendation on investing in support?",
    )
    assert "Recommendation 3" in answer.answer and "improvement strategy" in answer.answer
    assert "act on immediately" in answer.answer
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))
