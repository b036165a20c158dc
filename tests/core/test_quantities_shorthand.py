"""Figures, rankings and Slack shorthand: pure rules the grounding gate relies on."""

from __future__ import annotations

import pytest

from bot.core.answering.quantities import (
    states_the_figure,
    states_the_hours,
    states_the_ranking,
    states_what_is_asked,
)
from bot.core.answering.shorthand import spell_out
from bot.core.answering.topics import service_terms
from bot.core.wording import terms

pytestmark = pytest.mark.fast

PASSAGES = [
    "The scan reviewed 73 studies about the NHS. Workshops and interviews informed the report.",
    "The acknowledgements thank 34 people who contributed. The report makes four "
    "recommendations to national bodies.",
    "The NHS would need productivity growth of 2 to 3 per cent a year.",
]


@pytest.mark.parametrize(
    "question",
    [
        "how many studies did the scan review?",
        "How many recommendations are there?",
        "how much productivity growth is needed?",
        "What did they find? Anyway, how many NHS studies were in it",
    ],
)
def test_a_stated_figure_is_found(question: str) -> None:
    assert states_the_figure(question, PASSAGES)


@pytest.mark.parametrize(
    "question",
    [
        "How many people attended the workshops?",  # "34 people" counts the thanked, not these
        "Of the 34 people thanked, how many were chief executives?",  # 34 was given, not found
        "how much money (£ a year) should go into improvement?",  # no amount in pounds
        "how many trusts were in special measures?",
    ],
)
def test_a_figure_the_passages_do_not_state_is_not_found(question: str) -> None:
    assert not states_the_figure(question, PASSAGES)


def test_numbers_offered_to_choose_from_are_not_given() -> None:
    """ "i cant remember if its 6 or 12": the 12 that answers is not the asker's own figure."""
    rule = ["Each repeat item may be authorised for a maximum of 12 issues or 12 months."]
    asked = "how many times can a repeat be issued? i cant remember if its 6 or 12"
    assert states_the_figure(asked, rule)
    assert not states_the_figure("how many times can a repeat be issued?", ["Repeats need review."])


def test_a_post_asked_for_one_service_needs_that_service() -> None:
    """The handover programme's clinical lead is not the UCR service's."""
    handover = ["The clinical lead is Nicola Frain, Consultant Paramedic."]
    heads = ["Release to Respond: handover programme"]
    ucr = "who is the clinical lead for UCR at the community trust?"
    assert not states_what_is_asked(ucr, handover, headings=heads)
    assert states_what_is_asked(
        "who is the clinical lead for release to respond?", handover, headings=heads
    )
    # a plain "lead of" may be given any way ("SRO: …")
    sro = ["Senior responsible owner (SRO): Gareth Pellow, Director of Operations."]
    assert states_what_is_asked("who is the lead of release to respond?", sro, headings=heads)


def test_a_month_a_monthly_report_never_names_has_no_figure() -> None:
    """A report on July to September has no cancellations figure for June; it has September's."""
    report = [
        "Cancelled on the day | Jul | Aug | Sep",
        "Total cancelled on the day | 36 | 28 | 21",
        "21 operations were cancelled on the day in September, down from 36 in July.",
    ]
    heads = ["Theatre productivity report: cancellations"] * len(report)
    june = "what were the cancellation numbers for june?"
    assert not states_what_is_asked(june, report, headings=heads)
    september = "what were the cancellation numbers for september?"
    assert states_what_is_asked(september, report, headings=heads)
    # "may" is a month only where a date is meant
    assert states_what_is_asked("what numbers may be cancelled?", report, headings=heads)


def test_a_period_asked_in_a_possessive_or_bare_ask_must_be_the_reports() -> None:
    """ "what's riverside's DNA rate for oct-dec?" and "the triage % for june - anyone?" are asks
    for a figure too; a quarter written out ("Quarter 2") is the "q2" asked."""
    report = [
        "Table 2. Referrals and triage, July to September 2024.",
        "Month | Referrals received | Triaged within 2 working days",
        "July 2024 | 612 | 96.1%",
        "August 2024 | 438 | 97.3%",
        "September 2024 | 701 | 89.5%",
        "Riverside's vacancy rate of 19.4% means almost one post in five is unfilled.",
    ]
    heads = ["Performance report: Quarter 2 position"] * len(report)
    assert not states_what_is_asked(
        "whats riverside's vacancy rate for oct-dec?", report, headings=heads
    )
    assert not states_what_is_asked(
        "the triage % for june - anyone have it?", report, headings=heads
    )
    assert states_what_is_asked(
        "what's riverside's vacancy rate in q2? doing the business case", report, headings=heads
    )


def test_a_quarter_a_report_never_names_has_no_figure() -> None:
    """A dashboard on Q1 (Q4 in brackets) has no Q2 call back times; its own quarter it has."""
    dashboard = [
        "Median call back time in Q1 2025/26: 38 minutes (Q4 2024/25: 44 minutes).",
        "Share of calls closed with self care advice: 12.4% (12.0%).",
    ]
    heads = ["NHS 111 CAS dashboard: commentary"] * len(dashboard)
    q2 = "what were the CAS call back times for Q2? the Q1 ones are out of date"
    assert not states_what_is_asked(q2, dashboard, headings=heads)
    assert states_what_is_asked(
        "what were the call back times in quarter 1?", dashboard, headings=heads
    )


def test_a_count_is_read_off_a_row_whose_header_names_what_is_counted() -> None:
    table = [
        "Outcomes for people attended, April to September 2024",
        "Outcome | Number of people | Share",
        "Stayed at home with a care plan | 801 | 71%",
        "Taken to an emergency department | 203 | 18%",
    ]
    heads = ["Falls response service: outcomes"] * len(table)
    asked = "roughly how many of the people the falls team saw stayed at home?"
    assert states_what_is_asked(asked, ["\n\n".join(table)], headings=heads[:1])
    beds = "how many beds did the falls team have?"
    assert not states_what_is_asked(beds, ["\n\n".join(table)], headings=heads[:1])


def test_questions_that_ask_no_figure_pass() -> None:
    assert states_the_figure("who wrote the report?", [])


def test_rankings_are_answered_only_where_a_sentence_ranks() -> None:
    listed = ["The seven success factors are leadership, culture, management practices and more."]
    ranked = ["Organisational barriers were studied most often, initiative barriers least."]
    assert not states_the_ranking("which success factor matters most?", listed)
    assert states_the_ranking("which barriers were studied most, and which least?", ranked)
    assert states_the_ranking("what are the success factors?", listed)


