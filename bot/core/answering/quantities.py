"""Whether the guidance states the figure or ranking a question asks for.

"How many people attended the workshops?" is near passages about the workshops and about the
34 people thanked in the acknowledgements, and every topical word is known; but no sentence
puts a number on the people who attended, so the honest answer is a decline. A count is found
when a sentence gives a number the question did not already give, next to what is counted
("73 NHS studies", "four recommendations"); an amount ("how much productivity growth") when the
number shares a sentence with what is measured, in pounds when pounds were asked for.

Likewise "which success factor matters most?" is answered only where a sentence ranks
something ("most", "least", "the main …"); the seven factors listed in order rank nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.core.answering.acronyms import spelled_out
from bot.core.answering.qualifiers import quarter_range_terms, quarter_ranges
from bot.core.answering.relevance import DURATION_GIVEN, NUMBER_WORDS, counts_asked
from bot.core.answering.spelling import is_english
from bot.core.answering.table_lookup import table_header
from bot.core.answering.topics import (
    DOCUMENT_TERMS,
    asked_focus,
    contains_term,
    topical_terms,
)
from bot.core.wording import MONTH_NAMES, STOPWORDS, sentences, stem, terms

# each sentence of the passages with its terms, worked out once for every check below
Said = list[tuple[str, list[str]]]

_ASK = re.compile(
    r"\b(?:how (?P<kind>many|much)|what (?P<share>%|per ?cent(?:age)?|percentage|proportion|"
    r"share|fraction|ratio|split)(?: of)?|"
    # "was there a £ figure attached to …?", "any cost estimate for …", "what £ figure did …"
    r"\b(?:a|any|the|what|which) (?P<money>£|money|cash|pound|cost|price|budget|spending) ?"
    r"(?:figure|amount|sum|tag|estimate|number))(?P<rest>[^?.!]*)",
    re.IGNORECASE,
)
# a second ask joined on to the count ("how many workstreams …, and which one ended up as …")
_JOINED_ASK = re.compile(r",?\s+(?:and|or)\s+(?:which|who|what|when|where|how|why)\b", re.I)
_NUMBER = re.compile(
    rf"£?\d+(?:[.,]\d+)*%?|\b(?:{NUMBER_WORDS}|half|million|billion)\b", re.IGNORECASE
)
_MONEY_ASKED = re.compile(
    r"£|\b(money|pounds?|funding|funded|budget|cash|spend|invest\w*|cost|costs|costing|price|paid|"
    r"pay|pays|paying|charge|charges|charging|fee|fees|tariff)\b",
    re.I,
)
_MONEY_COUNTED = re.compile(r"\s*(?:£|pounds?\b|millions?\b|billions?\b)", re.I)
_MONEY_GIVEN = re.compile(r"£\s?\d|\b\d+(?:\.\d+)?\s?(m|bn|million|billion)\b", re.I)
_SHARE_GIVEN = re.compile(
    r"\d\s?%|\bper ?cent\b|\b(half|a third|two thirds|a quarter|three quarters|"
    r"the majority|a minority|one in (two|three|four|five|ten))\b",
    re.IGNORECASE,
)
# the documents and their publisher: where a count is asked about, not what is counted
# the words of a page ask, and the parts of a document ("the recommendations chapter"): a page
# given for some chapter does not give the page of the one asked about
_PAGE_WORDS = frozenset(terms("page pages number"))
_PARTS = frozenset(terms("chapter chapters section sections part parts"))
UNITS = 2  # the words right after "how many" that name what is counted ("NHS studies")


# where the counted noun phrase ends: "how many sessions | can a patient have with the SPLW"
_COUNTED_END = re.compile(
    r"\b(?:can|could|do|does|did|are|is|were|was|have|has|had|will|would|should|with|in|at|for"
    r"|on|of|per|over|from|to|by|since|get|got)\b",
    re.I,
)


_PASSIVE = re.compile(r"(?:are|is|were|was)\s+(?P<verb>\w+(?:ed|en))\b", re.I)


_OF_THE = re.compile(r"^\s*of\s+(?:the|our|their|those|these|its)\s+", re.IGNORECASE)


def _counted(rest: str) -> list[str]:
    """The topical terms of what "how many" counts, before the verb or preposition after it.

    A passive verb right after it belongs to it ("people are thanked" counts those thanked);
    the rest only narrows it ("sessions can a patient have with the SPLW").
    """
    # "how many of the new trainee PWPs …": what is counted comes after "of the"
    rest = _OF_THE.sub("", rest, count=1)
    end = _COUNTED_END.search(rest)
    if end is None:
        return topical_terms(rest)[:UNITS]
    counted = topical_terms(rest[: end.start()])
    passive = _PASSIVE.match(rest, end.start())
    return (counted + topical_terms(passive["verb"]) if passive else counted)[:UNITS]


# a trust passage's sentence: its text, its terms and its heading's terms (empty for the notes)
Line = tuple[str, list[str], list[str]]


_QUARTER_WRITTEN = re.compile(r"\bquarter\s+([1-4])\b", re.IGNORECASE)


def _terms_with_quarters(text: str) -> list[str]:
    """``terms`` plus "q2" for a "Quarter 2" written out, as a figure asked "in q2" is."""
    return terms(text) + [f"q{m.group(1)}" for m in _QUARTER_WRITTEN.finditer(text)]


# a title's short form in capitals ("RC Joint Steering Group minutes", "EFOG minutes")
HEAD_SHORT = re.compile(r"\b[A-Z]{2,5}\b")


def _lines(texts: list[str], heads: list[str]) -> list[Line]:
    """Each sentence of ``texts`` with its terms and its heading's, split and read once."""
    out: list[Line] = []
    for text, head in zip(texts, heads, strict=True):
        heading = _terms_with_quarters(head) if head else []
        # "RC Joint Steering Group minutes": the title's short form is the name the passages
        # spell out ("Recovery College"), which a figure asked "for the recovery college" is given
        # under
        for short in HEAD_SHORT.findall(head):
            phrase = spelled_out(short, [text, *texts])
            heading += terms(phrase) if phrase else []
        split = sentences(text)
        for i, s in enumerate(split):
            # a table row says what its cells are only through its header row
            columns = table_header(split, i) if head else frozenset()
            out.append((s, _terms_with_quarters(s) + sorted(columns), heading))
    return out


