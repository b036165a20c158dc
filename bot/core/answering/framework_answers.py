"""Exact answers to questions about the framework itself, straight from framework.yaml.

"What are the seven success factors?" deserves the complete list in the report's order, not
whatever passages retrieval happens to rank first.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.answering.quantities import RANKING_ASKED
from bot.core.answering.relevance import FRAMEWORK_COUNT, named_documents
from bot.core.wording import terms
from knowledge.framework import DOCUMENT_TITLES, Barrier, Framework, Source

_LIST_INTENT = re.compile(
    # not "at what level do the factors matter?": that asks where, not for the list
    r"\b((?<!\bat )(?<!\bin )(?<!\bon )what|which|list|name|remind|give|tell|summari[sz]e|"
    r"outline|are there|the (four|4|seven|7|three|3))\b",
    re.IGNORECASE,
)
_TOPICS: dict[str, re.Pattern[str]] = {
    "factors": re.compile(
        r"\bsuccess factors?\b|\b(seven|7) factors?\b|\bfactors for (success|"
        r"change)\b",
        re.IGNORECASE,
    ),
    "barriers": re.compile(
        r"\b(four|4) (barriers?|areas?)\b|\bbarrier areas?\b|\bbarriers "
        r"(to|for) change\b|\bareas? (do|of) barriers?\b|\bbarriers? .{0,20}"
        r"\b(fall into|areas?)\b"
        # a bare "barriers?" is the report's four areas
        r"|^\W*(?:the\s+)?(?:main\s+)?barriers\W*$",
        re.IGNORECASE,
    ),
    "approaches": re.compile(
        r"\b(three|3) (types?|approach(es)?|kinds?)\b|\bapproach types?\b|"
        r"\btypes? of approach"
        # "the three ways national bodies try to drive change"
        r"|\b(?:three|3) (?:main )?(?:ways|means|routes) (?:that )?national bodies\b"
        # "the type 1 / type 2 / type 3 thing"
        r"|\btypes? (?:1|one)\W+(?:types? )?(?:2|two)\W+(?:(?:and|or) )?(?:types? )?(?:3|three)\b",
        re.IGNORECASE,
    ),
    # not a staff survey's "recommend (the trust) as a place to work" or "to friends and family"
    "recommendations": re.compile(
        r"\brecommend(ation|ations|ed|s)?\b(?!\s+(?:[\w']+\s+){0,2}?(?:as an? (?:place|employer)|"
        r"to (?:a\s+)?(?:friends?|family|colleagues?)))"
        # "what does the report say national bodies should do differently?": what it asks of them
        r"|\b(?:say|says|said|think|thinks|want|wants)\s+(?:the\s+)?national\s+bodies\s+"
        r"(?:should|ought\s+to|need\s+to|must)\s+(?:do|change|be\s+doing)\b",
        re.IGNORECASE,
    ),
}
# a bare ask for the list ("7 factors?", "recommendations to national bodies? short version"):
# a few words and a question mark, not a yes/no question, then at most a word on length
_TERSE = re.compile(
    r"^\W*(?!(?:is|are|was|were|did|does|do|has|have|had|can|could|should|would|will)\b)"
    r"(?:[\w'-]+\s+){0,5}[\w'-]+\s*\?+\s*(?:(?:the\s+)?short version|quick(?:ly)?|briefly|"
    r"in brief|in summary|thanks|ta)?\W*$",
    re.IGNORECASE,
)
# "the seven success factors", "all four barriers": the whole list is asked for
_WHOLE_LIST = re.compile(
    r"\b(?:all|four|4|seven|7|three|3)\s+(?:\w+\s+)?(?:barriers?|factors?|types?|approach\w*|areas?|"
    r"recommendations?)\b",
    re.IGNORECASE,
)
# asks what one item means ("what is meant by an 'enabling environment'?"), not "meant to be"
_MEANING = re.compile(r"\b(meant by|means?|meaning|define|definition|explain)\b", re.IGNORECASE)
_WHERE_IN_DOCUMENT = re.compile(r"\b(which|what) (chapter|page|section|part)s?\b", re.IGNORECASE)
_DEFINE = re.compile(
    r"\b(what (does|do|is|are)\b.*\b(mean|meant)|define|definition|meaning of|"
    r"what(?: is|'s|\u2019s|s) (the |a )?)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FrameworkAnswer:
    """Answer text (with a [1] marker), the source it rests on and the knowledge file it is in."""

    text: str
    source: Source
    topic: str
    file: str = "framework.yaml"
    item: str | None = None  # the id of the one item named, when the answer names one


# "which health foundation report is the barriers and success factors stuff from, and what
# year?": asks which document the framework comes from, not for its lists
# where the items hold, not what they are: "only apply at the level of a hospital board?"
_REACH = re.compile(
    r"\bonly\s+appl\w+|\bappl\w+\s+(?:only|at|beyond|more\s+widely)\b|\bat\s+(?:the\s+)?"
    r"(?:level|levels)\s+of\b|\bor\s+wider\b|\bwhich\s+levels?\b|\bat\s+what\s+levels?\b",
    re.IGNORECASE,
)
_WHICH_DOCUMENT = re.compile(
    r"\b(?:which|what)\s+(?:health foundation\s+|hf\s+|nhs\s+)?(?:report|document|paper|"
    r"publication|study|book)\b|\b(?:what|which) year\b|\bcome[s]? from\b",
    re.IGNORECASE,
)


def framework_answer(question: str, framework: Framework) -> FrameworkAnswer | None:
    """An exact answer when the question asks for a framework list or definition, else None."""
    if RANKING_ASKED.search(question):
        return None  # "which factor matters most?" asks for a ranking the list does not give
    if _WHICH_DOCUMENT.search(question):
        return None  # "which report are the success factors from?" asks for the document
    if _MEANING.search(question) and not _WHOLE_LIST.search(question):
        # "what is meant by an 'enabling environment' in the success factors?": the one item
        defined = _definition(question, framework)
        if defined is not None:
            return defined
    if _WHERE_IN_DOCUMENT.search(question):
        return None  # "which chapter covers the success factors?" asks where, not for the list
    if _REACH.search(question):
        return None  # "do the seven factors only apply at board level, or wider?": where they hold
    aside = _SET_ASIDE.search(question)
    if aside is not None:
        # "apart from the four barriers, what else is in the framework?": the other parts
        return _the_rest(_topic_of(aside["group"]), framework)
    for topic, pattern in _TOPICS.items():
        if topic == "barriers" and "evidence_scan" in named_documents(question):
            continue  # the scan sorts its sixteen barriers its own way, not into the four areas
        if pattern.search(question) and (_LIST_INTENT.search(question) or _TERSE.match(question)):
            return _list_answer(topic, framework)
    if _DEFINE.search(question):
        return _definition(question, framework)
    return None


# how a comparison names each approach type, barrier or success factor besides its label
_ALIASES: dict[str, tuple[str, ...]] = {
    "prod_organisations": ("type 1", "type one", "prod", "prodding", "prod organisations"),
    "proactive_support": ("type 2", "type two", "proactive support", "proactive"),
    "people_focused": ("type 3", "type three", "people-focused", "people focused"),
    "recognition": ("recognition",),
    "motivation": ("motivation",),
    "headspace": ("headspace", "head space"),
    "capability": ("capability",),
    "leadership": ("leadership",),
    "culture": ("culture",),
    "management_practices": ("management practices",),
    "capabilities": ("capabilities and skills",),
    "data_analytics": ("data and analytics",),
    "resources_support": ("resources and support",),
    "enabling_environment": ("enabling environment",),
}
# a type narrowed or equated in a claim put for checking: "is type 3 just training courses?",
# "is 'people-focused' basically the same thing as 'proactive support'?"
NARROWED = re.compile(
    r"\b(?:just|only|purely|simply|merely|nothing\s+but|basically|essentially|"
    r"(?:the\s+)?same(?:\s+thing)?\s+as|another\s+(?:word|name)\s+for)\b",
    re.IGNORECASE,
)
_THE_OTHERS = re.compile(
    r"\b(the )?(other (two|three|ones?|types?|barriers?)|others|the rest)\b", re.I
)


@dataclass(frozen=True)
class Item:
    """One barrier, success factor or approach type, as the framework answers name it."""

    kind: str
    ident: str
    label: str
    text: str
    provenance: str
    source: Source


def framework_items(framework: Framework) -> list[Item]:
    """Every approach type, barrier and success factor with its label and definition."""
    return [
        *(
            Item(
                "approach type",
                a.id,
                f"Type {a.type_number}, {a.label}",
                a.definition.text,
                a.definition.provenance,
                a.definition.source,
            )
            for a in framework.approaches
        ),
        *(
            Item(
                "barrier",
                b.id,
                b.label,
                b.definition.text,
                b.definition.provenance,
                b.definition.source,
            )
            for b in framework.barriers
        ),
        *(
            Item(
                "success factor",
                f.id,
                f.label,
                f.definition.text,
                f.definition.provenance,
                f.definition.source,
            )
            for f in framework.factors
        ),
    ]


# "Type 1, 2 and 3", "types 1-3": all three approach types named at once
_ALL_TYPES = re.compile(
    r"\btypes?\s*1\s*(?:,|and|&|/|-|to)\s*(?:2\s*(?:,|and|&|/)\s*)?3\b", re.IGNORECASE
)
# "… What are they, in plain English?", "what is it?": the items just named, asked what they are
_WHAT_THEY_ARE = re.compile(
    r"(?:^|[.?!:;-]\s*)(?:so\s+)?what\s+(?:are|r|is)\s+(?:they|these|those|them|it|that)\b"
    r"\s*(?:[,?.!]|in\b|exactly\b|actually\b|$)",
    re.IGNORECASE,
)


def named_and_asked(question: str, framework: Framework) -> FrameworkAnswer | None:
    """What the framework items just named are: "… 'Type 1, 2 and 3' … What are they?"."""
    asked = _WHAT_THEY_ARE.search(question)
    if asked is None:
        return None
    before = question[: asked.start() + 1]
    if _WHOLE_LIST.search(before):
        return None  # "… three types of approach. What are they?": the whole list
    named = _named_items(before, framework)  # "… What are they? … the prodding one" asks the list
    if len(named) == 1:
        return _definition(named[0].label, framework)
    if not named or len({item.kind for item in named}) != 1:
        return None
    kind = named[0].kind
    text = " ".join(
        [f"The report's {_PLURAL[kind]} named there [1]:", *(f"{i.label}: {i.text}" for i in named)]
    )
    return FrameworkAnswer(text, named[0].source, f"named-{named[0].ident}")


def _named_items(question: str, framework: Framework) -> list[Item]:
    """The framework items a question names (by id, label alias or "type N"), in its order."""
    named: list[tuple[int, Item]] = []
    every_type = _ALL_TYPES.search(question)
    if every_type is not None:
        types = [item for item in framework_items(framework) if item.kind == "approach type"]
        named += [(every_type.start() + n, item) for n, item in enumerate(types)]
    for item in framework_items(framework):
        keys = (item.ident.replace("_", " "), *_ALIASES.get(item.ident, ()))
        spots = [
            m.start() for k in keys for m in re.finditer(rf"\b{re.escape(k)}\b", question, re.I)
        ]
        if spots and not (every_type and item.kind == "approach type"):
            named.append((min(spots), item))
    return [item for _pos, item in sorted(named, key=lambda pair: pair[0])]


def names_framework_item(question: str, framework: Framework) -> bool:
    """Whether the question names a barrier, success factor or approach type."""
    return bool(_named_items(question, framework))


def framework_contrast(
    question: str, framework: Framework, *, with_the_others: bool = False
) -> FrameworkAnswer | None:
    """Two or more approach types, barriers or factors set side by side, from their definitions.

    "How does Type 1 differ from Type 2?" and "how is people-focused different from the other
    two?" are answered by what each one is, in the framework's words, not by whichever passage
    mentions both. None unless the question names things of one kind to compare.
    ``with_the_others`` sets one item named beside the rest of its kind even when the question
    does not say "the other two" ("is type 3 just training courses for staff?").
    """
    chosen = _named_items(question, framework)
    if not chosen or len({item.kind for item in chosen}) != 1:
        return None
    if len(chosen) == 1:
        if not (with_the_others or _THE_OTHERS.search(question)):
            return None
        chosen += [
            i for i in framework_items(framework) if i.kind == chosen[0].kind and i != chosen[0]
        ]
    kind = chosen[0].kind
    reading = any(i.provenance != "source" for i in chosen)
    names = [i.label for i in chosen]
    listed = ", ".join(names[:-1]) + " and " + names[-1]
    lead = f"{listed} are different {kind}s" + (
        " (definitions in changebot's reading of the report):" if reading else ":"
    )
    text = " ".join([lead, *(f"{i.label}: {i.text}" for i in chosen)]) + " [1]"
    return FrameworkAnswer(text, chosen[0].source, f"compare-{chosen[0].ident}")


_KIND_WORDS = {
    "approach type": r"(approach(es)?|types?)",
    "barrier": r"(barriers?|barrier areas?)",
    "success factor": r"((success )?factors?)",
}
_TOPIC_OF_KIND = {"approach type": "approaches", "barrier": "barriers", "success factor": "factors"}


# the count is what is claimed: it opens the claim ("so the 4 recs were …", "the seven factors
# are …") or is said to exist ("there are 5 success factors")
_COUNT_CLAIMED = re.compile(
    r"(?:^\W*(?:(?:so|and|but|ok|okay|right)\W+)?(?:the|its|all|all the)?\s*"
    r"|\bthere (?:are|were|is)\s+)" + FRAMEWORK_COUNT.pattern,
    re.IGNORECASE,
)
# "how would I use the framework to work out why our project has stalled?"
_READS_WITH_FRAMEWORK = re.compile(
    r"\b(?:use|apply)\b.{0,30}\b(?:framework|model|report|barriers?)\b.{0,40}"
    r"\b(?:work out|figure out|diagnos\w*|find out|understand|why)\b",
    re.IGNORECASE,
)


# "how could a board use the four barrier areas to challenge a plan?", "how would I use the seven
# success factors as a checklist?": the list named is what they work through
_USES_A_LIST = re.compile(
    r"\b(?:use|using|apply|applying|work through|go through|run through|check against)\b.{0,25}?"
    r"\b(?:(?P<barriers>(?:(?:four|4) )?barrier areas?|(?:four|4) barriers|the barriers)|"
    r"(?P<factors>(?:(?:seven|7) )?success factors|(?:seven|7) factors|the factors)|"
    r"(?P<approaches>(?:(?:three|3) )?approach types|(?:three|3) approaches|the approaches))\b",
    re.IGNORECASE,
)


_APPLIES = re.compile(r"\b(?:apply|applying|put into practice|use|using|adopt|take)\b", re.I)


def uses_a_framework_list(question: str) -> bool:
    """Whether a how-to works through one of the framework's lists ("the seven factors")."""
    return _USES_A_LIST.search(question) is not None