@pytest.mark.parametrize(
    ("text", "spelled"),
    [
        ("how many studies did the HF scan use?", "how many studies did the Health Foundation"),
        ("our org's QI team", "our organisation's quality improvement team"),
        ("type 1 vs type 2 pls - for a one-pager", "type 1 vs type 2 - for a one-pager"),
        # "thanks in advance" signs off; the "7 day tia proposal" is a clinic's
        ("whats the 4hr target? tia", "what's the 4 hours target?"),
        ("anyone know the cspa number tia x", "anyone know the cspa number x"),
        ("when is the 7 day tia proposal decided", "when is the 7 day tia proposal decided"),
        ("a few eg's please", "a few examples please"),
        ("who wrote 'What’s getting in the way?' then", "who wrote the evidence scan then"),
        ("what is the scan called?", "what is the title of the scan?"),
        ("what's the thing called when trusts are pushed?", "what's the thing called when"),
        # crews' and staff's shorthand on a trust's documents
        ("cat 3s, how long have we got", "Category 3, how long have we got"),
        ("CAT2 calls on hold", "Category 2 calls on hold"),
        ("whats the cut off for ringing UCR rn", "what's the cut off for calling UCR"),
        ("who do we go thru?", "who do we go through?"),
        ("the 'being too swamped to think' one", "the 'being without headspace' one"),
        ("scrap the nagging-from-above approach", "scrap the prodding approach"),
        ("who do i bell?? and whats the absolute max", "who do i call?? and what's the maximum"),
        ("can i close as hear n treat", "can i close as hear and treat"),
        ("can the cops just leave once theyve gone", "can the police just leave once they've"),
        (
            "walking in :upside_down_face: how do i get a permit?",
            "walking in. how do i get a permit?",
        ),
        ("whats the 'head space' barier", "what's the 'headspace' barrier"),
        ("do they see under 18s?", "do they see under 18?"),
        (
            "end of life scripts filled at the first chemist",
            "end of life prescriptions filled at the first pharmacy",
        ),
        ("the 111 call scripts", "the 111 call scripts"),
        (
            "I work in NHS Wales - is it just about the NHS over the border?",
            "I work in NHS Wales - is it just about the NHS in England?",
        ),
        # a misspelt word that gives the question its form
        ("Give me an exmaple of mixed signals", "Give me an example of mixed signals"),
        # contractions without their apostrophe; everyday words for the report's terms
        ("theres no bandwidth left", "there is no capacity left"),
        ("so flat out just keeping going", "so under pressure just keeping going"),
        ("was the mix skewed one way", "was the mix leaned too far"),
        ("was it weighted towards prodding", "was it leaned too far prodding"),
        ("whats the weighted average", "what's the weighted average"),
        ("what did they base it on, like methods wise", "what did they base it on, methods"),
        # what the asker is making is not searched; a topic the ask points back to is kept
        (
            "doing my MSc assignment on NHS change mgmt, who wrote constructive comfort?",
            "who wrote constructive comfort?",
        ),
        (
            "doing a presentation on the virtual ward, who leads it?",
            "the virtual ward, who leads it?",
        ),
        # a group's next meeting, as minutes date it; a quarter; a child's age
        ("when is the next eolc steering group", "when is the next eolc steering group meeting"),
        ("whens the next programme board?", "whens the next programme board meeting?"),
        ("the next group of staff", "the next group of staff"),
        ("RDH median time last qtr?", "RDH median time last quarter?"),
        ("bringing her 7yo for bloods", "bringing her aged 7 for bloods"),
        (
            "on a P2 referral? is it 2 days or 5 i can never remember",
            "on a P2 referral? is it 2 days or 5",
        ),
        # a financial year typed short, as a trust's report writes it
        ("how many prone restraints in 24/25", "how many prone restraints in 2024/25"),
        ("the plan for fy 25/26", "the plan for fy 2025/26"),
        ("figures from 98/99", "figures from 1998/99"),
        # a date is no financial year
        ("due by 10/12 at the latest", "due by 10/12 at the latest"),
        # "the hub rings them back": calls them back
        ("how long before the hub rings them back", "how long before the hub calls them back"),
        # how the asker joins a meeting is not what is asked
        (
            "is there a regular meeting on the delays I can dial into? what time",
            "is there a regular meeting on the delays? what time",
        ),
        ("can i dial-in to the huddle", "can i join to the huddle"),
        # discharged to the GP, as a trust's documents write it
        (
            "when do we hand them back to primary care",
            "when do we discharge them back to their GP",
        ),
        # everyday words for the framework's ideas
        ("no breathing room for redesign", "no headspace for redesign"),
        ("is headroom a barrier", "is headspace a barrier"),
        ("the carrot-and-stick approach", "the incentives and pressure approach"),
        ("what are the three stages?", "what are the three phases?"),
        # an emoji typed as itself ends what came before it, as a Slack ":wave:" does
        ("medical student 👋 what are the barriers", "medical student. what are the barriers"),
        ("really?? 😂 who wrote it", "really?? who wrote it"),
        # Northern Ireland beside the other nations; alone "NI" may be National Insurance
        (
            "does it apply to scotland/wales/NI too",
            "does it apply to scotland/wales/Northern Ireland",
        ),
        ("whats my NI number", "what's my NI number"),
        # the report's pressure and support in everyday words; HF's without its apostrophe
        ("too much stick vs carrot?", "too much pressure versus support?"),
        ("is there a stick element to it", "is there a pressure element to it"),
        ("the scan in HFs series", "the scan in Health Foundation's series"),
        ("a chief exec losing their job", "a chief executive removed from post"),
        ("I half-remember HF saying", "I remember Health Foundation saying"),
        ("the regulation-style prodding", "the regulation prodding"),
    ],
)
def test_shorthand_is_spelt_out(text: str, spelled: str) -> None:
    assert spell_out(text).startswith(spelled)


def test_a_number_glued_to_its_unit_is_spelt_out() -> None:
    assert spell_out("worst HTT for 4hr response") == "worst HTT for 4 hours response"
    assert spell_out("6-8wk checks") == "6-8 weeks checks"
    assert spell_out("waited 45mins") == "waited 45 minutes"