def said_in(texts: Iterable[str], headings: Iterable[str] | None = None) -> Said:
    """The sentences of ``texts``, each with its terms (and those of its text's heading)."""
    texts = list(texts)
    heads = list(headings) if headings is not None else [""] * len(texts)
    return [(s, own + heading) for s, own, heading in _lines(texts, heads)]


def _mentions(said: list[str], wanted: Iterable[str]) -> bool:
    return any(contains_term(t, said) for t in wanted)


def _numbers(text: str) -> set[str]:
    return {m.group(0).lower().lstrip("£") for m in _NUMBER.finditer(text)}


def states_what_is_asked(
    query: str,
    texts: Iterable[str],
    focus: str | None = None,
    headings: Iterable[str] | None = None,
) -> bool:
    """The figure, ranking and people checks below, on sentences split once (the gate's call).

    ``headings``, one per text, say what a trust's passage is about when its sentences do not:
    "58 residents enrolled" under "Strength and balance classes in care homes" counts residents
    in those classes.
    """
    focus = asked_focus(query) if focus is None else focus
    texts = list(texts)
    heads = list(headings) if headings is not None else [""] * len(texts)
    lines = _lines(texts, heads)
    said = [(s, own + heading) for s, own, heading in lines]
    return (
        _specifics_stated(query, focus, texts, heads, lines)
        and _figure_stated(query, focus, said)
        and _ranking_stated(focus, said)
        and _members_named(focus, said)
        and _names_given(query, said)
        and _job_stated(focus, said)
        and _qualified_figure_stated(focus, said)
        and _duration_stated(focus, said)
        and _band_stated(focus, said)
        and _pay_stated(focus, said)
        and _name_explained(query, focus, said)
        and _words_given(query, said)
        and _holder_named(focus, said)
    )


# "what was the deferred visits figure for …", "what's the turnaround at …": a figure asked for
_FIGURE_ASKED = re.compile(
    # "what's riverside's DNA rate …", and a bare ask: "the cspa triage % for june - anyone?"
    r"\bhow (?:many|much)\b|(?:\bwhat\W*(?:s|is|was|were|are)?\s+|^)(?:the|our|their|its)?\s*"
    r"[\w\s%&/'-]{0,40}?(?:%|\b(?:figures?|rates?|turnaround|numbers?|totals?|uptake|average|"
    r"percentage|score|count|waits?|(?:waiting|call ?back|response|turnaround) times?|occupancy|"
    r"length of stay)\b)",
    re.I,
)
_FIGURE = frozenset(terms("figure figures rate rates number numbers total totals percentage count"))
# a quarter or a year ("for Q2", "in 2023", "23/24"); not a month, which a quarter's figures
# may cover
_PERIOD = re.compile(r"\bq[1-4]\b|\b(?:19|20)\d\d\b|\b(?:20)?\d\d/\d\d\b", re.I)


# days and months are written as names too, but they are not places
_CALENDAR = re.compile(
    r"(?:mon|tue|wed|thu|fri|sat|sun)\w*day|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec", re.I
)


def _proper_in(term: str, texts: list[str]) -> bool:
    """Whether ``term`` is written only as a name in ``texts`` ("Fenwick Road", "Coldharbour").

    Only inside a sentence: a heading or list item starts with a capital anyway. An acronym
    ("DN teams") is what is measured, not where.
    """
    seen = [
        m.group(0)
        for text in texts
        for m in re.finditer(rf"(?<=[\w,)]\s)\b{re.escape(term)}\w*", text, re.I)
    ]
    return (
        bool(seen)
        and all(word[0].isupper() for word in seen)
        # "IENs", like "DN": an acronym, in the plural too
        and not all(word.removesuffix("s").isupper() for word in seen)
    )


def _named_by_asker(term: str, clause: str) -> bool:
    """Whether the asker writes ``term`` as a name no dictionary knows ("the Coldharbour team").

    Capitalised inside the question, it is a place or team asked about even when the passages
    retrieved never write it: "how many of the new trainees are going to the Coldharbour Vale
    team?" is not answered by "Four new trainee PWPs start in September".
    """
    return any(
        found.group(0)[0].isupper()
        # "PWPs", "DN": an acronym is what is counted, not where
        and not found.group(0).removesuffix("s").isupper()
        and not is_english(found.group(0).lower())
        for found in re.finditer(r"(?<=[\w,)]\s)[\w'-]+", clause)
        if term in terms(found.group(0))
    )


def asks_for_a_figure(text: str) -> bool:
    """Whether ``text`` asks for a figure ("how many …", "whats our vacancy rate", "… figure")."""
    return _FIGURE_ASKED.search(text) is not None


