"""Routing rules and question forms: pure functions, so they run in the fast tier."""

from __future__ import annotations

import pytest

from bot.core.answering.question_form import question_form
from bot.core.routing import Signals, decide, describes_circumstances, looks_clinical

pytestmark = pytest.mark.fast


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("who leads the discharge lounge pilot?", "who"),
        ("When does the new EPR go live?", "when"),
        ("how many beds does the virtual ward have", "how_many"),
        ("how quickly do they visit after discharge", "how_many"),
        ("Are the seven factors present in every trust?", "yes_no"),
        ("how is the proactive support approach different from the other two?", "compare"),
        ("what are the four barriers?", "list"),
        ("what were the five workstreams?", "list"),
        ("what categories does the evidence scan use?", "which"),
        ("what progress does the NHS make?", "what"),
        ("Which success factor is about data?", "which"),
        ("We've tried everything. How do I get the consultants on board?", "how_to"),
        ("why do improvement projects stall?", "why"),
        ("what does prodding organisations mean?", "what"),
        ("thanks, where is the hub based?", "where"),
        ("who's running the validation work?", "who"),
        # an ask reported in passing, without a question mark
        ("crew at the station asking when the weekly huddle is, anyone know", "when"),
        # a request is read by its verb: "can you list …" asks for a list, not a yes or no
        ("can someone list the seven success factors pls", "list"),
        ("could you name the three approach types?", "list"),
        ("can you tell me who wrote the supplement?", "who"),
        ("could you explain headspace?", "what"),
        ("can I use the framework on a community ward?", "yes_no"),
        ("can you help with my project?", "yes_no"),
        ("the ward is short staffed and nobody has time", None),
        # no question mark: the ask after a scene-setting clause
        ("we're a Scottish board, is the framework any use to us", "yes_no"),
        ("new to QI - which barrier covers skills", "which"),
        ("our ward is short staffed, nobody has time", None),
        ("hi there", None),
        # the case first, then its ask; an emoji ends what came before it; "how early" is when
        ("SN referral process - once consent's sorted whats the next step", "what"),
        (
            "once a referral lands in the SPA how long has the duty nurse got to triage it",
            "how_many",
        ),
        ("new on reception :wave: how early can we start handing out the tickets", "when"),
        ("new on reception 👋 how early can we start handing out the tickets", "when"),
        # a bare request, with what it is wanted of after a dash
        ("page counts pls - main report, the mckinsey supplement and the evidence scan", "what"),
        ("OT waits at end of march - how many kids on the list", "how_many"),
        # whether something worked is not a comparison of two things
        ("has the stockist scheme made any difference?", "yes_no"),
        ("what's the difference between type 1 and type 2?", "compare"),
        # an ask reported by a caller, an "and" before a clause's ask, a supposed maker
        ("pt ringing to ask what time to rock up and when she has to stop eating", "when"),
        (
            "pt says she cant drive, can we get transport sorted for her, and how much notice do "
            "they want",
            "how_many",
        ),
        ("pretty sure the supplement was done by the kings fund??", "who"),
        # a fact asked for as a need; "quick one -"; a preposition before a clause's ask
        ("need kestle bridge's line infection rate for oct-dec for the unit board", "what"),
        ("quick one - whats the service target for new starts", "what"),
        ("under the new process if sats drop, at what level do we ring the reg", "what"),
        ("we need the data to show the board it works", None),
        # a hedge before the ask
        ("roughly what does it cost us per overseas nurse all in - flights, visa etc", "what"),
        # an ask put to the asker and passed on; not a request to do something, nor a reported
        # ask followed by the asker's own trouble (that tells a story)
        ("staff side asked me who the trust's freedom to speak up guardian is", "who"),
        # the case, then a when
        ("if investment committee says yes when would the 24/7 outreach actually start", "when"),
        ("matron asked me if i could pilot it on our ward", None),
        (
            "board keep asking if it avoids admissions and we cant get LOS out of systmone, no "
            "analyst either",
            None,
        ),
    ],
)
def test_question_forms(text: str, form: str | None) -> None:
    assert question_form(text) == form


