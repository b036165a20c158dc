"""A complete, valid Framework built in code, so LLM tests do not depend on framework.yaml edits."""

from __future__ import annotations

from typing import Any

from knowledge.framework import APPROACH_IDS, BARRIER_IDS, FACTOR_IDS, Framework

RECOMMENDATION_IDS = (
    "shared_view",
    "organisational_levers",
    "invest_in_support",
    "focus_on_people",
)
SOURCE = {"document": "constructive_comfort", "chapter": "Chapter 2", "page": "12"}
BARRIER_APPROACH = {
    "recognition": "prod_organisations",
    "motivation": "people_focused",
    "headspace": "proactive_support",
    "capability": "proactive_support",
}
BARRIER_FACTORS = {
    "recognition": ["data_analytics", "leadership"],
    "motivation": ["culture"],
    "headspace": ["resources_support", "management_practices"],
    "capability": ["capabilities"],
}


def _statement(text: str, provenance: str = "source") -> dict[str, Any]:
    return {"text": text, "provenance": provenance, "source": SOURCE}


def _action(action_id: str, approach: str) -> dict[str, Any]:
    return {
        "id": action_id,
        "text": f"Do the {action_id.replace('_', ' ')} step.",
        "why": f"Because {action_id.replace('_', ' ')} helps.",
        "approach": approach,
        "provenance": "suggestion",
        "source": SOURCE,
    }


def _barrier(barrier_id: str) -> dict[str, Any]:
    approach = BARRIER_APPROACH[barrier_id]
    return {
        "id": barrier_id,
        "label": barrier_id.title(),
        "definition": _statement(f"The {barrier_id} barrier."),
        "causes": [_statement(f"cause {i} of {barrier_id}") for i in range(2)],
        "signs": [{"text": f"sign {i} of {barrier_id}", "voice": "ward"} for i in range(12)],
        "related_factors": BARRIER_FACTORS[barrier_id],
        "approaches": [approach],
        "actions": [_action(f"{barrier_id}_step_{i}", approach) for i in range(3)],
    }


def _factor(factor_id: str) -> dict[str, Any]:
    level = [_action(f"{factor_id}_level", "people_focused")]
    return {
        "id": factor_id,
        "label": factor_id.replace("_", " ").title(),
        "definition": _statement(f"The {factor_id} factor."),
        "good_looks_like": [_statement(f"good {i}") for i in range(2)],
        "warning_signs": [{"text": f"warning {i}", "voice": "board"} for i in range(6)],
        "related_barriers": [b for b, fs in BARRIER_FACTORS.items() if factor_id in fs]
        or ["headspace"],
        "actions": {"team": level, "organisation": level, "system": level},
    }


def small_framework() -> Framework:
    """The fixture framework: every id from framework-ids, three actions per barrier."""
    return Framework.model_validate(
        {
            "barriers": [_barrier(b) for b in BARRIER_IDS],
            "factors": [_factor(f) for f in FACTOR_IDS],
            "approaches": [
                {
                    "id": a,
                    "type_number": n,
                    "label": a.replace("_", " ").title(),
                    "definition": _statement(f"The {a} approach."),
                    "examples": [_statement(f"example {i}") for i in range(2)],
                    "helps_with": ["headspace"],
                }
                for n, a in enumerate(APPROACH_IDS, start=1)
            ],
            "recommendations": [
                {"id": r, "label": r, "summary": _statement(f"{r} summary")}
                for r in RECOMMENDATION_IDS
            ],
        }
    )
