"""What a question is about, how it is asked, and how a lead sentence is picked: pure rules."""

from __future__ import annotations

import pytest

from bot.common.types import Passage
from bot.core.answering.answer import wants_exact
from bot.core.answering.extractive import Candidate, LeadContext, choose_lead
from bot.core.answering.question_form import asks_for_help, question_form
from bot.core.answering.relevance import (
    answer_type_bonus,
    carries_answer,
    from_document,
    is_fragment,
    is_meta,
    named_documents,
)
from bot.core.answering.table_lookup import table_header
from bot.core.answering.topics import (
    about_terms,
    asked_focus,
    asked_part,
    compared_sides,
    conditions,
    contains_term,
    known_term,
    named_terms,
    one_edit,
    told_only,
    topical_terms,
)
from bot.core.wording import terms
from knowledge.framework import DOCUMENT_TITLES

pytestmark = pytest.mark.fast

VOCABULARY = {
    t: 2.0
    for t in (
        "recommendation analys organisation lever staff barrier facilitator headspace "
        "capability 19 2015 pages dcas pcn"
    ).split()
}


@pytest.mark.parametrize(
    ("question", "wanted", "unwanted"),
    [
        (
            "does the report say national bodies should scrap the levers they use?",
            {"national", "lever"},
            {"scrap", "use", "report"},
        ),
        ("As a ward sister, how do I get my team to see the need to change?", {"team"}, {"sister"}),
        (
            "how is prodding different from proactive support?",
            set(terms("proactive")),
            {"different"},
        ),
        ("remind me who wrote it exactly", set(), {"remind", "wrote", "exactly"}),
        ("how do I stop my team getting change fatigue?", set(terms("fatigue")), {"gett", "stop"}),
    ],
)
def test_topical_terms_leave_out_the_words_that_frame_a_question(
    question: str, wanted: set[str], unwanted: set[str]
) -> None:
    topical = set(topical_terms(question))
    assert wanted <= topical and not unwanted & topical


def test_a_role_clause_is_not_what_is_asked() -> None:
    assert asked_part("As a QI lead how do I make time?") == "how do I make time?"
    assert asked_part("I'm a GP partner - how do we find time?") == "how do we find time?"
    assert asked_part("how do I make time?") == "how do I make time?"


@pytest.mark.parametrize(
    ("term", "known"),
    [
        ("recommend", True),  # recommendation
        ("analyse", True),  # analysed -> analys
        ("recomendation", True),  # a typo
        ("2-3%", True),  # single digits are never indexed
        ("covid-19", False),  # "19" is known, "covid" is not
        ("2023", False),
        ("carbon", False),
        ("ai", False),
        ("dca", True),  # "DCAs": the stemmer keeps short plurals
        ("pcns", True),  # "PCN"
    ],
)
def test_known_term_allows_close_spellings_but_not_new_topics(term: str, known: bool) -> None:
    assert known_term(term, VOCABULARY) is known


def test_one_edit() -> None:
    assert one_edit("managment", "management") and one_edit("recomend", "recommend")
    assert not one_edit("ab", "ba") and not one_edit("carbon", "carbons!")


@pytest.mark.parametrize(
    ("question", "first", "second"),
    [
        (
            "how is prodding organisations different from the people-focused approach?",
            "prodd",
            "people-focus",
        ),
        (
            "whats the difference between proactive support and prod organisations",
            terms("proactive")[0],
            "prod",
        ),
        (
            "Is taking away a barrier the same thing as having a facilitator?",
            "barrier",
            "facilitator",
        ),
        ("compare recognition and motivation", "recognition", "motivation"),
        ("headspace vs capability?", terms("headspace")[0], "capability"),
    ],
)
def test_compared_sides(question: str, first: str, second: str) -> None:
    sides = compared_sides(question)
    assert sides is not None
    assert first in sides.first and second in sides.second