def _specifics_stated(
    query: str, focus: str, texts: list[str], heads: list[str], lines: list[Line]
) -> bool:
    """A figure asked for one period or place of a trust needs a sentence giving that one.

    "how many admissions in Q3?" is not answered by Q1's and Q2's; "the turnaround at Fenwick
    Road, not the PCN average" not by the pilot practices'. A place is a word the trust's
    passages only write as a name, and not one in a document's title (the trust's own name).
    Only a trust's documents are judged so (``heads`` empty for the guidance's notes).
    """
    ask = _FIGURE_ASKED.search(focus)
    # "what was RN turnover back in Q1?": what is asked of one quarter is that quarter's figure,
    # whatever the measure is called, and the sentence giving it names all of what it measures
    # (one quarter: "Q1 vs Q4" sets two side by side, each row naming its own measure's words)
    by_quarter = (
        ask is None
        and len({q.lower().replace(" ", "") for q in _QUARTER_NAMED.findall(focus)}) == 1
        and (ask := _QUARTER_ASKED.match(focus)) is not None
    )
    # "what was lung FDS in september?": so too one month's, and its sentence names the month
    month = _one_month_asked(focus) if ask is None else None
    if month is not None:
        ask = _MONTH_ASKED.match(focus)
    by_month = month is not None and ask is not None
    if ask is None or not any(heads):
        return True
    clause = focus[ask.start() :]
    titles = {t for head in heads for t in terms(head)}
    asked = topical_terms(clause)
    specific = {t for m in _PERIOD.finditer(clause) for t in terms(m.group(0))}
    if by_month and month is not None:
        specific |= set(terms(month))
    specific |= {
        t
        for t in asked
        if len(t) > 3
        and t not in titles
        and not t.isdigit()
        and not _CALENDAR.match(t)
        and (_proper_in(t, texts) or _named_by_asker(t, clause))
    }
    # "the sickness % for jul-sep": the quarter those months make, which "Q2" names
    quarters = quarter_ranges(clause)
    if quarters:
        specific -= quarter_range_terms(clause)
    elif _other_months_only(clause, texts):
        return False
    if _other_quarters_only(clause, texts + heads):
        return False
    if not specific and not quarters:
        return True
    given = _numbers(query)
    # what is measured: the words of the ask itself ("the deferred visits figure")
    named = topical_terms(clause if by_quarter or by_month else ask.group(0))
    if not named and re.match(r"how many\b", ask.group(0), re.I):
        named = _counted(focus[ask.end() :])  # "how many UCR referrals did Thornleigh get"
        if _HOW_MANY_TIMES.match(focus, ask.start()):
            named = [t for t in named if t != "time"]  # "how many times …": events counted
    measured = [t for t in named if t not in specific and t not in _FIGURE]

    def stated(wanted: set[str]) -> bool:
        return any(
            bool(_numbers(s) - given)
            # "The Trust's rate": a possessive's term ("trust'") is the name asked ("trust")
            and wanted <= {t.rstrip("'") for t in own + heading}
            and (
                not measured
                or (
                    all(contains_term(t, own + heading) for t in measured)
                    if by_quarter
                    else _mentions(own, measured)
                )
            )
            and all(q.named_in(s) or q.named_in(" ".join(heading)) for q in quarters)
            for s, own, heading in lines
            if heading
        )

    # "bed days in 2024/25 compared with 2022/23": a table's row for each year, not one line
    # naming both
    years = list(dict.fromkeys(terms(" ".join(m.group(0) for m in _PERIOD.finditer(clause)))))
    if len(years) >= 2 and _YEARS_COMPARED.search(clause):
        rest = specific - set(years)
        return all(stated(rest | {year}) for year in years)
    return stated(specific)


# "just for the general surgery lists in sept", "for cardiology specifically", "only at kellbridge"
_NARROWED = re.compile(
    r"\b(?:just|only|specifically|solely|purely)\s+(?:for|in|at|on|from)\s+(?:the\s+)?"
    r"(?P<what>(?:[\w&/-]+\s+){0,2}?[\w&/-]+)(?=\s+(?:in|for|during|over|last|this|on)\b|\s*[?.!,]|$)"
    r"|\bfor\s+(?:the\s+)?(?P<what2>(?:[\w&/-]+\s+){0,2}?[\w&/-]+)\s+(?:specifically|only|alone)\b",
    re.IGNORECASE,
)


def narrowed_figure_stated(query: str, texts: list[str], heads: list[str]) -> bool:
    """A figure the asker narrows to one part needs a line giving it for that part.

    "whats the A&G diversion rate for cardiology specifically" is not answered by the trust's
    overall A&G rate, nor by "Cardiology: not yet live, planned for Q4": the line must hold a
    figure, at least half of what the figure is narrowed to, and a word of what it measures.
    """
    focus = asked_focus(query)
    ask = _FIGURE_ASKED.search(focus) or _MONTH_ASKED.match(focus)  # "whats capped utilisation"
    if ask is None:
        return True
    clause = focus[ask.start() :]
    found = list(_NARROWED.finditer(clause))
    narrowed = [t for m in found for t in topical_terms(m["what"] or m["what2"])]
    if not narrowed:
        return True
    # what the figure measures: the ask's words before it is narrowed
    measured = [
        t
        for t in topical_terms(clause[: found[0].start()])
        if t not in narrowed and t not in _FIGURE and not _CALENDAR.match(t)
    ]
    given = _numbers(query)
    return any(
        bool(_numbers(s) - given)
        and 2 * sum(contains_term(t, own + heading) for t in narrowed) >= len(narrowed)
        and (not measured or _mentions(own + heading, measured))
        for s, own, heading in _lines(texts, heads)
    )


# "in 2024/25 compared with 2022/23", "2023 vs 2024", "was it higher in 2023 or 2024"
COMPARING_WORDS = r"vs\.?|versus|compared?|comparison|or|and"
_YEARS_COMPARED = re.compile(rf"\b(?:{COMPARING_WORDS})\b", re.I)


_HOW_MANY_TIMES = re.compile(r"how many times\b", re.I)
_QUARTER_NAMED = re.compile(r"\bq[1-4]\b|\bquarter\s*[1-4]\b", re.IGNORECASE)
_QUARTER_ASKED = re.compile(
    r"\s*(?:what|whats|what's)\b(?=[^?]*\b(?:q[1-4]|quarter\s*[1-4])\b)", re.IGNORECASE
)


# "what was lung FDS in september?", "whats the DNA rate for Nov": one month's figure
_MONTH_ASKED = re.compile(r"\s*(?:what|whats|what's)\b", re.IGNORECASE)