def reading_list(question: str, framework: Framework) -> FrameworkAnswer | None:
    """What a how-to works through: one of the framework's lists, or the approach it applies.

    The four barrier areas for "how do I use the framework to work out why it stalled?", the
    seven factors for "use the success factors as a checklist", the people-focused approach's
    definition for "how might I apply the people-focused idea in my patch?".
    """
    named = _named_items(question, framework)
    if _APPLIES.search(question) and len(named) == 1 and named[0].kind == "approach type":
        # "how might I apply the people-focused idea in my patch?": what that approach is
        return _definition(question, framework)
    used = _USES_A_LIST.search(question)
    if used is not None:
        topic = next(name for name, found in used.groupdict().items() if found)
        return _list_answer(topic, framework)
    if _READS_WITH_FRAMEWORK.search(question) is None:
        return None
    return _list_answer("barriers", framework)


_COUNTED_TOPICS = (
    ("factor", "factors"),
    ("barrier", "barriers"),
    ("approach", "approaches"),
    ("recommendation", "recommendations"),
)


# "how many barriers?", "how many success factors are there?": the framework's count, asked
# alone (not "how many barriers did the scan find?")
_FRAMEWORK_COUNT = re.compile(
    r"^\W*how many\s+(?P<what>(?:success\s+)?factors|barrier areas|barriers?(?:\s+areas)?|"
    r"approach(?:es| types)|types of approach|recommendations)"
    r"(?:\s+(?:are there|(?:does|did) (?:it|the report|constructive comfort|the framework) "
    r"(?:have|name|list|give|set out|make)|in (?:the report|constructive comfort|the framework|"
    r"total)))?\s*\?*\s*$",
    re.IGNORECASE,
)