def test_no_sides_without_a_comparison() -> None:
    assert compared_sides("are the success factors the same everywhere?") is None


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("give me an example of national bodies sending mixed signals", "example"),
        ("Can you give an example of an individual barrier?", "example"),
        ("whats the difference between prodding and support", "compare"),
        ("compare recognition and motivation", "compare"),
        ("As a ward sister, how can I get my team to see the need to change?", "how_to"),
        ("my consultants don't see a problem - how do I build recognition?", "how_to"),
        ("Is X, which is Y, good?", "yes_no"),
        ("hi, who leads it?", "who"),
        # two moments of one measure are asked as figures, not as two things compared
        ("re the pilot - what % of lists started on time before vs after?", "how_many"),
        ("what proportion were seen within 2 hours pre and post?", "how_many"),
        ("before vs after, how long did patients wait?", "how_many"),
        ("type 1 vs type 2?", "compare"),
        # who asks, then the ask without a question mark
        ("ward manager here - how do i get flu vaccine stock for the ward", "how_to"),
        # "where" that asks for no place
        ("audit never gets fed back. where am i going wrong?", "why"),
        ("where do we even start with this?", "how_to"),
        ("where is the falls desk?", "where"),
        # a need stated after the scene, without a question mark
        ("doing a board paper, need the mri dna rate from last year", "what"),
        # a figure asked for by name only, and a clause asking what someone else may do
        ("PIFU rate in Aug pls", "what"),
        ("AEDS median wait in Q2 pls - the perf report figure, not the baseline", "what"),
        ("med review is overdue, can the rx clerks still issue their repeat", "yes_no"),
    ],
)
def test_more_question_forms(text: str, form: str) -> None:
    assert question_form(text) == form


def test_asks_for_help_is_about_ones_own_work_not_the_report() -> None:
    assert asks_for_help("how can a ward manager create time for improvement work?")
    assert asks_for_help("what should a practice manager do when partners are too busy?")
    assert not asks_for_help("how does the report define headspace?")
    assert not asks_for_help("does the guidance say how to use AI for data?")


@pytest.mark.parametrize(
    "sentence",
    [
        "This map is changebot's interpretation: a defensible reading of the sourced material.",
        "The label is the report's; the definition and causes below are changebot's reading.",
        "The definition, warning signs and actions are changebot's interpretation.",
        "Treating special measures as a Type 1 lever is changebot's interpretation.",
        "They are changebot's own examples, not a list taken from Constructive comfort.",
        "The bundled notes draw on three Health Foundation documents.",
        "These phrasings are invented to help spot the headspace barrier, not quotations.",
        "These are invented illustrations of the capability barrier, not the scan's words.",
    ],
)
def test_sentences_about_the_notes_are_meta(sentence: str) -> None:
    assert is_meta(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "changebot's reading for local leaders: invest in the people leading change.",
        "As changebot's suggestion, not the report's list, typical levers would include "
        "inspection, targets and payment rules.",
        "Constructive comfort was written by Clare Allcock, Felicity Dormon and others.",
    ],
)
def test_content_sentences_are_not_meta(sentence: str) -> None:
    assert not is_meta(sentence)


def test_fragments_of_split_lists() -> None:
    assert is_fragment("6, What is happening in the NHS?.")
    assert not is_fragment("6 barriers are marked in two phases.")


def test_who_took_part_is_answered_by_people_not_authors() -> None:
    took_part = "who took part in the workshops?"
    people = "The workshops brought together commissioners and improvement leaders."
    authors = "The supplement was written by the McKinsey Hospital Institute."
    assert carries_answer("who", people, True, took_part)
    assert not carries_answer("who", authors, True, took_part)
    assert carries_answer("who", authors, True, "who wrote the supplement?")
    assert answer_type_bonus(took_part, people) > answer_type_bonus(took_part, authors)


def test_a_when_question_is_not_answered_by_the_month_it_names() -> None:
    asked = "network study day in may - what date and where is it?"
    planned = "Leanne Cotter reminded all that the network study day is being planned for May."
    dated = "SAVE THE DATE - NETWORK STROKE STUDY DAY, THURSDAY 21 MAY 2026"
    assert not carries_answer("when", planned, True, asked)
    assert carries_answer("when", dated, True, asked)
    assert carries_answer("when", planned)  # without the question, any date counts


def test_how_many_carries_number_words_but_not_ordinals() -> None:
    assert carries_answer("how_many", "Constructive comfort makes four recommendations.")
    assert not carries_answer("how_many", "The fourth recommendation asks national bodies.")