def _one_month_asked(focus: str) -> str | None:
    """The one month a "what was X in <month>?" asks about, as the question writes it."""
    found = {
        _month(m.group(0)): m.group(0)
        for m in _MONTH_NAME.finditer(focus)
        if _month(m.group(0)) != "may" or _MAY_MONTH.search(focus)
    }
    if len(found) != 1 or _QUARTER_NAMED.search(focus):
        return None
    (month,) = found.values()
    asked = re.search(rf"\b(?:in|for|during|of)\s+{re.escape(month)}\b", focus, re.I)
    return month if asked else None


_MONTH_NAME = re.compile(
    rf"\b(?:{'|'.join(MONTH_NAMES)}|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\b",
    re.IGNORECASE,
)
# "may" is a month only where a date is meant ("in may", "for may", "may 2024")
_MAY_MONTH = re.compile(r"\b(?:in|for|of|during|since|by|until|from) may\b|\bmay \d", re.I)
MIN_OTHER_MONTHS = 2  # a report by month names at least this many others


def _month(word: str) -> str:
    return word.lower()[:3]


def _other_months_only(clause: str, texts: list[str]) -> bool:
    """A month asked about that a trust's monthly report never names, though it names others.

    "the cancellations for june?" of a report on July to September: a month is not a place or
    a quarter (a quarter's figures may cover it), but a report that goes month by month and
    never says June has no figure for it.
    """
    asked = {_month(m.group(0)) for m in _MONTH_NAME.finditer(clause)}
    if "may" in asked and not _MAY_MONTH.search(clause):
        asked.discard("may")
    if not asked:
        return False
    named = {_month(m.group(0)) for text in texts for m in _MONTH_NAME.finditer(text)}
    return any(m not in named for m in asked) and len(named - asked) >= MIN_OTHER_MONTHS


def _quarters(text: str) -> set[str]:
    """The quarters ``text`` names, "Q2" or "Quarter 2" alike, as "q2"."""
    return {t for t in _terms_with_quarters(text) if re.fullmatch(r"q[1-4]", t)}


def _other_quarters_only(clause: str, texts: list[str]) -> bool:
    """A quarter asked about that a trust's report never names, though it names another.

    "the call back times for Q2?" of a dashboard on Q1 (with Q4 in brackets) has no Q2 figure.
    ``texts`` holds the passages' headings too: a report titled "Quarter 2" reports Q2.
    """
    asked = _quarters(clause)
    # "Q3 figures will be reported to the Board in January": a quarter still to come is not
    # one the report gives
    reported = [s for text in texts for s in sentences(text) if not _STILL_TO_COME.search(s)]
    named = set().union(*map(_quarters, reported))
    return bool(asked - named) and bool(named - asked)


_STILL_TO_COME = re.compile(
    r"\b(?:will|to) be (?:reported|published|presented|shared|available|brought|taken)\b"
    r"|\bnext (?:report|quarter's report|board)\b",
    re.IGNORECASE,
)


def asks_for_a_share(query: str) -> bool:
    """Whether ``query`` asks what share, percentage or ratio of something ("what ratio of …")."""
    ask = _ASK.search(asked_focus(query))
    return ask is not None and bool(ask["share"])


def states_the_figure(query: str, texts: Iterable[str]) -> bool:
    """False when ``query`` asks how many or how much and no sentence in ``texts`` says it."""
    return _figure_stated(query, asked_focus(query), said_in(texts))


def _figure_stated(query: str, focus: str, said: Said) -> bool:
    ask = _ASK.search(focus)
    if ask is None:
        return True
    measured = topical_terms(ask["rest"])
    if not measured:
        return True
    # "a £ figure attached to the third recommendation", "how many £m a year": a sum of money
    if ask["money"] or _MONEY_COUNTED.match(ask["rest"]):
        return any(_MONEY_GIVEN.search(s) and _mentions(words, measured) for s, words in said)
    if ask["share"]:  # "what % of projects fail": a share, with what it is of
        return any(_SHARE_GIVEN.search(s) and _mentions(words, measured) for s, words in said)
    # "… i cant remember if its 6 or 12": the numbers offered to choose from are not given
    given = _numbers(query) - {n for m in _OFFERED.finditer(query) for n in m.groups()}
    # "how many times can a repeat be issued?": how often is counted in what is done ("12
    # issues"), not in "times"
    often = re.match(r"\s*times\b", ask["rest"], re.IGNORECASE) is not None
    if ask["kind"].lower() == "many" and not often:
        # a new number next to what is counted; when the question says more than that ("people
        # who attended the workshops"), the sentence must say some of it too: "34 people who
        # contributed" counts other people
        units = _counted(ask["rest"]) or measured[:UNITS]

        # the document asked about ("thanked in the supplement") is where, not what: the
        # sentence may say "the acknowledgements" instead
        # what else the count's own clause says (not a second ask joined to it: "who runs the
        # scheme and how many CFRs are we aiming for?")
        def said_besides(clause: str) -> list[str]:
            return [t for t in topical_terms(clause) if t not in units and t not in DOCUMENT_TERMS]

        # the count's own clause may say nothing more ("how many workstreams fed into the
        # report"): then what the joined ask says is not needed beside the count
        own = _JOINED_ASK.split(ask["rest"], maxsplit=1)[0]
        context = said_besides(ask["rest"]) if said_besides(own) else []
        return any(
            (not context or _mentions(words, context))
            and (
                counts_asked(s, units, given)
                or _count_changed(s, words, units, given)
                or _counted_in_a_row(s, words, units, given)
            )
            for s, words in said
        )
    money = bool(_MONEY_ASKED.search(ask["rest"]))
    if money:
        # "how much does the Kestrel Moor RDC cost to run each year?": a sum, beside at least
        # half of what it is the cost of ("£23,500 a year" for the triage line's nurse is not it)
        priced = [t for t in measured if not _MONEY_ASKED.fullmatch(t)] or measured
        return any(
            bool(_numbers(s) - given)
            and bool(_MONEY_GIVEN.search(s))
            and 2 * sum(contains_term(t, words) for t in priced) >= len(priced)
            for s, words in said
        )
    return any(bool(_numbers(s) - given) and _mentions(words, measured) for s, words in said)