@pytest.mark.parametrize(
    ("text", "moved"),
    [
        ("what % got out by midday before vs after?", True),
        ("has the stockist scheme made any difference? before/after figures pls", True),
        ("did the huddles actually reduce admissions?", True),
        ("what's the difference between type 1 and type 2?", False),
        ("who leads the huddles?", False),
    ],
)
def test_asking_whether_something_worked_asks_how_a_measure_moved(text: str, moved: bool) -> None:
    from bot.core.answering.question_form import asks_before_and_after

    assert asks_before_and_after(text) is moved


def signals(**kw: object) -> Signals:
    base: dict[str, object] = {
        "scope": "in_scope",
        "form": None,
        "grounded": False,
        "story": False,
        "clinical": False,
    }
    return Signals(**{**base, **kw})  # type: ignore[arg-type]


def test_a_described_situation_is_diagnosed_even_when_it_asks_how() -> None:
    assert decide(signals(form="how_to", story=True)) == ("diagnosis", "in_scope")
    assert decide(signals(form="how_to")) == ("diagnosis", "in_scope")


def test_a_short_factual_question_is_never_diagnosed() -> None:
    for form in ("who", "when", "how_many", "yes_no", "compare", "which"):
        route, _ = decide(signals(form=form))
        assert route == "answer"


def test_a_fact_asked_after_a_story_is_looked_up_in_the_trusts_own_documents() -> None:
    assert decide(signals(form="which", story=True, grounded=True, local=True)) == (
        "answer",
        "question",
    )
    # the bundled guidance answering it is not enough: the story is still read
    assert decide(signals(form="which", story=True, grounded=True)) == ("diagnosis", "in_scope")
    # "how do I get hold of TRiM out of hours?": respond marks only such how-tos as local
    assert decide(signals(form="how_to", grounded=True, local=True))[0] == "answer"
    assert decide(signals(form="how_to", story=True, grounded=True))[0] == "diagnosis"
    # "why is the risks line red on the highlight report?": respond marks it local
    assert decide(signals(form="why", grounded=True, local=True))[0] == "answer"
    assert decide(signals(form="why", grounded=True))[0] == "diagnosis"


def test_one_fact_of_the_trusts_records_asked_after_a_story_is_looked_up() -> None:
    """ "2ww untriaged since monday. who am i meant to escalate to?": looked up, or declined
    when no passage states it, never read as a story of change."""
    for form in ("who", "how_many", "where"):
        assert decide(signals(form=form, story=True, records=True)) == ("answer", "question")
    assert decide(signals(form="who", story=True)) == ("diagnosis", "in_scope")
    # "what should I do?" stays a story to read, though the trust's documents come first
    assert decide(signals(form="how_to", story=True, records=True)) == ("diagnosis", "in_scope")
    assert decide(signals(form="yes_no", story=True, records=True)) == ("diagnosis", "in_scope")


def test_off_topic_questions_are_answered_only_when_the_index_covers_them() -> None:
    assert decide(signals(scope="out_of_scope", form="what", grounded=True))[0] == "answer"
    assert decide(signals(scope="out_of_scope", form="what")) == ("notice", "out_of_scope")
    assert decide(signals(scope="out_of_scope")) == ("notice", "out_of_scope")


def test_greetings_clinical_and_injection_get_notices() -> None:
    assert decide(signals(scope="smalltalk")) == ("notice", "smalltalk")
    assert decide(signals(scope="question", form="how_many", clinical=True))[0] == "notice"
    assert decide(signals(scope="injection", form="what", grounded=True))[0] == "notice"
    assert decide(signals(scope="patient_data"))[1] == "patient_data"