def test_text_without_shorthand_is_returned_unchanged() -> None:
    text = "How does  Type 1 differ from Type 2?"
    assert spell_out(text) is text


def test_an_eg_is_an_example_but_eg_before_a_list_is_left_alone() -> None:
    assert spell_out("give me an eg of a tool") == "give me an example of a tool"
    text = "barriers eg staffing"
    assert spell_out(text) is text


def test_a_share_needs_a_stated_share_of_the_same_thing() -> None:
    stated = ["About a third of improvement projects in the study stalled."]
    assert states_the_figure("what % of improvement projects stall?", stated)
    assert not states_the_figure("what percentage of improvement projects fail?", PASSAGES)


def test_cc_in_capitals_is_the_report_and_neds_are_spelt_out() -> None:
    assert spell_out("what does CC say to a NED?") == (
        "what does Constructive comfort say to a non-executive director?"
    )
    text = "cc me in"
    assert spell_out(text) is text


def test_everyday_words_are_put_in_the_reports_terms() -> None:
    assert spell_out("how do we handle pushback and low morale?") == (
        "how do we handle resistance and low motivation?"
    )
    assert spell_out("which hurdles turn up at every stage?") == (
        "which barriers turn up at every phase?"
    )
    assert spell_out("getting buy-in before the roll out") == "getting engagement before the spread"
    assert spell_out("what are the recs for national bodies?") == (
        "what are the recommendations for national bodies?"
    )
    assert spell_out("which rec goes with type 2") == "which recommendation goes with type 2"


def test_idioms_carry_their_meaning_not_their_words() -> None:
    assert spell_out("has it ever happened or is it pie in the sky?") == (
        "has it ever happened or is it not achievable?"
    )
    assert spell_out("if a team gets rid of one blocker") == "if a team removes one barrier"
    assert spell_out("staff are dug in") == "staff are in resistance"
    assert spell_out("what first, straight away?") == "what first, immediately?"
    assert spell_out("the staff-focused approach") == "the people-focused approach"
    assert spell_out("how do I bring my team along with me?") == "how do I engage my team?"
    assert spell_out("any tips on winning staff over?") == "any tips on engaging staff?"
    consultants = "how do we win the consultants over?"  # only the generic groups are mapped
    assert spell_out(consultants) is consultants
    assert spell_out("how do we win them over?") == "how do we engage them?"
    assert spell_out("how many strands of work fed it?") == "how many workstreams fed it?"
    assert spell_out("which barrier is the bit about being too busy to think?") == (
        "which barrier is the bit about being without headspace?"
    )
    assert spell_out("it isn't just carrots and sticks") == "it isn't just incentives and pressure"
    assert spell_out("the lit says feb 2015") == "the literature says February 2015"


def test_how_am_i_meant_to_asks_for_help() -> None:
    from bot.core.answering.question_form import asks_for_help, question_form

    assert question_form("how am i meant to bring staff with me?") == "how_to"
    assert asks_for_help("how are we supposed to find the time for it?")
    assert not asks_for_help("how does the report define headspace?")


def test_who_sat_on_a_body_needs_a_sentence_naming_people_of_that_body() -> None:
    from bot.core.answering.quantities import names_a_person, names_the_members

    thanked = ["The report thanks the members of the Improvement Practitioner Panel."]
    authors = ["The report was written by Clare Allcock and Richard Taunt."]
    named = ["The steering group had Dr Asha Patel and Tom Reid on it."]
    assert not names_the_members("who sat on the Improvement Practitioner Panel?", thanked)
    assert not names_the_members("who sat on the Improvement Practitioner Panel?", authors)
    assert names_the_members("who was on the steering group?", named)
    assert names_the_members("who wrote the report?", [])  # not a membership question
    assert names_a_person("Sir Ian Carruthers contributed.")
    assert not names_a_person("The Health Foundation thanks the Improvement Practitioner Panel.")
    # who took part in a gathering is said by their roles; a panel's members by their names
    roles = ["The workshops brought together commissioners and quality improvement leaders."]
    assert names_the_members("who was in the workshops for CC?", roles)
    panel = ["The panel brought together improvement practitioners and leaders."]
    assert not names_the_members("who sat on the Improvement Practitioner Panel?", panel)


def test_a_count_asked_stops_where_a_second_ask_joins_it() -> None:
    from bot.core.answering.quantities import states_what_is_asked

    said = ["Constructive comfort draws its evidence from five workstreams."]
    assert states_what_is_asked(
        "how many workstreams fed into the report, and which one ended up as the supplement?",
        said,
    )
    # what the count's own clause says still needs saying beside it, by either ask's words
    costed = ["The non-recurrent cost of £37,500 covers eight additional workstations."]
    assert states_what_is_asked(
        "how many additional workstations are they after, and whats the annual cost?", costed
    )
    assert not states_what_is_asked(
        "how many additional workstations are they after at tolland, and who signs it off?", costed
    )


def test_an_sr_is_a_systematic_review_and_a_sister_is_not() -> None:
    assert spell_out("is the barriers one basically an SR?") == (
        "is the barriers one basically an systematic review?"
    )
    assert spell_out("Sr Jones runs the ward") == "Sr Jones runs the ward"


def test_the_centre_is_the_national_bodies_but_not_a_named_centre() -> None:
    assert spell_out("did the centre push trusts too hard?") == (
        "did national bodies push trusts too hard?"
    )
    assert spell_out("what streams of research fed the report?") == (
        "what workstreams fed the report?"
    )
    for text in (
        "who works at the Evidence Centre?",
        "the centre of the ward is the nurses' station",
        "the centre for workforce intelligence",
    ):
        assert spell_out(text) is text


def test_a_supposed_count_of_the_frameworks_parts_is_a_check_not_a_topic() -> None:
    from bot.core.answering.relevance import supposes_framework_count

    assert supposes_framework_count("our DoN said there are 5 success factors. is that right")
    assert supposes_framework_count("are there really six barriers?")
    assert not supposes_framework_count("what are the seven success factors?")
    assert not supposes_framework_count("is it true that morale is a barrier?")