def framework_count(question: str, framework: Framework) -> FrameworkAnswer | None:
    """The framework list, which gives its count, for "how many barriers?" asked alone."""
    asked = _FRAMEWORK_COUNT.match(question)
    if asked is None:
        return None
    what = asked["what"].lower()
    for word, topic in _COUNTED_TOPICS:
        if word in what or (word == "approach" and "type" in what):
            return _list_answer(topic, framework)
    return None


def counted_list(question: str, framework: Framework) -> FrameworkAnswer | None:
    """The list whose count the question supposes ("so the 4 recs were for trust boards, right?").

    Whatever the supposed count or claim, the list answers it: it gives the real count, and each
    item says what it is and who it is for.
    """
    counted = _COUNT_CLAIMED.search(question)
    if counted is None:
        return None  # "did anyone check the four recommendations were done?" claims no count
    counted_words = counted.group(0).lower()
    for word, topic in _COUNTED_TOPICS:
        if word in counted_words:
            return _list_answer(topic, framework)
    return None


# "which of these is NOT one of the barriers: …?", "which one doesn't belong?"
ODD_ONE_OUT = re.compile(
    r"\b(?:not|isn'?t|aren'?t|doesn'?t (?:belong|fit)|odd one out)\b", re.IGNORECASE
)


_KINDS = r"(?:barriers?|(?:success\s+)?factors?|approach(?:es)?|types?)"
_EITHER = re.compile(rf"\b{_KINDS}\s+or\s+(?:an?\s+|the\s+|one\s+of\s+the\s+)?{_KINDS}\b", re.I)