def test_documents_named_and_matched_by_exact_title() -> None:
    assert named_documents("who wrote the report?") == ["constructive_comfort"]
    assert named_documents("what is the supplementary report about?") == ["supplement"]
    assert named_documents("how many studies did the scan analyse?") == ["evidence_scan"]
    report = DOCUMENT_TITLES["constructive_comfort"]
    assert from_document(report, ["constructive_comfort"])
    glossary = "Glossary of terms used in Constructive comfort and its companion documents"
    assert not from_document(glossary, ["constructive_comfort"])


def test_one_item_of_a_framework_list_is_not_the_whole_list() -> None:
    assert wants_exact("which four areas do barriers to change fall into?")
    assert wants_exact("what are the seven success factors?")
    assert not wants_exact("which type of approach did national bodies rely on too much?")
    assert not wants_exact("Which success factor is about data?")
    assert not wants_exact("how many success factors are there?")


def _passage(n: int, document: str) -> Passage:
    return Passage(
        chunk_id=f"c{n}", text="", title="t", document="d", origin=DOCUMENT_TITLES[document]
    )


def _authors(supplement_score: float) -> list[Candidate]:
    return [
        Candidate(supplement_score, 0, 0, "The McKinsey Hospital Institute wrote it in 2015."),
        Candidate(0.4, 1, 0, "Constructive comfort was written by Clare Allcock and others."),
    ]


def test_who_wrote_the_report_leads_with_the_report_not_the_supplement() -> None:
    passages = [_passage(0, "supplement"), _passage(1, "constructive_comfort")]
    ranked = _authors(0.95)  # the supplement's sentence matches "wrote" better
    ctx = LeadContext.of("who wrote the report?", "who", {}, None, ranked)
    assert choose_lead(ranked, passages, ctx).text.startswith("Constructive comfort")
    ctx = LeadContext.of("who wrote the supplement?", "who", {}, None, ranked)
    assert choose_lead(ranked, passages, ctx).text.startswith("The McKinsey")


def test_a_document_fact_defaults_to_the_main_report() -> None:
    passages = [_passage(0, "supplement"), _passage(1, "constructive_comfort")]
    ranked = _authors(0.6)
    ctx = LeadContext.of("who are the authors?", "who", {}, None, ranked)
    assert choose_lead(ranked, passages, ctx).text.startswith("Constructive comfort")


def test_the_lead_is_never_a_sentence_about_the_notes() -> None:
    passages = [_passage(0, "constructive_comfort")]
    ranked = [
        Candidate(0.9, 0, 0, "This map is changebot's interpretation, not the report's."),
        Candidate(0.5, 0, 1, "The headspace barrier is about having room to lead change."),
    ]
    ctx = LeadContext.of("what is the headspace barrier?", "what", {}, None, ranked)
    assert choose_lead(ranked, passages, ctx).index == 1