def test_which_things_by_name_needs_a_sentence_that_names_them() -> None:
    from bot.core.answering.quantities import states_what_is_asked

    counted = ["The evidence scan searched 12 bibliographic databases in October 2014."]
    named = ["The scan searched 12 databases, among them Medline, Embase and HMIC."]
    question = "which 12 databases did the scan search? names pls"
    assert not states_what_is_asked(question, counted)
    assert states_what_is_asked(question, named)
    # without asking for names, or about the framework's own parts, nothing more is needed
    assert states_what_is_asked("which databases did the scan search?", counted)
    barriers = ["The report sorts barriers into four areas."]
    assert states_what_is_asked("which barriers are there? names pls", barriers)


@pytest.mark.parametrize(
    ("text", "spelled"),
    [
        ("wot r the 3 approach types", "what are the 3 approach types"),
        ("can u send ur summary", "can you send your summary"),
        ("abt the recs b4 2015", "about the recommendations before 2015"),
        ("whats in ch 4 and chap. 5", "what's in chapter 4 and chapter 5"),
        ("what does rec 2 say", "what does recommendation 2 say"),
        ("define motivation in one line", "define motivation in summary"),
    ],
)
def test_text_speak_is_spelt_out(text: str, spelled: str) -> None:
    assert spell_out(text) == spelled


def test_capital_r_and_u_may_be_names_and_are_left_alone() -> None:
    text = "does the R number or Unit U matter"
    assert spell_out(text) is text
    text = "is our r&d team or the u/s service in it"
    assert spell_out(text) is text


def test_who_the_answer_is_for_is_not_part_of_what_is_asked() -> None:
    assert spell_out("describe capability for our lay members") == "describe capability"
    assert spell_out("explain prods to a patient panel") == "explain prods"


def test_a_document_set_aside_in_brackets_is_dropped() -> None:
    assert spell_out("what did the scan find (not the report)") == "what did the scan find"
    text = "why not use the scan?"
    assert spell_out(text) is text


def test_a_count_in_a_named_document_may_be_stated_without_naming_it() -> None:
    stated = ["The acknowledgements thank 21 people, among them two chief executives."]
    assert states_the_figure("how many people are thanked in the scan?", stated)
    assert not states_the_figure("how many people ran the workshops in the scan?", stated)


def test_a_page_is_stated_only_by_a_sentence_giving_that_topics_page() -> None:
    from bot.core.answering.quantities import states_the_page

    contents = ["Chapter 3, on the seven success factors, starts on page 11."]
    assert states_the_page("which page are the success factors on?", contents)
    assert not states_the_page("what page are the recommendations on?", contents)
    assert states_the_page("what are the recommendations?", [])


@pytest.mark.parametrize(
    ("text", "spelled"),
    [
        ("the recomendations", "the recommendations"),
        ("headsapce or capabilty", "headspace or capability"),
        (
            "the constructve comfort report by mckinsy",
            "the constructive comfort report by mckinsey",
        ),
    ],
)
def test_the_frameworks_own_words_are_spelt_right(text: str, spelled: str) -> None:
    assert spell_out(text) == spelled


@pytest.mark.parametrize("text", ["motivations and supplements", "a reactive team", "recognise it"])
def test_other_words_near_the_frameworks_are_left_alone(text: str) -> None:
    assert spell_out(text) is text


def test_formal_and_casual_framing_is_not_part_of_the_question() -> None:
    assert spell_out(
        "Could you please confirm, for the purposes of our audit, the scan's author?"
    ) == ("what is the scan's author?")
    assert spell_out("what's the deal with type 2, or what") == "what is type 2"
    assert spell_out("erm who did they actually talk to") == "who did they interview"


def test_most_of_all_says_where_not_what_ranks_first() -> None:
    where = ["The factors matter at every level, most of all inside local organisations."]
    assert not states_the_ranking("which factor did the report say matters most?", where)


def test_which_trusts_asks_for_names_even_without_saying_names() -> None:
    from bot.core.answering.quantities import states_what_is_asked

    unnamed = ["McKinsey interviewed senior leaders of several acute trusts."]
    named = ["The trusts visited included Salford Royal and Northumbria."]
    assert not states_what_is_asked("which trusts did McKinsey visit?", unnamed)
    assert states_what_is_asked("which trusts did McKinsey visit?", named)


def test_a_count_must_be_of_what_is_asked_not_of_the_document() -> None:
    stated = ["Constructive comfort thanks 34 people in its acknowledgements."]
    assert not states_the_figure("how many people took part in the report's workshops?", stated)


@pytest.mark.parametrize(
    ("text", "spelled"),
    [
        ("slides due tmrw", "slides due tomorrow"),
        ("what month/year was the scan done", "when was the scan done"),
        ("which year did it launch", "when did it launch"),
        # a plain verb claiming who made a document reads as the claim it is
        (
            "the scan - the nuffield trust did that one, right?",
            "the scan - the nuffield trust wrote that one, right?",
        ),
    ],
)
def test_dates_and_makers_asked_in_everyday_words_are_spelt_out(text: str, spelled: str) -> None:
    assert spell_out(text) == spelled


def test_a_page_given_for_another_chapter_is_not_the_page_asked() -> None:
    from bot.core.answering.quantities import states_the_page

    contents = ["Chapter 4 starts on page 13 of the supplement."]
    assert not states_the_page("page number for the recommendations chapter pls", contents)
    assert states_the_page(
        "which page does chapter 4 of the mckinsey supplement start on", contents
    )


def test_a_sum_of_money_asked_for_needs_a_sentence_giving_one() -> None:
    from bot.core.answering.quantities import states_what_is_asked

    question = "was there any cost estimate for the support recommendation?"
    assert not states_what_is_asked(question, ["The third recommendation asks for more support."])
    assert states_what_is_asked(question, ["The support recommendation would cost £40m a year."])


def test_why_it_is_asked_after_the_question_is_dropped() -> None:
    text = "does the scan cover primary care? just trying to see if it applies to our practice"
    assert spell_out(text) == "does the scan cover primary care?"
    kept = "trying to change culture - what does the report say?"
    assert spell_out(kept) is kept


@pytest.mark.parametrize(
    ("text", "spelled"),
    [
        (
            "what are the main obstacles? cheers, back on the ward now",
            "what are the main barriers?",
        ),
        ("Three things on the scan - who wrote it", "the scan - who wrote it"),
        ("not the report, the scan - what's it really called?", "the scan - what is the title?"),
        ("list the enablers pls", "list the success factors"),
        # the scan's own word stays the scan's
        (
            "why did the scan look at barriers and not enablers",
            "why did the scan look at barriers and not enablers",
        ),
        (
            "WHAT DOES THE HF REPORT SAY ABOUT HEADSPACE",
            "what does the Health Foundation report say about headspace",
        ),
    ],
)
def test_asides_synonyms_and_capitals_are_read_for_what_is_asked(text: str, spelled: str) -> None:
    assert spell_out(text) == spelled