def asks_which_kind(question: str) -> bool:
    """Whether the question asks which of two kinds an item is ("a success factor or a barrier?").

    Asked so, it is a membership question however the message goes on ("… And what else sits
    in the same list?" is answered by the list that comes with it).
    """
    return _EITHER.search(question) is not None


def _group_asked(question: str) -> str | None:
    """The kind of framework item the question asks membership of ("one of the barriers")."""
    for kind, words in _KIND_WORDS.items():
        asks = (
            r"(\b(one of|among|part of|in|on)\s+(the|their|its|his|her)\s+([\w'\u2019]+\s+){0,2}"
            rf"|\b(is|isn'?t|are|aren'?t)\b[^?.]{{0,40}}?\ban?\s+){words}\b"
        )
        if re.search(asks, question, re.I):
            return kind
    return None


def framework_membership(question: str, framework: Framework) -> FrameworkAnswer | None:
    """Yes or no to "is headspace one of the barriers?", with the whole list asked about.

    For one named item, whether it is of the kind asked about; for several ("which of these is
    NOT one of the four barrier areas: …?"), the ones that are not, and what they are instead.
    """
    named = _named_items(question, framework)
    group = _group_asked(question)
    if not named or group is None:
        return None
    outside = [item for item in named if item.kind != group]
    if len(named) > 1 and not (outside and ODD_ONE_OUT.search(question)):
        return None
    if any(_has_namesake(item, group, framework) for item in outside):
        return None  # "is capability a success factor?": no, but "capabilities and skills" is
    listing = _list_answer(_TOPIC_OF_KIND[group], framework)
    text = listing.text.replace(" [1]:", ":", 1)
    either = _EITHER.search(question) is not None  # "a barrier or a factor?": no yes/no
    if not outside:
        lead = f"{'' if either else 'Yes. '}{named[0].label} is one of the {_PLURAL[group]} [1]."
    else:
        labels = " and ".join(item.label for item in outside)
        kinds = " and ".join(dict.fromkeys(_PLURAL[item.kind] for item in outside))
        verdict = "No. " if len(named) == 1 and not either else ""
        lead = f"{verdict}{labels} {'is' if len(outside) == 1 else 'are'} not one of them: "
        lead += f"{'it is' if len(outside) == 1 else 'they are'} among the {kinds} [1]."
    ident = "-".join(item.ident for item in (outside or named))
    return FrameworkAnswer(f"{lead} {text}", listing.source, f"member-{ident}")