@pytest.mark.parametrize(
    ("message", "focus"),
    [
        (
            "Practice nurse here. Which barrier is about time? Two lines is plenty",
            "Which barrier is about time?",
        ),
        (
            "we're a community trust - do the recommendations apply to us?",
            "do the recommendations apply to us?",
        ),
        # the question sentence has too little of its own: the scene is what it asks about
        (
            "A colleague says the scan found NHS staff resist change more. Is that true?",
            "A colleague says the scan found NHS staff resist change more. Is that true?",
        ),
        ("what are the four barriers?", "what are the four barriers?"),
        # a word or two with a question mark after a worded question: guesses at its answer
        (
            "what was the supplement based on? surveys? case notes? and which sort of trusts",
            "what was the supplement based on? and which sort of trusts",
        ),
        # a short question's "it" is in the sentence just before it
        (
            "hi all, student nurse writing an essay on change. my lecturer said CC was a Kings "
            "Fund report?? who wrote it and when did it come out",
            "my lecturer said CC was a Kings Fund report?? who wrote it and when did it come out",
        ),
        ("ward clerk here - when did it come out?", "when did it come out?"),
        # ... but a part that only says who asks is still not what it asks about
        (
            "Practice nurse in Cardiff. Is the report only relevant to England?",
            "Is the report only relevant to England?",
        ),
        # what the answer is for is not what it is about
        (
            "when was the supplement published? need it for my board paper",
            "when was the supplement published?",
        ),
        ("who wrote the scan? It's for a reference list.", "who wrote the scan?"),
        (
            "can you explain the headspace barrier in plain words so i can use it at our huddle",
            "can you explain the headspace barrier in plain words",
        ),
        # what the asker is making, set before the ask up to its comma
        (
            "doing a board paper, need the MR dna rate from last year",
            "need the MR dna rate from last year",
        ),
        (
            "slightly random but for my away day slides, the report, what were the 4 barriers",
            "the report, what were the 4 barriers",
        ),
        # the slides it goes on, without a comma, and only at the end of the sentence
        (
            "need the unreported MR number at end of September for the recovery board slides",
            "need the unreported MR number at end of September",
        ),
        (
            "putting a slide together for the hub away day - what are the 4 barrier areas",
            "what are the 4 barrier areas",
        ),
        # ... or before the ask that follows its comma
        (
            "need the seven success factors from constructive comfort for a team away day slide, "
            "can you list them?",
            "need the seven success factors from constructive comfort, can you list them?",
        ),
        # what happened to the asker, told after the ask
        (
            "short version of what the report told national bodies to do, someone quoted it at "
            "our ICS meeting and I nodded along",
            "short version of what the report told national bodies to do",
        ),
        # a topic before the comma is kept
        (
            "for the discharge hub, what are the opening hours",
            "for the discharge hub, what are the opening hours",
        ),
        # who wrote "it", or when: the document the scene names, not the scene
        (
            "prepping the induction pack on the supplement and want the reference right - who "
            "wrote it?",
            "who wrote it? supplement",
        ),
        # when the asker will use the answer
        (
            "was the supplement done by the kings fund?? can someone confirm before i quote it",
            "was the supplement done by the kings fund?? can someone confirm",
        ),
        # what the answer is for, and the asker's case, before the comma
        (
            "For the minutes of our quality committee, could you confirm the exact day the "
            "Health Foundation launched Constructive comfort?",
            "could you confirm the exact day the Health Foundation launched Constructive comfort?",
        ),
        (
            "If I wanted to get in touch with the people who ran this project at the Health "
            "Foundation, who were the named contacts?",
            "who were the named contacts? Health Foundation",
        ),
        # who the authors are, of the document named in the scene
        (
            "need to reference constructive comfort properly in a board paper - who are the "
            "authors?",
            "who are the authors? constructive comfort",
        ),
    ],
)
def test_asked_focus_leaves_out_the_scene_setting(message: str, focus: str) -> None:
    assert asked_focus(message) == focus


def test_names_and_acronyms_inside_a_sentence_are_named_terms() -> None:
    found = named_terms("Did the report look at Brexit or at AI in Leeds? I've asked before.")
    assert {"brexit", "ai", "leed"} <= found
    assert not found & {"did", "i've"}  # a sentence's first word and "I" are not names


def test_what_a_question_is_about() -> None:
    assert about_terms("what does the scan say about rural hospices?") == {"rural", "hospic"}
    assert about_terms("which barriers does the report name?") == set()


def test_framing_words_are_not_topics() -> None:
    terms = topical_terms("is it true that the report gives eg a list? or am I wrong")
    assert not set(terms) & {"true", "eg", "wrong"}
    terms = topical_terms("which workstream ended up as the supplement in her write-up?")
    assert not set(terms) & {"ended", "her"}


def test_a_hyphenated_phrase_is_found_where_its_words_are() -> None:
    assert contains_term("capability-to-lead-change", {"capability", "lead", "change"})
    assert not contains_term("capability-to-lead-change", {"capability", "change"})
    assert known_term("data-to-insight", {"data": 1.0, "insight": 1.0})


def test_the_story_before_a_question_is_told_not_asked() -> None:
    from bot.core.answering.topics import told_only

    told = told_only(
        "forms not loading on the reception PCs, keeps failing at login. who do we report it to?"
    )
    assert {"login", "reception"} <= told and "report" not in told
    assert told_only("who do we report login faults to?") == set()


def test_an_example_after_eg_stays_in_the_asked_sentence() -> None:
    question = "which royal colleges did HF name, e.g. RCN or RCP, and what did each say"
    assert asked_focus(question) == question
    assert {"rcn", "rcp"} <= set(topical_terms(asked_focus(question)))
    assert asked_focus("GP here. Which barriers did the scan find? Examples please") == (
        "Which barriers did the scan find?"
    )


