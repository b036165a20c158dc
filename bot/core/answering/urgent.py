"""Which recommendation is to be acted on at once: the shared view, named, not the four listed.

"out of the 4 recs which one did they say should happen straight away?" was answered with the
four recommendations in a list, the urgent one unmarked ("without delay" in the first). The
recommendation whose summary says it is urgent is named first, with its summary; a claim that
another one was the urgent one ("was it the coherent improvement strategy?") gets a "No".
"""

from __future__ import annotations

import re

from bot.core.answering.framework_answers import FrameworkAnswer
from bot.core.answering.question_form import question_form
from knowledge.framework import Framework, Recommendation

_RECOMMENDATIONS = re.compile(
    r"\b(?:recommendations?|recs?|recommend(?:s|ed)?|national bodies|should (?:they|national))\b",
    re.IGNORECASE,
)
_URGENCY = re.compile(
    r"\b(?:straight\s*away|immediately|immediate|right\s+away|at\s+once|without\s+delay|"
    r"urgent(?:ly)?|most\s+pressing|top\s+priority|first\s+thing|do\s+first|act\s+on\s+first|"
    r"happen\s+first|start\s+with)\b",
    re.IGNORECASE,
)
_ALL_ASKED = re.compile(
    r"\b(?:what|which)\s+(?:are|were)\s+(?:the|its|their|all)\s+(?:\w+\s+)?(?:recs|recommendations)\b"
    r"|\bwhat\s+(?:did|does)\s+(?:the\s+report|it|they|hf|cc|the\s+health\s+foundation)\s+"
    r"(?:\w+\s+)?recommend\b|\blist\b|\ball\s+(?:four|4)\b",
    re.IGNORECASE,
)
_FIRST_STEP = re.compile(
    r"first\s+thing|do\s+first|act\s+on\s+first|happen\s+first|start\s+with", re.IGNORECASE
)
_ONE_NAMED = re.compile(r"\bapproach\b|\btype\s*(?:1|2|3|one|two|three)\b", re.IGNORECASE)
_URGENT_WORDING = re.compile(r"\b(?:without delay|immediately|at once|straight away)\b", re.I)
# how a question names each of the other recommendations
_NAMED: dict[str, re.Pattern[str]] = {
    "organisational_levers": re.compile(r"\blevers?\b|\bprod\w*|\btype\s*(?:1|one)\b", re.I),
    "invest_in_support": re.compile(
        r"\binvest\w*|improvement strategy|proactive support|\btype\s*(?:2|two)\b", re.I
    ),
    "focus_on_people": re.compile(r"\b(?:staff|people|workforce)\b|\btype\s*(?:3|three)\b", re.I),
    "shared_view": re.compile(r"\bshared (?:view|understanding|account)\b|\bcommon\b", re.I),
}


def urgent_recommendation(query: str, framework: Framework) -> FrameworkAnswer | None:
    """The recommendation to act on at once, named first, when the question asks which it is."""
    urgency = _URGENCY.search(query)
    if not (_RECOMMENDATIONS.search(query) and urgency):
        return None
    if _FIRST_STEP.fullmatch(urgency.group(0)) and _ONE_NAMED.search(query):
        # "the approach where national bodies help trusts directly - what should happen first?":
        # the first step within that one, not which of the four comes first
        return None
    urgent = _the_urgent_one(framework)
    if urgent is None:
        return None
    number = framework.recommendations.index(urgent) + 1
    others = [
        r
        for r in framework.recommendations
        if r.id != urgent.id and r.id in _NAMED and _NAMED[r.id].search(query)
    ]
    urgent_named = _NAMED.get(urgent.id)
    claims_another = (
        question_form(query) == "yes_no"
        and bool(others)
        and not (urgent_named is not None and urgent_named.search(query))
    )
    lead = "No. " if claims_another else ""
    text = (
        f"{lead}The recommendation to act on immediately is recommendation {number}, "
        f"'{urgent.label}': {urgent.summary.text} [1]"
    )
    if claims_another:
        named = "; ".join(f"'{r.label}'" for r in others)
        text += f" The report does not mark {named} as immediate."
    if _ALL_ASKED.search(query):
        # "what are the recs … and which one has to happen straight away?": all four, too
        # the urgent one named in the lead, each one's summary in the list (as the list alone
        # gives them), so the answer stays near the list's own length
        listed = "\n".join(
            f"{i}. {r.label}: {r.summary.text}" for i, r in enumerate(framework.recommendations, 1)
        )
        text = (
            f"{lead}The recommendation to act on immediately is the first, '{urgent.label}' "
            f"[1]. The four recommendations to national bodies:\n{listed}"
        )
    return FrameworkAnswer(text, urgent.summary.source, f"recommendation-{urgent.id}")


def _the_urgent_one(framework: Framework) -> Recommendation | None:
    """The recommendation whose summary says it should happen without delay."""
    return next(
        (r for r in framework.recommendations if _URGENT_WORDING.search(r.summary.text)), None
    )


# "what's supposed to come first under the recommendation about investing more in support?":
# one recommendation, called by what it is about
_ONE_RECOMMENDATION = re.compile(
    r"\b(?:the|that|this)\s+(?:recommendation|rec)\s+(?:about|on|to|for|that\s+says|saying)\b",
    re.IGNORECASE,
)
_TYPE_ASKED = re.compile(r"\b(?:which|what)\b[^?]{0,24}\b(?:approach|type)", re.IGNORECASE)


def recommendation_named(query: str, framework: Framework) -> FrameworkAnswer | None:
    """The one recommendation a question calls by its subject, with what it asks.

    Not when the question asks which approach type it goes with (answered with the type).
    """
    found = _ONE_RECOMMENDATION.search(query)
    if found is None or _TYPE_ASKED.search(query):
        return None
    after = query[found.end() :]
    named = [
        (i, r)
        for i, r in enumerate(framework.recommendations, 1)
        if r.id in _NAMED and _NAMED[r.id].search(after)
    ]
    if len(named) != 1:
        return None
    number, recommendation = named[0]
    text = f"Recommendation {number}, '{recommendation.label}': {recommendation.summary.text} [1]"
    return FrameworkAnswer(
        text, recommendation.summary.source, f"recommendation-{recommendation.id}"
    )
