"""Choose 3–6 concrete actions from framework.yaml for a diagnosis, fitted to the setting.

Actions always come from the framework file (with their provenance and source); only the
``why`` line is extended to point at the user's own words.

``rank_by_outcomes`` is the optional second pass an admin can switch on: it reorders the chosen
actions by what this workspace said about them afterwards ("did it help?"). It is pure (the
counts are passed in), so the core never reads the store for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from bot.core.diagnosis.care_settings import detect_settings
from bot.core.diagnosis.params import MAX_ACTIONS, MIN_ACTIONS
from bot.core.models import ApproachFinding, BarrierFinding, SourceRef, SuggestedAction
from knowledge.framework import DOCUMENT_TITLES, Action, Framework

T = TypeVar("T")
OUTCOME_PRIOR = (1, 1)
"""A Beta(1, 1) prior: (helped + 1) / (tried + 2), so 19 of 20 ranks above 5 of 5."""


def choose_actions(
    framework: Framework,
    text: str,
    barriers: list[BarrierFinding],
    approaches: list[ApproachFinding],
) -> list[SuggestedAction]:
    """Actions for the strongest barriers, preferring recommended approaches and the setting."""
    settings = detect_settings(text)
    wanted = [a.id for a in approaches]
    per_barrier = 2 if len(barriers) <= 2 else 1
    chosen: list[SuggestedAction] = []
    used: set[str] = set()
    for round_size in (per_barrier, MAX_ACTIONS):
        for finding in barriers:
            ranked = _rank(framework.barrier(finding.id).actions, wanted, settings)
            picks = [a for a in ranked if a.id not in used][:round_size]
            for action in picks:
                if len(chosen) >= MAX_ACTIONS or (
                    round_size == MAX_ACTIONS and len(chosen) >= MIN_ACTIONS
                ):
                    break
                used.add(action.id)
                chosen.append(suggest_action(action, finding))
    return chosen


def _rank(
    actions: tuple[Action, ...], wanted: Sequence[str], settings: Sequence[str]
) -> list[Action]:
    def key(action: Action) -> tuple[int, int]:
        """Fitting the detected setting first; with no setting known, general actions first."""
        approach_rank = wanted.index(action.approach) if action.approach in wanted else 9
        fit = [settings.index(s) for s in action.settings if s in settings]
        setting_rank = min(fit) if fit else (5 if "any" in action.settings else 9)
        return (setting_rank, approach_rank)

    return sorted(actions, key=key)


def suggest_action(action: Action, finding: BarrierFinding) -> SuggestedAction:
    """A framework action as a suggestion whose ``why`` quotes the user's own words."""
    quote = finding.evidence[0] if finding.evidence else ""
    why = action.why.rstrip(".")
    why = f"{why}: you said \u201c{_short(quote)}\u201d." if quote else f"{why}."
    return SuggestedAction(
        text=action.text,
        id=action.id,
        barrier=finding.id,
        approach=action.approach,
        why=why,
        source=SourceRef(
            document=action.source.document,
            title=DOCUMENT_TITLES.get(action.source.document, action.source.document),
            section=action.source.chapter,
            page=action.source.page,
            provenance=action.provenance,
        ),
    )


def _short(quote: str, limit: int = 90) -> str:
    return quote if len(quote) <= limit else quote[: limit - 1].rsplit(" ", 1)[0] + "\u2026"


def helped_rate(tried: int, helped: int, prior: tuple[int, int] = OUTCOME_PRIOR) -> float:
    """The share of tries that helped, pulled towards the prior (even odds) when tries are few."""
    return (helped + prior[0]) / (tried + prior[0] + prior[1])


def rank_by_outcomes(
    actions: Sequence[T], counts: Sequence[tuple[int, int] | None], minimum: int
) -> list[T]:
    """``actions`` reordered by local outcomes; ``counts[i]`` is ``(tried, helped)`` for action i.

    Only actions tried at least ``minimum`` times take part: they are sorted among the places
    they already hold, by their helped rate with a prior (``helped_rate``); every other action
    keeps its place, ties keep their order, and nothing is ever dropped.
    """
    if len(counts) != len(actions):
        raise ValueError("one count per action")
    rated = [i for i, c in enumerate(counts) if c is not None and c[0] >= minimum]

    def rate(i: int) -> float:
        tried, helped = counts[i] or (0, 0)
        return helped_rate(tried, helped)

    ordered = sorted(rated, key=lambda i: -rate(i))  # stable: ties keep the chosen order
    result = list(actions)
    for slot, source in zip(rated, ordered, strict=True):
        result[slot] = actions[source]
    return result
