"""Pure builders for the diagnosis card and its follow-ups ("More actions", "Why this barrier?").

Why a card: a change leader should see at a glance which barriers the guidance points to (bars),
the words of theirs that point there (quoted, escaped), which success factors look weak, which
approach types fit, and 3–6 concrete actions each with its reason and source.

When an admin lets local outcomes rank the actions (``CHANGEBOT_RANK_BY_LOCAL_OUTCOMES``), the
card reorders them here, at the edge, with the core's pure ``rank_by_outcomes`` and says so in a
context line whenever the order changed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.core.diagnosis.suggest import rank_by_outcomes
from bot.core.models import Diagnosis, SuggestedAction
from bot.slack.render.blocks import (
    PROVENANCE_LABELS,
    Block,
    Rendered,
    actions,
    button,
    context,
    divider,
    feedback_block,
    header,
    message,
    notice_message,
    section,
)
from bot.slack.render.escape import escape_mrkdwn, truncate
from bot.slack.render.plans import action_key, card_action_keys, outcomes_line, plan_button
from bot.state.plans import MIN_OUTCOMES_SHOWN
from knowledge.framework import DOCUMENT_TITLES, Action, Framework

BAR_CELLS = 10
MAX_ACTIONS = 6
RANKED_NOTE = "Ordered with this workspace's 'did it help?' answers."


def score_bar(score: float) -> str:
    """A ten-cell bar and the score, e.g. ``███████░░░ 0.70``."""
    filled = max(0, min(BAR_CELLS, round(score * BAR_CELLS)))
    return "█" * filled + "░" * (BAR_CELLS - filled) + f" {score:.2f}"


def short_title(document: str, title: str = "") -> str:
    """A document's short name: its title up to the first bracket."""
    full = title or DOCUMENT_TITLES.get(document, document)
    return full.split(" (")[0]


def source_text(document: str, title: str, chapter: str, page: str | None, provenance: str) -> str:
    """``Title, chapter, p. N (from the guidance)``, escaped."""
    parts = (
        [short_title(document, title)]
        + ([chapter] if chapter else [])
        + ([f"p. {page}"] if page else [])
    )
    return escape_mrkdwn(", ".join(parts)) + f" _({PROVENANCE_LABELS.get(provenance, provenance)})_"


def action_text(n: int, action: SuggestedAction) -> str:
    """One numbered action with why and source."""
    src = action.source
    return (
        f"*{n}. {escape_mrkdwn(action.text)}*\n_Why:_ {escape_mrkdwn(action.why)}\n"
        f"_Source:_ {source_text(src.document, src.title, src.section, src.page, src.provenance)}"
    )


def action_block(
    n: int,
    action: SuggestedAction,
    framework: Framework,
    card_id: str,
    outcomes: Mapping[str, tuple[int, int]] | None = None,
) -> Block:
    """One action with its "Plan a test" button and, from 5 local outcomes, how it went."""
    line = outcomes_line((outcomes or {}).get(action_key(framework, action)))
    block = section(action_text(n, action) + (f"\n{line}" if line else ""))
    block["accessory"] = plan_button(framework, action, card_id)
    return block


def barrier_blocks(diagnosis: Diagnosis, framework: Framework) -> list[Block]:
    """The barrier profile: label, bar, and the user's words quoted as evidence."""
    blocks: list[Block] = [section("*Barrier profile*")]
    for finding in sorted(diagnosis.barriers, key=lambda b: -b.score):
        lines = [
            f"*{escape_mrkdwn(framework.barrier(finding.id).label)}*  `{score_bar(finding.score)}`"
        ]
        lines += [f">“{escape_mrkdwn(truncate(q, 300))}”" for q in finding.evidence[:3]]
        blocks.append(section("\n".join(lines)))
    return blocks


def findings_text(diagnosis: Diagnosis, framework: Framework) -> str:
    """Weak success factors and fitting approach types, one line each."""
    factors = (
        ", ".join(f"{framework.factor(f.id).label} ({f.score:.2f})" for f in diagnosis.factors)
        or "none stood out"
    )
    approaches = (
        "; ".join(
            f"Type {framework.approach(a.id).type_number}: {framework.approach(a.id).label}"
            for a in diagnosis.approaches
        )
        or "none stood out"
    )
    return f"*Success factors to strengthen:* {factors}\n*Approach types that fit:* {approaches}"


def card_buttons(card_id: str, has_barriers: bool, shared: bool) -> list[Block]:
    """Share / More actions / Why this barrier? (ids only in the values)."""
    elements = [] if shared else [button("Share to channel", "diagnosis_share", card_id, "primary")]
    if has_barriers:
        elements += [
            button("More actions", "diagnosis_more", card_id),
            button("Why this barrier?", "diagnosis_why", card_id),
        ]
    return [actions("diagnosis_buttons", *elements)] if elements else []


def ranked_actions(
    actions: Sequence[SuggestedAction],
    framework: Framework,
    outcomes: Mapping[str, tuple[int, int]] | None,
) -> tuple[list[SuggestedAction], bool]:
    """The actions reordered by local outcomes (from 5 each), and whether the order changed."""
    shown = list(actions)
    if not outcomes or len(shown) < 2:
        return shown, False
    counts = [outcomes.get(key) for key in card_action_keys(framework, shown)]
    ordered = rank_by_outcomes(shown, counts, MIN_OUTCOMES_SHOWN)
    return ordered, any(a is not b for a, b in zip(ordered, shown, strict=True))