CLOSE_LABEL = 0.9  # "capabilty to execute change" is the barrier area misspelt
# a thing put in quotes to be checked: "is 'lack of funding' one of the 4 barrier areas?"
_CLAIMED = re.compile(r"(?<!\w)['‘\"“](?P<claimed>[^'’\"”]{3,50})['’\"”](?!\w)")
_ABSENCE = frozenset(terms("lack lacking no poor low little not enough without missing"))
# the same claim unquoted, opening its question: "is lack of funding one of the four barrier
# areas in constructive comfort?"
_CLAIMED_PLAINLY = re.compile(
    r"(?:^|[.?!]\s+)\W*(?:so\s+)?(?:is|are)\s+(?P<claimed>[a-z][\w&'\- ]{2,40}?)\s+"
    r"(?:really\s+|actually\s+|definitely\s+)?(?:one\s+of|among|part\s+of)\s+(?:the|its|cc'?s)\b",
    re.IGNORECASE,
)


def claimed_outside(
    question: str, framework: Framework, scan: Sequence[tuple[str, str]] = ()
) -> FrameworkAnswer | None:
    """No to "is 'lack of funding' one of the 4 barrier areas?", with the list asked about.

    The thing checked is put in quotes and names no item of the framework as spelt; when it is
    close to an item of another kind ("capabilty to execute change") or names barriers of the
    evidence scan (``scan``: its names and categories), the answer says where it does belong.
    """
    group = _group_asked(question)
    found = _CLAIMED.search(question) or _CLAIMED_PLAINLY.search(question)
    if group is None or found is None or _named_items(question, framework):
        return None
    claimed = found["claimed"].strip(" ?.,")
    low = claimed.lower()
    claimed_terms = set(terms(claimed))
    if not claimed_terms or any(
        claimed_terms <= set(terms(item.label))
        for item in framework_items(framework)
        if item.kind == group
    ):
        return None  # "is data one of the success factors?": part of a member's name
    if found.re is _CLAIMED_PLAINLY and any(
        (claimed_terms - _ABSENCE) & set(terms(item.text))
        for item in framework_items(framework)
        if item.kind == group
    ):
        return None  # "is lack of time one of the barriers?": what headspace is about
    listing = _list_answer(_TOPIC_OF_KIND[group], framework)
    text = listing.text.replace(" [1]:", ":", 1)
    lead = f"No. '{claimed}' is not one of the {_PLURAL[group]} [1]."
    close = [
        item
        for item in framework_items(framework)
        if difflib.SequenceMatcher(None, low, item.label.lower()).ratio() >= CLOSE_LABEL
    ]
    if close and close[0].kind == group:
        return None  # a misspelt member: left to the other answers
    # "is 'resources' one of the barriers?": the words of an item of another kind
    close += [
        item
        for item in framework_items(framework)
        if item.kind != group and item not in close and claimed_terms <= set(terms(item.label))
    ]
    if close:
        lead += f" {close[0].label} is one of the {_PLURAL[close[0].kind]}."
    named = [f"'{name}' ({category})" for name, category in scan if low in name.lower()]
    if named:  # the scan's table is not what [1] cites: where it is is given with it
        lead += (
            f" The evidence scan's barriers include {' and '.join(named)} (its table, Key "
            "messages, p. 3)."
        )
    return FrameworkAnswer(f"{lead} {text}", listing.source, f"not-{group.replace(' ', '-')}")