def test_wording_cues() -> None:
    assert looks_clinical("what dose of gentamicin for a 70kg man?")
    assert not looks_clinical("our antibiotic stewardship project keeps stalling")
    assert describes_circumstances("We tried. It failed twice. Nobody came to the meeting.")
    assert not describes_circumstances("who leads the pilot?")
    # a question with a short aside is still a lookup; a question after a story is not
    assert not describes_circumstances("Is the supplement by McKinsey? My director thinks so.")
    assert describes_circumstances(
        "Half the ward is off sick and the rest are doing double shifts. Is this headspace?"
    )
    # what the report says is the question's premise, not the asker's story
    assert not describes_circumstances(
        "The Health Foundation report says national bodies use three types of approach to get "
        "change happening. What are they? Feels like our ICB only ever does the prodding one"
    )
    # a case, then its ask: "if I ring … who picks up - a doctor, or …?" tells no story
    assert not describes_circumstances(
        "if I ring the hospice line at 3am on a sunday who actually picks up - a doctor, or the "
        "nurse in charge?"
    )


def test_who_when_how_many_answers_lead_with_the_sentence_that_answers() -> None:
    from bot.core.answering.extractive import lead_with_answer

    picked = [
        (0, "The Riverside service helps people home after a stroke"),
        (1, "The service opened on 6 January 2026"),
        (1, "It is led by Amara Pretorius, lead nurse"),
        (2, "It sees 40 patients a month"),
    ]
    assert lead_with_answer(picked, "who")[0][1].startswith("It is led by")
    assert lead_with_answer(picked, "when")[0][1].endswith("6 January 2026")
    assert lead_with_answer(picked, "how_many")[0][1].startswith("It sees 40")
    assert lead_with_answer(picked, "what") == picked


def test_ask_reads_a_story_unless_it_asks_a_fact_the_guidance_holds() -> None:
    from bot.core.respond import wants_reading

    story = Signals(scope="in_scope", form="which", grounded=True, story=True)
    assert wants_reading(story, "answer")
    assert not wants_reading(story, "auto")  # chat shows the diagnosis card itself
    assert not wants_reading(Signals("in_scope", "who", True, True), "answer")
    assert not wants_reading(Signals("in_scope", "yes_no", False, True), "answer")
    assert wants_reading(Signals("in_scope", "how_to", False, True), "answer")
    assert wants_reading(Signals("in_scope", "how_to", False, True), "answer", names_item=True)
    assert not wants_reading(Signals("in_scope", "how_to", True, True), "answer", names_item=True)
    assert not wants_reading(Signals("question", "how_to", True, False), "answer")


def test_ask_reads_only_messages_about_the_askers_own_situation() -> None:
    from bot.core.respond import about_own_situation, wants_reading

    how_to = Signals(scope="in_scope", form="how_to", grounded=True, story=False)
    assert about_own_situation("how do I make room for QI when we're firefighting?", False)
    assert not about_own_situation("how do I get buy-in from consultants for a change?", False)
    # a line of the sources asked about by someone curious, not their own story
    assert not about_own_situation(
        "As a palliative care consultant I'm curious - there's apparently a line somewhere "
        "contrasting what happens to a special-measures chief exec with clinical excellence "
        "awards. What's the point being made, and which barrier is it about?",
        False,
    )
    assert not wants_reading(how_to, "answer", own_situation=False)
    assert wants_reading(how_to, "answer", own_situation=True)


def test_sentences_are_not_cut_inside_an_italic_title() -> None:
    from bot.core.wording import sentences

    text = (
        "Evidence scan No. 24, *What's getting in the way? Barriers to improvement in the NHS*,"
        " is by Dr Debra de Silva. It covers 73 NHS studies.\n* A bullet? Yes.\n\n**Bold** lead."
    )
    assert sentences(text) == [
        "Evidence scan No. 24, *What's getting in the way? Barriers to improvement in the NHS*,"
        " is by Dr Debra de Silva.",
        "It covers 73 NHS studies.",
        "A bullet?",
        "Yes.",
        "**Bold** lead.",
    ]