def ratings_text(ratings: dict[str, int], framework: Framework) -> str:
    """The user's own 1–5 self-rating, weakest factors first."""
    weak = sorted((score, fid) for fid, score in ratings.items() if score <= 2)
    if not weak:
        return "Your self-rating: every factor you rated is 3 or above."
    listed = ", ".join(f"{framework.factor(fid).label} {score}/5" for score, fid in weak)
    return f"Your self-rating, weakest first: {listed}"


def diagnosis_card(
    diagnosis: Diagnosis,
    framework: Framework,
    card_id: str,
    *,
    shared: bool = False,
    ratings: dict[str, int] | None = None,
    outcomes: Mapping[str, tuple[int, int]] | None = None,
    rank: bool = False,
) -> Rendered:
    """The full card; any scope other than ``in_scope`` becomes the core's plain message.

    ``outcomes`` maps action ids to (tried, helped) counts from this workspace's tests of change;
    an action shows them only from 5 outcomes (``render/plans.py`` ``outcomes_line``). With
    ``rank`` (the admin setting) those counts also reorder the actions (``ranked_actions``).
    """
    if diagnosis.scope != "in_scope":
        return notice_message(escape_mrkdwn(diagnosis.message) or "I could not diagnose that.")
    blocks: list[Block] = [header("What seems to be getting in the way")]
    if diagnosis.message:
        blocks.append(section(escape_mrkdwn(diagnosis.message)))
    blocks += barrier_blocks(diagnosis, framework)
    blocks.append(section(findings_text(diagnosis, framework)))
    if ratings:
        blocks.append(context(ratings_text(ratings, framework)))
    blocks += [divider(), section("*Next steps*")]
    shown, ranked = diagnosis.actions[:MAX_ACTIONS], False
    if rank:
        shown, ranked = ranked_actions(shown, framework, outcomes)
    if ranked:
        blocks.append(context(RANKED_NOTE))
    blocks += [action_block(n, a, framework, card_id, outcomes) for n, a in enumerate(shown, 1)]
    if diagnosis.follow_up_questions:
        questions = "\n".join(f"• {escape_mrkdwn(q)}" for q in diagnosis.follow_up_questions[:5])
        blocks.append(section("*Questions to think about*\n" + questions))
    notes = [
        "Diagnosed offline with the framework."
        if diagnosis.mode == "offline"
        else "Diagnosed with the language model, checked against the framework."
    ]
    blocks.append(
        context(" ".join(notes + ([escape_mrkdwn(diagnosis.note)] if diagnosis.note else [])))
    )
    blocks += card_buttons(card_id, bool(diagnosis.barriers), shared)
    top = diagnosis.barriers[0].id if diagnosis.barriers else ""
    blocks.append(feedback_block("diagnosis", card_id, top))
    labels = (
        ", ".join(framework.barrier(b.id).label for b in diagnosis.barriers) or "no clear barrier"
    )
    return message(f"Diagnosis: {labels}", blocks)


def more_actions_message(diagnosis: Diagnosis, framework: Framework, limit: int = 5) -> Rendered:
    """Further framework actions for the top barrier that the card did not show."""
    if not diagnosis.barriers:
        return notice_message("There are no further actions for this situation.")
    barrier = framework.barrier(diagnosis.barriers[0].id)
    shown = {a.text for a in diagnosis.actions}
    extra: Sequence[Action] = [a for a in barrier.actions if a.text not in shown][:limit]
    if not extra:
        return notice_message(
            "The card already lists every action the guidance gives for this barrier."
        )
    blocks = [section(f"*More actions for {escape_mrkdwn(barrier.label)}*")]
    for n, act in enumerate(extra, 1):
        src = source_text(
            act.source.document, "", act.source.chapter, act.source.page, act.provenance
        )
        why = escape_mrkdwn(act.why)
        blocks.append(section(f"*{n}. {escape_mrkdwn(act.text)}*\n_Why:_ {why}\n_Source:_ {src}"))
    return message(f"More actions for {barrier.label}", blocks)


def why_barrier_message(diagnosis: Diagnosis, framework: Framework) -> Rendered:
    """Why the top barrier was chosen: its definition, causes, and the user's words."""
    if not diagnosis.barriers:
        return notice_message("No barrier stood out in this situation.")
    finding = diagnosis.barriers[0]
    barrier = framework.barrier(finding.id)
    d = barrier.definition
    text = (
        f"*Why {escape_mrkdwn(barrier.label)}?*\n{escape_mrkdwn(d.text)}\n_Source:_ "
        + source_text(d.source.document, "", d.source.chapter, d.source.page, d.provenance)
    )
    causes = "\n".join(f"• {escape_mrkdwn(c.text)}" for c in barrier.causes[:4])
    quotes = "\n".join(f">“{escape_mrkdwn(truncate(q, 300))}”" for q in finding.evidence[:3])
    blocks = [section(text), section("*Common causes*\n" + causes)]
    if quotes:
        blocks.append(section("*What you said that points here*\n" + quotes))
    return message(f"Why {barrier.label}", blocks)