# "can u map the four recommendations onto the three approach types", "which approach type does
# each recommendation line up with?"
# (all of them: "the recommendation about investing far more - which type?" asks of one)
_RECS_TO_TYPES = re.compile(
    r"\b(?:recommendations|recs|reccomendations)\b.*\b(?:approach(?:es|\s+types?)?|types)\b"
    r"|\b(?:approach(?:es|\s+types?)?|types)\b.*\b(?:recommendations|recs)\b",
    re.IGNORECASE,
)
_MAPPED = re.compile(
    r"\b(?:map\w*|onto|each(?:\s+one)?|every\s+one|all\s+four|lines?\s+up|line\s+up|"
    r"align\w*|correspond\w*|match(?:es|ed|ing)?\s+(?:up|against|to|with))\b",
    re.IGNORECASE,
)


_FIRST_STEP = re.compile(r"\b(?:beginning|starting)\s+with\s+[^.;]+", re.IGNORECASE)


def recommendations_by_type(question: str, framework: Framework) -> FrameworkAnswer | None:
    """Each recommendation with the approach type it asks for, when that pairing is asked."""
    if not (_RECS_TO_TYPES.search(question) and _MAPPED.search(question)):
        return None
    lines = []
    for i, r in enumerate(framework.recommendations, 1):
        # with the first step a recommendation names ("beginning with a coherent improvement
        # strategy"); the whole summaries made the list half as long again
        first = _FIRST_STEP.search(r.summary.text)
        step = f", {first.group(0)}" if first else ""
        if r.approach is None:
            lines.append(f"{i}. {r.label}: no one type; the other three rest on this shared view.")
        else:
            a = framework.approach(r.approach)
            lines.append(f"{i}. {r.label}: Type {a.type_number}, {a.label.lower()}{step}.")
    text = (
        "The report's four recommendations to national bodies, with the approach type each "
        "asks for [1]:\n" + "\n".join(lines)
    )
    return FrameworkAnswer(text, framework.recommendations[0].summary.source, "recs-by-type")


# "how do the seven success factors link to the four barriers? are they just two lists of the same
# thing?", "which barriers does each approach type help with?": two kinds set against each other
_FACTOR_KIND = re.compile(r"\b(?:success\s+)?factors?\b", re.IGNORECASE)
_BARRIER_KIND = re.compile(r"\bbarriers?(?:\s+areas?)?\b", re.IGNORECASE)
_APPROACH_KIND = re.compile(r"\bapproach(?:es|\s+types?)\b|\b(?:three|3)\s+types\b", re.I)
_RELATED = re.compile(
    r"\b(?:link\w*|relat\w*|connect\w*|map\w*|fit\w*\s+together|tie\w*\s+(?:in|up|together)|"
    r"overlap\w*|correspond\w*|interact\w*|same\s+(?:thing|list)|two\s+lists)\b",
    re.IGNORECASE,
)
_SAME_CLAIMED = re.compile(r"\bsame\s+(?:thing|list)|\btwo\s+lists\b|\boverlap", re.IGNORECASE)