def test_a_job_asked_by_name_needs_a_sentence_giving_that_persons_post() -> None:
    from bot.core.answering.quantities import states_what_is_asked

    authors = ["The report was written by Clare Allcock and Jennifer Dixon in 2015."]
    posted = ["Clare Allcock, then a senior policy fellow, was quoted in the press release."]
    question = "what was clare allcock's job when the report came out?"
    assert not states_what_is_asked(question, authors)
    assert states_what_is_asked(question, posted)


def test_how_long_something_takes_needs_a_sentence_giving_a_duration() -> None:
    from bot.core.answering.quantities import states_what_is_asked

    question = "how long did the trusts in the supplement take to transform?"
    assert not states_what_is_asked(question, ["The supplement studied how trusts transform."])
    assert states_what_is_asked(question, ["The trusts took five years to transform."])
    # the length of a document is not a duration
    assert states_what_is_asked("how long is the supplement?", ["It runs to 32 pages."])


@pytest.mark.parametrize(
    ("text", "spelled"),
    [
        ("how many 52 week waiters now", "how many patients waiting over 52 weeks now"),
        ("do CD TTOs go there", "do controlled-drug TTOs go there"),
        ("can a carer ring the line", "can a carer call the line"),
        (
            "how many calls get picked up inside a minute",
            "how many calls answered within 60 seconds",
        ),
        ("what did we save on stamps", "what did we save on postage"),
        ("which patients are left out of the pilot", "which patients are excluded from the pilot"),
    ],
)
def test_nhs_and_everyday_words_for_what_local_documents_say(text: str, spelled: str) -> None:
    assert spell_out(text) == spelled


def test_a_figure_of_a_named_kind_needs_a_sentence_giving_that_kind() -> None:
    from bot.core.answering.quantities import states_what_is_asked

    local = ["Average TTO turnaround fell from 4.2 hours to 1.6 hours on the pilot wards."]
    assert not states_what_is_asked("what's the national average TTO turnaround?", local)
    assert states_what_is_asked("what's the average TTO turnaround now?", local)
    staffed = ["Two midwives staff triage on every shift."]
    assert not states_what_is_asked("what is the vacancy rate for midwives?", staffed)
    assert states_what_is_asked(
        "what is the vacancy rate for midwives?", ["The midwife vacancy rate is 9%."]
    )


def test_a_count_may_be_given_as_how_it_changed() -> None:
    from bot.core.answering.quantities import states_what_is_asked

    changed = ["Patients waiting over 52 weeks fell from 1,140 to 312."]
    question = "how many patients waiting over 52 weeks did we have before vs now?"
    assert states_what_is_asked(question, changed)
    assert not states_what_is_asked(question, ["Patients waiting over 52 weeks were contacted."])


def test_a_stance_is_not_a_job() -> None:
    from bot.core.answering.quantities import states_what_is_asked

    assert states_what_is_asked(
        "what is the report's position on targets?", ["The report wants the levers reworked."]
    )


def test_who_is_the_boss_of_asks_who_leads() -> None:
    assert (
        spell_out("who's the boss of the frailty pilot?") == "who's the lead of the frailty pilot?"
    )


def test_a_count_aimed_for_or_asked_beside_another_question() -> None:
    from bot.core.answering.quantities import states_what_is_asked

    question = "who runs the responder scheme and how many CFRs are we aiming for?"
    assert states_what_is_asked(question, ["We now have 171 active CFRs across the trust."])
    assert states_what_is_asked(
        "how many CFRs are we aiming for?", ["The CFRs target is 200 by April 2026."]
    )


def test_a_senior_responsible_owner_answers_who_leads() -> None:
    from bot.core.answering.relevance import carries_answer

    sentence = "Senior responsible owner (SRO): Gareth Pellow, Director of Operations."
    assert carries_answer("who", sentence, True, "who's the lead of the handover project?")


def test_what_something_cost_needs_a_sum_of_money() -> None:
    from bot.core.answering.quantities import states_what_is_asked

    question = "how much did the crisis line cost to set up?"
    assert not states_what_is_asked(question, ["The crisis line takes 1,450 calls a month."])
    assert states_what_is_asked(question, ["The crisis line cost £1.2m to set up."])


def test_words_that_only_frame_a_local_question_are_not_its_topic() -> None:
    from bot.core.answering.topics import topical_terms

    asked = topical_terms("which staff aren't covered and where do they go instead?")
    assert "instead" not in asked
    assert "amount" not in topical_terms("do I need a certain amount of service first?")


@pytest.mark.parametrize(
    ("text", "spelled"),
    [
        ("starting treatment within 6 wks", "starting treatment within 6 weeks"),
        (
            "what hours is the SPA open at weekends?",
            "what hours is the SPA open on Saturday and Sunday?",
        ),
        ("is it weekdays only?", "is it Monday to Friday only?"),
        ("whats the number she rings?", "what's the number she call?"),
        (
            "does IAPT take self refs from 16 yr olds",
            "does IAPT take self-referrals from people aged 16",
        ),
        ("what was repeat script turnaround", "what was repeat prescription turnaround"),
        ("how many kids are waiting", "how many children are waiting"),
        ("hiya, what % got seen", "what % got seen"),
        ("the target we're meant to be hitting", "the target we're meant to be meeting"),
    ],
)
def test_staff_shorthand_for_times_people_and_paperwork_is_spelt_out(
    text: str, spelled: str
) -> None:
    assert spell_out(text) == spelled


def test_ring_fenced_time_is_not_a_phone_call() -> None:
    assert spell_out("we ring-fence an hour") == "we ring-fence an hour"


def test_what_how_many_counts_ends_before_its_verb() -> None:
    from bot.core.answering.quantities import states_what_is_asked

    sop = ["Patients can have up to 6 sessions over 12 weeks."]
    # "with the SPLW" narrows the sessions; the SOP's sentence need not repeat it
    assert states_what_is_asked("how many sessions can a patient have with the SPLW?", sop)
    thanked = ["The acknowledgements name 34 people who contributed."]
    assert not states_what_is_asked("how many people attended the workshops?", thanked)


