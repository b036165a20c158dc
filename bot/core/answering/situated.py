"""An answer to "which barrier is this, and what helps?" asked about one's own situation.

``ask`` never returns a diagnosis card, but a matron who writes three sentences about cancelled
improvement time and then asks which barrier it is deserves the reading, not "the guidance does
not cover that". The diagnosis is turned into a short answer: the main barrier and its
definition, the weak success factors, the approach types that help, and changebot's own
suggestions, each cited to the framework source it rests on.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.common.types import Provenance
from bot.core.answering.extractive import MAX_WORDS, OURS_LEAD
from bot.core.answering.framework_answers import source_title
from bot.core.answering.story_match import SCAN_TABLE, scan_sentence
from bot.core.models import Answer, Citation, Diagnosis, Mode, Scope, SuggestedAction
from knowledge.framework import Approach, Framework, Recommendation, Source, Statement
from knowledge.matching import ScanBarrier

SUGGESTIONS = 2  # suggestions quoted in the answer; the card shows more


# "how do I use the framework to work out why it stalled?": name all four areas, and the factors
_HOW_TO_READ = re.compile(r"\b(areas?|check\w*|framework|model|work out|diagnos\w*)\b", re.I)


# what gives way, last first, when the answer would pass the word limit: the weak factors and
# one concrete step matter more to someone stuck than the national approach types
PRIORITY = ("factors", "action", "approaches", "others", "scan", "second action")
SHOWN = ("others", "factors", "approaches", "scan", "national", "action")

# what the person asked about besides the barrier, in the sentences that ask: these parts come
# first and are kept whatever else gives way ("which type of national approach is meant to
# help?", "what does the evidence scan call this?", "what did HF ask national bodies to do?")
_ASKED_PART = {
    "scan": re.compile(
        r"\b(?:evidence|scan|research|studies|literature|sources?)\b"
        # "is there a barrier for that?", "is that recognised as a barrier anywhere?": whether
        # the barriers found in studies name it
        r"|\b(?:is\s+there|are\s+there)\s+(?:a|any)\s+(?:named\s+|recognised\s+|known\s+)?"
        r"barriers?\s+(?:for|about|like)\b|\brecogni[sz]ed\s+as\s+a\s+barrier\b",
        re.I,
    ),
    "national": re.compile(
        r"\b(?:national\s+(?:bodies|body|orgs?|organisations)|nationally|recommend\w*|recs?"
        r"|the\s+centre)\b",
        re.I,
    ),
    "approaches": re.compile(
        r"\b(?:approach(?:es|\s+types?)?|which\s+type|types?\s+[123])\b", re.I
    ),
    "factors": re.compile(r"\bfactors?\b", re.I),
}
# "in CC terms what type of national approach is that", "which of the 3 approach types would
# that count as", "does the report back that kind of approach?": the approach the story tells
# of being applied, not the ones that would help
_APPROACH_TOLD = re.compile(
    # ("what does the scan call this type of barrier …?" asks of a barrier, not an approach)
    # nor "what type of document is it classed as?", a document's kind
    r"\b(?:approach\w*|types?(?!\s+of\s+(?:barriers?|problems?|issues?|factors?|things?|"
    r"documents?|report|publication|paper|evidence|study|source)))\b"
    r"[^?.]{0,60}?\b(?:is\s+(?:that|this|it)|are\s+we|would\s+(?:that|this)"
    r"|does\s+(?:that|this)|count\w*\s+as|closest\s+to|fits?\s+(?:under|with|in)|lines?\s+up"
    r"|match\w*|sort\s+of\s+thing|(?:relying|relied|leaning|leant|leaned)\s+on)\b"
    r"|\b(?:that|this)\s+(?:kind|sort|type)\s+of\s+(?:national\s+)?approach"
    # "… is that type 2 or type 3?", "is this more prod or support?"
    r"|\b(?:is|are)\s+(?:that|this|it|these|those)\s+(?:more\s+|really\s+|basically\s+)?"
    r"(?:an?\s+)?(?:type\s*[123]|prod\w*|proactive|people[- ]focus+ed)\b",
    re.IGNORECASE,
)
# "does the report back that kind of approach?": what the report asks for it is part of the answer
_VIEW_ASKED = re.compile(
    r"\b(?:back|backs|support|supports|endorse\w*|favour\w*|think|view)\b", re.I
)
# bodies that act nationally, as a story names them: "one message from the regulator, another
# from NHSE region and a third from a royal college"
_NATIONAL_ACTOR = re.compile(
    r"\b(?:regulators?|cqc|nhse|nhsi|nhs england|nhs improvement|monitor|royal colleges?|"
    r"national bod(?:y|ies)|dhsc|department of health|the centre|arm'?s[- ]length bod(?:y|ies))\b",
    re.IGNORECASE,
)
MIN_NATIONAL_ACTORS = 2  # a story about what national bodies do to the asker, not one aside


def tells_of_national_bodies(story: str) -> bool:
    """Whether a story is about what national bodies do to the asker.

    "the regulator says one thing, NHSE another": what the report asks of national bodies is
    then part of the answer.
    """
    named = {m.group(0).lower() for m in _NATIONAL_ACTOR.finditer(story)}
    return len(named) >= MIN_NATIONAL_ACTORS


# "did HF think there was too much of it?", "is that the right balance?": the verdict on the mix
_BALANCE_ASKED = re.compile(
    r"\b(?:too\s+(?:much|little|heavy|heavily|far|reliant)|over-?(?:us|rel|do)\w*"
    r"|(?:right|the)\s+balance|about\s+right|the\s+(?:mix|blend))\b",
    re.IGNORECASE,
)
# "what would it push us towards instead?", "what should they do more of?", "what are we missing?"
_INSTEAD_ASKED = re.compile(
    r"\b(?:instead|more\s+of|missing|lacking|what\s+else|push\w*\s+(?:us|them)\s+towards"
    r"|do\s+differently|the\s+alternative)\b",
    re.IGNORECASE,
)
_MARKERS = (
    "{told}",
    "{verdict}",
    "{others}",
    "{barrier}",
    "{approach}",
    "{scan}",
    "{national}",
    "{action}",
)


def asks_approach_told(asks: str) -> bool:
    """Whether the asking sentences want the approach type the story describes named."""
    return bool(_APPROACH_TOLD.search(asks))


def asked_parts(asked: str) -> list[str]:
    """The parts of a situated answer the asking sentences name, in ``_ASKED_PART`` order."""
    return [name for name, pattern in _ASKED_PART.items() if pattern.search(asked)]


def situated_answer(
    diagnosis: Diagnosis,
    framework: Framework,
    scope: Scope,
    question: str = "",
    scan: Sequence[ScanBarrier] = (),
    asks: str = "",
    told: Approach | None = None,
    verdict: Statement | None = None,
    story: str = "",
) -> Answer | None:
    """The diagnosis told as an answer, or None when it found no barrier to talk about.

    The main barrier and its definition always come first; the parts the question asks for
    (``asked_parts``) next in priority, then the rest in ``PRIORITY`` order while the answer
    stays within ``MAX_WORDS``. ``asks`` are all the message's asking sentences (``question`` is
    the last); ``scan`` the evidence scan's nearest named barriers, told when they ask what the
    evidence says; ``told`` the approach type the story describes being applied, named first
    when they ask which type it is, with the foundation's ``verdict`` on the national mix when
    they ask whether there is too much of it. A ``story`` about what national bodies do gets
    what the report asks of them.
    """
    if diagnosis.scope != "in_scope" or not diagnosis.barriers:
        return None
    main = framework.barrier(diagnosis.barriers[0].id)
    lines = []
    if told is not None:
        lines.append(
            f"What you describe sounds like Type {told.type_number}, {told.label.lower()} "
            f"{{told}}. {told.definition.text}"
        )
        lines += _verdict_line(verdict, asks or question)
    if _HOW_TO_READ.search(question):
        *rest, last = [b.id for b in framework.barriers]  # short names keep room for the reading
        lines.append(
            f"Check the four barrier areas ({', '.join(rest)} and {last}), then the seven "
            "success factors."
        )
    lines.append(
        f"From what you describe, the main barrier looks like {main.label.lower()} {{barrier}}. "
        f"{main.definition.text}"
    )
    others = [framework.barrier(b.id).label.lower() for b in diagnosis.barriers[1:3]]
    factors = [framework.factor(f.id).label.lower() for f in diagnosis.factors[:2]]
    approaches = [framework.approach(a.id) for a in diagnosis.approaches[:2]]
    actions = diagnosis.actions[:SUGGESTIONS]
    named = " and ".join(f"Type {a.type_number}, {a.label.lower()}" for a in approaches)
    asked = asked_parts(asks or question)
    if "national" not in asked and (
        (told is not None and _VIEW_ASKED.search(asks or question))
        or tells_of_national_bodies(story)
    ):
        asked.append("national")  # "does the report back that kind of approach?"
    recommendation = _recommendation(framework, [told] if told is not None else approaches)
    parts = {
        "others": f"It may also involve {' and '.join(others)}." if others else "",
        "factors": f"Success factors that look weak: {'; '.join(factors)}." if factors else "",
        "approaches": (
            f"The approach types that mainly help: {named} {{approach}}." if approaches else ""
        ),
        # named unasked ("scan" not asked), it is told briefly and gives way first
        "scan": scan_sentence(scan, "{scan}", brief="scan" not in asked) if scan else "",
        "national": (
            f"What the report asks of national bodies here: {recommendation.summary.text} Its "
            "first recommendation is that they agree a shared view of how change happens in the "
            "NHS {national}."
            if recommendation is not None and "national" in asked
            else ""
        ),
        "action": f"{OURS_LEAD} {actions[0].text} {{action}}" if actions else "",
        "second action": actions[1].text if len(actions) > 1 else "",
    }
    order = [*asked, *(name for name in PRIORITY if name not in asked)]
    kept = _within_limit(lines, {name: parts[name] for name in order})
    lines += [parts[name] for name in SHOWN if name in kept]
    if "second action" in kept:  # the two steps share one label and citation
        lines[-1] = f"{parts['action'][: -len(' {action}')]} {parts['second action']} {{action}}"
    cited = {
        "{told}": _cite(told.definition, told.id) if told is not None else None,
        "{verdict}": _verdict_citation(verdict) if verdict is not None else None,
        "{barrier}": _cite(main.definition, main.id),
        "{approach}": _cite(approaches[0].definition, approaches[0].id) if approaches else None,
        "{scan}": _scan_citation(),
        "{national}": (
            _cite(recommendation.summary, recommendation.id) if recommendation is not None else None
        ),
        "{action}": _action_citation(actions[0], main.id) if actions else None,
    }
    return _numbered("\n".join(lines), cited, scope, diagnosis.mode)


def approach_told_answer(
    told: Approach,
    framework: Framework,
    scope: Scope,
    asks: str,
    verdict: Statement | None = None,
) -> Answer:
    """The approach type a story tells of, named with its definition (no barrier to read).

    "NHSE brought in league tables and fines. in CC terms what type of approach is that?" is
    about the lever described, not a problem: it gets Type 1, not the list of all three.
    """
    lines = [
        f"What you describe sounds like Type {told.type_number}, {told.label.lower()} {{told}}. "
        f"{told.definition.text}",
        *_verdict_line(verdict, asks),
    ]
    # "… and what would it push us towards instead?": the recommendations for the other types
    others = [r for r in framework.recommendations if r.approach not in (None, told.id)]
    instead = bool(_INSTEAD_ASKED.search(asks)) and bool(others)
    if instead:
        named = " and ".join(
            f"{r.label[0].lower()}{r.label[1:]} (Type {framework.approach(r.approach).type_number})"
            for r in others
            if r.approach is not None
        )
        lines.append(f"Beyond it, the report asks national bodies to {named} {{others}}.")
    recommendation = _recommendation(framework, [told])
    if recommendation is not None and ("national" in asked_parts(asks) or _VIEW_ASKED.search(asks)):
        lines.append(
            f"What the report asks of national bodies about it: {recommendation.summary.text} "
            "{national}"
        )
    cited: dict[str, Citation | None] = {
        "{told}": _cite(told.definition, told.id),
        "{verdict}": _verdict_citation(verdict) if verdict is not None else None,
        "{others}": _cite(others[0].summary, "recommendations") if instead else None,
        "{national}": (
            _cite(recommendation.summary, recommendation.id) if recommendation is not None else None
        ),
    }
    return _numbered("\n".join(lines), cited, scope, "offline")


def _verdict_citation(verdict: Statement) -> Citation:
    return _cite_source(verdict.source, "balance_verdict", verdict.provenance, "matching.yaml")


def _verdict_line(verdict: Statement | None, asks: str) -> list[str]:
    """The foundation's verdict on the national mix, when the asks want it ("too much of it?")."""
    if verdict is None or not _BALANCE_ASKED.search(asks):
        return []
    return [f"{verdict.text[:-1]} {{verdict}}."]


