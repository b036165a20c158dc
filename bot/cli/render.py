"""Plain-text and rich rendering of answers and diagnoses for the terminal surfaces."""

from __future__ import annotations

from bot.core.models import Answer, Citation, Diagnosis


def citation_line(c: Citation) -> str:
    """``[n] Title, section, p. X (provenance)``."""
    parts = [c.title]
    if c.section:
        parts.append(c.section)
    if c.page:
        parts.append(f"p. {c.page}")
    label = {
        "source": "the report",
        "interpretation": "changebot's reading",
        "suggestion": "changebot's suggestion",
    }[c.provenance]
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


def diagnosis_text(diagnosis: Diagnosis) -> str:
    """A diagnosis as readable text: barriers with evidence, factors, approaches, actions."""
    if diagnosis.scope != "in_scope":
        return diagnosis.message
    lines = [diagnosis.message, "", "Barriers:"]
    for b in diagnosis.barriers:
        bar = "#" * round(b.score * 10)
        quotes = "; ".join(f"\u201c{e}\u201d" for e in b.evidence)
        lines.append(f"  {b.id:<12} {bar:<10} {b.score:.2f}  {quotes}")
    if diagnosis.factors:
        lines.append("Weak success factors: " + ", ".join(f.id for f in diagnosis.factors))
    if diagnosis.approaches:
        lines.append("Approach types that fit: " + ", ".join(a.id for a in diagnosis.approaches))
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
            lines.append(f"     Source: {where} ({src.provenance})")
    if diagnosis.follow_up_questions:
        lines.append("")
        lines.append("To sharpen this, tell me:")
        lines.extend(f"  - {q}" for q in diagnosis.follow_up_questions)
    if diagnosis.note:
        lines.append(f"(Note: {diagnosis.note})")
    return "\n".join(lines)
