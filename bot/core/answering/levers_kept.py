"""Asked whether the report says scrap targets and regulation: no, it asks for them reworked.

The claim comes in many words ("bin the targets / inspection stuff", "ditch the prod levers",
"scrap the nagging-from-above approach altogether, yeah?") and was answered by whichever
passages its words found: sometimes the second recommendation, sometimes only the case for more
support, never a plain "no". The framework's second recommendation answers it, with the other
two approach types the report wants alongside.
"""

from __future__ import annotations

import re

from bot.core.answering.framework_answers import FrameworkAnswer
from knowledge.framework import Framework

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


def levers_kept(query: str, framework: Framework) -> FrameworkAnswer | None:
    """A plain no to a claim that the report would drop the levers aimed at organisations."""
    if not (_DROPPED.search(query) and _LEVERS.search(query) and _ABOUT_THE_REPORT.search(query)):
        return None
    rework = next(
        (r for r in framework.recommendations if r.approach == "prod_organisations"), None
    )
    if rework is None:
        return None
    others = [
        f"'{r.label}'"
        for r in framework.recommendations
        if r.approach not in {None, rework.approach}
    ]
    number = framework.recommendations.index(rework) + 1
    text = (
        "No. The report does not ask national bodies to drop the levers aimed at organisations "
        f"(Type 1, 'prod organisations'). Its recommendation {number}, '{rework.label}', keeps "
        f"and reworks them: {rework.summary.text} [1] Alongside it, the report asks for "
        f"{' and '.join(others)}: what it wants changed is the balance, not the pressure removed."
    )
    return FrameworkAnswer(text, rework.summary.source, f"recommendation-{rework.id}")
