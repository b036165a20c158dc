"""An answer to "which barrier is this, and what helps?" asked about one's own situation.

``ask`` never returns a diagnosis card, but a matron who writes three sentences about cancelled
improvement time and then asks which barrier it is deserves the reading, not "the guidance does
not cover that". The diagnosis is turned into a short answer: the main barrier and its
definition, the weak success factors, the approach types that help, and changebot's own
suggestions, each cited to the framework source it rests on.
"""

from __future__ import annotations

import re

from bot.common.types import Provenance
from bot.core.answering.extractive import MAX_WORDS, OURS_LEAD
from bot.core.answering.framework_answers import source_title
from bot.core.models import Answer, Citation, Diagnosis, Mode, Scope, SuggestedAction
from knowledge.framework import Approach, Barrier, Framework, Statement

SUGGESTIONS = 2  # suggestions quoted in the answer; the card shows more


def _cite(n: int, statement: Statement, anchor: str) -> Citation:
    source = statement.source
    provenance: Provenance = statement.provenance
    return Citation(
        n=n,
        title=source_title(source),
        document=source.document,
        section=source.chapter,
        page=source.page,
        chunk_id=f"framework.yaml#{anchor}",
        provenance=provenance,
    )


# "how do I use the framework to work out why it stalled?": name all four areas, and the factors
_HOW_TO_READ = re.compile(r"\b(areas?|check\w*|framework|model|work out|diagnos\w*)\b", re.I)


# what gives way, last first, when the answer would pass the word limit: the weak factors and
# one concrete step matter more to someone stuck than the national approach types
PRIORITY = ("factors", "action", "approaches", "others", "second action")
SHOWN = ("others", "factors", "approaches", "action")


def situated_answer(
    diagnosis: Diagnosis, framework: Framework, scope: Scope, question: str = ""
) -> Answer | None:
    """The diagnosis told as an answer, or None when it found no barrier to talk about.

    The main barrier and its definition always come first; the rest is kept in ``PRIORITY``
    order while the answer stays within ``MAX_WORDS``.
    """
    if diagnosis.scope != "in_scope" or not diagnosis.barriers:
        return None
    main = framework.barrier(diagnosis.barriers[0].id)
    lines = []
    if _HOW_TO_READ.search(question):
        *rest, last = [b.id for b in framework.barriers]  # short names keep room for the reading
        lines.append(
            f"Check the four barrier areas ({', '.join(rest)} and {last}), then the seven "
            "success factors."
        )
    lines.append(
        f"From what you describe, the main barrier looks like {main.label.lower()} [1]. "
        f"{main.definition.text}"
    )
    others = [framework.barrier(b.id).label.lower() for b in diagnosis.barriers[1:3]]
    factors = [framework.factor(f.id).label.lower() for f in diagnosis.factors[:2]]
    approaches = [framework.approach(a.id) for a in diagnosis.approaches[:2]]
    actions = diagnosis.actions[:SUGGESTIONS]
    named = " and ".join(f"Type {a.type_number}, {a.label.lower()}" for a in approaches)
    parts = {
        "others": f"It may also involve {' and '.join(others)}." if others else "",
        "factors": f"Success factors that look weak: {'; '.join(factors)}." if factors else "",
        "approaches": f"The approach types that mainly help: {named} [2]." if approaches else "",
        "action": f"{OURS_LEAD} {actions[0].text} [3]" if actions else "",
        "second action": actions[1].text if len(actions) > 1 else "",
    }
    kept = _within_limit(lines, {name: parts[name] for name in PRIORITY})
    lines += [parts[name] for name in SHOWN if name in kept]
    if "second action" in kept:  # the two steps share one label and citation
        lines[-1] = f"{parts['action'][: -len(' [3]')]} {parts['second action']} [3]"
    return _numbered(lines, main, approaches, actions, scope, diagnosis.mode)


def _numbered(
    lines: list[str],
    barrier: Barrier,
    approaches: list[Approach],
    actions: list[SuggestedAction],
    scope: Scope,
    mode: Mode,
) -> Answer:
    """Cite what the lines kept rest on, numbering the markers in order of citation."""
    text = "\n".join(lines)
    cites = [_cite(1, barrier.definition, barrier.id)]
    if "[2]" in text:
        cites.append(_cite(2, approaches[0].definition, approaches[0].id))
    if "[3]" in text:
        n = len(cites) + 1
        text = text.replace("[3]", f"[{n}]")
        source = actions[0].source
        cites.append(
            Citation(
                n=n,
                title=source.title,
                document=source.document,
                section=source.section,
                page=source.page,
                chunk_id=f"framework.yaml#{barrier.id}.actions",
                provenance=source.provenance,
            )
        )
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
