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

from bot.core.answering.topics import asked_focus, contains_term, topical_terms
from bot.core.wording import sentences, terms

_ASK = re.compile(
    r"\b(?:how (?P<kind>many|much)|what (?P<share>%|per ?cent(?:age)?|percentage|proportion|"
    r"share|fraction)(?: of)?)(?P<rest>[^?.!]*)",
    re.IGNORECASE,
)
_NUMBER = re.compile(
    r"£?\d+(?:[.,]\d+)*%?|\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|"
    r"sixty|seventy|eighty|ninety|hundred|thousand|million|billion|dozen|half)\b",
    re.IGNORECASE,
)
_MONEY_ASKED = re.compile(r"£|\b(money|pounds?|funding|budget|cash|spend|invest\w*)\b", re.I)
_MONEY_GIVEN = re.compile(r"£\s?\d|\b\d+(?:\.\d+)?\s?(m|bn|million|billion)\b", re.I)
_SHARE_GIVEN = re.compile(
    r"\d\s?%|\bper ?cent\b|\b(half|a third|two thirds|a quarter|three quarters|"
    r"the majority|a minority|one in (two|three|four|five|ten))\b",
    re.IGNORECASE,
)
UNITS = 2  # the words right after "how many" that name what is counted ("NHS studies")
NEAR = 3  # words between a number and what it counts ("73 studies about the NHS")


def _numbers(text: str) -> set[str]:
    return {m.group(0).lower().lstrip("£") for m in _NUMBER.finditer(text)}


def _counts(sentence: str, units: list[str], context: list[str], asked: set[str]) -> bool:
    """A new number followed, within a few words, by one of the counted words.

    When the question says more than what is counted ("people who attended the workshops"),
    the sentence must say some of it too: "34 people who contributed" counts other people.
    """
    said = terms(sentence)
    if context and not any(contains_term(t, said) for t in context):
        return False
    tokens = re.findall(r"£?[\w%'-]+", sentence)
    for i, token in enumerate(tokens):
        if not _NUMBER.fullmatch(token) or token.lower().lstrip("£") in asked:
            continue
        after = terms(" ".join(tokens[i + 1 : i + 2 + NEAR]))
        if any(contains_term(unit, after) for unit in units):
            return True
    return False


def states_the_figure(query: str, texts: Iterable[str]) -> bool:
    """False when ``query`` asks how many or how much and no sentence in ``texts`` says it."""
    focus = asked_focus(query)
    ask = _ASK.search(focus)
    if ask is None:
        return True
    measured = topical_terms(ask["rest"])
    if not measured:
        return True
    asked_numbers = _numbers(query)
    money = bool(_MONEY_ASKED.search(ask["rest"]))
    for text in texts:
        for sentence in sentences(text):
            if ask["kind"] is None:  # "what % of projects fail": a share, with what it is of
                if _SHARE_GIVEN.search(sentence) and any(
                    contains_term(term, terms(sentence)) for term in measured
                ):
                    return True
                continue
            if not _numbers(sentence) - asked_numbers:
                continue
            if ask["kind"].lower() == "many":
                units = measured[:UNITS]
                context = [t for t in topical_terms(focus) if t not in units]
                if _counts(sentence, units, context, asked_numbers):
                    return True
                continue
            if money and not _MONEY_GIVEN.search(sentence):
                continue
            if any(contains_term(term, terms(sentence)) for term in measured):
                return True
    return False


RANKING_ASKED = re.compile(
    r"\b(matters? (the )?most|most (important|effective|common|critical|useful|influential|"
    r"attention|studied|researched)|(the )?(most|least)\b.{0,20}\?|biggest|top priority|"
    r"rank(ed|ing|s)?|single most)",
    re.IGNORECASE,
)
_RANKING_GIVEN = re.compile(
    r"\b(most|least|biggest|largest|greatest|main|commonest|more (often|frequently|than)|"
    r"fewer|ranked|ranks|above all|chief)\b",
    re.IGNORECASE,
)


def states_the_ranking(query: str, texts: Iterable[str]) -> bool:
    """False when ``query`` asks which matters most and no sentence in ``texts`` ranks anything."""
    focus = asked_focus(query)
    if not RANKING_ASKED.search(focus):
        return True
    wanted = topical_terms(focus)
    for text in texts:
        for sentence in sentences(text):
            if _RANKING_GIVEN.search(sentence) and any(
                contains_term(t, terms(sentence)) for t in wanted
            ):
                return True
    return False


# "who sat on the panel?", "who were the members …?": people by name are asked for
_MEMBERS_ASKED = re.compile(
    r"\bwho\b.{0,40}\b(sat|sits|served|serves|was|were|is|are)\s+(on|in)\s+the\s+"
    r"(?P<body>(\S+\s*){1,4})|\bwho\s+(were|are)\s+(the\s+)?members\s+of\s+(the\s+)?"
    r"(?P<of>(\S+\s*){1,4})",
    re.IGNORECASE,
)
_TITLED = re.compile(r"\b(Sir|Dame|Dr|Professor|Prof|Lord|Baroness|Lady)\.?\s+[A-Z][a-z]+")
_CAPITALISED_PAIR = re.compile(r"\b([A-Z][a-z]+)\s+(?:de\s+)?([A-Z][a-z]{2,})\b")
_NOT_PEOPLE = frozenset(
    """Health Foundation Improvement Practitioner Panel Institute Hospital Trust England Royal
    College Colleges Centre Center National Constructive Comfort Evidence Scan Forward View Five
    Year Transformational Change Providers Monitor Care Quality Commission Department Public
    Policy Director Chief Executive Programme Network Acknowledgements Glossary""".split()
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
    asked = _MEMBERS_ASKED.search(asked_focus(query))
    if asked is None:
        return True
    body = topical_terms(asked["body"] or asked["of"] or "")
    return any(
        names_a_person(s) and any(contains_term(t, terms(s)) for t in body)
        for text in texts
        for s in sentences(text)
    )