def test_what_the_asker_is_doing_before_a_comma_is_scene_but_its_documents_stay() -> None:
    question = (
        "pharmacist here - putting Constructive comfort in the refs for a meds optimisation "
        "business case, who are the authors? need all of them"
    )
    focus = asked_focus(question)
    assert "optimisation" not in focus and "author" in set(topical_terms(focus))
    assert set(terms("constructive comfort")) <= set(topical_terms(focus))


def test_a_part_that_asks_after_a_comma_asks() -> None:
    question = (
        "clinical coder doing a lit list for our audit group - the scan on barriers, who wrote it"
        " and what number is it in the evidence scan series"
    )
    focus = asked_focus(question)
    assert "coder" not in focus and focus.startswith("the scan on barriers, who wrote it")


def test_a_table_row_is_read_under_its_header_row() -> None:
    rows = [
        "Opening hours below.",
        "Day | Phone lines",
        "Monday | 08:00 to 18:00",
        "Saturday | 09:00",
    ]
    assert table_header(rows, 3) == frozenset(terms("Day | Phone lines"))
    assert table_header(rows, 1) == frozenset()  # the header row itself has none above it
    assert table_header(rows, 0) == frozenset()  # not a table row


def test_a_share_asked_for_is_answered_by_a_percentage() -> None:
    asked = "what % of lists started on time?"
    assert carries_answer("how_many", "On-time starts rose from 38% to 71%.", True, asked)
    assert not carries_answer("how_many", "About 1,150 theatre minutes were regained.", True, asked)
    assert carries_answer(
        "how_many", "About 1,150 theatre minutes were regained.", True, "how many?"
    )


def test_an_aside_after_a_comma_is_scene_not_the_ask() -> None:
    text = "whats the age limit for social prescribing, got a mum asking about her 15 yr old"
    assert "mum" not in topical_terms(asked_focus(text))
    assert "age" in topical_terms(asked_focus(text))


def test_an_age_is_found_in_aged() -> None:
    assert contains_term("age", ["adult", "aged", "18"])


def test_running_a_service_is_who_asks_not_what_is_asked() -> None:
    assert topical_terms(
        "I run a dental practice in Wales – is the report only about England?"
    ) == ["england"]
    # the place someone works in may be what the question is about
    assert "wale" in topical_terms("I work in Wales - is this report only relevant to England?")


def test_what_the_asker_lacks_or_their_case_is_a_condition() -> None:
    assert conditions("how do i refer him without emis, is there an email?") == {"emis"}
    sensible = terms("sensible")[0]
    assert sensible in conditions("can i close it if she sounds sensible or must we go?")


def test_a_role_before_a_colon_is_who_asks_but_a_comparison_is_not() -> None:
    assert asked_part("Lay member of a patient panel: what's an evidence scan?") == (
        "what's an evidence scan?"
    )
    text = "main report vs supplement: who wrote which?"
    assert asked_part(text) == text


def test_relevance_frames_a_question_about_a_place() -> None:
    assert topical_terms("Is the report only relevant to England?") == ["england"]


def test_beside_a_worded_question_a_story_ending_in_a_question_mark_only_tells() -> None:
    text = (
        "whats the bradford score trigger under the new sickness policy? one of my porters is on "
        "96 and my HR adviser mentioned stage 1, i dont think hes hit it yet?"
    )
    assert asked_focus(text) == "whats the bradford score trigger under the new sickness policy?"
    assert question_form(text) == "what"
    # a tag question is still asked
    assert "scrap" in asked_focus("so the report says scrap it, yeah? who wrote it?")


def test_the_figures_of_a_story_ending_in_a_question_mark_are_told() -> None:
    text = "whats the trigger score? one of my porters is on 96, i dont think hes hit it yet?"
    assert {"96", "porter"} <= told_only(text)


def test_the_word_naming_which_service_is_asked_about() -> None:
    from bot.core.answering.topics import service_terms

    assert service_terms("hours for the lymphoedema clinic at the day centre?") == {"lymphoedema"}
    assert "frailty" in service_terms("does the frailty service take care home residents")
    assert service_terms("who leads it?") == set()


def test_an_ask_reported_in_passing_is_not_the_story() -> None:
    from bot.core.answering.topics import told_only

    # "anyone know?" asks what the carer asked
    asked = "carer asking what the hours are for the lymphoedema clinic - anyone know?"
    assert "lymphoedema" not in told_only(asked)
    # but "mum asking if she can …" sets the scene for what is asked
    case = "mum asking if she can refer her son, left school in june. can i do it or who else?"
    assert "school" in told_only(case)