_OFFERED = re.compile(r"\b(\d+)\s*(?:or|/)\s*(\d+)\b(?!\s*(?:/|-)\d)")


# "Patients waiting over 52 weeks fell from 1,140 to 312": the count asked, before and after
_CHANGED = re.compile(
    r"\b(?:fell|rose|dropped|grew|went (?:up|down)|increased|decreased|reduced|came down)\s+"
    r"(?:from|to|by)\s+\d",
    re.IGNORECASE,
)


# "The target is 200 by April 2026" (in a sentence about CFRs): the count aimed for
_TARGET = re.compile(r"\btarget (?:is|of|was)\s+(?:to \w+ )?\d", re.IGNORECASE)


def _counted_in_a_row(sentence: str, words: list[str], units: list[str], given: set[str]) -> bool:
    """A table row with a new number under a header that names what is counted.

    "Stayed at home with a care plan | 801 | 71%" under "Outcome | Number of people | Share"
    counts people (a row's words carry its header's, ``_lines``).
    """
    return (
        " | " in sentence
        and all(contains_term(t, words) for t in units)
        and bool(_numbers(sentence) - given)
    )


def _count_changed(sentence: str, words: list[str], units: list[str], given: set[str]) -> bool:
    """Whether the sentence gives how a count of all of ``units`` changed, or its target."""
    return (
        bool(_CHANGED.search(sentence) or _TARGET.search(sentence))
        and all(contains_term(t, words) for t in units)
        and bool(_numbers(sentence) - given)
    )


RANKING_ASKED = re.compile(
    r"\b(matters? (the )?most|most (important|effective|common|critical|useful|influential|"
    r"attention|studied|researched)|(the )?(most|least)\b.{0,20}\?|biggest|top priority|"
    r"rank(ed|ing|s)?|single most)",
    re.IGNORECASE,
)
_RANKING_GIVEN = re.compile(
    # "most of all locally" says where, not which ranks first
    r"\b(most(?! of all)|least|biggest|largest|greatest|main|commonest|"
    r"more (often|frequently|than)|fewer|ranked|ranks|above all|chief)\b",
    re.IGNORECASE,
)


def states_the_ranking(query: str, texts: Iterable[str]) -> bool:
    """False when ``query`` asks which matters most and no sentence in ``texts`` ranks anything."""
    return _ranking_stated(asked_focus(query), said_in(texts))


def _ranking_stated(focus: str, said: Said) -> bool:
    if not RANKING_ASKED.search(focus):
        return True
    wanted = topical_terms(focus)
    return any(_RANKING_GIVEN.search(s) and _mentions(words, wanted) for s, words in said)


# "who sat on the panel?", "who were the members …?": people by name are asked for
_MEMBERS_ASKED = re.compile(
    r"\bwho\b.{0,40}\b(sat|sits|served|serves|was|were|is|are)\s+(on|in)\s+the\s+"
    r"(?P<body>(\S+\s*){1,4})|\bwho\s+(were|are)\s+(the\s+)?members\s+of\s+(the\s+)?"
    r"(?P<of>(\S+\s*){1,4})",
    re.IGNORECASE,
)
# "The workshops brought together commissioners, quality improvement leaders and …"
_ROLES_TAKING_PART = re.compile(
    r"\b(?:commissioners|leaders|clinicians|managers|executives|directors|participants|"
    r"representatives|nurses|doctors|staff|academics|experts|chairs|members)\b"
    r"[^.]{0,80}\b(?:took part|brought together|attended|were interviewed|joined|included)\b"
    r"|\b(?:took part|brought together|attended|were interviewed|included|joined by)\b[^.]{0,80}"
    r"\b(?:commissioners|leaders|clinicians|managers|executives|directors|participants|"
    r"representatives|nurses|doctors|staff|academics|experts|chairs|members)\b",
)
_GATHERINGS = re.compile(
    r"\b(?:workshops?|interviews?|events?|sessions?|roundtables?|consultations?|focus groups?)\b",
    re.IGNORECASE,
)
_TITLED = re.compile(r"\b(Sir|Dame|Dr|Professor|Prof|Lord|Baroness|Lady)\.?\s+[A-Z][a-z]+")
_CAPITALISED_PAIR = re.compile(r"\b([A-Z][a-z]+)\s+(?:de\s+)?([A-Z][a-z]{2,})\b")
_NOT_PEOPLE = frozenset(
    """Health Foundation Improvement Practitioner Panel Institute Hospital Trust England Royal
    College Colleges Centre Center National Constructive Comfort Evidence Scan Forward View Five
    Year Transformational Change Providers Monitor Care Quality Commission Department Public
    Policy Director Chief Executive Programme Network Acknowledgements Glossary
    In On At By For From The This That Quarter Month Year""".split()
)


def names_a_person(sentence: str) -> bool:
    """Whether a sentence names someone ("Sir Ian Carruthers", "Clare Allcock")."""
    if _TITLED.search(sentence):
        return True
    return any(
        first not in _NOT_PEOPLE and last not in _NOT_PEOPLE
        for first, last in _CAPITALISED_PAIR.findall(sentence)
    )


def names_the_members(query: str, texts: Iterable[str]) -> bool:
    """False when ``query`` asks who sat on a body and no sentence naming it names anyone."""
    return _members_named(asked_focus(query), said_in(texts))


def _members_named(focus: str, said: Said) -> bool:
    asked = _MEMBERS_ASKED.search(focus)
    if asked is None:
        return True
    body = topical_terms(asked["body"] or asked["of"] or "")
    # "who was in the workshops?" is answered by who took part, named or by their roles; a
    # panel's or a board's members are named
    by_role = bool(_GATHERINGS.search(asked["body"] or asked["of"] or ""))
    return any(
        (names_a_person(s) or (by_role and _ROLES_TAKING_PART.search(s))) and _mentions(words, body)
        for s, words in said
    )


