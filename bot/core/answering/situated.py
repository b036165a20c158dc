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
from bot.core.answering.extractive import MAX_WORDS
from bot.core.answering.framework_answers import source_title
from bot.core.models import Answer, Citation, Diagnosis, Scope
from knowledge.framework import Framework, Statement

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


def situated_answer(
    diagnosis: Diagnosis, framework: Framework, scope: Scope, question: str = ""
) -> Answer | None:
    """The diagnosis told as an answer, or None when it found no barrier to talk about."""
    if diagnosis.scope != "in_scope" or not diagnosis.barriers:
        return None
    main = framework.barrier(diagnosis.barriers[0].id)
    cites = [_cite(1, main.definition, main.id)]
    lines = []
    if _HOW_TO_READ.search(question):
        areas = ", ".join(b.label.lower() for b in framework.barriers)
        lines.append(
            f"The report's four barrier areas to check are {areas}; then ask which of its "
            "seven success factors are weak."
        )
    lines.append(
        f"From what you describe, the main barrier looks like {main.label.lower()} [1]. "
        f"{main.definition.text}"
    )
    others = [framework.barrier(b.id).label.lower() for b in diagnosis.barriers[1:3]]
    if others:
        lines.append(f"It may also involve {' and '.join(others)}.")
    factors = [framework.factor(f.id).label.lower() for f in diagnosis.factors[:2]]
    if factors:
        lines.append(f"Success factors that look weak: {'; '.join(factors)}.")
    approaches = [framework.approach(a.id) for a in diagnosis.approaches[:2]]
    if approaches:
        first = approaches[0]
        cites.append(_cite(2, first.definition, first.id))
        named = " and ".join(f"Type {a.type_number}, {a.label.lower()}" for a in approaches)
        lines.append(f"The approach types that mainly help: {named} [2].")
    used = len(" ".join(lines).split()) + 10  # the suggestion label and marker
    actions = []
    for action in diagnosis.actions[:SUGGESTIONS]:
        used += len(action.text.split())
        if used > MAX_WORDS:
            break
        actions.append(action)
    if actions:
        n = len(cites) + 1
        first_action = actions[0]
        cites.append(
            Citation(
                n=n,
                title=first_action.source.title,
                document=first_action.source.document,
                section=first_action.source.section,
                page=first_action.source.page,
                chunk_id=f"framework.yaml#{main.id}.actions",
                provenance=first_action.source.provenance,
            )
        )
        steps = " ".join(a.text for a in actions)
        lines.append(f"changebot suggests (our reading, not the report's words): {steps} [{n}]")
    return Answer(scope=scope, answer="\n".join(lines), citations=cites, mode=diagnosis.mode)