def _recommendation(framework: Framework, approaches: list[Approach]) -> Recommendation | None:
    """The recommendation to national bodies that asks for the approach that helps most."""
    wanted = approaches[0].id if approaches else None
    return next((r for r in framework.recommendations if r.approach == wanted), None)


def _cite(statement: Statement, anchor: str) -> Citation:
    return _cite_source(statement.source, anchor, statement.provenance)


def _scan_citation() -> Citation:
    """The scan's barrier table; which of its barriers fits a story is our reading."""
    return _cite_source(SCAN_TABLE, "scan_barriers", "interpretation", "matching.yaml")


def _cite_source(
    source: Source, anchor: str, provenance: Provenance, file: str = "framework.yaml"
) -> Citation:
    return Citation(
        n=1,
        title=source_title(source),
        document=source.document,
        section=source.chapter,
        page=source.page,
        chunk_id=f"{file}#{anchor}",
        provenance=provenance,
    )


def _action_citation(action: SuggestedAction, barrier: str) -> Citation:
    source = action.source
    return Citation(
        n=1,
        title=source.title,
        document=source.document,
        section=source.section,
        page=source.page,
        chunk_id=f"framework.yaml#{barrier}.actions",
        provenance=source.provenance,
    )


def _numbered(text: str, cited: dict[str, Citation | None], scope: Scope, mode: Mode) -> Answer:
    """Number the markers the lines kept in order of first use, and cite what each rests on."""
    cites: list[Citation] = []
    for marker in sorted((m for m in _MARKERS if m in text), key=lambda m: text.index(m)):
        citation = cited[marker]
        assert citation is not None, f"{marker} is only written with what it cites"
        cites.append(citation.model_copy(update={"n": len(cites) + 1}))
        text = text.replace(marker, f"[{len(cites)}]")
    return Answer(scope=scope, answer=text, citations=cites, mode=mode)


def _within_limit(lines: list[str], optional: dict[str, str]) -> set[str]:
    """The optional parts, in priority order, that fit after ``lines`` within ``MAX_WORDS``."""
    used = len(" ".join(lines).split())
    kept: set[str] = set()
    for name, line in optional.items():
        n = len(line.split())
        if line and used + n <= MAX_WORDS and (name != "second action" or "action" in kept):
            kept.add(name)
            used += n
    return kept