# "which trusts did McKinsey interview? need the names pls": the things asked for, by name
# ("which actual trusts …", "which hospital trusts …": the kind after a word that narrows it)
_WHICH_ASKED = re.compile(
    r"\bwhich\s+(?:of\s+the\s+)?(?:\d+\s+)?(?:(?:actual|exact|specific|particular|real|named"
    r"|individual|hospital|nhs|acute|provider|english)\s+)?(?P<kind>[a-z]+s)\b",
    re.I,
)
_NAMES_ASKED = re.compile(
    r"\bnames?\b(?!\s+of\s+(?:the\s+)?(?:report|supplement|scan|document|paper))", re.I
)
# the framework's own parts are named in lower case ("the recognition barrier"): not checked
_FRAMEWORK_KINDS = frozenset(
    """barriers factors approaches types recommendations areas phases categories levels stages
    workstreams chapters sections""".split()
)
# things known by their names: asking which ones is asking for names
_NAMED_KINDS = re.compile(
    r"^(?:trusts|hospitals|countries|colleges|universities|"
    r"charities|companies|regions|icbs|ccgs)$"
)
_PROPER = re.compile(r"(?<![.!?:]\s)(?<!^)\b[A-Z][A-Za-z]+|\b[A-Z]{2,}\b")
_NOT_NAMES = (
    _NOT_PEOPLE | frozenset(MONTH_NAMES) | frozenset("NHS The A An It Its In On This That".split())
)


def _names_given(query: str, said: Said) -> bool:
    """False when ``query`` asks for the names of things and no sentence about them names any.

    "Which trusts …?" asks for names however it is put; "which barriers …?" may ask for kinds.
    """
    which = _WHICH_ASKED.search(query)
    if which is None or not (
        _NAMES_ASKED.search(query) or _NAMED_KINDS.match(which["kind"].lower())
    ):
        return True
    kind = which["kind"].lower()
    if kind in _FRAMEWORK_KINDS:
        return True
    wanted = topical_terms(kind)
    return any(
        _mentions(words, wanted)
        and any(name not in _NOT_NAMES for name in _PROPER.findall(sentence))
        for sentence, words in said
    )


# "what page are the recommendations on?": a page number for that topic is asked for
_PAGE_ASKED = re.compile(
    r"\b(?:what|which)\s+pages?\b|\bon\s+what\s+page\b|\bpage\s+(?:number|no\.?)s?\b", re.I
)
_PAGE_GIVEN = re.compile(r"\bpages?\s+\d|\bpp?\.\s?\d", re.I)


def states_the_page(query: str, texts: Iterable[str], focus: str | None = None) -> bool:
    """False when ``query`` asks on what page something is and no sentence gives its page.

    Checked on every passage retrieved, not only the best few: a contents list may rank low.
    """
    focus = asked_focus(query) if focus is None else focus
    if not _PAGE_ASKED.search(focus):
        return True
    asked = [t for t in topical_terms(focus) if t not in _PAGE_WORDS and t not in DOCUMENT_TERMS]
    # what is named besides "the chapter" must be there; else the chapter at least
    wanted = [t for t in asked if t not in _PARTS] or asked
    return any(
        _PAGE_GIVEN.search(s) and (not wanted or _mentions(words, wanted))
        for s, words in said_in(texts)
    )


# "what was Jennifer Dixon's job title when it came out?": the post someone held, by name
_JOB_ASKED = re.compile(
    # not "the report's position on targets": a stance, not a post
    r"\b(?P<who>[a-z]+)'s\s+(?:job(?:\s+title|\s+role)?|role|post|position)\b|"
    r"\bjob(?:\s+title)?\s+(?:did|does|was|is)\s+(?:\w+\s+)?(?P<name>[a-z]+)\s+"
    r"(?:hold|have|has|had|in)\b",
    re.IGNORECASE,
)
_JOB_GIVEN = re.compile(
    r"\b(director|chief executive|head of|fellow|analyst|economist|professor|manager|officer|"
    r"chair|adviser|advisor|researcher|president|partner|consultant)\b",
    re.IGNORECASE,
)


def _job_stated(focus: str, said: Said) -> bool:
    """False when someone's job is asked and no sentence naming them gives a post."""
    asked = _JOB_ASKED.search(focus)
    if asked is None:
        return True
    who = terms(asked["who"] or asked["name"] or "")
    if not who or set(who) & _NOT_A_SPEAKER:
        return True  # "the report's role", "HF's position": a stance, not someone's post
    return any(_JOB_GIVEN.search(s) and _mentions(words, who) for s, words in said)


# "who is the clinical lead for UCR at MCHT?", "who's the named transition champion for the renal
# team?": a post held for one service
_HOLDER_ASKED = re.compile(
    r"\bwho(?:'s|\u2019s|s| is| are)\s+(?:the|our|their)\s+(?P<role>(?:[\w-]+\s+){0,3}?(?:lead|"
    r"manager|pharmacist|champion|nurse|consultant|director|co-?ordinator|officer|matron))\s+"
    # "… at the moment" is when, not which service
    r"(?:for|of|at|on|in)\s+(?!the\s+moment\b|present\b)(?P<subject>[^?,.;]+)",
    re.IGNORECASE,
)
_PLACE_WORDS = frozenset(terms("team teams service services trust the our unit ward site"))


def names_post_holder(query: str, sentence: str) -> bool:
    """Whether ``sentence`` names someone beside the whole post ``query`` asks for.

    "Clinical safety officer | Dr Tomasz Nowak" for "who's the CSO on the letters work?".
    """
    asked = _HOLDER_ASKED.search(query)
    if asked is None:
        return False
    post = [t for t in terms(asked["role"]) if t not in STOPWORDS]
    if len(post) < 2:  # a plain "lead" or "manager" is written any way
        return False
    words = set(terms(sentence))
    return all(t in words for t in post) and names_a_person(sentence)