def test_a_trusts_heading_says_what_its_count_is_of() -> None:
    from bot.core.answering.quantities import states_what_is_asked

    update = ["WHO TAKES PART 58 residents enrolled and 44 are still attending."]
    question = "how many residents signed up for the strength and balance classes?"
    assert not states_what_is_asked(question, update)
    heading = ["Falls prevention pilot: strength and balance classes in care homes"]
    assert states_what_is_asked(question, update, headings=heading)


TRUST_MINUTES = [
    "Unplanned admissions from aligned homes fell from 41 in Q1 to 29 in Q2.",
    "Inpatient unit bed occupancy was 84% in Q2 24/25 against a target of 85%.",
    "Kingsmead Health Centre, Fenwick Road Surgery and St Aldhelm's Practice will adopt the "
    "process by March 2025. Turnaround at the pilot practices fell to 1.8 working days.",
]
HEADS = [
    "Harrowdene PCN board minutes",
    "Harrowdene hospice quality report",
    "Harrowdene PCN repeat prescriptions report",
]


@pytest.mark.parametrize(
    ("question", "stated"),
    [
        ("how many unplanned admissions did we have in Q2?", True),
        ("how many unplanned admissions did we have in Q3?", False),  # only Q1 and Q2 given
        ("what was inpatient unit bed occupancy in Q2 of 24/25?", True),
        ("what was inpatient unit bed occupancy in Q4 of 23/24?", False),  # another year
        ("what's the repeat prescription turnaround at the pilot practices?", True),
        # a place the trust writes only as a name, with no figure of its own
        ("what's the repeat prescription turnaround at fenwick road?", False),
        # the trust's own name (in its documents' titles) is not a place asked about
        ("what's the Harrowdene turnaround at the moment?", True),
    ],
)
def test_a_figure_for_one_period_or_place_needs_a_sentence_giving_that_one(
    question: str, stated: bool
) -> None:
    from bot.core.answering.quantities import states_what_is_asked

    assert states_what_is_asked(question, TRUST_MINUTES, headings=HEADS) is stated


def test_the_guidances_notes_are_not_judged_on_places() -> None:
    from bot.core.answering.quantities import states_what_is_asked

    notes = ["The scan reviewed 73 studies, most of them from the United States."]
    assert states_what_is_asked("what's the number of studies from Canada?", notes)


def test_a_pay_band_or_a_payment_asked_for_needs_one_given() -> None:
    from bot.core.answering.quantities import states_what_is_asked

    sop = ["The SPLW team has 4 link workers and a lead link worker, Amara Osei."]
    assert not states_what_is_asked("what agenda for change band are the link workers on?", sop)
    assert states_what_is_asked("what band are the link workers?", ["Link workers are band 4."])
    beds = ["The PCN now supports 7 aligned care homes with 284 beds."]
    assert not states_what_is_asked("how much is the ICB paying us per care home bed?", beds)
    assert states_what_is_asked(
        "how much is the ICB paying us per bed?", ["The ICB pays £120 per bed each year."]
    )


@pytest.mark.parametrize(
    ("text", "spelled"),
    [
        (
            "who's the SRO for the expansion?",
            "who's the senior responsible owner for the expansion?",
        ),
        ("who owns the UTC protocol?", "who is the owner of the UTC protocol?"),
        ("when's it due for review?", "when's it at its review date?"),
        (
            "pls list the 7 success factors, putting them on a slide for our away day",
            "list the 7 success factors, putting them on a slide for our away day",
        ),
    ],
)
def test_roles_owners_and_review_dates_are_spelt_out(text: str, spelled: str) -> None:
    assert spell_out(text) == spelled


def test_what_is_done_with_the_answer_is_not_what_is_asked() -> None:
    from bot.core.answering.topics import asked_focus

    focus = asked_focus("list the 7 success factors, putting them on a slide for our OD away day")
    assert focus == "list the 7 success factors"


@pytest.mark.parametrize(
    ("text", "recalled"),
    [
        ("type 1 is 'poke organisations' or something? what's it called", {"poke"}),
        ("a factor that's something like 'a culture that welcomes change'", {"welcom"}),
        ("a line about 'fighting too many wars at once' or similar", {"wars"}),
        ("what is 'headspace'?", set()),
    ],
)
def test_a_half_remembered_phrase_is_a_recollection_not_the_topic(
    text: str, recalled: set[str]
) -> None:
    from bot.core.answering.topics import half_remembered

    assert recalled <= half_remembered(text)
    if not recalled:
        assert half_remembered(text) == set()


@pytest.mark.parametrize(
    ("sentence", "names_a_lead"),
    [
        ("Senior responsible officer: Dr Priya Ramanathan, Associate Director of UEC", True),
        ("Clinical lead: Dr Tom Hollis, GP Clinical Lead for Urgent Care", True),
        ("Document owner: Sarah Okafor, UTC Clinical Lead.", True),
        ("The lead time for new wheelchairs is 3 weeks.", False),
    ],
)
def test_a_role_given_as_a_label_answers_who_leads(sentence: str, names_a_lead: bool) -> None:
    from bot.core.answering.relevance import carries_answer

    assert carries_answer("who", sentence, True, "who leads the expansion?") is names_a_lead


def test_who_is_the_owner_asks_for_an_owner_not_for_people() -> None:
    from bot.core.answering.relevance import carries_answer

    question = "who is the owner of the UTC streaming protocol?"
    assert not carries_answer(
        "who", "This protocol sets out how patients are streamed.", True, question
    )
    assert carries_answer("who", "Document owner: Sarah Okafor, UTC Clinical Lead.", True, question)


def test_a_failed_pilot_that_leads_to_blame_names_no_lead() -> None:
    from bot.core.answering.relevance import carries_answer

    question = "who leads the early supported discharge team?"
    assert not carries_answer("who", "A failed pilot leads to blame, not learning.", True, question)
    assert carries_answer("who", "It is led by Grace Okafor, consultant therapist.", True, question)