# "which of the seven success factors sit closest to headspace?", "which factors go with it?"
_CLOSEST = re.compile(
    r"\b(?:closest|nearest|sits?\s+(?:closest|nearest|with)|go(?:es)?\s+with|most\s+relevant|"
    r"link\w*|relat\w*|connect\w*|tie\w*\s+in|matter\s+most)\b",
    re.IGNORECASE,
)


# "which approach types does the framework point to for capability?", "what helps with it?"
_HELPS = re.compile(
    r"\b(?:help\w*|point\w*\s+to|address\w*|tackl\w*|suit\w*|work\w*\s+(?:for|on)|fix\w*|"
    r"go(?:es)?\s+with|closest|link\w*|relat\w*|lean\w*\s+on|rel(?:y|ies)\s+on|turn\s+to|use)\b",
    re.IGNORECASE,
)


def _one_barrier_related(question: str, framework: Framework) -> FrameworkAnswer | None:
    """One barrier area named, with the success factors or approach types closest to it."""
    items = _named_items(question, framework)
    named = [item for item in items if item.kind == "barrier"]
    if len(named) != 1:
        return None
    if any(item.kind == "approach type" for item in items):
        return None  # "does type 2 help with capability?" names its type
    if _APPROACH_KIND.search(question) and _HELPS.search(question):
        return _approaches_for(framework.barrier(named[0].ident), framework)
    if not (_FACTOR_KIND.search(question) and _CLOSEST.search(question)):
        return None
    if any(item.kind == "success factor" for item in items):
        return None  # "how does data and analytics relate to recognition?" names both
    barrier = framework.barrier(named[0].ident)
    factors = ", ".join(framework.factor(f).label.lower() for f in barrier.related_factors)
    text = (
        f"{barrier.label} [1]: {barrier.definition.text} In changebot's reading (our mapping, not "
        f"the report's), the success factors closest to it are: {factors}."
    )
    return FrameworkAnswer(text, barrier.definition.source, f"factors-{barrier.id}")


def _approaches_for(barrier: Barrier, framework: Framework) -> FrameworkAnswer:
    """The approach types our map links to a barrier area, with the recommendations for them."""
    approaches = [framework.approach(a) for a in barrier.approaches]
    named = " and ".join(f"Type {a.type_number}, {a.label.lower()}" for a in approaches)
    asked = [r for a in approaches for r in framework.recommendations if r.approach == a.id]
    text = (
        f"For {barrier.label.lower()}, changebot's map (our reading, not the report's) points to "
        f"{named} [1]."
    )
    if asked:
        text += " What the report recommends national bodies do on those: " + " ".join(
            f"{r.label}: {r.summary.text}" for r in asked
        )
    return FrameworkAnswer(text, approaches[0].definition.source, f"approaches-{barrier.id}")


def _short_name(ident: str) -> str:
    """An item's short name, as people say it ("data and analytics", "enabling environment")."""
    return _ALIASES.get(ident, (ident.replace("_", " "),))[0]


def kinds_related(question: str, framework: Framework) -> FrameworkAnswer | None:
    """How the barrier areas meet the success factors or the approach types, when asked.

    The pairing is changebot's mapping (``framework.yaml``'s related factors and approaches),
    said as ours; what each list is comes from the report.
    """
    if "evidence_scan" in named_documents(question):
        return None  # the scan's sixteen barriers are its own list
    one = _one_barrier_related(question, framework)
    if one is not None:
        return one
    if not (_RELATED.search(question) and _BARRIER_KIND.search(question)):
        return None
    if _FACTOR_KIND.search(question):
        opening = "No: they" if _SAME_CLAIMED.search(question) else "They"
        # the factors by their short names ("data and analytics"), to keep the map readable
        lines = [
            f"{i}. {b.label}: " + ", ".join(_short_name(f) for f in b.related_factors) + "."
            for i, b in enumerate(framework.barriers, 1)
        ]
        text = (
            f"{opening} are two different lists that meet [1]. The seven success factors are the "
            "conditions the report links with successful change, which it finds patchy across "
            "the NHS; the four barrier areas are where change tends to stall. In changebot's "
            "reading (our mapping, not the report's), each barrier area rests most on these "
            "factors:\n" + "\n".join(lines)
        )
        return FrameworkAnswer(text, framework.factors[0].definition.source, "factors-barriers")
    if _APPROACH_KIND.search(question):
        lines = []
        for i, a in enumerate(framework.approaches, 1):
            helped = [b.label.lower() for b in framework.barriers if a.id in b.approaches]
            lines.append(
                f"{i}. Type {a.type_number}, {a.label.lower()}: " + "; ".join(helped) + "."
            )
        text = (
            "In changebot's reading (our mapping, not the report's), the three approach types "
            "help mainly with these barrier areas [1]:\n" + "\n".join(lines)
        )
        return FrameworkAnswer(
            text, framework.approaches[0].definition.source, "approaches-barriers"
        )
    return None