def asks_post_for_service(focus: str) -> bool:
    """Whether ``focus`` asks who holds a post for one service ("who's the CSO on the …?")."""
    return _HOLDER_ASKED.search(focus) is not None


def _holder_named(focus: str, said: Said) -> bool:
    """A post asked for one service needs a sentence on that post and that service.

    "the clinical lead is Nicola Frain" under the handover programme's heading does not name the
    UCR service's clinical lead: at least half of the service's words must be in the sentence or
    its heading, beside the post's own word.
    """
    asked = _HOLDER_ASKED.search(focus)
    if asked is None:
        return _post_holder_named(focus, said)
    # a plain "lead" or "manager" may be written any way ("SRO: Gareth Pellow"); a named post
    # ("clinical lead", "mental health pharmacist") is looked for as such
    post = [t for t in terms(asked["role"]) if t not in STOPWORDS]
    post = post if len(post) > 1 else []
    service = [t for t in topical_terms(asked["subject"]) if t not in _PLACE_WORDS]
    if not service:
        return True
    needed = (len(service) + 1) // 2
    return any(
        all(contains_term(t, words) for t in post)
        and sum(contains_term(t, words) for t in service) >= needed
        for _, words in said
    )


# "whos the HALO manager?": a post named by what it is for, with no service after it
_POST_ASKED = re.compile(
    r"\bwho(?:'s|\u2019s|s| is)\s+(?:the|our|their)\s+(?P<kind>(?:[\w-]+\s+){1,2}?)"
    r"(?:lead|manager|champion|co-?ordinator|officer|matron|director)"
    # "who's the PALS manager at the moment?": now, said after the post
    r"(?:\s+(?:at\s+the\s+moment|now|right\s+now|currently|these\s+days))?\s*(?:[?.!,;]|$)",
    re.IGNORECASE,
)


def _post_holder_named(focus: str, said: Said) -> bool:
    """A post asked by what it is for ("who's the HALO manager?") needs someone named beside it.

    Sentences on HALOs' work name no one who holds the post; a trust's documents that name no
    HALO manager are declined as such, not answered with what HALOs do.
    """
    asked = _POST_ASKED.search(focus)
    if asked is None:
        return True
    kind = [t for t in topical_terms(asked["kind"]) if t not in _PLACE_WORDS]
    if not kind:
        return True
    return any(
        names_a_person(s) and all(contains_term(t, words) for t in kind) for s, words in said
    )


# "how long does a typical trust take to transform, in years?": a duration, not a length in pages
_DURATION_ASKED = re.compile(
    r"\bhow long (?:does|did|do|will|would|should|could|might)\b(?P<rest>[^?]*?)\b(?:take|last)\b"
    r"|\bin (?:years|months|weeks)\W*$",
    re.IGNORECASE,
)


def _duration_stated(focus: str, said: Said) -> bool:
    """False when how long something takes is asked and no sentence on it gives a duration."""
    if not _DURATION_ASKED.search(focus):
        return True
    wanted = [t for t in topical_terms(focus) if t not in DOCUMENT_TERMS]
    return any(
        DURATION_GIVEN.search(s) and (not wanted or _mentions(words, wanted)) for s, words in said
    )


# "what are the visiting hours on ward 21?", "opening hours of the hub?": a span of the day
_HOURS_ASKED = re.compile(
    r"\b(?P<what>visiting|opening|clinic|office|phone|telephone|helpline|reception|surgery)\s+"
    r"(?:hours|times)\b",
    re.IGNORECASE,
)
_TIME = r"(?:\d{1,2}(?:[:.]\d{2})?\s?(?:am|pm)|\d{1,2}[:.]\d{2}|midnight|noon|midday)"
_HOURS_GIVEN = re.compile(
    rf"\b{_TIME}\s*(?:to|until|till|-|–|—)\s*{_TIME}|\b24/7\b|\b24 hours a day\b"
    # "open visiting between 10am and 8pm every day"
    rf"|\bbetween\s+{_TIME}\s*(?:and|&)\s*{_TIME}",
    re.IGNORECASE,
)


def states_the_hours(query: str, texts: Iterable[str], focus: str | None = None) -> bool:
    """False when hours are asked and no sentence on them gives a span of the day.

    "Need to change a visit? Ring before 9am" is about a visit, at a time, but it gives no
    visiting hours; "Visiting: 2pm to 8pm" does. Checked on every passage retrieved, as a
    procedure's one line on the office's hours may rank below its other passages.
    """
    focus = asked_focus(query) if focus is None else focus
    asked = _HOURS_ASKED.search(focus)
    if asked is None:
        return True
    wanted = terms(asked["what"])
    return any(_HOURS_GIVEN.search(s) and _mentions(words, wanted) for s, words in said_in(texts))


# "what's the vacancy rate for midwives?", "what's the national average turnaround?": a figure of
# a named kind; a sentence giving the trust's own turnaround is not the national average
_QUALIFIED_ASKED = re.compile(
    r"\bwhat(?:'s|\u2019s|s| is| was| are| were)\s+(?:the|our|their|its|your)\s+"
    r"(?P<what>(?:[\w-]+\s+){1,3}?)(?:rate|average|median|mean|percentage|proportion|ratio|total)\b",
    re.IGNORECASE,
)


# "what agenda for change band are the link workers on?", "what grade is the post?"
_BAND_ASKED = re.compile(
    r"\b(?:what|which)\s+(?:agenda for change\s+|afc\s+|pay\s+)?(?:band|grade|banding)\b", re.I
)
_BAND_GIVEN = re.compile(r"\b(?:band|grade)\s*\d|\bbands?\s+\d|\b(?:band|grade)\s+[a-z]?\d", re.I)


def _band_stated(focus: str, said: Said) -> bool:
    """A pay band asked for needs a sentence giving one ("band 6 practitioners")."""
    if not _BAND_ASKED.search(focus):
        return True
    return any(_BAND_GIVEN.search(s) for s, _ in said)