def test_why_a_document_is_called_so_needs_a_sentence_explaining_the_name() -> None:
    from bot.core.answering.quantities import states_what_is_asked

    mentions = [
        "For references, the report's full title is Constructive comfort: accelerating change.",
        "Constructive comfort was written by four authors and came out in February 2015.",
    ]
    for question in (
        "why is it called 'constructive comfort' anyway? does the report explain the title",
        "what does the title actually mean?",
        "where does the report's name come from?",
    ):
        assert not states_what_is_asked(question, mentions), question
    explained = [
        "The report is called Constructive comfort because it pairs support with pressure."
    ]
    assert states_what_is_asked("why is the report called constructive comfort?", explained)
    # a framework label's meaning is its definition: left to the other checks
    definition = ["People-focused approaches invest in the people who lead change."]
    assert states_what_is_asked("what does the name 'people-focused' mean?", definition)


def test_a_named_persons_words_need_a_sentence_reporting_them() -> None:
    from bot.core.answering.quantities import states_what_is_asked

    notes = [
        "Constructive comfort was written by Clare Allcock, Felicity Dormon, Richard Taunt and "
        "Jennifer Dixon.",
        "Richard Taunt, quoted in the press release, accepted that parts of policy were sound.",
    ]
    assert not states_what_is_asked("what did jennifer dixon say at the launch?", notes)
    assert not states_what_is_asked("any good quote from Jennifer Dixon for a slide?", notes)
    assert states_what_is_asked("what did Richard Taunt say at the launch?", notes)
    # "what did the report say …" asks for the report's findings, not a person's words
    assert states_what_is_asked("what did the report say about its authors?", notes)


def test_closing_time_on_a_saturday_as_staff_write_it() -> None:
    from bot.core.answering.shorthand import spell_out

    assert spell_out("what time does the phone line shut on sat?") == (
        "what time does the phone line close on Saturday?"
    )
    assert spell_out("is it open sat/sun") == "is it open Saturday and Sunday"
    assert spell_out("we sat down with the team") == "we sat down with the team"


def test_money_spent_is_found_where_the_document_says_spend() -> None:
    from bot.core.answering.quantities import states_what_is_asked

    report = ["Budget for 2025/26: £1,260,000. Spend to 30 September 2025: £548,000."]
    assert states_what_is_asked("budget this year and how much have we spent so far?", report)


def test_a_hyphenated_term_is_known_by_its_own_words() -> None:
    from bot.core.answering.topics import known_term

    assert known_term("was-not-brought", {"brought": 1.0})
    assert not known_term("covid-19", {"19": 1.0})


def test_the_seven_things_are_the_seven_success_factors() -> None:
    from bot.core.answering.shorthand import spell_out

    assert "the seven success factors" in spell_out("give me the seven things HF says matter")
    assert "7 things" not in spell_out("the 7 things that make change work")


def test_a_teams_size_counts_its_staff_and_rag_is_a_status() -> None:
    from bot.core.answering.relevance import counts_asked
    from bot.core.answering.shorthand import spell_out

    team = "The team is six strong: two pharmacists, three technicians and one assistant."
    assert counts_asked(team, ["staff"]) and not counts_asked(team, ["bed"])
    assert counts_asked("A 12-strong team runs the hub.", terms("people"))
    assert "status (red, amber or green)" in spell_out("what RAG did it go to board with?")


def test_clinical_shorthand_is_spelt_out() -> None:
    from bot.core.answering.shorthand import spell_out

    assert spell_out("onc discharge, oral chemo") == "oncology discharge, oral chemotherapy"


def test_how_somewhere_did_it_is_not_a_claim_about_who_wrote_it() -> None:
    from bot.core.answering.shorthand import spell_out

    assert spell_out("deloitte did that one, right?") == "deloitte wrote that one, right?"
    how = "does CC talk about how Jonkoping in Sweden did it?"
    assert "wrote" not in spell_out(how)


@pytest.mark.parametrize(
    ("question", "sentence", "carries"),
    [
        # "how long" is answered by a duration, not by the count beside it
        ("how long is the wait atm?", "The longest wait is 31 weeks.", True),
        ("how long is the wait atm?", "There are 214 children on the waiting list.", False),
        ("how long do the drivers wait?", "Drivers wait ten minutes at the door.", True),
        # "how much did the ICB give us?" by a sum of money
        ("how much did the icb give us?", "The ICB has agreed £186,000 a year.", True),
        ("how much did the icb give us?", "The plan covers the 2025/26 financial year.", False),
        # other counts as before
        ("how many referrals were there?", "There were 1,581 new referrals.", True),
    ],
)
def test_a_how_long_or_how_much_money_question_wants_that_kind_of_figure(
    question: str, sentence: str, carries: bool
) -> None:
    from bot.core.answering.relevance import carries_answer

    assert carries_answer("how_many", sentence, True, question) is carries


def test_a_quarter_only_promised_is_not_one_the_report_gives() -> None:
    """ "Q3 figures will be reported in January" gives no Q3 figure; Q2's row is not Q3's."""
    report = [
        "Canal Side Health Centre | 13,960 | 19,030 | 6.3%",
        "The Board is asked to note the Q2 position and that Q3 figures will be reported to the "
        "Board in January 2026.",
    ]
    heads = ["Access and Capacity Report Q2 2025/26"] * len(report)
    assert not states_what_is_asked("what was canal side's DNA rate in Q3?", report, headings=heads)


def test_an_action_in_minutes_or_a_tables_label_says_who() -> None:
    from bot.core.answering.relevance import carries_answer

    asked = "who's running the text reminder pilot at canal side?"
    assert carries_answer("who", "Nadia Brierley (NB) to lead the pilot.", True, asked)
    assert carries_answer(
        "who", "Document owner | Priya Venkatesan, Lead Clinical Pharmacist", True, asked
    )
    assert not carries_answer("who", "Canal Side to pilot two reminder texts.", True, asked)


def test_an_organisation_wide_figure_is_the_overall_one() -> None:
    from bot.core.answering.shorthand import spell_out

    assert spell_out("whats the partnership-wide DNA %") == "what's the overall DNA %"
    assert spell_out("how many techs at the mo?") == "how many techs now?"
    # the report's own system-wide barriers keep their name
    assert "system-wide" in spell_out("the scan's system-wide barriers, what are they")


def test_a_service_initialism_is_where_not_what_kind_of_rate() -> None:
    from bot.core.answering.quantities import states_what_is_asked

    report = ["Recovery rate | 51.3% | 50%", "Talking Therapies recovery rate rose in September."]
    assert states_what_is_asked("whats the TT recovery rate for Q2 overall", report)