@pytest.mark.parametrize(
    ("asked", "reading"),
    [
        ("What does the framework make of that?", True),
        ("Where do I even start with this", True),
        ("which barrier is this?", True),
        ("who do we report that to?", False),
        ("when do we go live?", False),
        # after one's own story, the report's suggestion is help with it
        ("What does the report suggest?", True),
        # "out of area" is a place a patient goes, not a barrier area asked about
        ("who has to authorise an out of area placement out of hours?", False),
        ("which area is this?", True),
        ("feels stuck, what's going wrong here?", True),
        ("what does the report suggest about national bodies?", False),
        # a count or a date asked with its reason: both are the record's
        ("how many was it and why?", False),
        ("when did it close, and why?", False),
        ("who turned it down & why", False),
        # "why" asked on its own, or after a how-to, still wants the story read
        ("they keep missing it, why?", True),
        ("how do we fix it and why does it keep happening?", True),
        # after one's own story: how it is framed, what is going on, what helps
        ("how would the report frame this + what helps?", True),
        ("What would the report say is going on and what would help?", True),
    ],
)
def test_asks_for_a_reading_or_a_fact(asked: str, reading: bool) -> None:
    from bot.core.respond import asks_for_a_reading

    assert asks_for_a_reading(asked) is reading


@pytest.mark.parametrize(
    "text",
    [
        "what was the wheelchair 18 week % for Q2? want to show the trend across the whole year "
        "not just the last two quarters",
        "how much is the ICB paying us per bed? trying to work out if the rounds cost us money",
        "what hours is the SPA open at weekends? GP surgery asking me",
        "what band are our link workers on? thinking of applying",
        "quick one - whats the OAP bed days figure for Q3 2022/23? writing a paper for the "
        "directorate and need the year before the programme started",
        "who's the PALS manager at the moment? want to set up some customer care training",
        "Is direct booking set up the same in Fenwick Moor ICB? My sister manages a practice over "
        "there and asked me how many slots they need",
        "med director here. pretty sure the supplement was done by the kings fund?? can someone "
        "confirm before i quote it at exec board",
    ],
)
def test_why_a_fact_is_asked_after_the_question_tells_no_story(text: str) -> None:
    assert not describes_circumstances(text)


def test_a_time_clause_in_a_told_sentence_asks_nothing() -> None:
    text = (
        "we've recruited peer support workers but some staff wont let them do anything. when i "
        "raise it the senior nurses just say 'thats not how we do things here'."
    )
    assert question_form(text) is None
    assert question_form("when does the clinic open") == "when"


def test_a_story_before_a_spaced_dash_is_a_story() -> None:
    assert describes_circumstances(
        "health visiting team got a new electronic record system and nobody can make it fit "
        "our visits – which barrier is that and what helps?"
    )
    # who asks, or a question before the dash, tells no story
    assert not describes_circumstances(
        "research nurse here - what does the scan say about barriers in clinical trial "
        "recruitment specifically"
    )
    assert not describes_circumstances(
        "why does HF say the NHS has to get better at change in the first place - whats the "
        "backdrop? finance"
    )