# "what do band 7 CNSs get paid for the weekend on-call?", "how much do bank staff earn?": a sum
_PAY_ASKED = re.compile(
    r"\bwhat\b[^?.]{0,40}\b(?:get|gets|are|is)\s+paid\b"
    r"|\bhow much\b[^?.]{0,40}\b(?:earn|earns|paid)\b"
    r"|\b(?:what(?:'s| is| are)?|whats)\s+(?:the\s+)?(?:pay\s+rates?|rates? of pay)\b",
    re.I,
)
# a sum of money, or pay by the hour ("£29.81", "45p", "per hour", "(£/hr)")
_SUM_GIVEN = re.compile(
    _MONEY_GIVEN.pattern + r"|\b\d+(?:\.\d+)?\s?(?:p|pence)\b|\bper hour\b|/\s?hr\b", re.I
)


_PAY_WORDS = frozenset(terms("paid pay rate rates earn earns get gets much"))


def _pay_stated(focus: str, said: Said) -> bool:
    """Pay asked for needs a sentence giving a sum for most of what is asked about.

    The on-call rota's hours are not its rate, nor a business case's costs beside it.
    """
    if not _PAY_ASKED.search(focus):
        return True
    asked = [t for t in topical_terms(focus) if t not in _PAY_WORDS]
    return any(
        _SUM_GIVEN.search(s) and 2 * len(set(asked) & set(held)) >= len(asked) for s, held in said
    )


# "why is it called 'constructive comfort'?", "what does the title actually mean?": the reason
# for a document's name, which only a sentence explaining that name gives (a framework label's
# meaning is its definition, so "why is it called headspace?" is left to the other checks)
_NAME_REASON_ASKED = re.compile(
    r"\bwhy\b[^?.]{0,40}\b(?:called|named|titled)\b"
    r"|\bwhat\W*(?:does|did|do|is)\s+(?:the|its|this|that|their|(?:the\s+)?\w+'s)\s+(?:title|name)\s+"
    r"(?:actually\s+|really\s+|even\s+)?mean"
    r"|\b(?:meaning|origin)\s+of\s+(?:the|its|this|that|(?:the\s+)?\w+'s)\s+(?:title|name)\b"
    r"|\bwhere\s+(?:does|did)\s+(?:the|its|this|that|(?:the\s+)?\w+'s)\s+(?:title|name|phrase)\b"
    r"[^?.]{0,50}?\bcome\s+from\b"
    # "what do the authors mean by the phrase?"
    r"|\bwhat\W*(?:does|did|do)\s+(?:the\s+)?(?:authors?|hf|they|health foundation|report)\s+"
    r"mean\s+by\s+(?:the|that|this|its)\s+(?:title|name|phrase)\b",
    re.I,
)
_A_DOCUMENT = re.compile(
    r"\b(?:title|report|supplement|scan|paper|document|constructive comfort)\b", re.I
)
_NAME_EXPLAINED = re.compile(
    r"\b(?:called|named|titled?|name)\b[^.]{0,80}\b(?:because|after|reflects?|refers?\s+to|"
    r"means?|meaning|comes?\s+from|chosen|captures?|signals?)\b"
    r"|\b(?:because|reflects?|refers?\s+to|means?|meaning|comes?\s+from|chosen|captures?)\b"
    r"[^.]{0,80}\b(?:called|named|titled?|name)\b",
    re.I,
)


def _name_explained(query: str, focus: str, said: Said) -> bool:
    """Why a document is called what it is needs a sentence explaining the name, not its mention."""
    if not (_NAME_REASON_ASKED.search(focus) and _A_DOCUMENT.search(query)):
        return True
    return any(_NAME_EXPLAINED.search(s) for s, _ in said)


# "what did jennifer dixon say at the launch?": a named person's words, which only a sentence
# reporting that person's words gives ("Richard Taunt, quoted in the press release, …")
_WORDS_ASKED = re.compile(
    r"\bwhat\s+(?:did|does|has)\s+(?P<who>[a-z][\w'-]+\s+[a-z][\w'-]+)\s+(?:say|said|tell|write)\b"
    r"|\bquote\s+(?:from|by)\s+(?P<from>[a-z][\w'-]+\s+[a-z][\w'-]+)",
    re.I,
)
_NOT_A_SPEAKER = (
    frozenset(
        terms(
            "the report supplement scan paper document guidance foundation health nhs england "
            "monitor government board trust authors author interviewees staff evidence study they "
            # "what does constructive comfort say …", "what did HF say …": the report and its maker
            "cc hf thf"
        )
    )
    | DOCUMENT_TERMS
)
_REPORTED_SPEECH = re.compile(
    r"\b(?:said|says|saying|quoted|quotes|told|argued|argues|wrote|commented|stated|put it)\b",
    re.I,
)


def _words_given(query: str, said: Said) -> bool:
    """A named person's words asked for need a sentence reporting that person's words."""
    asked = _WORDS_ASKED.search(query)
    if asked is None:
        return True
    who = (asked["who"] or asked["from"]).split()
    if any(w.lower() in STOPWORDS or stem(w.lower()) in _NOT_A_SPEAKER for w in who):
        return True  # "what did the report say …" is the usual question, not a person's words
    surname = stem(who[-1].lower())
    return any(surname in own and _REPORTED_SPEECH.search(s) for s, own in said)


def _qualified_figure_stated(focus: str, said: Said) -> bool:
    """False when a figure of a named kind is asked and no sentence gives one of that kind."""
    asked = _QUALIFIED_ASKED.search(focus)
    if asked is None:
        return True
    kind = topical_terms(asked["what"])
    # "the TT recovery rate": a two-letter service initialism is where, not what kind
    kind = [t for t in kind if len(t) > 2] or kind
    if not kind:
        return True
    return any(_numbers(s) and all(contains_term(t, words) for t in kind) for s, words in said)