def test_hours_asked_need_a_span_of_the_day_on_what_is_asked() -> None:
    """ "Ring before 9am to change a visit" is a visit and a time, not visiting hours."""
    asked = "what are the visiting hours on ward 21 at KRI?"
    assert not states_the_hours(asked, ["Need to change a visit? Ring before 9am on the day."])
    assert states_the_hours(asked, ["Visiting on Ward 21 is 2pm to 8pm every day."])
    opening = "what are the opening hours of the hub?"
    assert states_the_hours(opening, ["The hub is open Monday to Friday 08:30 to 20:00."])
    assert not states_the_hours(opening, ["The hub opened in 2024 with 40 beds."])
    assert states_the_hours("who chairs the board?", [])  # no hours asked


def test_pay_asked_needs_a_sum_for_what_is_asked() -> None:
    """The on-call rota's hours are not its rate, nor a business case's costs beside it."""
    rota = [
        "At weekends the on-call CNS (09:00-17:00) takes P1 calls.",
        "Band 7 clinical lead 0.5 WTE: £38,000 a year.",
    ]
    asked = "what do band 7 CNSs get paid for doing the weekend on-call?"
    assert not states_what_is_asked(asked, rota)
    rates = ["Weekend on-call: band 7 CNS paid £45 per session."]
    assert states_what_is_asked(asked, rota + rates)
    # whether one is paid at all is answered by the rule, not a sum
    assert states_what_is_asked("do i get paid anything if my shift is cancelled?", rota)


def test_an_ask_reported_with_its_verb_first_is_a_question() -> None:
    """ "pt asking can they just rock up …" reports a question; "also what time …" asks one."""
    from bot.core.answering.question_form import question_form, question_sentence

    assert question_form("mum asking can she bring her son") == "yes_no"
    asked = "pt asking can they rock up on a saturday. also what time is walk in during the week"
    assert question_sentence(asked) == "also what time is walk in during the week"


def test_a_document_named_then_a_long_ask_is_a_question() -> None:
    from bot.core.answering.question_form import question_form

    asked = "in the CHMOS business case what's the cost of a band 8b consultant pharmacist post"
    assert question_form(asked) == "what"


def test_a_post_asked_by_what_it_is_for_needs_someone_named_beside_it() -> None:
    about_halos = [
        "HALOs track every crew waiting at their site and apply the release agreement.",
        "HALO funding ends on 31 March 2026.",
    ]
    assert not states_what_is_asked("whos the HALO manager?", about_halos)
    named = [*about_halos, "The HALO manager is Dean Okafor, based at Aldermoor."]
    assert states_what_is_asked("whos the HALO manager?", named)
    # "at the moment" says when, not which service the post is for
    pals = ["In Quarter 2 the trust received 212 formal complaints and 1,046 PALS contacts."]
    assert not states_what_is_asked("who's the PALS manager at the moment?", pals)


def test_which_allowance_is_asked_about_is_a_term_it_must_name() -> None:
    assert "uniform" in service_terms("do they get a uniform allowance in the practice?")


def test_a_figure_asked_for_a_quarters_months_is_given_for_that_quarter() -> None:
    """ "the trust sickness % for jul-sep" is the report's Q2 rate, not a month's; Q1's is not."""
    from bot.core.answering.quantities import states_what_is_asked

    question = "whats the trust sickness % for jul-sep?"
    head = ["Quarterly Sickness Absence Report 1. Summary"]
    q2 = "The Trust's sickness absence rate for Q2 2025/26 was 5.1%, up from 4.8% in Q1."
    q1 = "The Trust's sickness absence rate for Q1 2025/26 was 4.8%."
    assert states_what_is_asked(question, [q2], headings=head)
    assert not states_what_is_asked(question, [q1], headings=head)


def test_a_titles_short_form_is_the_name_its_passages_spell_out() -> None:
    """A figure asked "for the recovery college" is given under minutes titled "RC …"."""
    from bot.core.answering.quantities import said_in

    texts = [
        "Recovery College Joint Steering Group, minutes of the meeting.",
        "The autumn term has had 312 enrolments across 41 courses.",
    ]
    said = said_in(texts, ["RC Joint Steering Group minutes", "RC Joint Steering Group minutes"])
    heading_terms = said[-1][1]
    assert "recovery" in heading_terms and "college" in heading_terms


STAFFING_REPORT = [
    "38 internationally educated nurses (IENs) arrived in Q2. First-time pass rate at the OSCE "
    "for those who sat it in the quarter was 81%. Eleven off-framework shifts were used. "
    "RN vacancy was 6.8%, down from 8.9% at the end of Q1. RN turnover was 9.7%.",
    "Riverside practices saw 1,240 patients in the pilot. 83% of patients were managed without "
    "being sent on.",
    "Physiotherapists from Kingsmere Hospital joined the pilot in its second month.",
    "Six new trainees start in Q2. The Fenbury team moves to phase 2 in 2026.",
]
STAFFING_HEADS = [
    "Safe staffing report Q2 2025/26",
    "Community MSK pilot evaluation",
    "Community MSK pilot evaluation",
    "Workforce plan",
]


@pytest.mark.parametrize(
    ("question", "stated"),
    [
        # "IENs" is an acronym in the plural, what is measured, not a place
        ("what first time OSCE pass rate did the IENs who came over in Q2 get?", True),
        # a quarter's figure by any name: the sentence names all of what it measures
        ("what was RN turnover in Q2?", True),
        ("what was RN turnover back in Q1?", False),  # Q1 is named only beside the vacancy
        # "how many times …" counts the events, not "times"
        ("how many times did we have to go off framework in Q2?", True),
        # "how many of the new trainees …" counts trainees: a sentence naming the team with
        # another figure does not answer it
        ("how many of the new trainees are going to the Fenbury team?", False),
        # a name no dictionary knows is still a place the sentence must give
        ("what % of the pilot's patients were seen at kingsmere?", False),
        # and so is one the asker capitalises, though no passage retrieved writes it
        ("what % of the pilot's patients were seen at Ashgrove?", False),
    ],
)
def test_what_is_measured_and_where_are_read_as_the_asker_means_them(
    question: str, stated: bool
) -> None:
    from bot.core.answering.quantities import states_what_is_asked

    assert states_what_is_asked(question, STAFFING_REPORT, headings=STAFFING_HEADS) is stated