def test_a_situation_told_after_a_question_is_still_a_story() -> None:
    text = (
        "How do I get the consultants on board? I am trying to get them to the meetings but "
        "they never come and the ward is drowning."
    )
    assert describes_circumstances(text)


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        (
            "when does the new EPR go live? and how many patients can the virtual ward take?",
            "when does the new EPR go live? and how many patients can the virtual ward take?",
        ),
        (
            "Whats the deadline for the vax rota? And do we get paid overtime or is it TOIL only",
            "Whats the deadline for the vax rota? And do we get paid overtime or is it TOIL only",
        ),
        # a story after the question is not another ask
        (
            "how do I get hold of TRiM out of hours? had a rough job last night and the hub's shut",
            "how do I get hold of TRiM out of hours?",
        ),
        ("Crew are fed up. When is the huddle?", "When is the huddle?"),
        # a second ask typed without its apostrophe
        (
            "do the volunteers get paid mileage? whats the rate per mile",
            "do the volunteers get paid mileage? whats the rate per mile",
        ),
        # who is asking is not what is asked
        (
            "kestle valley ops here - how many appts did the SDA hub get used in jan",
            "how many appts did the SDA hub get used in jan",
        ),
        # unless "our" in the ask means the signer's place: it is kept as the team asked about
        (
            "locality lead for westbury here - whats our DN caseload and vacancy rate",
            "whats our DN caseload and vacancy rate (at westbury)",
        ),
        (
            "brackenmoor locality lead here, need our active DN caseload figure from the review",
            "need our active DN caseload figure from the review (at brackenmoor)",
        ),
        ("finance lead here - whats our agency spend", "whats our agency spend"),
        # a policy asked is the trust's, wherever the signer works: only a figure is the place's
        ("nurse at kelbury ward here - whats our uniform policy?", "whats our uniform policy?"),
    ],
)
def test_every_ask_runs_from_the_first_question_to_the_last_ask(text: str, asked: str) -> None:
    from bot.core.respond import _every_ask

    assert _every_ask(text) == asked


def test_a_two_part_question_splits_into_its_asks() -> None:
    from bot.core.answering.extractive import asked_parts

    assert asked_parts(
        "who do I send names to for the exercise classes and when's the deadline?"
    ) == ["who do I send names to for the exercise classes", "when's the deadline?"]
    assert asked_parts("who wrote the report and the supplement?") == [
        "who wrote the report and the supplement?"
    ]


@pytest.mark.parametrize(
    ("asked", "points"),
    [
        ("Is this something the framework names?", True),
        ("anything in the sources on this?", True),
        ("Does the report have a view on relying on that kind of pressure?", True),
        ("which of the report's approach types does that sort of thing fit under?", True),
        ("which success factor am I really talking about?", True),
        ("what would the evidence scan call this?", True),
        ("what would the report say is missing here?", True),
        ("does the report put that under one of its barriers", True),
        ("is that recognised as a barrier anywhere in the sources?", True),
        ("Where does that sit in the framework?", True),
        ("would this fall under one of the report's barriers?", True),
        ("what does the report call the four barrier areas?", False),  # names what it asks
        ("what does this report say about consultants?", False),  # names the document
        ("is this right?", False),  # nothing read through the guidance
        ("who wrote the report?", False),
    ],
)
def test_an_ask_points_back_at_the_story_through_the_guidance(asked: str, points: bool) -> None:
    from bot.core.respond import points_at_story

    assert points_at_story(asked) is points


def test_who_asked_a_fact_before_it_tells_no_story() -> None:
    # who wants to know, and what they asked, is why the fact is looked up
    assert not describes_circumstances(
        "parents on skylark asking if their 3 yr old can come and see the baby. what are the "
        "sibling visiting times? cheers"
    )
    assert not describes_circumstances(
        "ward staff keep asking how long the mri van in car park b is staying. when did it come "
        "and when does it go?"
    )
    # but staff asking why, or a request to us with its trouble, is how a change is landing
    assert describes_circumstances(
        "staff keep asking why we are changing the rota and nobody has bought in. how do I get "
        "them on board?"
    )
    assert describes_circumstances(
        "my matron asked me whether we could pilot the new handover tool, but the ward is "
        "exhausted and nobody wants it. what should I do?"
    )


def test_a_why_asked_of_a_document_named_as_its_title_does_is_read_from_it() -> None:
    from bot.core.respond import _asks_of_the_document

    title = "Nursing and Midwifery Safe Staffing and Workforce Report Q2 2025/26"
    asked = "why is there no CHPPD number for ED in the Q2 staffing report?"
    assert _asks_of_the_document(asked, title)
    # another document, or no document named, is not this one
    assert not _asks_of_the_document("why is ED missing in the Q3 board paper?", title)
    assert not _asks_of_the_document("why do staff keep leaving in the first year?", title)
