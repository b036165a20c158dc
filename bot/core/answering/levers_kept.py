"""Claims about the levers aimed at organisations, answered with a plain no.

Asked whether the report says scrap targets and regulation: no, it asks for them reworked. That
claim comes in many words ("bin the targets / inspection stuff", "ditch the prod levers", "scrap
the nagging-from-above approach altogether, yeah?") and was answered by whichever passages its
words found: sometimes the second recommendation, sometimes only the case for more support,
never a plain "no". The framework's second recommendation answers it, with the other two
approach types the report wants alongside. Asked whether it says national bodies should crack
down harder: no, the Health Foundation found too much pressing and too little support.
"""

from __future__ import annotations

import re

from bot.core.answering.framework_answers import FrameworkAnswer
from bot.core.answering.relevance import checks_a_supposition
from knowledge.framework import Framework, Recommendation, Statement

_DROPPED = re.compile(
    r"\b(?:scrap\w*|ditch\w*|bin|binn(?:ed|ing)|get\s+rid\s+of|drop(?:ped|ping)?|abandon\w*|"
    r"abolish\w*|do\s+away\s+with|stop\s+using|axe[ds]?|throw\s+out|junk|end\s+(?:the|all)|"
    r"remov\w*|stop\s+\w+ing|altogether)\b",
    re.IGNORECASE,
)
# the levers aimed at organisations, as askers name them
_LEVERS = re.compile(
    r"\b(?:targets?|regulat\w*|inspect\w*|prod\w*|levers?|type\s*(?:1|one)|pressure|"
    r"performance\s+manag\w*|league\s+tables?|nagging|sanctions?|penalt\w*|cqc|oversight|"
    r"stick)\b",
    re.IGNORECASE,
)
# a claim about what the report or the national bodies should do, not a trust's own plan
_ABOUT_THE_REPORT = re.compile(
    r"\b(?:report|hf|health\s+foundation|cc|constructive\s+comfort|national\s+bodies|"
    r"recommendations?|recs?|prod\w*|type\s*(?:1|one)|levers?)\b",
    re.IGNORECASE,
)


def _rework_and_others(framework: Framework) -> tuple[Recommendation | None, list[str]]:
    """The recommendation on the levers aimed at organisations, and the others' labels quoted."""
    rework = next(
        (r for r in framework.recommendations if r.approach == "prod_organisations"), None
    )
    others = [
        f"'{r.label}'"
        for r in framework.recommendations
        if r.approach not in {None, "prod_organisations"}
    ]
    return rework, others


def levers_kept(query: str, framework: Framework) -> FrameworkAnswer | None:
    """A plain no to a claim that the report would drop the levers aimed at organisations."""
    if not (_DROPPED.search(query) and _LEVERS.search(query) and _ABOUT_THE_REPORT.search(query)):
        return None
    rework, others = _rework_and_others(framework)
    if rework is None:
        return None
    number = framework.recommendations.index(rework) + 1
    text = (
        "No. The report does not ask national bodies to drop the levers aimed at organisations "
        f"(Type 1, 'prod organisations'). Its recommendation {number}, '{rework.label}', keeps "
        f"and reworks them: {rework.summary.text} [1] Alongside it, the report asks for "
        f"{' and '.join(others)}: what it wants changed is the balance, not the pressure removed."
    )
    return FrameworkAnswer(text, rework.summary.source, f"recommendation-{rework.id}")


# the opposite claim: the report wants national bodies tougher on trusts ("too soft on trusts and
# need to crack down harder", "more targets and inspection, right?")
_HARDER = re.compile(
    r"\b(?:crack(?:ing)?\s+down|too\s+(?:soft|lenient|easy)|go(?:ing)?\s+easy|tough(?:er|en)\w*|"
    r"harder\s+on|stricter|not\s+(?:tough|hard|strict)\s+enough|"
    r"(?:more|increase\w*|ramp\w*\s+up|step\w*\s+up)\s+(?:the\s+)?(?:pressure|regulation|"
    r"targets|inspections?|sanctions|penalties|performance\s+management|prodding))\b",
    re.IGNORECASE,
)


def pressure_claimed(
    query: str, framework: Framework, verdict: Statement
) -> FrameworkAnswer | None:
    """A plain no to a claim that the report wants national bodies to press trusts harder.

    The Health Foundation's verdict on the national mix answers it (too much pressing, too
    little support), with the recommendations that say what to do instead.
    """
    if not (
        _HARDER.search(query)
        and _ABOUT_THE_REPORT.search(query)
        and checks_a_supposition(query)
        and not _DROPPED.search(query)
    ):
        return None
    return _verdict_answer(verdict, framework, "No. ", ": more support, not harder pressure.")


# "did the report think the balance of national approaches was about right?", "what was the
# HF's main criticism of how national bodies were leading change?": its verdict on the mix
_VERDICT_ASKED = re.compile(
    r"\b(?:balance|mix|blend)\s+(?:of\s+)?(?:the\s+)?(?:national\s+)?(?:approach\w*|effort|"
    r"levers?|types?)\b"
    r"|\b(?:main\s+)?(?:judgement|verdict|critique|view)\s+(?:of|on)\s+(?:how\s+)?(?:the\s+)?"
    r"national\s+(?:bodies|approach\w*|effort|policy)\b",
    re.IGNORECASE,
)


def verdict_asked(query: str, framework: Framework, verdict: Statement) -> FrameworkAnswer | None:
    """The foundation's verdict on the national mix, when that is what is asked.

    Not for a claim that the report wants harder pressure (``pressure_claimed`` says "No").
    """
    if not _VERDICT_ASKED.search(query) or _HARDER.search(query):
        return None
    return _verdict_answer(verdict, framework, "", ".")


def _verdict_answer(
    verdict: Statement, framework: Framework, opening: str, closing: str
) -> FrameworkAnswer | None:
    """The verdict on the national mix, then what the recommendations ask instead."""
    rework, others = _rework_and_others(framework)
    if rework is None or not others:
        return None
    text = (
        f"{opening}{verdict.text} [1] So the report asks national bodies to keep the levers aimed "
        f"at organisations (Type 1, 'prod organisations') but rework them ('{rework.label}'), and "
        f"to add {' and '.join(others)}{closing}"
    )
    return FrameworkAnswer(text, verdict.source, "balance_verdict", file="matching.yaml")
