"""``respond``: the one entry point every conversational surface calls.

Terminal chat, ``changebot respond``, Slack mentions, DMs, thread follow-ups and the assistant pane
all hand a message (and the conversation so far) to ``Responder.respond`` and render the typed
``Reply`` it returns. The order of work is fixed here, once:

1. screen the message for patient data (nothing else sees it if it fails) and drop any earlier
   turn that fails the same screen, so history can never carry an identifier onwards;
2. embed the message once, read its scope, and retrieve against the live index (bundled notes and
   an admin's own documents alike);
3. ``routing.decide`` picks answer, diagnosis or notice from those signals;
4. the answering or diagnosis pipeline runs with the vector and retrieval already computed.

``mode="diagnose"`` (``/diagnose``, the form) always diagnoses; ``mode="answer"`` (``ask``) never
returns a diagnosis card: a described situation that asks which barrier it is, or what to do, is
answered with the diagnosis told as an answer (``situated_answer``).
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from typing import Literal

from bot.core.answering.answer import Answerer
from bot.core.answering.compound import (
    first_sentence,
    joined_answer,
    separate_asks,
    with_each_asks_lead,
)
from bot.core.answering.framework_answers import names_framework_item, uses_a_framework_list
from bot.core.answering.quantities import asks_for_a_figure
from bot.core.answering.question_form import (
    SPACED_DASH,
    asks_for_help,
    message_parts,
    question_form,
    question_sentence,
)
from bot.core.answering.retrieve import Retrieval, Retriever, names_title
from bot.core.answering.rewrite import standalone_question
from bot.core.answering.shorthand import screen_spelled
from bot.core.answering.situated import (
    approach_told_answer,
    asked_parts,
    asks_approach_told,
    situated_answer,
)
from bot.core.answering.story_match import (
    MIN_STORY_WORDS,
    ApproachFinder,
    ScanFinder,
    scan_sentence,
    told_story,
)
from bot.core.answering.topics import (
    MIN_ASKED_TERMS,
    contains_term,
    place_terms,
    topical_terms,
)
from bot.core.diagnosis.diagnose import Diagnoser
from bot.core.models import Answer, Diagnosis, Reply, Scope, Turn
from bot.core.routing import (
    LOCAL_FORMS,
    RECORD_FORMS,
    Route,
    Signals,
    decide,
    describes_circumstances,
    looks_clinical,
)
from bot.core.scope import MESSAGES
from bot.core.wording import terms
from knowledge.framework import Approach
from knowledge.matching import ScanBarrier, default_matching

logger = logging.getLogger(__name__)

Mode = Literal["auto", "answer", "diagnose"]
EMPTY = "Tell me what is happening with your change, or ask a question about the guidance."


def _decide(signals: Signals, mode: Mode) -> tuple[Route, Scope]:
    """``routing.decide``, except that ``ask`` (``mode="answer"``) never gets a diagnosis."""
    route, reported = decide(signals)
    if mode == "answer" and route == "diagnosis":
        return "answer", "question"
    return route, reported


# forms that ask for a fact the guidance holds even when a story comes first; any other ask after
# a story ("which barrier is this?", "how do I move them?") wants the story read
_LOOKUP_FORMS: frozenset[str] = frozenset(
    {"who", "when", "how_many", "where", "compare", "list", "yes_no", "example"}
)


# "why is there no CHPPD number for ED in the Q2 staffing report?": asked of a document
_IN_THE_DOCUMENT = re.compile(
    r"\b(?:in|on|from|of)\s+(?:the|our|this|that|last)\s+(?P<named>(?:[\w&/-]+\s+){0,3}?)"
    r"(?:report|paper|dashboard|sop|plan|policy|minutes|bulletin|newsletter|business case|faq)\b",
    re.IGNORECASE,
)


# "why did CT waits go up in december?", "why has holmwood's pmdi figure got an asterisk?": why a
# figure moved or is marked, asked of the trust's records, not a story to read
_WHY_A_FIGURE = re.compile(
    r"\bwhy\b[^?]{0,80}?\b(?:(?:go|gone|went|going|gone)\s+(?:up|down)|rose|risen|rise|rising|fell|"
    r"fallen|fall|falling|drop(?:ped|ping)?|dip(?:ped)?|spike[ds]?|spiked|jump(?:ed)?|so\s+(?:high|low|"
    r"far\s+off|thin)|off\s+(?:target|trajectory|track)|asterisk|flagged\s+(?:red|amber))\b",
    re.IGNORECASE,
)
# what the moving thing is: a measure, a period or a target
_A_MEASURE = re.compile(
    r"\b(?:figures?|rates?|numbers?|waits?|waiting|times?|%|percent|performance|target|"
    r"trajectory|uptake|occupancy|activity|referrals|admissions|attendances|lists?|dashboard|"
    r"report|january|february|march|april|may|june|july|august|september|october|november|"
    r"december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|q[1-4]|4\s?hrs?|4\s?hours?)\b",
    re.IGNORECASE,
)


def _asks_why_a_figure_moved(asked: str) -> bool:
    return _WHY_A_FIGURE.search(asked) is not None and _A_MEASURE.search(asked) is not None


def _asks_of_the_document(asked: str, title: str) -> bool:
    """Whether ``asked`` asks about what a document says, naming it as its title does.

    "… in the Q2 staffing report?" names the "Safe Staffing and Workforce Report Q2 2025/26":
    why the report says (or leaves out) something is read from it, not diagnosed.
    """
    found = _IN_THE_DOCUMENT.search(asked)
    if found is None:
        return False
    named = set(terms(found["named"]))
    return bool(named) and named <= set(terms(title))


def wants_reading(
    signals: Signals,
    mode: Mode,
    names_item: bool = False,
    asks_for_reading: bool = True,
    own_situation: bool = True,
    points_at_story: bool = False,
) -> bool:
    """Whether ``ask`` should answer with the diagnosis of the situation the message describes.

    Only for a message about the asker's own situation (``own_situation``: "our consultants
    insist …", "my team", "we're firefighting"). Not for a fact asked after a story ("who
    wrote …?", "… is that right?", "what was it?"): that is looked up, or declined. A
    "what/which" ask is read only when it asks for help or a reading (``asks_for_reading``:
    "which barrier is this?", "what should I do?"). Not for help with a barrier or factor the
    question itself names ("how do I build recognition?") when the guidance answers it.
    An ask that points back at the story (``points_at_story``: "is this something the framework
    names?", "does the report have a view on that kind of pressure?") wants it read, whatever
    its form.
    """
    if mode != "answer" or not own_situation or decide(signals)[0] != "diagnosis":
        return False  # "how do I get buy-in from consultants?" is answered from the guidance
    if points_at_story:
        return True
    if signals.form in _LOOKUP_FORMS:
        return False
    if signals.form in {"what", "which", "how_to"} and not asks_for_reading:
        return False  # "… what was it?", "how do I cite it?" look something up
    return not (signals.grounded and names_item)


_READING = re.compile(
    # "which area is this?" (not "an out of area placement")
    r"\b(barriers?|(?:barrier|which|what) areas?|diagnos\w*"
    r"|what('s| is) (going on|(?:going )?wrong|happening|stopping)|why"
    # "what would the report say is going on?", "how would the report frame this + what helps?"
    r"|(?:is|'s) going on|frame (?:this|that|it)|what (?:would |might |could |will )?helps?"
    # "what does the framework make of that?", "where do I even start with this?"
    r"|framework|make of (?:that|this|it|them)|where (?:do|should|can|would) (?:i|we) (?:even )?"
    r"(?:start|begin))\b"
    # after one's own story, "what does the report suggest?" asks for help with it
    r"|\bwhat (?:does|would|do|can) (?:the (?:report|guidance|framework)|it|you) (?:suggest|"
    r"recommend|advise)\s*\??$",
    re.IGNORECASE,
)


# "is this something the framework names?", "anything in the sources on this?", "which success
# factor am I really talking about?": the ask is about the story just told, read through the
# guidance (not "what does this report say about …", which names the document)
_HERE_ASKED = r"\b(?:missing|weak|weakest|lacking|absent)(?:\s+one)?\s+here\b"
_AT_STORY = re.compile(
    r"\b(?:about|on|with|of|to|for|under|recogni[sz]es?|names?|describes?|covers?)\s+"
    r"(?:all\s+)?(?:this|that|these|those|it)\b(?!\s+(?:report|guidance|framework|scan|"
    r"supplement|document|paper|note|book|study|model)\b)"
    r"|\b(?:this|that|these|those)\s+(?:kind|sort|type)s?\s+of\b"
    r"|^\s*(?:is|are|was)\s+(?:this|that|it)\s+(?:something|one|an?)\b"
    r"|\b(?:am i|are we)\s+(?:\w+\s+)?(?:talking about|dealing with|looking at|up against|"
    r"facing)\b"
    # "what would the evidence scan call this?", "what would the report say this is?", "which
    # success factor is missing here?", "does the report put that under one of its barriers?",
    # "is that recognised as a barrier anywhere?"
    r"|\bcall\s+(?:this|that|it)\b|\bsay\s+(?:this|that|it)\s+is\b"
    r"|\bputs?\s+(?:this|that|it)\s+(?:under|in)\b|\b(?:is|are)\s+(?:this|that)\s+recogni[sz]ed\b"
    # "where does that sit in the framework?", "would this fall under one of the barriers?"
    r"|\b(?:does|do|would|did|might)\s+(?:this|that|it|these|those)\s+(?:sit|fit|belong|go|come|fall)\b"
    rf"|{_HERE_ASKED}",
    re.IGNORECASE,
)
# "which of the 7 success factors is the weak one here?": "here" is the asker's own setting,
# though the story says "teams" and "a community trust", not "we" or "our"
_HERE = re.compile(_HERE_ASKED, re.IGNORECASE)
_THROUGH_GUIDANCE = re.compile(
    r"\b(?:report|guidance|framework|sources?|constructive comfort|health foundation|hf|"
    r"evidence|research|success factors?|factors?|approach(?:es)?|approach types?|barriers?|"
    r"supplement|scan)\b",
    re.IGNORECASE,
)


def points_at_story(asked: str) -> bool:
    """Whether the ask is about the story told before it, as the guidance would read it.

    Only a story about the asker's own work is read ("national bodies get in the way. does the
    HF say anything about that?" asks what the report says).
    """
    return bool(_AT_STORY.search(asked) and _THROUGH_GUIDANCE.search(asked))


_A_RECOMMENDATION = re.compile(r"\brecommend\w*|\brecs?\b", re.IGNORECASE)
_OWN = re.compile(r"\b(our|my|we|we'?re|we'?ve|we are|i'?m|i am|i'?ve|us)\b", re.IGNORECASE)


# "I heard the HF compared how a CEO … gets treated with …": what a source said, retold
_SOURCE_RETOLD = re.compile(
    # "there's apparently a line somewhere contrasting …": a passage of the sources asked about
    r"\bthere(?:'s|\s+is)\s+(?:apparently\s+|supposedly\s+|meant\s+to\s+be\s+)?an?\s+"
    r"(?:line|bit|passage|example|quote|section|sentence|paragraph|comparison)\s+"
    r"(?:somewhere|in\s+(?:the\s+)?(?:report|supplement|scan|newsletter|press release|it))\b"
    r"|\b(?:i|we)\s+(?:heard|read|remember|saw|recall)\s+(?:somewhere\s+)?(?:that\s+)?"
    r"(?:the\s+)?(?:hf|thf|health foundation|report|cc|constructive comfort|supplement|"
    r"(?:evidence\s+)?scan|newsletter|press release|authors?)\s+(?:\w+\s+){0,2}?"
    r"(?:compared|said|says|made|makes|argued|argues|mentioned|mentions|described|describes|"
    r"gave|gives|used|uses|talked|talks|claimed|claims|pointed|contrasted|contrasts)\b",
    re.IGNORECASE,
)


# "As a palliative care consultant I'm curious - …": how the asker comes to ask, not their story
_STANCE = re.compile(
    r"\b(?:i'?m|i am)\s+(?:just\s+)?(?:curious|wondering|interested|intrigued|confused|puzzled)\b"
    r"|\bas an?\s+[\w -]{2,40}?(?=,|\s+i'?m\b|\s+i\b)",
    re.IGNORECASE,
)


def about_own_situation(text: str, story: bool) -> bool:
    """A story, or a question that speaks of the asker's own team or setting.

    Not what a source is retold as saying ("I heard the HF compared how a CEO … is treated
    with …. What was that example and which barrier was it about?"): that is looked up.
    """
    retold = _SOURCE_RETOLD.search(text)
    if retold is not None:
        rest = _STANCE.sub("", text[: retold.start()] + text[retold.end() :])
        return bool(_OWN.search(rest))
    return story or bool(_OWN.search(text))


# "how should I reference the scan in my write-up?": how to cite a document is looked up
_CITING = re.compile(r"\b(referenc\w*|cite|citing|citation|harvard|vancouver)\b", re.IGNORECASE)
# "how do I get hold of TRiM out of hours?", "who do I ring?": how to reach or use a service
_PROCEDURE = re.compile(
    r"\b(?:get hold of|contact|reach|refer (?:myself|someone|a patient|a colleague|them|him|her)|"
    r"book|register|sign up|apply|escalate|ring|call|phone|email|get in touch|order(?:ing)?|"
    r"request(?:ing)?|appeal|claim|renew|cancel)\b",
    re.IGNORECASE,
)
# "… on the handover highlight report?": the document itself, not the programme it is about
_DOCUMENT_WORD = re.compile(
    r"\b(?:report|paper|sop|faq|plan|newsletter|guide|document|doc|review|update|policy|"
    r"procedure)\b",
    re.IGNORECASE,
)
# "how do I get hold of the three documents online?": where to find them is looked up
_GETTING_DOCUMENTS = re.compile(
    r"\b(?:get hold of|find|download|access|get a copy of|obtain|link to|links? for)\b.{0,30}"
    r"\b(?:documents?|docs|report|supplement|scan|pdfs?)\b",
    re.IGNORECASE,
)
# a later ask pointing at a person named before it: "…, and which organisation is she from?"
_PERSON_POINTED = re.compile(r"\b(?:she|he|her|his|hers|him|they|them|their)\b", re.IGNORECASE)
# "in the evidence scan's barrier table, which barriers are flagged in one phase only?": the
# scan's own barriers and phases are looked up, whatever the asker says of their own trouble
_SCANS_TABLE = re.compile(
    r"\b(?:evidence scan|scan)(?:'s)?\b[^?]{0,60}\b(?:table|phases?|list|categor\w+|groups?)\b"
    r"|\b(?:table|phases?)\b[^?]{0,60}\b(?:evidence scan|scan)\b",
    re.IGNORECASE,
)
# "what should we be asking national bodies to do?": what the report asks of the centre is looked
# up (its recommendations), however much the asker says about their own trust first
_NATIONAL_ASK = re.compile(
    r"\b(?:national bodies|NHS England|the government|government|DHSC|regulators?|the centre|"
    r"national (?:organisations|leaders|level))\b(?:\s+\w+){0,3}?\s+(?:to do|should|ought|"
    r"could|must|need to)\b",
    re.IGNORECASE,
)


# "how many was it and why?": a fact asked with its reason, both of the record
_WHY_TAG = re.compile(r"[\s,]+(?:and|&|\+)\s+why\s*\??\s*$", re.IGNORECASE)


def asks_for_a_reading(asked: str) -> bool:
    """Whether the ask wants the situation read ("which barrier is this?") or help with it."""
    if (
        _CITING.search(asked)
        or _NATIONAL_ASK.search(asked)
        or _GETTING_DOCUMENTS.search(asked)
        # "how can I use the scan's phases on our project?" still asks for help with it
        or (_SCANS_TABLE.search(asked) and not asks_for_help(asked))
    ):
        return False
    fact = _WHY_TAG.sub("?", asked)
    if fact != asked and question_form(fact) in RECORD_FORMS | {"when", "which"}:
        asked = fact  # the reason for a count or a date is the record's, not the story's
    return asks_for_help(asked) or bool(_READING.search(asked))


def safe_history(history: list[Turn] | None) -> list[Turn]:
    """The earlier turns that pass the patient-data screen; a failing turn is dropped whole."""
    return [turn for turn in history or [] if not screen_spelled(turn.text).sensitive]


# "And do we get paid overtime or is it TOIL only": not "had a rough job last night"
_ANOTHER_ASK = re.compile(
    r"^(?:and|also|plus|or)\s+(?:(?:do|does|did|is|are|was|were|can|could|will|would|should|"
    r"who|when|what|where|how|which|why)\b)|^(?:who|when|what|where|how|which)\b"
    # "… get paid mileage? whats the rate per mile": typed without its apostrophe
    r"|^(?:whats|whos|whens|wheres|hows)\b",
    re.IGNORECASE,
)


# "kestle valley ops here - ", "pm at harbour view here, ": the asker, before the ask
_SIGNED_IN = re.compile(r"^\s*(?:[\w&'/-]+\s+){1,5}here\s*[:,\u2013\u2014-]+\s*", re.IGNORECASE)


_OUR = re.compile(r"\b(?:our|we|we'?re|we'?ve|us)\b", re.IGNORECASE)


# "locality lead for westbury", "brackenmoor locality lead": where the signer works
_SIGNER_PLACE = re.compile(
    r"\b(?:for|at|in|from)\s+(?:the\s+)?(?P<after>[a-z][\w'-]+(?:\s+[a-z][\w'-]+)?)\s*$"
    r"|^(?P<before>(?:[a-z][\w'-]+\s+){1,2}?)(?:locality|practice|surgery|ward|team|site|hub|"
    r"pcn|unit)\b",
    re.IGNORECASE,
)


def _without_signer(asked: str) -> str:
    """The ask without who is asking, unless the ask is for the asker's own unit's figure.

    "kestle valley ops here - how many appts …": who asks is not what is asked. But in
    "brackenmoor locality lead here, need our active DN caseload figure" the signer is what "our"
    means, so the place stays with the ask (and a place no document names is then declined);
    "whats our uniform policy" is the trust's, wherever the signer works.
    """
    signed = _SIGNED_IN.match(asked)
    if signed is None:
        return asked
    rest = asked[signed.end() :]
    if not _OUR.search(rest) or not asks_for_a_figure(rest):
        return rest  # "whats our uniform policy" is the trust's, wherever the signer works
    signer = re.sub(r"\s*\bhere\b.*$", "", signed.group(0), flags=re.IGNORECASE | re.DOTALL)
    place = _SIGNER_PLACE.search(signer.strip())
    if place is None:
        return rest
    # written as the place the ask is about (``topics.place_terms`` reads it), so a place no
    # document names is declined
    note = f"(at {(place['after'] or place['before']).strip()})"
    if rest.rstrip().endswith("?"):
        return f"{rest.rstrip()[:-1].rstrip()} {note}?"
    return f"{rest} {note}"


def _every_ask(text: str) -> str | None:
    """From the first question to the last ask: "when does the EPR go live? and how many …?".

    A message that asks two things is searched on both, without the story told before them.
    """
    parts = message_parts(text)
    asks = [i for i, p in enumerate(parts) if p.endswith("?")]
    if not asks:
        asked = question_sentence(text)
        signed = _SIGNED_IN.match(text)
        if asked and signed and not asked.startswith(signed.group(0)) and text.endswith(asked):
            asked = signed.group(0) + asked  # the scene clause was dropped with the signer
        return _without_signer(asked) if asked else asked
    last = asks[-1]
    # "…? And do we get paid overtime or is it TOIL only": an ask without its question mark
    while last + 1 < len(parts) and _ANOTHER_ASK.match(parts[last + 1]):
        last += 1
    return _without_signer(" ".join(parts[asks[0] : last + 1]))


def _lever_and_ask(text: str, every: str) -> tuple[str, str]:
    """The story of a lever and the ask for its approach type, or ("", "") when there is none.

    The ask is the message's asks, or the part after a dash when the story and its ask share a
    sentence ("a national scheme that trains ward sisters … - is that type 2 or type 3?"), or a
    last sentence that reports it ("… My director wants to know which approach types we've been
    relying on, and what the report would say we're missing.").
    """
    story = text.replace(every, " ")
    if len(story.split()) < MIN_STORY_WORDS:
        *told_part, last = SPACED_DASH.split(every)
        if told_part and asks_approach_told(last):
            story, every = " - ".join(told_part), last
    said = message_parts(text)
    if not asks_approach_told(every) and len(said) > 1 and asks_approach_told(said[-1]):
        every = said[-1]
        story = text.replace(every, " ")
    if not asks_approach_told(every) or len(story.split()) < MIN_STORY_WORDS:
        return "", ""
    return told_story(text, every), every


class Responder:
    """Screens, embeds, routes and runs one pipeline per message."""

    def __init__(self, retriever: Retriever, answerer: Answerer, diagnoser: Diagnoser) -> None:
        self._retriever = retriever
        self._answerer = answerer
        self._diagnoser = diagnoser
        matching = self._matching = default_matching()
        self._scan = ScanFinder(matching, retriever.embed)
        self._approaches = ApproachFinder(diagnoser.framework, matching, retriever.embed)

    def respond(self, text: str, history: list[Turn] | None = None, mode: Mode = "auto") -> Reply:
        """The reply to ``text``; never raises for ordinary input."""
        privacy = screen_spelled(text)
        if privacy.sensitive:
            return Reply.notice_of("patient_data", privacy.message)
        if not text.strip():
            return Reply.notice_of("smalltalk", EMPTY)
        turns = safe_history(history)
        if mode == "diagnose":
            diagnosis = self._diagnoser.diagnose(text, turns)
            if diagnosis.scope != "question":
                return Reply.of_diagnosis(diagnosis)
            mode = "answer"  # a question typed into /diagnose is still answered
        vector = self._retriever.query_vector(text)
        scope = self._diagnoser.scope.classify(text, vector).scope
        signals = Signals(
            scope=scope,
            form=question_form(text),
            grounded=False,
            story=describes_circumstances(text),
            clinical=looks_clinical(text),
        )
        route, reported = _decide(signals, mode)
        query, retrieval = text, None
        searched_alone = False  # the ask was already searched without its story
        possible = replace(signals, grounded=True, local=True, records=True)
        if route == "answer" or _decide(possible, mode) != (route, reported):
            # retrieval can change the route or is needed for the answer; a plain situation,
            # greeting or attempt to subvert is decided without it
            query = standalone_question(text, turns)
            vec = vector if query == text else None
            retrieval = self._retriever.search(query, k=5, vector=vec)
            query = retrieval.query or query  # with shorthand spelt out ("HF", "orgs")
            grounded = self._answerer.grounded(query, retrieval)
            # not "what should I do?" or "which barrier is this?": those want the story read;
            # but "how do I get hold of TRiM out of hours?" is the procedure the document gives,
            # and "why is the risks line red on the highlight report?" asks about the document
            asked = question_sentence(text) or text
            top = retrieval.passages[0] if retrieval.passages else None
            local = (
                grounded
                and top is not None
                and top.owner == "admin"
                and (
                    not asks_for_a_reading(asked)
                    or bool(_PROCEDURE.search(asked))
                    or (names_title(asked, top.title) and bool(_DOCUMENT_WORD.search(asked)))
                    or _asks_of_the_document(asked, top.title)
                    or _asks_why_a_figure_moved(asked)
                )
            )
            records = top is not None and top.owner == "admin" and not asks_for_a_reading(asked)
            signals = replace(signals, grounded=grounded, local=local, records=records)
            route, reported = _decide(signals, mode)
            if route == "diagnosis" and records and signals.form in LOCAL_FORMS:
                # "parents on skylark asking if their 3 yr old can come in. what are the sibling
                # visiting times?": the story's words ground nothing, the ask alone does
                alone = self._ask_searched_alone(text)
                if alone is not None:
                    query, retrieval = alone
                    searched_alone = True
                    signals = replace(signals, grounded=True, local=True)
                    route, reported = _decide(signals, mode)
        if route == "answer" and retrieval is not None and not searched_alone:
            query, retrieval = self._asked_alone(text, query, retrieval)
        logger.info("routed scope=%s form=%s route=%s", scope, signals.form, route)
        if route == "notice":
            return Reply.notice_of(reported, MESSAGES.get(reported, MESSAGES["out_of_scope"]))
        if route == "diagnosis":
            diagnosis = self._diagnoser.diagnose(text, turns, vector=vector)
            return Reply.of_diagnosis(self._with_its_asks(diagnosis, text))
        asked = question_sentence(text) or text
        every = _every_ask(text) or asked  # "which barrier is this? and does the scan …?"
        framework = self._diagnoser.framework
        if wants_reading(
            signals,
            mode,
            names_framework_item(asked, framework) or uses_a_framework_list(asked),
            asks_for_a_reading(asked),
            about_own_situation(text, signals.story),
            points_at_story(asked) and bool(_OWN.search(text) or _HERE.search(asked)),
        ):
            diagnosis = self._diagnoser.diagnose(text, turns, vector=vector)
            scan, told = self._named_for(text, every, diagnosis, unasked=True)
            verdict = self._matching.balance_verdict
            reading = situated_answer(
                diagnosis, framework, reported, asked, scan, every, told, verdict, text
            )
            if reading is not None:
                return Reply.of_answer(reading)
        story, approach_ask = _lever_and_ask(text, every)
        if approach_ask and not _A_RECOMMENDATION.search(story):
            # "NHSE brought in league tables and fines. what type of approach is that?": the
            # lever told of is named, not the three types listed (but "the recommendation
            # about investing far more - which approach type does that go with?" names its own)
            told = self._approaches.described(story)
            verdict = self._matching.balance_verdict
            return Reply.of_answer(
                approach_told_answer(told, framework, reported, approach_ask, verdict)
            )
        assert retrieval is not None, "an answer is always routed with its retrieval"
        answer = self._answerer.answer_retrieved(query, retrieval, reported, turns, text)
        if answer.grounded:
            answer = self._with_each_asks_lead(answer, text, turns, reported)
        if not answer.grounded:
            # "who wrote the supplement, and how many pages is it?": judged whole, the page
            # count is not in the passages about its authors; each ask alone is answered
            joined = self._each_ask(text, turns, reported)
            if joined is not None:
                return Reply.of_answer(joined)
        return Reply.of_answer(answer)

    def _with_each_asks_lead(
        self, answer: Answer, text: str, turns: list[Turn], reported: Scope
    ) -> Answer:
        """A guidance answer with what answers each of its asks alone, when the whole lacks it.

        "is the scan a systematic review? and how many NHS studies did it analyse?": judged
        whole, the answer may lead with the count and never answer the first ask. A trust's
        documents answer each part already (``extractive`` ``_each_part``).
        """
        asks = separate_asks(text)
        if len(asks) < 2 or any(c.owner == "admin" for c in answer.citations):
            return answer
        said = terms(answer.answer)
        later = []
        for ask in asks:
            # "… which organisation is she from?": whom "she" means is not said alone
            missing = [t for t in topical_terms(ask) if not contains_term(t, said)]
            if _PERSON_POINTED.search(ask) or not missing:
                continue  # the whole answer already speaks to this ask
            retrieval = self._retriever.search(standalone_question(ask, turns), k=5)
            query = retrieval.query or ask
            alone = self._answerer.answer_retrieved(query, retrieval, reported, turns, ask)
            lead = first_sentence(alone.answer)
            new = [t for t in topical_terms(lead) if not contains_term(t, said)]
            if new and set(missing) & set(terms(lead)):
                later.append(alone)  # its lead gives what the whole answer left out
        return with_each_asks_lead(answer, later)

    def _each_ask(self, text: str, turns: list[Turn], reported: Scope) -> Answer | None:
        """A message's two or three asks answered one at a time, when every one is answered.

        Only for a message declined whole: a question answered whole keeps its answer (split
        every time, answers lost more facts than they found over our question sets), and an
        ask the guidance does not answer keeps the whole message declined.
        """
        asks = separate_asks(text)
        if not asks:
            return None
        parts = []
        for ask in asks:
            retrieval = self._retriever.search(standalone_question(ask, turns), k=5)
            query = retrieval.query or ask
            answer = self._answerer.answer_retrieved(query, retrieval, reported, turns, ask)
            if not answer.grounded:
                return None  # one ask unanswered: the message stays declined
            parts.append(answer)
        return joined_answer(parts)

    def _with_its_asks(self, diagnosis: Diagnosis, text: str) -> Diagnosis:
        """The card, with what the story's asks want named: the scan's barrier, the lever told of.

        "every profession says it's someone else's job. what would the evidence scan call
        this?" in chat gets the diagnosis card, which should say "role demarcation" too.
        """
        asks = _every_ask(text)
        if not asks or diagnosis.scope != "in_scope" or not diagnosis.barriers:
            return diagnosis
        scan, told = self._named_for(text, asks, diagnosis)
        named = []
        if told is not None:
            named.append(
                f"What you describe sounds like Type {told.type_number}, {told.label.lower()}."
            )
        if scan:
            named.append(scan_sentence(scan, "(changebot's reading of its table, p. 3)"))
        if not named:
            return diagnosis
        return diagnosis.model_copy(update={"message": " ".join([diagnosis.message, *named])})

    def _named_for(
        self, text: str, asks: str, diagnosis: Diagnosis, *, unasked: bool = False
    ) -> tuple[list[ScanBarrier], Approach | None]:
        """What a story's asks want named: the evidence scan's nearest barriers, the lever told of.

        Each is matched against the story only when an ask wants it ("what would the evidence
        scan call this?", "which type of approach is that?"); with ``unasked`` (an answer in
        chat, not the card), a scan barrier the story plainly describes is named too.
        """
        story = told_story(text, asks)
        found = [b.id for b in diagnosis.barriers]
        if "scan" in asked_parts(asks):
            scan = self._scan.nearest(story, found)
        else:  # unasked, only a barrier the story plainly describes ("restructured 3 times")
            scan = self._scan.clear(story) if unasked else []
        told = self._approaches.described(story) if asks_approach_told(asks) else None
        return scan, told

    def _ask_searched_alone(self, text: str) -> tuple[str, Retrieval] | None:
        """A story's question put as one, searched alone, when a trust's document answers it."""
        asked = _every_ask(text)
        if not asked or not asked.rstrip().endswith("?") or asks_for_a_reading(asked):
            return None  # only a question put as one: never a story's embedded "how we do it"
        return self._searched_alone(text, asked)

    def _asked_alone(self, text: str, query: str, retrieval: Retrieval) -> tuple[str, Retrieval]:
        """The question without the story before it, when a trust's document answers it so.

        "crew at kingsmead asking when the weekly huddle is, anyone know": searched whole, the
        story's words find Kingsmead's handover figures; the question alone finds the huddle.
        Only for a trust's own documents: the guidance's notes are judged on the whole message.
        """
        if not any(p.owner == "admin" for p in retrieval.passages):
            return query, retrieval  # no trust document in reach: no second search
        # "locality lead for westbury here - whats our caseload": the ask is about the signer's
        # place, so it is judged with it even when no document names it (and then declined)
        asked = _every_ask(text)
        binding = bool(place_terms(asked or ""))
        return self._searched_alone(text, asked, binding) or (query, retrieval)

    def _searched_alone(
        self, text: str, asked: str | None, binding: bool = False
    ) -> tuple[str, Retrieval] | None:
        """``asked`` searched on its own; kept when a trust's document comes first and answers.

        A ``binding`` ask (one that names what the whole message leaves implicit) is kept
        answered or not: the whole message would answer for somewhere else.
        """
        if not asked or asked == text or len(topical_terms(asked)) < MIN_ASKED_TERMS:
            return None
        alone = self._retriever.search(asked, k=5)
        query = alone.query or asked
        if binding:
            return query, alone
        if alone.passages and alone.passages[0].owner == "admin":
            return (query, alone) if self._answerer.grounded(query, alone) else None
        return None
