"""answer(question) -> Answer: grounded, cited answers about the guidance.

Patient data is screened first; then scope; framework questions are answered exactly from
framework.yaml; everything else is retrieved (hybrid) and composed offline, or by the LLM when
configured, with its citations checked against what was retrieved. Weak retrieval means an
honest "the guidance I have doesn't cover that".
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from bot.common.errors import LLMUnavailable
from bot.common.types import Passage
from bot.core.answering.compound import joined_answer, separate_asks
from bot.core.answering.contents import contents_reply
from bot.core.answering.extractive import (
    ASKS_EXCLUDED,
    EXCLUDES,
    compose_offline,
    not_covered,
)
from bot.core.answering.framework_answers import (
    NARROWED,
    ODD_ONE_OUT,
    FrameworkAnswer,
    asks_which_kind,
    claimed_outside,
    counted_list,
    framework_answer,
    framework_contrast,
    framework_count,
    framework_membership,
    kinds_related,
    named_and_asked,
    reading_list,
    recommendations_by_type,
    source_title,
)
from bot.core.answering.identify import QUOTED, ItemFinder, kind_asked
from bot.core.answering.lengths import lengths_answer, with_lengths
from bot.core.answering.levers_kept import levers_kept, pressure_claimed, verdict_asked
from bot.core.answering.qualifiers import quarter_range_terms, unnamed_qualifiers
from bot.core.answering.quantities import (
    asks_for_a_share,
    asks_post_for_service,
    narrowed_figure_stated,
    states_the_hours,
    states_the_page,
    states_what_is_asked,
)
from bot.core.answering.question_form import asks_for_help, asks_to_compare, question_form
from bot.core.answering.relevance import (
    case_counted,
    checks_a_supposition,
    claims_a_maker,
    counts_asked,
    member_checked,
    settings_checked,
    supposed_count,
    supposed_maker,
    supposes_document_fact,
    supposes_framework_count,
)
from bot.core.answering.report_words import with_report_words
from bot.core.answering.retrieve import Retrieval, Retriever, names_title
from bot.core.answering.rewrite import standalone_question
from bot.core.answering.scan_answers import scan_reply
from bot.core.answering.shorthand import screen_spelled
from bot.core.answering.spelling import manner_adverb
from bot.core.answering.table_lookup import in_a_table
from bot.core.answering.topics import (
    DAY_TERMS,
    FRAME_TERMS,
    GENERIC_TERMS,
    about_terms,
    asked_focus,
    conditions,
    contains_term,
    half_remembered,
    known_term,
    named_terms,
    place_terms,
    service_terms,
    told_only,
    topical_terms,
    weighted_share,
    without_who_asks,
)
from bot.core.answering.unread import not_held
from bot.core.answering.urgent import recommendation_named, urgent_recommendation
from bot.core.models import Answer, Citation, Scope, Turn, citation_for
from bot.core.wording import MONTH_TERMS, sentences, terms
from knowledge.contents import default_contents
from knowledge.framework import Framework
from knowledge.matching import default_matching
from knowledge.report_words import default_report_words

if TYPE_CHECKING:
    from bot.llm.client import LLMClient

logger = logging.getLogger(__name__)

LOST_LEAD = (
    "The language model's answer left out what the guidance says first, so this reply comes "
    "from changebot's offline method."
)
MIN_LEAD_SHARE = 0.5
_MARKER = re.compile(r"\[\d+\]")
DENSE_FLOOR = 0.32
# a short question ("who are the authors?") whose every topical term the best passages hold
LOW_DENSE = 0.2
STRONG_DENSE = 0.5
UNKNOWN_SHARE = 0.3  # one unknown term in three: "recommend about the nurses' strike"
COVERAGE_PASSAGES = 3
PRACTICAL_PASSAGES = 5  # a how-to answer draws on more notes (local actions, factors, barriers)
EXACT_FORMS = frozenset({None, "what", "which", "list"})
# A trust's own documents are records, not notes written around the questions people ask: when
# one is the best match, a fair share of what was asked must appear in the best passages.
MIN_COVERAGE = 0.4
# Whatever the documents: the best passages must carry a good share of what the question is about
# (its topical terms, weighted by rarity), or the topic is only near the guidance, not in it.
MIN_TOPICAL = 0.45
# a close passage (dense >= CLOSE_DENSE) and no word the guidance never uses: the question's
# uncovered words are the asker's own scene ("my trainee's write-up"), so a third will do
CLOSE_DENSE = 0.6
CLOSE_MIN_TOPICAL = 0.33
# "which type of approach ..." picks one out of a list; "which four areas ..." asks for the list
_ONE_OF = re.compile(
    r"\b(which|what)\s+(?:one\s+|single\s+)?(?:\w+\s+)?(?:(?:type|kind|sort)\s+of\s+)?"
    r"(?:\w+\s+)?(approach|factor|barrier|area|recommendation|category|group|type)\b(?!e?s)",
    re.IGNORECASE,
)


# "what does the report say …", "according to the scan …": the documents' own word is asked for
_ASKS_SOURCES = re.compile(
    r"\b(what|how|where|does|did|do)\b.{0,40}\b(report|constructive comfort|scan|supplement|"
    r"health foundation|guidance|documents?)\b.{0,30}\b(say|said|says|recommend\w*|suggest\w*|"
    r"find|finds|found|think|propose\w*|want|expect\w*|advise\w*)\b|\baccording to\b"
    # "what does it say about them?": here "it" is the report
    r"|\bwhat (?:does|did) it (?:say|recommend|suggest|propose)\b",
    re.IGNORECASE,
)


# "colleague insists headspace is one of the success factors … settle this", "my manager says
# data is a barrier - is she right?": a claim put for checking, worded as a statement
_CLAIM_CHECKED = re.compile(
    r"\b(?:settle (?:this|it|an argument|a debate|the argument|the debate)|who'?s right"
    r"|(?:is|am|are) (?:he|she|they|i|we|that|this) (?:right|correct|wrong)"
    r"|or am i (?:mixing|confusing|muddling|getting)|am i (?:mixing|confusing|muddling) (?:it|them)"
    r"|(?:insists?|reckons?|claims?|swears?|says?) (?:that )?['\"‘“]?[\w' -]{2,60}['\"’”]? "
    r"(?:is|are) (?:one of|among|a|an)\b[^.?!]*\?)",
    re.IGNORECASE,
)
# "how does the report compare NHS Scotland's approach with England's?", "case studies from
# NHS Scotland?": the report is about England and holds nothing of the other nations' systems;
# "does it apply to us in Wales?" is answered (its notes say where it applies)
_OTHER_NATION = re.compile(r"\b(?:scotland|scottish|wales|welsh|northern ireland)\b", re.IGNORECASE)
_NATION_CONTENT = re.compile(
    r"\b(?:figures?|data|statistics|stats|case stud\w*|examples?|compar\w*|approach|productivity|"
    r"lessons? from|programme|version|runs|ran|took|does on)\b",
    re.IGNORECASE,
)
_APPLIES = re.compile(
    r"\b(?:apply|applies|relevant|relevance|use to us|any use|only about|england[ -]only|"
    r"only (?:apply|relevant|for england)|whole uk|uk[ -]wide|aimed at|speaks? to|count for|"
    r"worth my time|outside england|purely an england|strictly an english|written about)\b",
    re.IGNORECASE,
)


def asks_another_nations_system(query: str) -> bool:
    """Whether ``query`` asks for another UK nation's own system (figures, examples, approach).

    Not whether the report applies there: "does it apply to us in Wales?" is answered.
    """
    # "Finance director at a Welsh health board here. What rate …?": who asks is not what
    query = without_who_asks(query)
    return bool(
        _OTHER_NATION.search(query) and _NATION_CONTENT.search(query) and not _APPLIES.search(query)
    )


# what happened after the report came out, which a passage can tell only if it speaks of later
_AFTERWARDS = re.compile(
    r"\b(?:go|goes|went|gone) on to\b|\bwhat happened (?:after|next|since|then|afterwards)\b"
    r"|\bsince (?:then|it came out|publication)\b|\bafterwards\b|\bin the years? (?:after|since)\b"
    r"|\bwhat came of\b|\b(?:ever|actually) (?:implemented|acted on|taken up|adopted)\b"
    # "did NHS England formally respond to the recommendations, and were they taken up?"
    r"|\b(?:were|was) (?:they|it|these|the \w+) (?:ever )?"
    r"(?:taken up|acted on|implemented|adopted)\b"
    r"|\b(?:formally|officially) respond(?:ed)? to\b"
    # "did they publish a follow-up a few years later?", "grown since 2015?"
    r"|\bfollow[- ]?ups?\b(?! (?:question|q)\b)|\byears? later\b|\bsince 20\d\d\b",
    re.IGNORECASE,
)
_LATER = re.compile(
    r"\b20(?:1[6-9]|[2-9]\d)\b|\bsince 2015\b"
    r"|\bsince (?:its|the report's) (?:launch|publication)\b",
    re.I,
)


def _counted_in(retrieval: Retrieval, claimed: tuple[str, str]) -> bool:
    """Whether a retrieved sentence gives another number for what the question counts."""
    number, unit = claimed
    return any(
        counts_asked(sentence, terms(unit), {number})
        for passage in retrieval.passages
        for sentence in sentences(passage.text)
    )


# who the question asks the documents to advise: "what does the report say ICBs should do"
_ACTOR = re.compile(
    r"\b(?:say|says|said|recommend\w*|suggest\w*|want|wants)\s+(?:that\s+)?"
    r"(?P<who>(?:[\w'-]+\s+){1,4}?)(?:should|must|ought to|need to|could)\b",
    re.IGNORECASE,
)


# "our lone working policy for …", "the dress code procedure": the words before a policy's noun
# say what it is on
_POLICY_ON = re.compile(
    r"\b(?P<on>(?:[\w-]+\s+){1,2}?)(?:policy|policies|procedure|procedures|protocol|sop|"
    r"guideline|guidelines)\b",
    re.IGNORECASE,
)
_PRICE_TERMS = frozenset(terms("fee fees price prices charge charges subscription subscriptions"))
# "whats the rate per mile", "cost per head": the unit a figure is asked in
_PER_UNIT = re.compile(r"\bper\s+(?P<unit>[a-z][\w-]*)", re.IGNORECASE)
_SPECIFICALLY = re.compile(
    r"\bspecifically\s+(?:about|in|on|for|to)\s+(?P<what>[\w'][\w'-]*(?:\s+[\w'][\w'-]*){0,2})",
    re.IGNORECASE,
)


def _named_only_in_suggestions(focus: str, retrieval: Retrieval) -> bool:
    """A name the question asks the documents about is in none of the passages but our own tips.

    The bundled notes' local tips mention ICBs and PCNs; the 2015 report does not. Asked what the
    report says about them, those tips are not the report's word, and a passage that does not
    name them at all does not answer.
    """
    said = [(p.provenance, terms(p.text)) for p in retrieval.passages]
    asked = [[term] for term in named_terms(focus)]
    actor = _ACTOR.search(focus)  # "… say integrated care boards should do …": all of its words
    if actor is not None and (who := topical_terms(actor["who"])):
        asked.append(who)
    for wanted in asked:
        holders = [
            provenance
            for provenance, words in said
            if all(contains_term(term, words) for term in wanted)
        ]
        if all(provenance == "suggestion" for provenance in holders):  # none, or only our tips
            return True
    # "what did the scan find about barriers specifically in general practice?": that setting,
    # as a phrase ("general practice", not "management practices" in general)
    setting = _SPECIFICALLY.search(focus)
    if setting is not None and topical_terms(setting["what"]):
        phrase = re.compile(
            r"\b" + r"\w*\s+".join(re.escape(w[:5]) for w in setting["what"].split()) + r"\w*",
            re.IGNORECASE,
        )
        holders = [p.provenance for p in retrieval.passages if phrase.search(p.text)]
        return all(provenance == "suggestion" for provenance in holders)
    return False


def _described_alone(query: str) -> bool:
    """A one-sentence ask for the barrier area a description names, with no story before it.

    After a story ("I recall a piece contrasting … Which barrier area was that example about?")
    the description is the story, which the closest-match finder reads poorly.
    """
    return kind_asked(query) == "barrier" and len(sentences(query)) == 1


class Answerer:
    """Answers questions about the guidance with numbered citations (routing is ``respond``'s)."""

    def __init__(
        self,
        retriever: Retriever,
        framework: Framework,
        *,
        llm: LLMClient | None = None,
        barrier_reader: Callable[[str], str | None] | None = None,
    ) -> None:
        self._retriever = retriever
        self._framework = framework
        # the diagnosis's reading of a description, which must agree before one area is named
        self._barrier_reader = barrier_reader
        self._items = ItemFinder(framework, retriever.embed)
        self._matching = default_matching()
        self._contents = default_contents()
        self._report_words = default_report_words()
        # "is 'lack of funding' one of the barrier areas?": no, it is one of the scan's
        self._scan_names = [(b.name, b.category) for b in self._matching.scan_barriers]
        self._llm = llm

    def answer(self, question: str, history: list[Turn] | None = None) -> Answer:
        """A grounded answer to ``question`` taken as a question; never raises for ordinary input.

        Surfaces call ``respond`` instead, which also decides whether this is a question at all.
        """
        privacy = screen_spelled(question)
        if privacy.sensitive:
            return Answer(scope="patient_data", answer=privacy.message, grounded=False)
        query = standalone_question(question, history)
        retrieval = self._retriever.search(query, k=5)
        return self.answer_retrieved(query, retrieval, "question", history)

    def answer_retrieved(
        self,
        query: str,
        retrieval: Retrieval,
        scope: Scope,
        history: list[Turn] | None = None,
        message: str = "",
    ) -> Answer:
        """The answer from an existing retrieval (``respond`` retrieves once, for routing too).

        ``message`` is the whole message when ``query`` is only its asked part: a table's row may
        be named in the scene before the ask. A length asked and not given is added
        (``with_lengths``); asked for a factor's exact wording, the report's own words follow our
        paraphrased labels (``with_report_words``).
        """
        answer = self._answer_retrieved(query, retrieval, scope, history, message)
        answer = with_lengths(query, answer, self._contents)
        return with_report_words(query, answer, self._framework, self._report_words)

    def _answer_retrieved(
        self,
        query: str,
        retrieval: Retrieval,
        scope: Scope,
        history: list[Turn] | None,
        message: str,
    ) -> Answer:
        unread = not_held(query, self._matching)
        if unread is not None:
            # "what does the 'Improving the odds' chapter say?": named in the sources, not given
            return Answer(scope=scope, answer=unread, grounded=False)
        measured = lengths_answer(query, self._contents, scope)
        if measured is not None:
            return measured  # "how long are the three docs?": the page counts, each cited
        # a comparison of framework items, or "is headspace one of the barriers?", is answered
        # from the framework's definitions however it is worded ("type 2 vs type 3 pls")
        exact = self.framework_reply(query)
        if exact is None:
            # nothing else is answered, not even a framework list, unless the guidance holds
            # its topic
            if not answers_key_terms(retrieval):
                # "whats the barrier called that's about having the breathing room …?": the
                # item described in words the guidance does not use
                described = self._described(query, retrieval)
                if described is not None:
                    return self._framework_answer(described, retrieval, scope)
                local = bool(retrieval.passages) and retrieval.passages[0].owner == "admin"
                return Answer(scope=scope, answer=not_covered(local), grounded=False)
            # the exact list or definition answers "what/which/list" questions; a yes/no,
            # who/when/how-many question about the same topic needs the sentence that answers it
            # "which option does the care home business case recommend?" asks the trust's own
            # document it names, not for the report's recommendations
            top = retrieval.passages[0] if retrieval.passages else None
            own = top is not None and top.owner == "admin" and names_title(query, top.title)
            exact = (
                framework_answer(query, self._framework) if wants_exact(query) and not own else None
            )
            if exact is not None and exact.topic == "barriers" and _described_alone(query):
                # "which of the 4 barriers is the one about having no time to think?": the area
                # described is named, not the whole list, when the diagnosis reads the
                # description the same way (a factor or type described is left to the list:
                # over the question sets the closest match alone is too often wrong)
                exact = self._confirmed_barrier(query, retrieval) or exact
        if exact is not None:
            framed = self._framework_answer(exact, retrieval, scope)
            return self._with_later_asks(query, exact, framed, scope) or framed
        offline = compose_offline(query, retrieval, self._retriever, scope, message)
        if self._llm is None:
            return offline
        return self._with_llm(query, retrieval, offline, history)

    def framework_reply(self, query: str) -> FrameworkAnswer | None:
        """A contrast of the framework items the question compares, or yes to "is X one of …?"."""
        scan = scan_reply(query, self._matching)
        if scan is not None:
            return scan  # "how does the scan group the barriers?": its table, whole
        place = contents_reply(query, self._contents)
        if place is not None:
            return place  # "what is chapter 5 of the supplement called?": its contents row
        urgent = urgent_recommendation(query, self._framework) or recommendation_named(
            query, self._framework
        )
        if urgent is not None:
            # "which rec did they say should happen straight away?", "what comes first under the
            # recommendation about support?": that one
            return urgent
        verdict = self._matching.balance_verdict
        kept = (
            levers_kept(query, self._framework)
            or pressure_claimed(query, self._framework, verdict)
            or verdict_asked(query, self._framework, verdict)
        )
        if kept is not None:
            return kept  # "so CC basically says scrap targets …, yeah?", "… crack down harder?"
        form = question_form(query)
        if asks_for_a_share(query):
            return None  # "what ratio of prod to support …?": a figure, not the two definitions
        if form == "compare" or (form is None and asks_to_compare(query)):
            return framework_contrast(query, self._framework)
        if (form in {"yes_no", None} or checks_a_supposition(query)) and NARROWED.search(query):
            # "so type 3 is basically just training courses for staff, yeah?": what each type
            # is, side by side, answers the claim; only for approach types, the three of them
            narrowed = framework_contrast(query, self._framework, with_the_others=True)
            types = {f"compare-{a.id}" for a in self._framework.approaches}
            if narrowed is not None and narrowed.topic in types:
                return narrowed
        if (
            form == "yes_no"
            or (form == "which" and ODD_ONE_OUT.search(query))
            or _CLAIM_CHECKED.search(query)
            or asks_which_kind(query)
        ):
            member = framework_membership(query, self._framework) or claimed_outside(
                query, self._framework, self._scan_names
            )
            if member is not None:
                return member
        paired = recommendations_by_type(query, self._framework)
        if paired is not None:
            return paired  # "which approach type does each recommendation line up with?"
        related = kinds_related(query, self._framework)
        if related is not None:
            return related  # "how do the seven success factors link to the four barriers?"
        named = named_and_asked(query, self._framework)
        if named is not None:
            return named  # "our paper cites 'Type 1, 2 and 3' … What are they?"
        if supposes_framework_count(query):
            return counted_list(query, self._framework)
        if form == "how_many":
            return framework_count(query, self._framework)
        if form == "how_to" or asks_for_help(query):
            return reading_list(query, self._framework)
        return None

    def grounded(self, query: str, retrieval: Retrieval) -> bool:
        """Whether an answer is there: the framework answers it, or the guidance holds its topic."""
        if not_held(query, self._matching) is not None:
            return False
        return (
            self.framework_reply(query) is not None
            or answers_key_terms(retrieval)
            or self._described(query, retrieval) is not None
        )

    def _with_later_asks(
        self,
        query: str,
        exact: FrameworkAnswer,
        framed: Answer,
        scope: Scope,
    ) -> Answer | None:
        """The framework's reply to the first ask, then its replies to the asks after it.

        "what should national bodies do straight away, and what's meant to come first under
        the recommendation on support?": the framework answers the first ask exactly, and the
        second was left unanswered. Only when the reply is the first ask's alone and every later
        ask has an exact reply of its own.
        """
        asks = separate_asks(query)
        if len(asks) < 2:
            return None
        first = self.framework_reply(asks[0])
        if first is None or first.topic != exact.topic:
            return None
        parts = [framed]
        for ask in asks[1:]:
            # only another exact reply: a sentence found for "whats the full wording?" or "is
            # that meant to happen straight away?" repeated or strayed from what was answered
            reply = self.framework_reply(ask)
            if reply is None or reply.topic == exact.topic:
                return None
            parts.append(self._framework_answer(reply, self._retriever.search(ask, k=5), scope))
        return joined_answer(parts)

    def _confirmed_barrier(self, query: str, retrieval: Retrieval) -> FrameworkAnswer | None:
        """The barrier area described, when the closest match and the diagnosis agree on it."""
        if self._barrier_reader is None:
            return None
        described = self._described(query, retrieval)
        if described is None or described.item is None:
            return None
        return described if self._barrier_reader(query) == described.item else None

    def _described(self, query: str, retrieval: Retrieval) -> FrameworkAnswer | None:
        """The framework item a question describes, unless it names a topic the guidance lacks.

        "which success factor covers artificial intelligence?" describes nothing of the
        framework: a word the guidance never uses is its topic, and it is declined. A word
        inside a description quoted as someone would say it is no topic ("which barrier is
        basically 'we're all too busy and frazzled to even think'?").
        """
        quoted = {t for m in QUOTED.finditer(query) for t in terms(m.group(1))}
        if any(t not in quoted for t in unknown_topics(retrieval)):
            return None
        return self._items.answer(query)

    def _framework_answer(
        self, exact: FrameworkAnswer, retrieval: Retrieval, scope: Scope
    ) -> Answer:
        """The exact list or definition, citing the framework and the note that best covers it."""
        source = exact.source
        cites = [
            Citation(
                n=1,
                title=source_title(source),
                document=source.document,
                section=source.chapter,
                page=source.page,
                chunk_id=f"{exact.file}#{exact.topic}",
            )
        ]
        text = exact.text
        wanted = set(terms(exact.text))
        if retrieval.passages:
            best = max(retrieval.passages, key=lambda p: len(wanted & set(terms(p.text))))
            cites.append(citation_for(2, best))
            text = f"{text}\nMore in the guidance notes [2]."
        return Answer(scope=scope, answer=text, citations=cites)

    def _with_llm(
        self, query: str, retrieval: Retrieval, offline: Answer, history: list[Turn] | None
    ) -> Answer:
        from bot.core.llm.answer import llm_answer

        assert self._llm is not None
        try:
            answer = llm_answer(query, retrieval.passages, self._llm, history)
        except LLMUnavailable as exc:
            logger.info("llm answer unavailable; offline answer used")
            return offline.model_copy(update={"note": exc.user_message})
        if not keeps_offline_lead(answer, offline):
            logger.info("llm answer dropped the offline answer's lead; offline answer used")
            return offline.model_copy(update={"note": LOST_LEAD})
        return answer.model_copy(update={"scope": offline.scope})


def keeps_offline_lead(answer: Answer, offline: Answer) -> bool:
    """Whether the model's answer still says what the offline answer leads with, from its source.

    Why: the offline answer leads with the sentence that answers the question's form, taken from
    the best passage. A small model can paraphrase that fact away ("prod" becomes "encourage") or
    cite a neighbouring note instead of the trust's own document; the model's answer may add
    to the offline one, never lose from it. So it must hold at least half the content terms of
    the offline lead sentence and cite the document the offline answer cites first.
    """
    lead = next(iter(sentences(_MARKER.sub("", offline.answer))), "")
    wanted = set(terms(lead))
    said = set(terms(answer.answer))
    if wanted and len(wanted & said) < MIN_LEAD_SHARE * len(wanted):
        return False
    first = offline.citations[0].document if offline.citations else None
    return first is None or first in {citation.document for citation in answer.citations}


def wants_exact(query: str) -> bool:
    """Whether the question asks for a whole framework list or definition, not one item of it."""
    form = question_form(query)
    if form not in EXACT_FORMS:
        return False
    return not (form == "which" and _ONE_OF.search(query))


# what staff call a trust's system whatever its name ("the new rota app" for Visitwise)
_MEDIUM = frozenset(terms("app apps"))
# "husband asking if his wife can have water …", "mum rang …": who the case is about, and a time
# of day the asker supposes ("nil by mouth from midnight"), never what a trust's document must hold
_CASE_PEOPLE = frozenset(
    terms(
        "husband wife partner mum mom dad son daughter grandson granddaughter grandma grandad "
        "nan nana gran sister brother carer neighbour relative relatives family lady gentleman "
        "fella lad"
    )
)
_TIMES_OF_DAY = frozenset(terms("midnight midday noon"))
_PEOPLE = terms("people")[0]
_PEOPLE_WRITTEN = frozenset(terms("patients person persons individuals service users residents"))
# "open over lunch", "at lunchtime": a time of day, not a meal a document must mention
_AT_LUNCH = re.compile(
    r"\b(?:over|at|during|around|after|before|through|across)\s+(?:the\s+)?"
    r"(?P<meal>lunch(?:\s*time)?|lunch-time)\b",
    re.I,
)


def asked_key_coverage(
    retrieval: Retrieval,
    top: int = COVERAGE_PASSAGES,
    ignore: list[str] | None = None,
    extra: list[str] | None = None,
) -> float:
    """``key_term_coverage`` of the sentences that ask, without the story told before them.

    "Had a GP ring me about the texts … Which patients are left out of the validation?": the
    trust's document must hold what is asked, not the GP or the texts.
    """
    focus = asked_focus(retrieval.query) if retrieval.query else ""
    # without the words that only frame it ("instead", "which")
    asked = [t for t in topical_terms(focus) + (extra or []) if t not in (ignore or ())]
    if not asked:
        return key_term_coverage(retrieval, top)
    return weighted_share(asked, _found(retrieval, top), retrieval.idf, _rarest(retrieval))


def key_term_coverage(retrieval: Retrieval, top: int = COVERAGE_PASSAGES) -> float:
    """Share of the question's key terms (weighted by rarity) found in the best passages.

    A question about "working from home for admin staff" is not answered by a passage about the
    same trust's stroke service, however close their vectors: the words that say what is asked
    must be there. Terms the index has never seen weigh as much as its rarest word.
    """
    key = [t for t in dict.fromkeys(retrieval.query_terms) if t not in GENERIC_TERMS]
    return weighted_share(key, _found(retrieval, top), retrieval.idf, _rarest(retrieval))


def topical_coverage(
    retrieval: Retrieval,
    *,
    practical: bool = False,
    ignore: list[str] | None = None,
    extra: list[str] | None = None,
) -> float:
    """Share of the question's topical terms (weighted by rarity) in the best passages.

    Like ``key_term_coverage`` but without the words that only frame the question ("how many",
    "different", "wrote"), and counting close spellings (recommend, recommendations) as found.
    A practical question is judged on more passages and on the terms the guidance knows: its
    words about the asker's own setting ("matron") are not what the answer must hold.
    """
    top = PRACTICAL_PASSAGES if practical else COVERAGE_PASSAGES
    found, rarest = _found(retrieval, top), _rarest(retrieval)
    best = 0.0
    # the asked sentences alone, and the whole message: "how does that compare with …" names its
    # topic in the sentence before
    for topical in dict.fromkeys((tuple(_topical(retrieval)), tuple(_whole_topical(retrieval)))):
        topical = tuple(t for t in (*topical, *(extra or ())) if t not in (ignore or ()))
        wanted = [t for t in topical if known_term(t, retrieval.idf)] if practical else topical
        best = max(best, weighted_share(list(wanted), found, retrieval.idf, rarest))
    return best


# the documents' own names: what a claim about who made one is about
_DOCUMENT_WORDS = frozenset(
    terms("constructive comfort evidence scan supplement transformational change nhs providers")
)


def unknown_topics(retrieval: Retrieval) -> list[str]:
    """Topical terms the guidance never uses in any spelling ("carbon", "AI", "covid-19")."""
    return [t for t in _topical(retrieval) if not known_term(t, retrieval.idf)]


def _topical(retrieval: Retrieval) -> list[str]:
    if retrieval.query:
        return topical_terms(asked_focus(retrieval.query))
    return [t for t in dict.fromkeys(retrieval.query_terms) if t not in GENERIC_TERMS]


def _whole_topical(retrieval: Retrieval) -> list[str]:
    return topical_terms(retrieval.query) if retrieval.query else _topical(retrieval)


def _found(retrieval: Retrieval, top: int) -> set[str]:
    found: set[str] = set()
    for passage in retrieval.passages[:top]:
        held = terms(f"{passage.title} {passage.section} {passage.text}")
        found.update(held)
        if passage.owner == "admin":
            found.update(_short_plurals(held))
            # "Service go-live: 1 June 2026" holds "live" for "when does CHMOS go live"
            found.update(part for t in held if "-" in t for part in terms(t.replace("-", " ")))
            # "PHQ-9" holds the "phq9" staff type, and "e-learning" their "elearning"
            found.update(t.replace("-", "") for t in held if "-" in t)
            # "is it only for people who cant walk?": a trust's documents say patients
            if _PEOPLE_WRITTEN & set(held):
                found.add(_PEOPLE)
    return found


# a figure put up to be checked: "is it 10%?", "was it 72 hours?", "its 6 weeks isnt it?"
_CHECKED_FIGURE = re.compile(
    r"\b(?:is|was|isn'?t|wasn'?t)\s+it\s+(?:still\s+|like\s+|about\s+|around\s+)?"
    r"(?P<figure>£?\d[\d,.]*\s?(?:%|[a-z]+)?)\s*\?"
    r"|(?P<figure2>£?\d[\d,.]*\s?(?:%|[a-z]+)?)\s+(?:isn'?t|wasn'?t)\s+it\b",
    re.IGNORECASE,
)
_CLOCK = re.compile(r"\d{1,2}(?:[:.]\d{2})?(?:am|pm)|\d{1,2}[:.]\d{2}", re.IGNORECASE)
_EXCLUSION_TERMS = frozenset(terms("excluded exclusion exclusions exclude exempt exceptions"))
MIN_HELD_FRAME = 4  # shorter framing words ("do", "get", "set") are never a document's topic


def held_frame_terms(retrieval: Retrieval) -> list[str]:
    """The asked words that usually frame a question but that the best passage itself uses.

    "release" frames "when was the report released?", but "Release to Respond" is a trust's
    programme and "claim" is what its policy on missed breaks is about.
    """
    if not retrieval.query or not retrieval.passages:
        return []
    best = retrieval.passages[0]
    held = set(terms(f"{best.title} {best.section} {best.text}"))
    return [
        t
        for t in dict.fromkeys(terms(asked_focus(retrieval.query)))
        if t in FRAME_TERMS and len(t) >= MIN_HELD_FRAME and t in held
    ]


def _short_plurals(held: list[str]) -> set[str]:
    """The other number of the short words the stemmer keeps whole ("DCAs", "PCN", "GPs").

    Only for a trust's documents, whose staff write "our DCA" of a SOP on "DCAs". The bundled
    notes name ICBs only in changebot's own reading, and "what does the report say ICBs should
    do?" must still be declined, so there spellings stay exact.
    """
    other = {t[:-1] for t in held if t.endswith("s") and 3 <= len(t) <= 4}
    return other | {t + "s" for t in held if 2 <= len(t) <= 3 and not t.endswith("s")}


def _rarest(retrieval: Retrieval) -> float:
    return max(retrieval.idf.values(), default=1.0)


_ASKED_WHEN = (
    DAY_TERMS
    | _TIMES_OF_DAY
    | frozenset(terms("night nights evening evenings morning mornings afternoon weekend weekends"))
)


def _gives_days(retrieval: Retrieval, top_n: int) -> bool:
    """Whether one of the best passages names a day of the week."""
    return any(DAY_TERMS & set(terms(p.text)) for p in retrieval.passages[:top_n])


def _trust_headings(passages: list[Passage]) -> list[str]:
    """A trust's passage is about what its headings say; the guidance's notes have none here."""
    return [f"{p.title} {p.section}" if p.owner == "admin" else "" for p in passages]


def answers_key_terms(retrieval: Retrieval) -> bool:
    """Calibrated gate: a close passage that carries what the question is about.

    However related the topic, a question is declined when a term it is about is one the
    guidance never uses ("net zero", "AI", "Brexit"), or when the best passages miss most of its
    topical terms. Practical how-to questions keep some slack for words about the asker's own
    setting ("matron", "busy"), as long as most of what they ask about is in the passages used.
    """
    if not retrieval.passages:
        return False
    practical = asks_for_help(retrieval.query)
    top_n = PRACTICAL_PASSAGES if practical else COVERAGE_PASSAGES
    # "was the supplement written by the King's Fund?": the supposed author is not a topic
    never_named = unknown_topics(retrieval)
    document_fact = supposes_document_fact(retrieval.query)
    counted = supposes_framework_count(retrieval.query)
    supposing = document_fact or counted
    asked = _topical(retrieval)
    # a supposed maker or count may name what the guidance never does ("our DoN said …"); in
    # "did Simon Stevens respond when it came out?" the name is what is asked about
    maker = document_fact and claims_a_maker(retrieval.query)
    supposed = list(never_named) if counted or maker else []
    if maker:
        # the supposed maker's whole name ("the Nuffield Trust", "McKinsey" for the scan) is the
        # claim checked, not a topic the passages must hold; the document named still is
        named = named_terms(asked_focus(retrieval.query)) - _DOCUMENT_WORDS
        # in lower case too: "done by the kings fund??"
        named |= supposed_maker(retrieval.query) - _DOCUMENT_WORDS
        supposed += [t for t in asked if t in named and t not in supposed]
    # "the scan was based on 37 NHS studies, wasn't it?": when a passage counts those, the
    # supposed number is checked against it, not asked about
    claimed = supposed_count(retrieval.query)
    if claimed is not None and _counted_in(retrieval, claimed):
        supposing = True
    # "was it published in 2014?": the supposed year is checked, not asked about
    # "came out march 2016 didnt it?": so is the month beside it
    supposed += [t for t in asked if supposing and (t.isdigit() or t in MONTH_TERMS)]
    # "type 1 is 'poke organisations' or something?": the half-remembered words are checked
    recalled = half_remembered(retrieval.query) if retrieval.query else set()
    supposed += [t for t in asked if t in recalled and t not in supposed]
    local = retrieval.passages[0].owner == "admin"
    if not local:
        # "was the supplement based on GP practices?": the setting supposed is checked
        scope = settings_checked(retrieval.query)
        # "is CQC one of them?": the member supposed is checked against the group's passages
        scope |= member_checked(retrieval.query)
        supposed += [t for t in never_named + asked if t in scope and t not in supposed]
    # "would our mortuary reconfiguration count as an improvement project?": the asker's case
    counted_case = case_counted(retrieval.query)
    supposed += [t for t in never_named if t in counted_case and t not in supposed]
    # "had the NHS ever achieved that historically?": how it is asked, not what about
    supposed += [t for t in never_named if manner_adverb(t) and t not in supposed]
    if ASKS_EXCLUDED.search(retrieval.query) and any(
        EXCLUDES.search(p.text) for p in retrieval.passages[:top_n]
    ):
        # "what's excluded from UCR?": "The service does not accept: …" says what is excluded
        supposed += [t for t in asked if t in _EXCLUSION_TERMS and t not in supposed]
    if local:
        # a trust's document answers what is asked, not the scene set before it: a word of the
        # story the guidance never uses ("mum", "school", "login") is not what it must hold
        told = told_only(retrieval.query) if retrieval.query else set()
        # "… without emis", "… if she sounds sensible": what the asker lacks, or their case
        told |= conditions(asked_focus(retrieval.query)) if retrieval.query else set()
        supposed += [
            t
            for t in never_named
            # "the weekend ENT lists" is spelt out "on Saturday and Sunday": a day the documents
            # never name is when the asker means
            if (
                t in told
                or t in _MEDIUM
                or t in _CASE_PEOPLE
                or t in _TIMES_OF_DAY
                or t in DAY_TERMS
            )
            and t not in supposed
        ]
        # "rocked up about 45 mins after the slot": a figure in the story is not asked about
        supposed += [t for t in retrieval.unknown_terms if t.isdigit() and t in told]
        # "whats the dna target, is it 10%?", "its 6 weeks isnt it?": the figure is checked
        checked = {
            t
            for m in _CHECKED_FIGURE.finditer(retrieval.query)
            for t in terms(m["figure"] or m["figure2"])
        }
        supposed += [t for t in never_named + retrieval.unknown_terms if t in checked]
        # "the sickness % for jul-sep": a quarter's months, which its "Q2" names (checked as a
        # qualifier below), are not words a passage must hold
        quarter = quarter_range_terms(retrieval.query)
        supposed += [t for t in asked if t in quarter and t not in supposed]
        # "its 2am, who decides …?", "its 18:40 now": the time is the asker's now
        supposed += [t for t in asked if _CLOCK.fullmatch(t) and t not in supposed]
        # "is the MAL open over lunch?": when the asker means, checked against the hours given
        lunch = {t for m in _AT_LUNCH.finditer(retrieval.query) for t in terms(m["meal"])}
        supposed += [t for t in never_named if t in lunch and t not in supposed]
        if question_form(retrieval.query) == "yes_no" and _gives_days(retrieval, top_n):
            # "is the lantern open on a monday night?": the day asked is checked against the
            # days a passage gives ("Thursday to Sunday, 17:00 to 23:00"), not a topic of it
            supposed += [t for t in asked if t in _ASKED_WHEN and t not in supposed]
    # "did release to respond work?", "can i claim for it?": in a trust's document a word that
    # only frames a question about the report is the topic when the best passage uses it
    held = held_frame_terms(retrieval) if local else []
    coverage = topical_coverage(retrieval, practical=practical, ignore=supposed, extra=held)
    topical = [t for t in asked if t not in supposed]
    # "ward clerk here - when did it come out?": nothing named, so the main report is asked about
    bare = not topical and question_form(retrieval.query) in {"who", "when", "how_many"}
    if retrieval.dense_top < DENSE_FLOOR and not (
        ((topical and coverage >= 1.0) or bare) and retrieval.dense_top >= LOW_DENSE
    ):
        return False
    if local and asked_key_coverage(retrieval, ignore=supposed, extra=held) < MIN_COVERAGE:
        return False  # a trust's own records answer only what they state
    unknown = [t for t in never_named if t not in supposed]
    focus = asked_focus(retrieval.query)
    # "I've got about 20 minutes before the meeting. … Which page does it start on?", "when did
    # HF launch it? ive got 2016 in my notes": a figure told beside the ask is not asked about
    asked_terms = set(terms(focus))
    if not supposing and (
        any(
            term.isdigit()
            and term not in supposed
            and term in asked_terms
            and not known_term(term, retrieval.idf)  # "Type 1, 2 and 3": a digit is no figure
            for term in retrieval.unknown_terms
        )
        or any(ch.isdigit() for term in unknown for ch in term)
    ):
        return False  # a year, figure or "covid-19" the guidance never mentions
    if set(unknown) & (named_terms(focus) | about_terms(focus)):
        return False  # a name the guidance never uses ("Brexit", "AI"), or what it is "about"
    if not practical and set(unknown) & service_terms(focus):
        return False  # "the lymphoedema clinic at the day centre": a service never named
    if local and set(unknown) & place_terms(focus):
        return False  # "whats our caseload (at westbury)?": a place no document names
    if local and set(unknown) & {t for m in _POLICY_ON.finditer(focus) for t in terms(m["on"])}:
        return False  # "whats our lone working policy?": a policy on what no passage names
    if set(unknown) & _PRICE_TERMS:
        return False  # "how do I join … and is there a fee?": a price no passage gives
    if set(unknown) & {t for m in _PER_UNIT.finditer(focus) for t in terms(m["unit"])}:
        return False  # "whats the rate per mile?": a unit no passage counts in
    if local and unnamed_qualifiers(
        focus,
        (f"{p.title} {p.section} {p.text}" for p in retrieval.passages),
        yes_no=question_form(focus) == "yes_no",
    ):
        return False  # "RN turnover back in Q1?": no passage names the quarter asked for
    if _ASKS_SOURCES.search(focus) and _named_only_in_suggestions(focus, retrieval):
        return False  # "what does the report say ICBs should do?": no source passage names them
    if unknown and (
        len(unknown) / len(topical) >= UNKNOWN_SHARE
        or (not practical and retrieval.dense_top < STRONG_DENSE)
    ):
        # much of what is asked about is never named in the guidance, or the unnamed word may
        # be the point ("working from home for admin staff") and nothing is a close match; a
        # how-to keeps its words about the asker's own setting ("matron")
        return False
    close = retrieval.dense_top >= CLOSE_DENSE and not never_named
    if coverage < (CLOSE_MIN_TOPICAL if close else MIN_TOPICAL):
        return False
    if not local and asks_another_nations_system(retrieval.query):
        return False  # "how does the report compare NHS Scotland's approach?": England only
    if _AFTERWARDS.search(focus) and not any(_LATER.search(p.text) for p in retrieval.passages):
        return (
            False  # "did NHS England go on to publish it?": nothing indexed tells what came after
        )
    # "how many people attended …?": the passages must state that figure, not just its topic;
    # "who's the CSO on the letters work?": a contacts table's second half may rank fifth
    judged = retrieval.passages
    if not (local and asks_post_for_service(focus)):
        judged = judged[:top_n]
    texts = [p.text for p in judged]
    # a trust's passage is about what its headings say ("Strength and balance classes"); the
    # guidance's notes are judged on their sentences alone
    heads = _trust_headings(judged)
    # "how many new referrals did castlefield get?": a trust's table states it in the row named,
    # under the column asked, though no one line holds both the figure and what it counts
    tabled = in_a_table(
        retrieval.query,
        # with its title: "UCR" is pinned by the report it is in, not only by the table's rows
        [f"{p.title}\n{p.text}" for p in retrieval.passages[:top_n] if p.owner == "admin"],
        named_terms(focus),
    )
    # what a contents list or an office's hours line says may rank below the best few passages
    every = [p.text for p in retrieval.passages]
    if local and not narrowed_figure_stated(
        retrieval.query, every, _trust_headings(retrieval.passages)
    ):
        return False  # "the A&G diversion rate for cardiology specifically": not the overall rate
    return (tabled or states_what_is_asked(retrieval.query, texts, focus, heads)) and (
        states_the_page(retrieval.query, every, focus)
        and states_the_hours(retrieval.query, every, focus)
    )
