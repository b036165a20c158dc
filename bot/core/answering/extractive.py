"""The offline composer: a short answer built from the best sentences of the best passages.

Sentences are chosen by the same relevance the reranker uses. The first sentence is the one that
answers the question's form: the name for *who*, the date for *when*, the figure for *how many*,
a sentence holding both sides for a comparison, a concrete case for "give me an example", from
the document the question names. Sentences about the notes themselves ("this map is changebot's
interpretation") never lead and are left out unless the question asks about sources; near
repeats are dropped, in the same words or in others (two notes restating one fact). Each sentence
is marked [n] to match the citations. What the report says (provenance "source") is kept apart
from changebot's own reading or suggestions, and the answer never passes ``MAX_WORDS`` before the
sources.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from bot.core.answering.acronyms import asked_in_full
from bot.core.answering.documents_compared import (
    DocumentSentence,
    documents_compared,
    per_document,
)
from bot.core.answering.lists import announced_lists, as_one_sentence
from bot.core.answering.quantities import COMPARING_WORDS, HEAD_SHORT, names_post_holder
from bot.core.answering.question_form import asks_before_and_after, question_form
from bot.core.answering.relevance import (
    APPLIES_WIDER,
    ASKS_NEXT_MEETING,
    ASKS_RECOMMENDED,
    GROUPINGS,
    MAIN_DOCUMENT,
    NUMBER_WORDS,
    RECOMMENDS_OPTION,
    asks_about_sources,
    asks_frequency,
    asks_share,
    carries_answer,
    counts_asked,
    from_document,
    is_fragment,
    is_meta,
    named_documents,
    names_document,
    sentence_scores,
    settings_checked,
    supposed_count,
    without_documents,
)
from bot.core.answering.retrieve import Retrieval, Retriever, names_title
from bot.core.answering.table_lookup import (
    labelled_row,
    rows_under,
    table_answer,
    table_header,
)
from bot.core.answering.topics import (
    Sides,
    asked_focus,
    asked_part,
    compared_sides,
    contains_term,
    topical_terms,
    weighted_share,
    without_purpose,
)
from bot.core.models import Answer, Citation, Passage, citation_for
from bot.core.wording import MONTH_NAMES, terms, word_count
from knowledge.embeddings import Vectors

MAX_WORDS = 120
MAX_SENTENCES = 4
PASSAGES_USED = 5
RANK_PENALTY = 0.03
NAMED_DOCUMENT_BONUS = 0.15  # a trust's document the question names by its title
REPORT_LEAD = "The guidance says:"
OURS_LEAD = "changebot suggests (our reading, not the report's words):"

# how the lead is chosen among the best sentences (added to the relevance score)
LEAD_POOL = 10
EXCLUDED_BONUS = 0.3  # a sentence saying what is left out, when that is what is asked
WHO_SHARE = 0.3  # share of what is asked a "who" (or "what is left out") lead must hold
FOCUS_WEIGHT = 0.4  # share of what the question is about that the sentence itself holds
CARRY_BONUS = 0.3  # holds the kind of thing asked for (name, date, figure)
COUNT_BONUS = 0.2  # the figure counts what was asked about
PASSAGE_FOCUS = 0.3  # in a trust's document: share of what is asked its whole passage holds
DATE_BONUS = 0.3  # "when did it come out?": "in February 2015" says more than "from 2015"
CHANGE_BONUS = 0.4  # "before vs after?": the sentence gives the move ("rose from 38% to 71%")
BASIS_BONUS = 0.3  # "what was the supplement based on?": says where its evidence came from
NATIONS_BONUS = 0.3  # "is it only about England?": the sentence names the UK or its nations
DOCUMENT_LEAD_BONUS = 0.2  # from the document the question names (the main report by default)
COMPARE_BONUS = 0.35  # names both things compared (one may be in its heading)
CONTRAST_BONUS = 0.15
SIDE_BONUS = 0.2  # a sentence on one compared thing: under its heading, and as its subject
SUBJECT_WORDS = 8
EXAMPLE_BONUS = 0.25
FIGURE_GIVEN_BONUS = 0.2  # the sentence holds a figure the question names the thing by
POSITION_BONUS = 0.2  # a yes/no question: the sentence states the report's position
LIST_BONUS = 0.15
ENUMERATION_BONUS = 0.3  # names what was asked for, then lists them ("five workstreams: a, b, c")
PROVENANCE_BONUS = 0.05  # the report's words for facts, changebot's suggestions for how-to
DISTINCT_WEIGHT = 1.0  # how much more a term few candidate sentences hold weighs
DUPLICATE_SHARE = 0.75  # a sentence whose terms an earlier one already holds adds nothing
PARAPHRASE_SIMILARITY = 0.82  # sentence vectors this close restate one fact (measured on our notes)
DOCUMENT_FORMS = frozenset({"who", "when", "how_many"})
_GIVEN_LIST = re.compile(
    r"[\w-]+(?:\s+[\w-]+)?(?:,\s*[\w-]+(?:\s+[\w-]+)?)+,?\s+(?:and|or)\s+[\w-]+"
)
_NUMBER_WORD = re.compile(rf"\d[\d,.]*|{NUMBER_WORDS}|one", re.IGNORECASE)
# "The evidence scan sorts sixteen barriers into four categories.": a count, then nothing listed
_COUNT_ONLY = re.compile(
    r"\b(?:into|in|has|have|names?|lists?|makes?|gives?|uses?|identifies|describes)\s+"
    rf"(?P<count>\d+|{NUMBER_WORDS})\s+(?:[\w-]+\s+){{0,2}}(?P<what>[\w-]+s)"
    # "… makes four recommendations to national bodies."
    r"(?:\s+(?:to|for|of|on)\s+(?:[\w-]+\s+){0,2}[\w-]+)?\W*$",
    re.IGNORECASE,
)

_CONTRAST = re.compile(
    r"\b(whereas|while|unlike|rather than|instead of|contrasts?|differs?|different|but|not)\b",
    re.IGNORECASE,
)
_GIVES_EXAMPLE = re.compile(
    r"\b(for example|for instance|such as|e\.g\.|including|examples? (is|are|was)|"
    r"illustrations?)\b",
    re.IGNORECASE,
)
_MENTIONS_EXAMPLE = re.compile(r"\b(examples?|illustrat\w*|instance|case)\b", re.IGNORECASE)
# "which vehicles aren't covered by the SOP?", "who is excluded?": what is left out
ASKS_EXCLUDED = re.compile(
    r"\b(?:aren'?t|isn'?t|not|never|don'?t|doesn'?t)\s+(?:\w+\s+)?(?:covered|included|eligible|"
    r"allowed|part of|in scope)\b|\b(?:excluded|left out|exempt|exceptions?)\b",
    re.IGNORECASE,
)
EXCLUDES = re.compile(
    r"\b(?:not (?:covered|included|eligible|accepted|suitable)|does not (?:cover|include|apply|"
    r"accept|take)|do not (?:cover|include|apply|accept|take)|excluded|exclusions?|except|exempt"
    r"|only for|are not|is not|must not)\b",
    re.IGNORECASE,
)
# "who do I ring about getting set up?", "who should we email?", "what's the number for …?"
_ASKS_CONTACT = re.compile(
    r"\bwho (?:do|should|can|would) (?:i|we|they|you|staff)\s+(?:ring|call|phone|contact|email|"
    r"speak to|talk to|get in touch with|report (?:it|this|that|faults?|problems?) to|tell)\b"
    # "who to ring if …", "whats the direct number for bookings"
    r"|\bwho to (?:ring|call|phone|contact|email)\b"
    r"|\b(?:what(?:'s| is)|which) (?:the |their |your )?(?:[\w-]+ ){0,2}?(?:number|phone number|"
    r"extension|email|contact)\b"
    # "what number do nurses ring for the ooh gp?"
    r"|\bwhat (?:phone |telephone |contact )?(?:number|extension|ext)\s+(?:do|does|should|can|"
    r"would|to|for)\b",
    re.IGNORECASE,
)
_MONTHS = rf"(?:{'|'.join(MONTH_NAMES)})"
# a month with its year or its day: "February 2015", "26 February"
_FULL_DATE = re.compile(rf"\b{_MONTHS}\s+(?:19|20)\d\d\b|\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTHS}\b")
_NEXT_MEETING = re.compile(r"\bnext meeting\b|\bdate of next\b|\bnext meets\b", re.IGNORECASE)
HEADING_REACH = 80  # characters before a sentence where its heading ("7. DATE OF NEXT MEETING") is


def _gives_next_meeting(sentence: str, passage: str) -> bool:
    """Whether ``sentence`` gives the next meeting, itself or under a heading saying so."""
    if _NEXT_MEETING.search(sentence):
        return True
    at = passage.find(sentence[:40])
    return at > 0 and bool(_NEXT_MEETING.search(passage[max(0, at - HEADING_REACH) : at]))


def _names_the_group(ctx: LeadContext, title: str) -> bool:
    """Whether the minutes titled ``title`` are the group's the question asks about.

    By a shared word ("D2A steering group minutes"), or by the acronym a title gives for the
    group the question writes in full ("EFOG minutes" for "the estates & facilities operational
    group").
    """
    return bool(set(ctx.asked) & set(terms(title))) or any(
        asked_in_full(short, ctx.query) for short in HEAD_SHORT.findall(title)
    )


# "rose from 38% to 71%", "fell from 31% (October 2021 to September 2022) to 19%"
_GIVES_CHANGE = re.compile(
    r"\bfrom\s+[^\s,;]*\d[^\s,;]*\s+(?:[^\s;]+\s+){0,8}?to\s+[^\s,;]*\d", re.I
)
# a sentence that goes on about the one before: "They …", "These …", "This means …"
_REFERS_BACK = re.compile(r"(?:They|These|This|Those|It|Instead|Such)\b")
# "where can i read the barriers scan online? link pls": a web address, which a sentence gives
_ASKS_LINK = re.compile(
    r"\b(?:link|links|url|web ?address|website|web ?page|online (?:version|copy))\b"
    r"|\b(?:read|find|get|see|view|access)\b[^?.]{0,40}\bonline\b"
    r"|\bwhere\s+(?:can|could|do|would)\s+(?:i|we|you|people|staff)\s+(?:read|find|get|see|"
    r"download|access)\b",
    re.IGNORECASE,
)
# "what was the supplement based on?", "where does the scan get its evidence from?", "how did
# they do the research?": what a document rests on, which a sentence on its evidence answers
_ASKS_BASIS = re.compile(
    r"\b(?:based|drawn|built|founded|grounded)\s+on\b(?!\s+(?:the\s+)?(?:barrier|factor|approach))"
    r"|\bbase\s+(?:[\w']+\s+){1,4}?on\b"
    r"|\b(?:draw|draws|drew|rest|rests|rely|relies|relied)\s+on\b"
    r"|\bevidence\s+(?:base|from|come|comes|came)\b|\bget\s+(?:its|their)\s+evidence\b"
    r"|\bmethod(?:s|ology)?\b|\bhow\s+(?:did|was|were)\b[^?.]{0,40}\b(?:research(?:ed)?|"
    r"done|put together|compiled|carried out|conducted|study|studied)\b",
    re.IGNORECASE,
)
_GIVES_BASIS = re.compile(
    r"\bevidence\s+(?:comes|came)\s+from\b|\b(?:based|drawn|draws?\s+(?:its\s+evidence\s+)?)"
    r"(?:\s+on|\s+from)\b|\b(?:interviews|conversations)\s+with\b|\banalys\w+\s+\d+\b"
    r"|\bsearched\s+\d+\b|\bworkstreams?\b",
    re.IGNORECASE,
)
# "is the report only about England?", "does it apply to us in Wales?": where it applies, which
# a sentence naming the UK or its nations answers, not one that only says "in England"
_ASKS_NATIONS = re.compile(
    r"\b(?:only|just|purely|solely|apply|applies|relevant)\b[^?]{0,60}\b(?:England|"
    r"English|UK|Wales|Welsh|Scotland|Scottish|Northern Ireland)\b"
    r"|\b(?:England|English|Wales|Welsh|Scotland|Scottish|Northern Ireland)\b[^?]{0,60}\b(?:only|"
    r"just|apply|applies|relevant)\b"
    # "the report's written around the English NHS, isn't it? Did they claim it applies any wider?"
    rf"|{APPLIES_WIDER.pattern}",
    re.IGNORECASE,
)
# "what's the infographic called?" (spelt out "what is the title"): the sentence giving a title
_ASKS_TITLE = re.compile(
    r"\bwhat\s+is\s+(?:the|its)\s+(?:full\s+|exact\s+|actual\s+)?title\b"
    r"|\bwhat(?:'s|\s+is|\s+was)\s+(?:it|that|this|the\s+\w+)\s+called\b",
    re.IGNORECASE,
)
_GIVES_TITLE = re.compile(r"[\"“][^\"”]{12,}[\"”]|\*[^*]{12,}\*")
# what a title is asked of: a companion piece, not a framework item ("what's it called in the
# report?" of a success factor) nor the report itself (answered with its documents' facts)
_TITLED_THING = re.compile(
    r"\b(?:infographic|poster|press release|newsletter article|briefing|web page|project page)\b",
    re.IGNORECASE,
)
# "who counts as a 'national body'?", "who do they actually mean - do they give examples?": the
# sentence saying what the term means or naming its members
_ASKS_MEMBERS = re.compile(
    r"\bwho\s+(?:do|does|did)\s+(?:they|it|the\s+report|hf|the\s+health\s+foundation)\s+"
    r"(?:actually\s+|really\s+|even\s+)?mean\b|\b(?:who|what)\s+counts?\s+as\b"
    r"|\bwho\s+(?:exactly\s+)?(?:are|is)\s+(?:meant|included)\b",
    re.IGNORECASE,
)
_GIVES_MEMBERS = re.compile(
    r"\b(?:meaning|means|examples?|such as|for instance|names|are the (?:organisations|bodies))\b",
    re.IGNORECASE,
)
_ASKS_NAMES = re.compile(r"\bwho\b|\bexamples?\b", re.IGNORECASE)
_NAMES_MEMBERS = re.compile(r"\b(?:examples?|such as|for instance|names)\b", re.IGNORECASE)
_QUOTED_TERM = re.compile(r"['\"‘“](?P<term>[\w -]{3,40})['\"’”]")
MIN_MEMBER_TERMS = 2
# "are the success factors present across the NHS?", "in place everywhere?": how common they
# are, which the sentence finding them patchy answers
_ASKS_PRESENCE = re.compile(
    r"\b(?:success\s+)?factors\b[^?]{0,80}\b(?:present|in\s+place|everywhere|widespread|"
    r"common|consistent\w*|patchy|exist|across\s+(?:the\s+)?(?:nhs|board|system)|levels?|"
    r"wider|only\s+appl\w+)\b",
    re.IGNORECASE,
)
_GIVES_PRESENCE = re.compile(
    r"\bpatchy\b|\bnot\s+consistently\b|\b(?:every|all)\s+levels?\b", re.IGNORECASE
)
_GIVES_NATIONS = re.compile(r"\b(?:UK|United Kingdom|Scotland|Wales|Northern Ireland)\b")
_GIVES_LINK = re.compile(r"https?://|\bwww\.|\b[a-z][\w-]*(?:\.[a-z][\w-]*)+/[\w/.-]*", re.I)
# a contact given: a phone line, a mailbox, or someone named to contact ("contact Rachel Dunn")
_GIVES_CONTACT = re.compile(
    r"\b0\d{3,4}\s?\d{3}\s?\d{3,4}\b|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\bext(?:ension|n)?\.?\s*\d{3,5}\b"
    r"|\b(?:contact|ring|call|phone|email)\s+(?-i:(?:Dr |Mr |Mrs |Ms )?[A-Z][a-z]+ [A-Z][\w'-]+)",
    re.IGNORECASE,
)
# "does the report want X scrapped?" is answered by what the report recommends or judged, not by
# what X is: a sentence that takes a position
_TAKES_POSITION = re.compile(
    r"\b(recommend\w*|calls? for|urges?|should|judged?|argues?|concludes?|refine|rework|"
    r"too (heavily|far|much|little))\b",
    re.IGNORECASE,
)


def not_covered(local: bool = False) -> str:
    """The honest decline, with what changebot does cover.

    ``local``: the question was about the organisation's own documents (one came first for it),
    so the asker learns that none of them states it, not only what the report covers.
    """
    if local:
        return (
            "The guidance I have doesn't cover that, so I won't guess: none of your "
            "organisation's documents that I hold states it (an admin can add the one that "
            "does), and nor does the Health Foundation's guidance on change. For clinical "
            "questions, please use your local clinical guidance."
        )
    return (
        "The guidance I have doesn't cover that, so I won't guess. I can help with the Health "
        "Foundation's Constructive comfort report (2015), its supplement on transformational "
        "change in NHS providers and the evidence scan on barriers to improvement: the four "
        "barrier areas, the seven success factors, the three approach types and the "
        "recommendations. For clinical questions, please use your local clinical guidance."
    )


@dataclass(frozen=True)
class Candidate:
    """A sentence that may go into the answer, with where it sits."""

    score: float
    rank: int  # of its passage in the retrieval
    index: int  # of the sentence within its passage
    text: str
    heading: frozenset[str] = frozenset()  # terms of its passage's title and section
    follows: str = ""  # the next usable sentence of its passage
    vector: Vectors | None = field(default=None, compare=False, repr=False)


# a saved email's header line, each its own sentence ("From: Rachel Pennington, Falls Lead")
_EMAIL_FIELD = re.compile(r"^(?:from|sent|date|to|cc|bcc|importance)\s*:\s", re.IGNORECASE)
_SENDER_FORMS = frozenset({"who", "when"})


def compose_offline(
    query: str,
    retrieval: Retrieval,
    retriever: Retriever,
    scope: str = "in_scope",
    message: str = "",
) -> Answer:
    """Pick the sentences that best answer ``query`` and cite where each came from.

    ``message`` is the whole message when ``query`` is only its asked part.
    """
    passages = list(retrieval.passages[:PASSAGES_USED])
    texts = retriever.sentences.get(passages)
    # the asker's role ("as a QI lead") and what the answer is for are not what is asked
    asked = asked_part(without_purpose(query))
    candidates: list[Candidate] = []
    for rank, (sents, vecs) in enumerate(texts):
        scores = sentence_scores(asked, retrieval.query_vector, sents, vecs, retrieval.idf)
        heading = frozenset(terms(f"{passages[rank].title} {passages[rank].section}"))
        own = [
            Candidate(
                float(sc) - RANK_PENALTY * rank,
                rank,
                i,
                s,
                heading | table_header(sents, i) | _label_above(sents, i, passages[rank]),
                _next(sents, i),
                vecs[i],
            )
            for i, (sc, s) in enumerate(zip(scores, sents, strict=True))
            if not is_fragment(s)
            # "Other family and friends" over its hours: the label answers nothing itself
            and not (passages[rank].owner == "admin" and i + 1 < len(sents) and _is_label(s))
        ]
        if passages[rank].owner == "admin":
            own = _lists_read_whole(own, rank, (sents, vecs), scores, passages[rank])
        candidates += own
    if not asks_about_sources(query):
        candidates = [c for c in candidates if not is_meta(c.text)] or candidates
    # "… based on 37 studies, wasn't it?" is answered by the real count
    form = "how_many" if supposed_count(query) else question_form(query)
    if form not in _SENDER_FORMS:
        # an email's "To: …; Cc: …" says who had it: an answer only to who or when
        candidates = [c for c in candidates if not _EMAIL_FIELD.match(c.text)] or candidates
    if not candidates:
        return Answer(scope=scope, answer="", grounded=False)
    ranked = sorted(candidates, key=lambda c: -c.score)
    # "did it make any difference? before/after figures": one measure's move, not two sides
    compares = form in {"compare", "yes_no"} and not asks_before_and_after(query)
    sides = compared_sides(query) if compares else None
    ctx = LeadContext.of(query, form, retrieval.idf, sides, ranked[: LEAD_POOL * 2])
    lead = choose_lead(ranked, passages, ctx)
    picked = [lead]
    # the row may be named in the scene before the ask ("tollgate's numbers look grim … what % in
    # q2?")
    read_off = _read_off_table(f"{message} {query}", passages, texts, lead)
    if read_off is not None:
        # "how many referrals did castlefield get?": the cell under its column, named
        lead = read_off
        picked = [lead]
    headed = _rows_headed(lead, passages, texts)
    header = (lead.rank, lead.index) if headed else None
    if headed:
        # "Criterion | Within 6 h | 6–24 h (incl. wake-up stroke)" names the columns and answers
        # nothing; its rows under those names do
        lead, picked = headed[0], headed
    if ctx.contact and not _on_topic(lead, ctx):
        # "Report them to the Fleet Desk on …" was on topic through the sentence before it
        picked = [c for c in ranked if (c.rank, c.index) == (lead.rank, lead.index - 1)] + picked
    counting = _counts_without_listing(lead)
    if counting is not None:
        picked += _counted(lead, counting, texts[lead.rank][0])
    elif _announces(lead, form) or (
        passages[lead.rank].owner == "admin"
        and bool(lead.follows)
        # "I can offer the following while Aisha is on leave:" gives nothing before its list
        and (bool(_REFERS_BACK.match(lead.follows)) or lead.text.rstrip().endswith(":"))
    ):
        # "… are not dispensed by the hub. They come from the oncology pharmacy": in a trust's
        # document the sentence that goes on about the lead's subject comes with it
        picked.append(Candidate(lead.score, lead.rank, lead.index + 1, lead.follows, lead.heading))
    if sides is not None and not _contrasts(lead, ctx):
        # no sentence sets the two against each other: one sentence on each, in the order asked
        picked = _side_by_side(ranked, passages, retriever, ctx) or picked
    elif sides is None:
        picked += _each_part(query, lead, picked, passages, texts, retrieval, retriever)
    # "aug vs sept": a month the sides or parts left out gets its own sentence or row
    picked += _each_period(query, picked, ranked, passages)
    compared = documents_compared(query)
    if compared:
        # "which of the three is shortest?": each document's own sentence on it, in turn
        each = [_cited(found, passages) for found in per_document(query, compared, retriever)]
        picked = each if len(each) >= 2 else picked
    picked = _fill(
        picked,
        sorted(
            (c for c in _alongside(lead, ranked, passages) if (c.rank, c.index) != header),
            key=lambda c: -_focused(c, ctx),
        ),
    )
    return _render([(c.rank, _with_header(c, passages, texts)) for c in picked], passages, scope)


HEADED_ROWS = 3  # rows shown when the lead is a table's header row


LABEL_WORDS = 5  # "Brothers and sisters", "Other family and friends": a label, not a sentence


def _label_above(sents: list[str], i: int, passage: Passage) -> frozenset[str]:
    """The terms of a short label line just above a trust's sentence: what the sentence is about.

    A families' page lists "Brothers and sisters" over "Welcome between 10am and 7pm, with a
    parent.": the hours are the siblings' though the sentence never says so.
    """
    if passage.owner != "admin":
        return frozenset()
    # the line before, read from the passage: a label of a word or two is no sentence of its own
    at = passage.text.find(sents[i])
    before = passage.text[: max(at, 0)].rstrip()
    line = before[before.rfind("\n") + 1 :].strip()
    if at <= 0 or not line or not _is_label(line):
        return frozenset()
    return frozenset(terms(line))


def _is_label(sentence: str) -> bool:
    """A short capitalised line with no figure and no punctuation: a list's or a page's label."""
    words = sentence.split()
    return (
        0 < len(words) <= LABEL_WORDS
        and sentence[0].isupper()
        and re.fullmatch(r"[A-Za-z&'\u2019() -]+", sentence.strip()) is not None
    )


def _trusts_sentences(
    c: Candidate, passages: list[Passage], texts: list[tuple[list[str], Vectors]]
) -> list[str] | None:
    """The sentences of ``c``'s passage when it is a trust's and ``c`` is one of them unaltered.

    A candidate put together from several sentences (a list read whole) is no table row.
    """
    if c.rank >= len(texts) or passages[c.rank].owner != "admin":
        return None
    sents = texts[c.rank][0]
    return sents if c.index < len(sents) and sents[c.index] == c.text else None


def _rows_headed(
    lead: Candidate, passages: list[Passage], texts: list[tuple[list[str], Vectors]]
) -> list[Candidate]:
    """The first rows of the trust's table whose header row is ``lead``; none otherwise."""
    sents = _trusts_sentences(lead, passages, texts)
    if sents is None:
        return []
    return [
        Candidate(lead.score, lead.rank, i, sents[i], lead.heading, _next(sents, i))
        for i in rows_under(sents, lead.index)[:HEADED_ROWS]
    ]


def _with_header(
    c: Candidate, passages: list[Passage], texts: list[tuple[list[str], Vectors]]
) -> str:
    """A trust's table row shown with its columns' names; any other sentence as it is."""
    sents = _trusts_sentences(c, passages, texts) if " | " in c.text else None
    return (labelled_row(sents, c.index) if sents is not None else None) or c.text


def _read_off_table(
    query: str, passages: list[Passage], texts: list[tuple[list[str], Vectors]], lead: Candidate
) -> Candidate | None:
    """A trust's table row the question names, or the top of the column it asks about.

    Asked whole first, then by its first ask alone: in "what time do the nurses finish on a
    saturday at TGH? and is anyone covering castlemead at weekends?" both sites are named, so
    no one row is, until the first ask is read alone.
    """
    parts = asked_parts(query)
    for asked in [query, *parts[:1]] if len(parts) > 1 else [query]:
        for rank, (sents, _vecs) in enumerate(texts):
            if passages[rank].owner != "admin":
                continue
            found = table_answer(asked, sents)
            if found is not None:
                index, text = found
                heading = frozenset(terms(f"{passages[rank].title} {passages[rank].section}"))
                return Candidate(lead.score, rank, index, text, heading, _next(sents, index))
    return None


def _lists_read_whole(
    candidates: list[Candidate],
    rank: int,
    text: tuple[list[str], Vectors],
    scores: Vectors,
    passage: Passage,
) -> list[Candidate]:
    """A passage's list and the line announcing it become one candidate, scored by its best.

    ``candidates`` are the sentences of the passage at ``rank``.

    "Refer to the TVN service if:" and its bullets answer "what's the cutoff for sending a leg
    ulcer to TVN?" together; alone, neither the announcement nor one bullet does.
    """
    sents, vecs = text
    lists = announced_lists(sents, passage.text)
    if not lists:
        return candidates
    # a list whose announcing line was set aside (a fragment) keeps its bullets as they are
    announced = {c.index for c in candidates if c.index in lists}
    items = {j for i in announced for j in lists[i]}
    out: list[Candidate] = []
    for c in candidates:
        if c.index not in announced and c.index not in items:
            out.append(c)
        elif c.index in announced:
            members = [c.index, *lists[c.index]]
            best = max(members, key=lambda m: float(scores[m]))
            out.append(
                replace(
                    c,
                    score=float(scores[best]) - RANK_PENALTY * rank,
                    text=as_one_sentence(c.text, [sents[j] for j in lists[c.index]]),
                    follows=_next(sents, members[-1]),
                    vector=vecs[best],
                )
            )
    return out


def _alongside(
    lead: Candidate, ranked: list[Candidate], passages: list[Passage]
) -> list[Candidate]:
    """The sentences that may follow the lead: from its own document when a trust wrote it.

    "When did the ESD service open?" answered from the trust's ESD note must not go on with
    "The service runs from 07:00 to 23:00 every day" from its falls service: beside the lead,
    another document's sentence reads as more about the same service.
    """
    if lead.rank >= len(passages) or passages[lead.rank].owner != "admin":
        return ranked
    own = passages[lead.rank].document
    return [c for c in ranked if c.rank < len(passages) and passages[c.rank].document == own]


MIN_PART_TERMS = 2  # a part with fewer topical terms ("when's the deadline?") borrows the others'
PART_PASSAGES = 5  # passages searched for each part of a two-part question
# a second ask after the first: "…? And do we get paid overtime …", "who do I send names to … and
# when's the deadline?"
_NEXT_ASK = re.compile(
    r"(?<=\?)\s+(?:and\s+|also\s+|plus\s+)?|,?\s+\band\s+(?=(?:who|when|what|where|how|which|is|"
    r"are|do|does|did|can|will|should)(?:'s|\b))",
    re.IGNORECASE,
)


def asked_parts(query: str) -> list[str]:
    """The separate asks of a question, each with a topic of its own (one part when single)."""
    parts = [p.strip(" ,") for p in _NEXT_ASK.split(asked_focus(query)) if p and p.strip(" ,")]
    return [p for p in parts if topical_terms(p)] or [query]


def _each_part(
    query: str,
    lead: Candidate,
    picked: list[Candidate],
    passages: list[Passage],
    texts: list[tuple[list[str], Vectors]],
    retrieval: Retrieval,
    retriever: Retriever,
) -> list[Candidate]:
    """For a question that asks two things, the sentence answering each one the lead does not.

    "Who do I send names to for the classes and when's the deadline?" is led by who; the
    deadline is a sentence of its own, chosen as if it had been asked alone. Only where a
    trust's document answers the part: on the guidance's notes, where the whole question's
    ranking already serves both asks, a part's pick displaced better sentences.
    """
    if not any(p.owner == "admin" for p in retrieval.passages):
        return []  # only a trust's documents are answered part by part: no extra searches
    parts = asked_parts(query)
    if len(parts) < 2:
        return []
    added: list[Candidate] = []
    for n, part in enumerate(parts):
        # the part, with what the others are about: "when's the deadline?" is the deadline for
        # sending names to the classes
        others = [t for m, other in enumerate(parts) if m != n for t in topical_terms(other)]
        scored = f"{part} {' '.join(others)}"
        # searched on its own words when it names its own topic ("… and when does the EPR go
        # live?" may be in another document than the first ask)
        alone = len(topical_terms(part)) >= MIN_PART_TERMS
        found = retriever.search(part if alone else scored, k=PART_PASSAGES)
        if not found.passages or found.passages[0].owner != "admin":
            continue  # the guidance's notes answer a two-part question with the lead's ranking
        vector = found.query_vector if alone else retriever.query_vector(scored)
        pool = []
        for own_rank, passage in enumerate(found.passages[:PART_PASSAGES]):
            if passage.owner != "admin":
                continue  # a trust's answer is not eked out with the notes' sentences
            rank = _index_of(passage, passages, texts, retriever)
            sents, vecs = texts[rank]
            scores = sentence_scores(part if alone else scored, vector, sents, vecs, retrieval.idf)
            heading = frozenset(terms(f"{passage.title} {passage.section}"))
            pool += [
                Candidate(float(sc) - RANK_PENALTY * own_rank, rank, i, s, heading, "", vecs[i])
                for i, (sc, s) in enumerate(zip(scores, sents, strict=True))
                if not is_fragment(s) and not is_meta(s)
            ]
        # a part that borrows the others' topic is about the same document as the lead
        ranked = sorted(pool if alone else _alongside(lead, pool, passages), key=lambda c: -c.score)
        if not ranked:
            continue
        form = question_form(part)
        ctx = LeadContext.of(part, form, retrieval.idf, None, ranked[: LEAD_POOL * 2])
        best = choose_lead(ranked, passages, ctx)
        chosen = picked + added
        if any(c.rank == best.rank and c.index == best.index for c in chosen):
            continue
        if _answers_part(best, part, form) and not _repeats(best, chosen):
            added.append(best)
    return added


def _index_of(
    passage: Passage,
    passages: list[Passage],
    texts: list[tuple[list[str], Vectors]],
    retriever: Retriever,
) -> int:
    """Where ``passage`` sits in ``passages`` (appended, with its sentences, when it was not)."""
    for i, known in enumerate(passages):
        if known.chunk_id == passage.chunk_id:
            return i
    passages.append(passage)
    texts.append(retriever.sentences.get([passage])[0])
    return len(passages) - 1


# a month by name or short form ("may" is left out: too often the verb), or a quarter
_MONTH_WRITTEN = "(?:{})".format(
    "|".join(
        sorted(
            {form for name in MONTH_NAMES for form in (name.lower(), name[:3].lower())} - {"may"}
            | {"sept"},
            key=len,
            reverse=True,
        )
    )
)
_PERIOD_NAMED = re.compile(
    rf"\b({_MONTH_WRITTEN})\b|\b(q[1-4])\b|\b((?:19|20)\d\d)(?:/\d\d)?\b", re.IGNORECASE
)
# "aug vs sept", "better in july or august", "Q1 compared with Q2", "in july and august", "in
# 2024/25 compared with 2022/23": periods set side by side
_PERIODS_COMPARED = re.compile(rf"\b(?:{COMPARING_WORDS}|better|worse|each|both)\b", re.IGNORECASE)
# "from april to june", "between July and Sept", "jul-sep": one span, not two periods compared
_PERIOD_SPAN = re.compile(
    rf"\b(?:from|between)\s+{_MONTH_WRITTEN}\s+(?:to|and|until)\s+{_MONTH_WRITTEN}\b"
    rf"|\b{_MONTH_WRITTEN}\s*(?:-|\u2013|to|until|through)\s*{_MONTH_WRITTEN}\b",
    re.IGNORECASE,
)
_COMPARED_BETWEEN = re.compile(r"\b(?:compar\w*|differ\w*|change[ds]?)\s+between\b", re.I)
MAX_PERIODS = 4


def _periods_in(text: str) -> set[str]:
    """The months, quarters and years ``text`` names, each by its key ("aug", "q2", "2024")."""
    found = set()
    for month, quarter, year in _PERIOD_NAMED.findall(text):
        found.add(year or (quarter.lower() if quarter else month.lower()[:3]))
    return found


def periods_compared(asked: str) -> list[str]:
    """The months or quarters ``asked`` sets side by side ("aug vs sept": aug, sep), if any."""
    keys = list(dict.fromkeys(k for m in _PERIOD_NAMED.finditer(asked) for k in _periods_in(m[0])))
    if not 2 <= len(keys) <= MAX_PERIODS or not _PERIODS_COMPARED.search(asked):
        return []
    span = _PERIOD_SPAN.search(asked)
    # "how it compared between November and December": two periods, though "between" joins them
    if span is not None and not _COMPARED_BETWEEN.search(asked, 0, span.start() + 8):
        return []
    return keys


def _each_period(
    query: str, picked: list[Candidate], ranked: list[Candidate], passages: list[Passage]
) -> list[Candidate]:
    """For "what % got done in aug vs sept?", a trust's sentence or row for each period.

    The lead may give September's figure only ("September was the weakest month"); each month
    or quarter set side by side gets the best-ranked sentence naming it with a figure on the
    question's topic, when no chosen sentence names it yet. A span ("from april to june") is
    one period, left to the lead.
    """
    asked = asked_focus(query)
    keys = periods_compared(asked)
    if not keys:
        return []
    topic = set(topical_terms(_PERIOD_NAMED.sub(" ", asked)))
    added: list[Candidate] = []
    for key in keys:
        if any(key in _periods_in(c.text) for c in picked + added):
            continue
        # the one saying most of the topic, then the best ranked: "2024/25: … OAP bed days
        # 2,861" over "a clinical audit of the 44 out-of-area admissions in 2024/25"
        said = {
            id(c): sum(contains_term(t, [*terms(c.text), *c.heading]) for t in topic)
            for c in ranked[: LEAD_POOL * 4]
            if passages[c.rank].owner == "admin"
            and key in _periods_in(c.text)
            and re.search(r"\d", _PERIOD_NAMED.sub(" ", c.text))
        }
        best = max(
            (c for c in ranked[: LEAD_POOL * 4] if said.get(id(c), 0) > 0),
            key=lambda c: said[id(c)],
            default=None,
        )
        if best is not None and best not in picked + added:
            added.append(best)
    return added


def _answers_part(candidate: Candidate, part: str, form: str | None) -> bool:
    if form in {"who", "when", "how_many"}:
        return carries_answer(form, candidate.text, True, part)
    return bool(set(topical_terms(part)) & set(terms(candidate.text)))


def _cited(found: DocumentSentence, passages: list[Passage]) -> Candidate:
    """``found`` as a candidate of ``passages``, its passage appended when it was not there."""
    rank = next((i for i, p in enumerate(passages) if p.chunk_id == found.passage.chunk_id), None)
    if rank is None:
        passages.append(found.passage)
        rank = len(passages) - 1
    return Candidate(0.0, rank, 0, found.text)


@dataclass(frozen=True)
class LeadContext:
    """What the lead is judged against: the question's form, topic, documents and sides."""

    form: str | None
    query: str
    topical: list[str]
    documents: list[str]
    idf: Mapping[str, float]
    rarest: float
    sides: Sides | None = None
    named: bool = False  # the question names its documents (else the main report by default)
    asked: list[str] = field(default_factory=list)  # topical terms, the documents' names aside
    head: str = ""  # the first of them, not a number: "workstream" in "what were the five …?"
    given: frozenset[str] = frozenset()  # a list the question gives itself ("design, delivery …")
    excluded: bool = False  # asks what is left out ("which vehicles aren't covered?")
    contact: bool = False  # asks whom to ring or email ("who do I ring about the set-up?")
    link: bool = False  # asks where to read it online ("link pls")
    change: bool = False  # asks how a measure moved ("what % … before vs after?")
    basis: bool = False  # asks what a document rests on ("what was the supplement based on?")
    nations: bool = False  # asks where it applies ("is the report only about England?")
    figures: frozenset[str] = frozenset()  # "after 45 mins": figures that name what is asked

    @classmethod
    def of(
        cls,
        query: str,
        form: str | None,
        idf: Mapping[str, float],
        sides: Sides | None = None,
        pool: list[Candidate] | None = None,
    ) -> LeadContext:
        """The context of ``query``; who/when/how-many default to the main report.

        Over a ``pool`` of candidate sentences, a topical term most of them share ("approach" in
        "which approach did they lean on too heavily?") weighs less than one only a few hold
        ("heavily"): the lead is the sentence with what sets the question apart.
        """
        documents = named_documents(query)
        named = bool(documents)
        if not named and form in DOCUMENT_FORMS:
            documents = [MAIN_DOCUMENT]  # "who are the authors?" means the report's
        rarest = max(idf.values(), default=1.0)
        topical = topical_terms(query)
        weights = dict(idf)
        if pool:
            bags = [set(terms(c.text)) for c in pool]
            for t in topical:
                share = sum(t in bag for bag in bags) / len(bags)
                weights[t] = idf.get(t, rarest) * (1.0 + DISTINCT_WEIGHT * (1.0 - share))
        asked = topical_terms(without_documents(query))
        head = next((t for t in asked if not _NUMBER_WORD.fullmatch(t)), "")
        given = frozenset(t for m in _GIVEN_LIST.finditer(query) for t in terms(m.group()))
        excluded = ASKS_EXCLUDED.search(query) is not None
        contact = _ASKS_CONTACT.search(query) is not None
        link = _ASKS_LINK.search(query) is not None
        change = asks_before_and_after(query)
        basis = _ASKS_BASIS.search(query) is not None or bool(settings_checked(query))
        figures = frozenset(f for f in _GIVEN_FIGURE.findall(query) if not _YEAR.fullmatch(f))
        return cls(
            form,
            query,
            topical,
            documents,
            weights,
            rarest,
            sides,
            named,
            asked,
            head,
            given,
            excluded,
            contact,
            link,
            change,
            basis=basis,
            nations=_ASKS_NATIONS.search(query) is not None,
            figures=figures,
        )


def _focused(c: Candidate, ctx: LeadContext) -> float:
    """Relevance plus the share of what the question is about that the sentence holds.

    Half counts the sentence alone, half the sentence under its heading: "Put three measures on
    a board" answers "how do I build recognition?" when it sits under "Recognition barrier".
    """
    own = set(terms(c.text))
    alone = weighted_share(ctx.topical, own, ctx.idf, ctx.rarest)
    headed = weighted_share(ctx.topical, own | c.heading, ctx.idf, ctx.rarest)
    return c.score + FOCUS_WEIGHT * (alone + headed) / 2


# "Option 5: recruit …", under a heading naming the paper's recommendation
_OPTION_FIRST = re.compile(r"^\s*option\s+\w{1,3}\s*[:.\u2013-]", re.IGNORECASE)
# a figure of two to four digits the question gives ("after 45 mins", "the 72-hour rule"), not
# a date's or a time's part, nor a year
_GIVEN_FIGURE = re.compile(r"(?<![\d/.:£])(\d{2,4})(?![\d/:.]\d)")
_YEAR = re.compile(r"(?:19|20)\d\d")
_ASKS_DEADLINE = re.compile(
    r"\b(?:cut[- ]?offs?|deadlines?|closing date|by when)\b"
    r"(?!\s+(?:score|point|level|value|mark|figure|rate|percentage|age)\b)",
    re.IGNORECASE,
)
_GIVES_DEADLINE = re.compile(
    r"\b(?:must (?:\w+ ){0,4}by|no later than|deadline|cut[- ]?off|closing date|at least "
    r"(?:\w+ ){1,3}before)\b|\bby \d{1,2}[:.]\d\d\b"
    # "The last referral is accepted at 19:00", "Last referral accepted | 19:00"
    r"|\blast (?:\w+ ){0,2}(?:is |are )?(?:accepted|taken|booked|received|seen)\b",
    re.IGNORECASE,
)
# forms that ask about a thing the figure identifies, not for the figure itself
_IDENTIFIED_FORMS = frozenset({"when", "who", "yes_no"})


def _gives_figure(text: str, figures: frozenset[str]) -> bool:
    return any(re.search(rf"(?<![\d.,/]){f}(?![\d/:]|[.,]\d)", text) for f in figures)


def lead_score(c: Candidate, passage: Passage, ctx: LeadContext) -> float:
    """Relevance plus what makes a sentence answer this form of question."""
    form = ctx.form
    words = set(terms(c.text))
    score = _focused(c, ctx)
    if passage.owner == "admin":
        # "what time does the booking centre phone line shut on sat?": the booking protocol's
        # "Saturday | 09:00 to 12:30", not the newsletter's hours of another service
        score += PASSAGE_FOCUS * _passage_share(passage, c.heading, ctx)
    if form in DOCUMENT_FORMS:
        if carries_answer(form, c.text, True, ctx.query):
            score += CARRY_BONUS
        elif form == "how_many" and (asks_share(ctx.query) or asks_frequency(ctx.query)):
            # "what proportion stayed at home?", "how often is it redone?": no % or "every
            # three months" in it, no answer
            score -= CARRY_BONUS
        elif carries_answer(form, c.text, False, ctx.query):
            score += CARRY_BONUS / 2
    carries = form in DOCUMENT_FORMS and carries_answer(form, c.text, False, ctx.query)
    if carries and ctx.documents:  # who wrote it, when, how long: facts about a document
        if from_document(passage.origin or passage.title, ctx.documents):
            score += DOCUMENT_LEAD_BONUS
        if names_document(c.text, ctx.documents):  # "Constructive comfort was launched on …"
            score += DOCUMENT_LEAD_BONUS
    if passage.owner == "admin" and names_title(ctx.query, passage.title):
        # "which option does the care home business case recommend?": the document it names
        score += NAMED_DOCUMENT_BONUS
    if form == "when" and passage.owner != "admin" and _FULL_DATE.search(c.text):
        score += DATE_BONUS  # when a document came out; a trust's dates are of many things
    if form == "how_many" and counts_asked(c.text, ctx.asked):
        score += COUNT_BONUS  # "four recommendations", not "three approach types"
    if ctx.basis and passage.owner != "admin" and _GIVES_BASIS.search(_before_our_reading(c.text)):
        score += BASIS_BONUS
    if ctx.nations and passage.owner != "admin" and _GIVES_NATIONS.search(c.text):
        score += NATIONS_BONUS
    if ctx.change and _GIVES_CHANGE.search(c.text):
        score += CHANGE_BONUS
    elif ctx.change and not re.search(r"\d", c.text):
        score -= CHANGE_BONUS / 2  # "did it make any difference?": a sentence with no figure
    if ctx.sides is not None:  # named in the sentence, or in its heading ("It contrasts with …")
        named = [_holds(side, words, ctx) for side in sides_of(ctx.sides)]
        headed = [_holds(side, words | c.heading, ctx) for side in sides_of(ctx.sides)]
        contrasts = all(headed) and any(named) and _CONTRAST.search(c.text) is not None
        if all(named):  # a sentence setting the two side by side, better still against each other
            score += COMPARE_BONUS if contrasts else COMPARE_BONUS / 2
        elif contrasts:  # "It contrasts with Type 1 …" under the heading "Type 2"
            score += COMPARE_BONUS * 0.75
        if contrasts:
            score += CONTRAST_BONUS
    if form == "yes_no" and _TAKES_POSITION.search(c.text):
        score += POSITION_BONUS
    if form in _IDENTIFIED_FORMS and ctx.figures and _gives_figure(c.text, ctx.figures):
        score += FIGURE_GIVEN_BONUS  # "since when can we leave after 45 mins?": the 45-minute rule
    if ctx.excluded and EXCLUDES.search(c.text):
        score += EXCLUDED_BONUS  # "which vehicles aren't covered?": "It does not cover PTS …"
    if form == "example":
        # the report's own example, not one inside the reading a sentence runs on into ("…
        # each other. changebot's interpretation …, such as NHS England")
        own = _before_our_reading(c.text)
        if _GIVES_EXAMPLE.search(own) or _announces(c, form):  # gives one, or its next does
            score += EXAMPLE_BONUS
        elif _MENTIONS_EXAMPLE.search(own):
            score += EXAMPLE_BONUS / 4
    if (
        form in {"list", "which"}
        and len(re.findall(r"[,;]", c.text)) >= 2
        and not _restates(c, ctx)
        and not (ctx.excluded and not EXCLUDES.search(c.text))  # a list of what is included
    ):
        score += LIST_BONUS
        score += ENUMERATION_BONUS * _enumerates(c.text, ctx)
    counting = _counts_without_listing(c)
    if counting is not None and _asks_for_all(counting, ctx.query):
        # "… into four categories." and then one sentence on each: it lists what is asked for
        score += ENUMERATION_BONUS
    if passage.provenance == ("suggestion" if form == "how_to" else "source"):
        score += PROVENANCE_BONUS
    return score


def _passage_share(passage: Passage, heading: frozenset[str], ctx: LeadContext) -> float:
    """Share of what is asked held by the sentence's whole passage and its headings."""
    return weighted_share(ctx.topical, set(terms(passage.text)) | heading, ctx.idf, ctx.rarest)


def _restates(c: Candidate, ctx: LeadContext) -> bool:
    """Whether the sentence only lists what the question itself listed.

    "which barriers show at every stage - design, delivery and spread?" gives the stages; a
    sentence listing those stages repeats the question instead of answering it.
    """
    listed = c.text.partition(":")[2] or c.text
    return len(ctx.given & set(terms(listed))) >= 2


def _enumerates(text: str, ctx: LeadContext) -> float:
    """How surely the sentence names what was asked for and then lists it after a colon.

    "Constructive comfort draws its evidence from five workstreams: workshops, interviews, …"
    answers "what were the five workstreams?" (1.0: it counts the things asked for); a sentence
    that only mentions "the fourth of the five workstreams" has no list, and "the scan's barrier
    table uses three phases: …" lists phases, not the barriers asked for (0.5: on topic).
    """
    announced, colon, listed = text.partition(":")
    if not colon or len(re.findall(r",|\band\b|\bthen\b", listed)) < 2:
        return 0.0
    if ctx.head and counts_asked(announced, [ctx.head]):
        return 1.0
    return 0.5 if set(ctx.asked) & set(terms(announced)) else 0.0


def _holds(side: list[str], words: set[str], ctx: LeadContext) -> bool:
    return weighted_share(side, words, ctx.idf, ctx.rarest) >= 0.5


def _basis_given(
    ranked: list[Candidate], passages: list[Passage], ctx: LeadContext
) -> list[Candidate]:
    """The guidance's sentences saying where the document asked about got its evidence."""
    return [
        c
        for c in _guidance_giving(ranked, passages, _GIVES_BASIS, _before_our_reading)
        if not ctx.documents
        or from_document(passages[c.rank].origin or passages[c.rank].title, ctx.documents)
        or names_document(c.text, ctx.documents)
    ]


def _title_given(
    ranked: list[Candidate], passages: list[Passage], ctx: LeadContext
) -> list[Candidate]:
    """The guidance's sentences giving a title in quotes or italics, naming what is asked.

    "Is there an infographic? What's it called?" is answered by the sentence quoting the
    infographic's title, not by those only saying that there is one.
    """
    things = {t for m in _TITLED_THING.finditer(ctx.query) for t in terms(m.group())}
    return [
        c
        for c in _guidance_giving(ranked, passages, _GIVES_TITLE)
        if things and things <= set(terms(c.text))
    ]


def _members_given(
    ranked: list[Candidate], passages: list[Passage], ctx: LeadContext
) -> list[Candidate]:
    """The guidance's sentences saying what a term asked about means or who it names.

    "who counts as a 'national body'?" is answered by "national bodies, meaning organisations
    whose remit covers …" or the sentence giving NHS England and Monitor as examples, not by
    any sentence about national bodies.
    """
    quoted = _QUOTED_TERM.search(ctx.query)
    wanted = set(terms(quoted["term"])) if quoted else set(ctx.asked)
    need = len(wanted) if quoted else min(MIN_MEMBER_TERMS, len(wanted))
    if not wanted:
        return []
    given = [
        c
        for c in _guidance_giving(ranked, passages, _GIVES_MEMBERS)
        if sum(contains_term(t, terms(c.text)) for t in wanted) >= need
        # the report's own words on who it means, never our reading of them
        and not _is_ours(c.text, passages[c.rank])
    ]
    if _ASKS_NAMES.search(ctx.query):
        # "who …?", "do they give examples?": the members named, before what the term means
        named = [c for c in given if _NAMES_MEMBERS.search(c.text)]
        return named or given
    return given


def _guidance_giving(
    ranked: list[Candidate],
    passages: list[Passage],
    gives: re.Pattern[str],
    part: Callable[[str], str] = lambda text: text,
) -> list[Candidate]:
    """The guidance's sentences (not a trust's) whose ``part`` says what ``gives`` looks for."""
    return [c for c in ranked if passages[c.rank].owner != "admin" and gives.search(part(c.text))]


def choose_lead(ranked: list[Candidate], passages: list[Passage], ctx: LeadContext) -> Candidate:
    """The sentence that answers the question's form, among the most relevant ones."""
    contenders = [c for c in ranked[:LEAD_POOL] if not is_meta(c.text)] or ranked[:1]
    if _ASKS_MEMBERS.search(ctx.query) and (
        members := _members_given(ranked[: LEAD_POOL * 3], passages, ctx)
    ):
        # "who counts as a 'national body' in the report?": what it means, or the members it
        # names, before any sentence from the report naming who
        contenders = members
    elif ctx.named and ctx.form in DOCUMENT_FORMS:
        # "who wrote the report?": the named document's own answer, if one is as much on topic
        best = max(_asked_share(c, ctx) for c in contenders)
        own = [
            c
            for c in contenders
            if from_document(passages[c.rank].origin or passages[c.rank].title, ctx.documents)
            and carries_answer(ctx.form, c.text, True, ctx.query)
            and _asked_share(c, ctx) >= best
        ]
        about = [c for c in own if names_document(c.text, ctx.documents)]
        contenders = about or own or contenders
    elif ctx.basis and (based := _basis_given(ranked[: LEAD_POOL * 3], passages, ctx)):
        # "what was the mckinsey supplement based on?": where its evidence came from, not the
        # sentences naming McKinsey as its maker, which share more of the question's words
        contenders = based
    elif _ASKS_PRESENCE.search(ctx.query) and (
        patchy := _guidance_giving(ranked[: LEAD_POOL * 3], passages, _GIVES_PRESENCE)
    ):
        # "are the success factors present across the NHS?": the sentence finding them patchy
        contenders = patchy
    elif _ASKS_TITLE.search(ctx.query) and (
        titled := _title_given(ranked[: LEAD_POOL * 3], passages, ctx)
    ):
        # "is there an infographic? what's it called?": the sentence quoting its title
        contenders = titled
    elif ctx.nations and (
        national := _guidance_giving(ranked[: LEAD_POOL * 3], passages, _GIVES_NATIONS)
    ):
        # "is the report only about England?": the sentence saying it holds across the UK
        contenders = national
    elif ASKS_NEXT_MEETING.search(ctx.query) and (
        nexts := [
            c
            for c in ranked[: LEAD_POOL * 3]
            if passages[c.rank].owner == "admin"
            and _gives_next_meeting(c.text, passages[c.rank].text)
            and _names_the_group(ctx, passages[c.rank].title)
        ]
    ):
        # "when's the next D2A steering group meeting?": that group's minutes give the date, not
        # the operating model's "meets monthly", nor another group's minutes
        contenders = nexts
    elif ASKS_RECOMMENDED.search(ctx.query) and (
        recommended := [
            c
            for c in ranked[: LEAD_POOL * 3]
            if passages[c.rank].owner == "admin"
            and (
                RECOMMENDS_OPTION.search(c.text)
                # "Option 5: recruit the extra FCP …" under the heading "5. Recommendation"
                or (
                    _OPTION_FIRST.match(c.text)
                    and "recommendation" in passages[c.rank].section.lower()
                )
            )
        ]
    ):
        # "which model is going to the exec as the preferred one?": the paper's "We recommend
        # Option B", not its list of results nor "7 of 8 would recommend the scheme"
        contenders = recommended
    elif _ASKS_DEADLINE.search(ctx.query) and (
        deadlines := _deadlines_given(ranked[: LEAD_POOL * 3], passages, ctx)
    ):
        # "whats the cut off for ringing UCR in the evening?": "The last referral is accepted at
        # 19:00", on topic through the sentence before it, not the service's opening hours
        contenders = deadlines
    elif ctx.excluded:
        # "which vehicles aren't covered by the SOP?": a sentence saying what is left out; in a
        # trust's document it may only announce its list ("The service does not accept:"), on
        # topic through the sentence before it
        before = {(c.rank, c.index): c.text for c in ranked}
        excluding = [
            c
            for c in ranked[: LEAD_POOL * 3]
            if EXCLUDES.search(c.text)
            and not is_meta(c.text)
            and _share_in_context(c, before.get((c.rank, c.index - 1), ""), ctx) >= WHO_SHARE
        ]
        contenders = excluding or contenders
    elif ctx.contact:
        # "who do I ring about the set-up?": the sentence giving a line, mailbox or contact, on
        # the topic itself or just after a sentence on it ("Category A defects (… the tail
        # lift) …. Report them to the Fleet Desk on …"); the most on topic of them
        before = {(c.rank, c.index): c.text for c in ranked}
        shares = {
            id(c): _share_in_context(c, before.get((c.rank, c.index - 1), ""), ctx)
            for c in ranked[: LEAD_POOL * 3]
            if _GIVES_CONTACT.search(c.text) and not is_meta(c.text)
        }
        best = max(shares.values(), default=0.0)
        contacts = [
            c for c in ranked[: LEAD_POOL * 3] if shares.get(id(c), 0.0) >= max(WHO_SHARE, best)
        ]
        contenders = contacts or contenders
    elif ctx.link:
        # "where can i read the scan online? link pls": the sentence giving its web address,
        # the one most on topic
        links = {
            id(c): _asked_share(c, ctx)
            for c in ranked[: LEAD_POOL * 3]
            if _GIVES_LINK.search(c.text)
        }
        best = max(links.values(), default=0.0)
        contenders = [c for c in ranked[: LEAD_POOL * 3] if links.get(id(c), -1.0) >= best] or (
            contenders
        )
    elif ctx.form == "who":
        # "who's running the validation work?": a sentence naming who leads it, when it or its
        # heading is on topic, before the one that names the work most fully
        # heading is on topic, before the one that names the work most fully; in a trust's
        # document the line naming the owner may rank low ("Document owner: Sarah Okafor")
        wider = contenders + [
            c for c in ranked[LEAD_POOL : LEAD_POOL * 3] if passages[c.rank].owner == "admin"
        ]
        # "Problem: the outcome form has no 9-month option … LA has raised an IT ticket and will
        # chase it": in a trust's minutes the action is on topic through the sentence before it
        before = {(c.rank, c.index): c.text for c in ranked}
        leads = [
            c
            for c in wider
            if (carries_answer("who", c.text, True, ctx.query) or _names_its_holder(c))
            and (
                _on_topic(c, ctx)
                or (
                    passages[c.rank].owner == "admin"
                    and _share_in_context(c, before.get((c.rank, c.index - 1), ""), ctx)
                    >= WHO_SHARE
                )
            )
            and not is_meta(c.text)
        ]
        # "who's the CSO on the letters work?": the row naming someone beside the whole post
        posted = [c for c in wider if names_post_holder(ctx.query, c.text)]
        contenders = posted or leads or contenders
    elif ctx.form == "how_many" and asks_share(ctx.query):
        # "what proportion … ended up staying at home?": a table's "Patients left safely at home
        # | 81%" may rank low on the question's words, but only a share answers it
        contenders = contenders + [
            c
            for c in ranked[LEAD_POOL : LEAD_POOL * 2]
            if passages[c.rank].owner == "admin"
            and carries_answer("how_many", c.text, True, ctx.query)
        ]
    return max(contenders, key=lambda c: lead_score(c, passages[c.rank], ctx))


def _deadlines_given(
    pool: list[Candidate], passages: list[Passage], ctx: LeadContext
) -> list[Candidate]:
    """A trust's sentences setting a deadline on what is asked, or just after a sentence on it."""
    before = {(c.rank, c.index): c.text for c in pool}
    return [
        c
        for c in pool
        if passages[c.rank].owner == "admin"
        and _GIVES_DEADLINE.search(c.text)
        and _share_in_context(c, before.get((c.rank, c.index - 1), ""), ctx) >= WHO_SHARE
    ]


# a table's column for who holds a row: "Action | Owner | Due", "Service | Lead | Phone"
_HOLDER_COLUMNS = frozenset(terms("owner owners lead leads responsible whom sponsor chair"))


def _names_its_holder(c: Candidate) -> bool:
    """A table row under a header with a column for who holds it ("Owner")."""
    return " | " in c.text and bool(c.heading & _HOLDER_COLUMNS)


def _on_topic(c: Candidate, ctx: LeadContext) -> bool:
    """Whether the sentence, or the heading it sits under, holds enough of what is asked."""
    return _share_in_context(c, "", ctx) >= WHO_SHARE


def _share_in_context(c: Candidate, before: str, ctx: LeadContext) -> float:
    """Share of what is asked held by the sentence, its heading, or the sentence before it."""
    own = set(terms(c.text)) | c.heading
    alone = weighted_share(ctx.asked, own, ctx.idf, ctx.rarest)
    if not before:
        return alone
    return max(alone, weighted_share(ctx.asked, own | set(terms(before)), ctx.idf, ctx.rarest))


def _asked_share(c: Candidate, ctx: LeadContext) -> float:
    """Share of what is asked about the document (its name aside) that the sentence holds."""
    return weighted_share(ctx.asked, set(terms(c.text)), ctx.idf, ctx.rarest)


def sides_of(sides: Sides) -> tuple[list[str], list[str]]:
    """The two compared things' terms, in the order asked."""
    return sides.first, sides.second


def _next(sentences: list[str], i: int) -> str:
    """The sentence after the ``i``-th, when it can be quoted."""
    if i + 1 >= len(sentences):
        return ""
    following = sentences[i + 1]
    return "" if is_meta(following) or is_fragment(following) else following


def _announces(lead: Candidate, form: str | None) -> bool:
    """Whether the lead only announces the example that follows ("The first example …").

    Also when the lead states the point and the next sentence gives its case ("Tools can be
    awkward to use. Its example is a study in 19 NHS organisations …"): the example asked for
    is in the next sentence, so it goes with the lead.
    """
    if form != "example" or not lead.follows or _GIVES_EXAMPLE.search(lead.text):
        return False
    return (
        lead.text.rstrip().endswith(":")
        or _MENTIONS_EXAMPLE.search(lead.text) is not None
        or _GIVES_EXAMPLE.search(lead.follows) is not None
    )


def _counts_without_listing(lead: Candidate) -> re.Match[str] | None:
    """The count, when the lead only counts what its next sentence goes on to name.

    "The evidence scan sorts sixteen barriers into four categories." says how many, not which:
    the next sentence of its passage ("Initiative-related barriers concern …") is the answer.
    """
    if not lead.follows or ":" in lead.text or "," in lead.text:
        return None
    return _COUNT_ONLY.search(lead.text)


def _counted(
    lead: Candidate, counting: re.Match[str], passage_sentences: list[str]
) -> list[Candidate]:
    """The sentences after a counting lead that name what it counted, one each, within the limit.

    "… into four categories." is followed by one sentence per category: up to four of them are
    taken, in order, while the answer stays within ``MAX_WORDS``.
    """
    count = _count_value(counting["count"])
    words = len(REPORT_LEAD.split()) + word_count(lead.text) + 1
    out: list[Candidate] = []
    for j in range(lead.index + 1, min(lead.index + 1 + count, len(passage_sentences))):
        text = passage_sentences[j]
        words += word_count(text) + 1
        if is_meta(text) or is_fragment(text) or words > MAX_WORDS:
            break
        out.append(Candidate(lead.score, lead.rank, j, text, lead.heading))
    return out


def _asks_for_all(counting: re.Match[str], query: str) -> bool:
    """Whether the question asks for the things a counting sentence counts, all of them.

    "what categories does it use?" does ("categories", plural); "which type of approach …?"
    asks for one, so a sentence counting the three types is not its answer.
    """
    counted = set(terms(counting["what"]))
    plurals = set(terms(" ".join(w for w in re.findall(r"[a-z-]+", query.lower()) if w[-1] == "s")))
    return bool(counted & plurals) or bool(counted & GROUPINGS and plurals & GROUPINGS)


def _count_value(word: str) -> int:
    """1-8 from "one"-"eight" or digits (a longer list is not spelled out sentence by sentence)."""
    small = ("one", "two", "three", "four", "five", "six", "seven", "eight")
    low = word.lower()
    value = int(low) if low.isdigit() else small.index(low) + 1 if low in small else 0
    return min(value, len(small))


def _contrasts(c: Candidate, ctx: LeadContext) -> bool:
    """Whether the sentence sets the two compared things against each other."""
    if ctx.sides is None:
        return False
    words = set(terms(c.text))
    named = [_holds(side, words, ctx) for side in sides_of(ctx.sides)]
    headed = [_holds(side, words | c.heading, ctx) for side in sides_of(ctx.sides)]
    return all(headed) and any(named) and _CONTRAST.search(c.text) is not None


def _side_by_side(
    ranked: list[Candidate], passages: list[Passage], retriever: Retriever, ctx: LeadContext
) -> list[Candidate]:
    """The best sentence about each compared thing alone, searched for when none was retrieved.

    Appends any passage found by the extra search to ``passages`` so it can be cited.
    """
    assert ctx.sides is not None
    first, second = sides_of(ctx.sides)
    chosen: list[Candidate] = []
    for side, other, text in (
        (first, second, ctx.sides.first_text),
        (second, first, ctx.sides.second_text),
    ):
        found = _about(side, other, ranked, ctx) or _search_side(
            side, other, text, passages, retriever, ctx
        )
        if found is not None and found not in chosen:
            chosen.append(found)
    return chosen


def _about(
    side: list[str], other: list[str], ranked: list[Candidate], ctx: LeadContext
) -> Candidate | None:
    """The best sentence about ``side`` alone: its subject, under its own heading if possible.

    "The headspace barrier is about whether people have room to lead change" is about headspace;
    "Type 2 helps with recognition, headspace and capability" only mentions it.
    """
    about = []
    for c in ranked[: LEAD_POOL * 2]:
        words = set(terms(c.text))
        opening = set(terms(" ".join(c.text.split()[:SUBJECT_WORDS])))
        headed = _holds(side, set(c.heading), ctx)
        subject = _holds(side, opening, ctx)
        if _holds(side, words, ctx) and not _holds(other, words, ctx) and (headed or subject):
            about.append((c.score + SIDE_BONUS * (headed + subject), c))
    return max(about, key=lambda pair: pair[0])[1] if about else None


def _search_side(
    side: list[str],
    other: list[str],
    text: str,
    passages: list[Passage],
    retriever: Retriever,
    ctx: LeadContext,
) -> Candidate | None:
    """A sentence about one compared thing the retrieval for the whole question missed."""
    found = retriever.search(text or " ".join(side), k=2)
    for passage, (sents, vecs) in zip(
        found.passages, retriever.sentences.get(found.passages), strict=True
    ):
        scores = sentence_scores(text, found.query_vector, sents, vecs, found.idf)
        heading = frozenset(terms(f"{passage.title} {passage.section}"))
        rank = next((i for i, p in enumerate(passages) if p.chunk_id == passage.chunk_id), None)
        options = [
            Candidate(
                float(sc), rank if rank is not None else len(passages), i, s, heading, "", vecs[i]
            )
            for i, (sc, s) in enumerate(zip(scores, sents, strict=True))
            if not is_meta(s) and not is_fragment(s)
        ]
        best = _about(side, other, sorted(options, key=lambda c: -c.score), ctx)
        if best is not None:
            if rank is None:
                passages.append(passage)
            return best
    return None


def _fill(picked: list[Candidate], ranked: list[Candidate]) -> list[Candidate]:
    """Add the next sentences in ``ranked`` order within the length limits, skipping repeats."""
    chosen = list(picked)
    words = len(OURS_LEAD.split()) + len(REPORT_LEAD.split())
    words += sum(word_count(c.text) + 1 for c in chosen)
    for c in ranked:
        if len(chosen) >= MAX_SENTENCES:
            break
        n = word_count(c.text) + 1
        if c in chosen or words + n > MAX_WORDS or _repeats(c, chosen):
            continue
        chosen.append(c)
        words += n
    return chosen


def _repeats(candidate: Candidate, chosen: list[Candidate]) -> bool:
    """Whether an already chosen sentence says the same: nearly all its terms, or in other words.

    Notes written apart restate a fact in their own words ("leaned too far towards prodding
    organisations" / "leaned too much towards prodding organisations"); their vectors are
    nearly parallel though their words differ.
    """
    own = set(terms(candidate.text))
    if not own:
        return True
    return any(
        len(own & set(terms(c.text))) / len(own) >= DUPLICATE_SHARE
        or c.text == candidate.text
        or _paraphrases(candidate, c)
        for c in chosen
    )


def _paraphrases(a: Candidate, b: Candidate) -> bool:
    if a.vector is None or b.vector is None:
        return False
    return float(a.vector @ b.vector) >= PARAPHRASE_SIMILARITY


def lead_with_answer(picked: list[tuple[int, str]], form: str | None) -> list[tuple[int, str]]:
    """Who, when and how-many questions lead with the sentence holding the name, date or number.

    The best-scoring sentence is often the one that shares most words with the question (a
    definition of the service asked about); the answer is the one that carries what was asked.
    """
    for strict in (True, False):
        carrying = [i for i, (_rank, s) in enumerate(picked) if carries_answer(form, s, strict)]
        if carrying:  # from the best-ranked passage (retrieval prefers the document named)
            i = min(carrying, key=lambda k: picked[k][0])
            return [picked[i], *picked[:i], *picked[i + 1 :]]
    return picked


def _render(picked: list[tuple[int, str]], passages: list[Passage], scope: str) -> Answer:
    """Number the citations, keep the report's words apart from ours, the lead's group first."""
    numbers: dict[int, int] = {}
    citations: list[Citation] = []
    report: list[str] = []
    ours: list[str] = []
    for rank, sentence in picked:
        if rank not in numbers:
            numbers[rank] = len(numbers) + 1
            citations.append(citation_for(numbers[rank], passages[rank]))
        # "… improvement projects?" keeps its question mark: no "?." in the answer
        ended = sentence.rstrip(".:")
        text = f"{ended}{'' if ended.endswith(('?', '!')) else '.'} [{numbers[rank]}]"
        (ours if _is_ours(sentence, passages[rank]) else report).append(text)
    parts = []
    if report:
        parts.append(f"{REPORT_LEAD} " + " ".join(report))
    if ours:
        parts.append(f"{OURS_LEAD} " + " ".join(ours))
    if picked and _is_ours(picked[0][1], passages[picked[0][0]]):
        parts.reverse()  # the answer's first sentence is the lead, whoever's words it is
    return Answer(scope=scope, answer="\n\n".join(parts), citations=citations)


_SPEAKS_AS_US = re.compile(
    r"(^|[.:;]\s+)changebot\b|\bchangebot's (interpretation|reading|working definition|suggestion)",
    re.IGNORECASE,
)


def _before_our_reading(sentence: str) -> str:
    """The part of ``sentence`` before a run-on into changebot's own reading (all if none)."""
    found = _SPEAKS_AS_US.search(sentence)
    return sentence if found is None or found.start() == 0 else sentence[: found.start()]


def _is_ours(sentence: str, passage: Passage) -> bool:
    """Whether this is our reading, not the report's words: by its passage, or as it says.

    A sourced passage may carry a sentence of our interpretation ("changebot reads the example
    as …"), or a sentence may run on into one ("… each other. changebot's interpretation …": the
    splitter only breaks before a capital); neither is shown under "The guidance says".
    """
    return passage.provenance != "source" or _SPEAKS_AS_US.search(sentence) is not None
