"""Plain-text rendering of replies, answers and diagnoses for the terminal surfaces.

People read labels, not ids: barriers, factors and approach types are shown by their framework
labels, and a citation names its document by its own title. A trust's own document is labelled
as such, never as "the report".
"""

from __future__ import annotations

from datetime import UTC, datetime

from bot.core.models import Answer, Citation, Diagnosis, Reply
from bot.state.plans import Plan
from knowledge.framework import Framework

PROVENANCE_LABELS = {
    "source": "the report",
    "interpretation": "changebot's reading",
    "suggestion": "changebot's suggestion",
}
LOCAL_LABEL = "local document"
PLAN_HINT = "Type /plan N to plan a test of action N."
OUTCOME_WORDS = {
    "helped": "it helped",
    "not_helped": "it didn't help",
    "not_tried": "it wasn't tried",
}
ACT_WORDS = {"adopt": "adopted", "adapt": "adapted", "abandon": "abandoned"}


def citation_line(c: Citation) -> str:
    """``[n] Title, section, p. X (provenance)``."""
    parts = [c.title]
    if c.section and c.section != c.title:
        parts.append(c.section)
    if c.page:
        parts.append(f"p. {c.page}")
    label = LOCAL_LABEL if c.owner == "admin" else PROVENANCE_LABELS[c.provenance]
    return f"[{c.n}] {', '.join(parts)} ({label})"


def answer_text(answer: Answer) -> str:
    """An answer with its sources listed underneath."""
    lines = [answer.answer]
    if answer.note:
        lines.append(f"(Note: {answer.note})")
    if answer.citations:
        lines.append("")
        lines.append("Sources:")
        lines.extend(citation_line(c) for c in answer.citations)
    return "\n".join(lines)


def reply_text(reply: Reply, framework: Framework, *, plan_hint: bool = False) -> str:
    """Whatever ``respond`` returned, as the chat prints it (``plan_hint``: see below)."""
    if reply.answer is not None:
        return answer_text(reply.answer)
    if reply.diagnosis is not None:
        return diagnosis_text(reply.diagnosis, framework, plan_hint=plan_hint)
    return reply.notice


def diagnosis_text(diagnosis: Diagnosis, framework: Framework, *, plan_hint: bool = False) -> str:
    """A diagnosis as readable text: barriers with evidence, factors, approaches, actions.

    The actions are numbered; with ``plan_hint`` (the chat, where ``/plan N`` works) a line
    under them says how to plan a test of one.
    """
    if diagnosis.scope != "in_scope":
        return diagnosis.message
    lines = [diagnosis.message, "", "Barriers:"]
    for b in diagnosis.barriers:
        bar = "#" * round(b.score * 10)
        quotes = "; ".join(f"\u201c{e}\u201d" for e in b.evidence)
        label = framework.barrier(b.id).label
        lines.append(f"  {label:<40} {bar:<10} {b.score:.2f}  {quotes}")
    if diagnosis.factors:
        labels = [framework.factor(f.id).label for f in diagnosis.factors]
        lines.append("Weak success factors: " + "; ".join(labels))
    if diagnosis.approaches:
        labels = [framework.approach(a.id).label for a in diagnosis.approaches]
        lines.append("Approach types that fit: " + "; ".join(labels))
    if diagnosis.actions:
        lines.append("")
        lines.append("What to try next:")
        for i, a in enumerate(diagnosis.actions, 1):
            src = a.source
            where = ", ".join(
                p for p in (src.title, src.section, f"p. {src.page}" if src.page else "") if p
            )
            lines.append(f"  {i}. {a.text}")
            lines.append(f"     Why: {a.why}")
            lines.append(f"     Source: {where} ({PROVENANCE_LABELS[src.provenance]})")
        if plan_hint:
            lines.append(PLAN_HINT)
    if diagnosis.follow_up_questions:
        lines.append("")
        lines.append("To sharpen this, tell me:")
        lines.extend(f"  - {q}" for q in diagnosis.follow_up_questions)
    if diagnosis.note:
        lines.append(f"(Note: {diagnosis.note})")
    return "\n".join(lines)


def day_text(at: float) -> str:
    """A timestamp's UTC day as ``YYYY-MM-DD``."""
    return datetime.fromtimestamp(at, tz=UTC).strftime("%Y-%m-%d")


def plan_text(plan: Plan, framework: Framework) -> str:
    """One test of change as the chat shows it back to its owner (their own, screened words)."""
    try:
        barrier = framework.barrier(plan.barrier).label
    except KeyError:
        barrier = plan.barrier
    lines = [f"  {plan.id[:8]}  {' '.join(plan.what.split())}"]
    if plan.with_whom:
        lines.append(f"            With: {plan.with_whom}")
    lines.append(f"            For: {plan.days} days; look back {day_text(plan.study_on)}")
    if plan.prediction:
        lines.append(f"            We predict: {plan.prediction}")
    if plan.measure:
        lines.append(f"            Measure: {plan.measure}")
    lines.append(f"            Barrier: {barrier}")
    if plan.outcome:
        lines.append(f"            Outcome: {OUTCOME_WORDS[plan.outcome]}")
    if plan.note:
        lines.append(f"            Note: {plan.note}")
    if plan.act:
        lines.append(f"            Next step: {ACT_WORDS[plan.act]}")
    return "\n".join(lines)
