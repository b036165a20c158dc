"""The bundled framework loads strictly and its cross-references resolve."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.common.errors import KnowledgeError
from knowledge.framework import (
    APPROACH_IDS,
    BARRIER_IDS,
    FACTOR_IDS,
    load_framework,
)
from knowledge.matching import load_matching


@pytest.fixture(scope="module")
def framework():  # type: ignore[no-untyped-def]
    return load_framework()


def test_every_id_present_in_order(framework) -> None:  # type: ignore[no-untyped-def]
    assert tuple(b.id for b in framework.barriers) == BARRIER_IDS
    assert tuple(f.id for f in framework.factors) == FACTOR_IDS
    assert tuple(a.id for a in framework.approaches) == APPROACH_IDS
    assert [r.id for r in framework.recommendations] == [
        "shared_view",
        "organisational_levers",
        "invest_in_support",
        "focus_on_people",
    ]


def test_barriers_have_signs_and_actions_per_approach(framework) -> None:  # type: ignore[no-untyped-def]
    for barrier in framework.barriers:
        assert len(barrier.signs) >= 12
        assert len({s.voice for s in barrier.signs}) >= 5, "signs should come from varied voices"
        for approach in barrier.approaches:
            fitting = [a for a in barrier.actions if a.approach == approach]
            assert len(fitting) >= 3, f"{barrier.id}/{approach} needs 3 actions"
        for action in barrier.actions:
            assert action.why and action.source.chapter


def test_action_ids_are_unique(framework) -> None:  # type: ignore[no-untyped-def]
    ids = [a.id for b in framework.barriers for a in b.actions]
    ids += [
        a.id
        for f in framework.factors
        for level in (f.actions.team, f.actions.organisation, f.actions.system)
        for a in level
    ]
    assert len(ids) == len(set(ids))


def test_cross_references_resolve(framework) -> None:  # type: ignore[no-untyped-def]
    for barrier in framework.barriers:
        for factor in barrier.related_factors:
            assert framework.factor(factor).id == factor
    for factor in framework.factors:
        for barrier_id in factor.related_barriers:
            assert framework.barrier(barrier_id).id == barrier_id
    for approach in framework.approaches:
        for barrier_id in approach.helps_with:
            assert framework.barrier(barrier_id)


def test_source_items_point_at_documents(framework) -> None:  # type: ignore[no-untyped-def]
    """Only items marked 'source' may be presented as the report's words; each has a chapter."""
    for barrier in framework.barriers:
        for statement in (barrier.definition, *barrier.causes):
            assert statement.provenance in {"source", "interpretation", "suggestion"}
            assert statement.source.chapter
    labels = [f.label for f in framework.factors]
    assert labels[0].startswith("Committed and respected leadership")


def test_scan_barriers_agree_with_the_note_on_the_scan() -> None:
    """Sixteen in four categories, five of them in all three phases, as the note says."""
    matching = load_matching()
    assert set(matching.approach_signs) == set(APPROACH_IDS)
    scan = matching.scan_barriers
    assert len({s.id for s in scan}) == len({s.name for s in scan}) == 16
    by_category = {c: [s for s in scan if s.category == c] for c in {s.category for s in scan}}
    assert sorted(map(len, by_category.values())) == [3, 3, 4, 6]
    assert sorted(s.phases for s in scan).count(3) == 5
    note = (Path(__file__).parents[2] / "knowledge/guidance/evidence-scan-barriers.md").read_text()
    for s in scan:
        assert s.name.lower() in note.lower(), f"{s.name} is not the name the note gives"


def test_unknown_field_is_rejected_with_its_name(tmp_path: Path) -> None:
    text = Path(load_framework.__globals__["DEFAULT_PATH"]).read_text(encoding="utf-8")
    bad = tmp_path / "framework.yaml"
    bad.write_text(text.replace("barriers:", "barriers:\n  - surprise: 1", 1), encoding="utf-8")
    with pytest.raises(KnowledgeError) as info:
        load_framework(bad)
    assert "framework.yaml" in info.value.user_message


def test_invalid_yaml_is_a_plain_error(tmp_path: Path) -> None:
    bad = tmp_path / "framework.yaml"
    bad.write_text("barriers: [unclosed", encoding="utf-8")
    with pytest.raises(KnowledgeError, match="not valid YAML"):
        load_framework(bad)