def _has_namesake(item: Item, kind: str, framework: Framework) -> bool:
    """Whether an item of ``kind`` shares ``item``'s first word (capability, capabilities)."""
    stem = item.label.split()[0].lower()[:7]
    return any(
        other.kind == kind and other.label.split()[0].lower()[:7] == stem
        for other in framework_items(framework)
    )


_PLURAL = {
    "approach type": "approach types",
    "barrier": "barrier areas",
    "success factor": "success factors",
}


def _list_answer(topic: str, framework: Framework) -> FrameworkAnswer:
    if topic == "factors":
        items = [f.label for f in framework.factors]
        lead, source = "The report names seven success factors for change", framework.factors[0]
        src = source.definition.source
    elif topic == "barriers":
        items = [b.label for b in framework.barriers]
        lead, src = (
            "The report finds barriers to change in four areas",
            framework.barriers[0].definition.source,
        )
    elif topic == "approaches":
        items = [
            f"Type {a.type_number}, {a.label}: {a.definition.text}" for a in framework.approaches
        ]
        lead, src = (
            "The report describes three types of approach national bodies use",
            framework.approaches[0].definition.source,
        )
    else:
        items = [f"{r.label}: {r.summary.text}" for r in framework.recommendations]
        lead, src = (
            "The report makes four recommendations to national bodies",
            framework.recommendations[0].summary.source,
        )
    body = "\n".join(f"{i}. {item}" for i, item in enumerate(items, 1))
    return FrameworkAnswer(f"{lead} [1]:\n{body}", src, topic)


# "apart from the four barriers, what else …", "besides the success factors, what are the other
# building blocks": one part set aside, the rest asked for
_SET_ASIDE = re.compile(
    r"\b(?:apart from|besides|other than|aside from|except(?: for)?|as well as)\s+(?:the\s+)?"
    r"(?:\w+\s+)?(?P<group>barriers?|barrier areas?|success factors?|factors?|approach types?"
    r"|approaches|types?|recommendations?|recs?)\b(?=.*\b(?:else|other|rest)\b)",
    re.IGNORECASE,
)
_PARTS = {
    "barriers": "four barrier areas",
    "factors": "seven success factors",
    "approaches": "three types of national approach",
    "recommendations": "four recommendations to national bodies",
}


def _topic_of(group: str) -> str:
    """The list a set-aside group names ("the four barriers", "recs", "the three types")."""
    word = group.lower()
    return next((topic for key, topic in _COUNTED_TOPICS if key[:3] in word), "approaches")


def _the_rest(aside: str, framework: Framework) -> FrameworkAnswer:
    """The framework's other parts, named with their items, when one part is set aside."""
    labels = {
        "barriers": [b.label for b in framework.barriers],
        "factors": [f.label for f in framework.factors],
        "approaches": [f"Type {a.type_number}, {a.label}" for a in framework.approaches],
        "recommendations": [r.label for r in framework.recommendations],
    }
    rest = [topic for topic in _PARTS if topic != aside]
    lines = [f"{_PARTS[t].capitalize()}: {'; '.join(labels[t])}." for t in rest]
    lead = f"Besides the {_PARTS[aside]}, the framework has three more parts [1]:"
    source = _list_answer(rest[0], framework).source
    return FrameworkAnswer("\n".join([lead, *lines]), source, f"besides-{aside}")


def _definition(question: str, framework: Framework) -> FrameworkAnswer | None:
    q = question.lower()
    candidates = [
        *((b.label, b.id, b.definition, "barrier") for b in framework.barriers),
        *((f.label, f.id, f.definition, "success factor") for f in framework.factors),
        *((a.label, a.id, a.definition, "approach type") for a in framework.approaches),
    ]
    for label, ident, definition, kind in candidates:
        keys = {
            ident.replace("_", " "),
            ident.replace("_", "-"),
            label.lower().strip("'\u2018\u2019"),
        }
        if any(k and k in q for k in keys):
            reading = (
                "In the report's terms"
                if definition.provenance == "source"
                else "In changebot's reading of the report"
            )
            text = f"{label} is one of the framework's {kind}s. {reading}: {definition.text} [1]"
            return FrameworkAnswer(text, definition.source, ident)
    return None


def source_title(source: Source) -> str:
    """Human title of a framework source document."""
    return DOCUMENT_TITLES.get(source.document, source.document)