def test_a_role_before_a_comma_is_not_what_is_asked() -> None:
    """ "nurse educator, can someone remind me …": who asks, then the ask."""
    asked = topical_terms(
        asked_focus("nurse educator, can someone remind me of the approach types")
    )
    assert "educator" not in asked and "nurse" not in asked
    assert {"approach", "type"} <= set(asked)


def test_a_role_then_at_once_the_ask_is_not_what_is_asked() -> None:
    """ "medical student what are …": who asks, with no stop before the ask."""
    asked = topical_terms(asked_focus("medical student what are the four barriers in CC"))
    assert "student" not in asked and "medical" not in asked and "barrier" in asked
    # "ask the director how …" is an ask about the director
    assert "director" in topical_terms(asked_focus("ask the director how the plan went"))


def test_the_range_asked_for_frames_the_question() -> None:
    """ "what range are we meant to keep the vaccines in?" asks about vaccines, answered by
    "between 2°C and 8°C"; the range is how the figure is asked for."""
    assert topical_terms("what range are we meant to keep the vaccines in again?") == terms(
        "vaccines"
    )


def test_a_shortened_month_is_the_month() -> None:
    """ "FDS for aug" asks about the "Aug 2025" column as "August" would."""
    assert terms("Aug 2025, sept") == terms("August 2025, September")
    assert terms("jul-sep") == terms("july september")  # a range is each of its months


def test_a_consonant_doubled_before_an_ending_is_dropped() -> None:
    assert terms("sitting planned referred admitted") == terms("sit plan refer admit")
    assert terms("staffing called missed") == ["staff", "call", "miss"]


def test_a_day_is_not_a_name() -> None:
    """ "around at weekends?" is asked as "on Saturday and Sunday": no new topic."""
    assert named_terms("are they around on Saturday and Sunday?") == set()
    assert named_terms("what did Jennifer Dixon say?") == {"jennifer", "dixon"}


def test_a_phone_extension_does_not_end_a_sentence() -> None:
    from bot.core.wording import sentences

    text = "Anything clinical goes to the CNS team (ext. 4475). Amira is on ext. 4478, weekdays."
    assert sentences(text) == [
        "Anything clinical goes to the CNS team (ext. 4475).",
        "Amira is on ext. 4478, weekdays.",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "the DNA rate is terrible, thanks",
        "DNA rate gone up again thanks",
        "the ward is exhausted, can we still push the new rota",
    ],
)
def test_a_told_figure_or_our_own_plan_is_no_question(text: str) -> None:
    assert question_form(text) is None


def test_a_scene_before_a_comma_ask_is_told() -> None:
    from bot.core.answering.topics import told_only

    told = told_only("we've got a new HCA starting on the 1st, how do i get her EPR access set up?")
    assert "hca" in told and "epr" not in told
    # a short lead-in is no scene, and a need stated first is part of the ask
    assert told_only("quick one, how do i get EPR access?") == set()
    assert told_only("need our cat 2 mean for october for the sitrep, what's it showing?") == set()


def test_a_negative_contraction_is_not_a_topic() -> None:
    """ "teams didn't use it": "didn't" names nothing the guidance could hold."""
    text = "managers didn't engage with the audit and couldn't fund it"
    assert topical_terms(text) == ["manager", "engage", "audit", "fund"]


def test_why_a_question_is_asked_is_left_out_of_what_it_asks() -> None:
    from bot.core.answering.topics import without_purpose

    assert (
        without_purpose(
            "is the evidence scan a proper systematic review? need to know how much weight to "
            "put on it"
        )
        == "is the evidence scan a proper systematic review?"
    )
    assert (
        without_purpose(
            "who are the contacts on the project page if I want to get in touch about the work"
        )
        == "who are the contacts on the project page"
    )
    # nothing to leave out
    assert without_purpose("how robust is the evidence?") == "how robust is the evidence?"


def test_a_wait_is_a_topic() -> None:
    """ "how many are sat waiting for pre-op at the moment": waiting is what is counted."""
    assert "wait" in topical_terms("how many are waiting for pre-op at the moment")
