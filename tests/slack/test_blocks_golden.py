"""Block Kit builders are pure functions: pinned JSON (tests/slack/golden) plus limit checks.

Regenerate after a deliberate change:
``UPDATE_GOLDEN=1 pytest tests/slack/test_blocks_golden.py``.
"""

import json
import os
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest

from bot.core.models import Answer, Diagnosis
from bot.slack.render import admin as admin_blocks
from bot.slack.render import blocks, home, modals
from bot.slack.render import diagnosis_card as cards
from bot.slack.render.admin import IndexStatus
from bot.state.history import DiagnosisRecord
from ingestion.report import DocumentResult, IngestReport, Progress
from knowledge.framework import default_framework
from knowledge.index import DocumentInfo

GOLDEN = Path(__file__).parent / "golden"
FRAMEWORK = default_framework()
STATUS = IndexStatus(
    version="changebot_v3", documents=4, chunks=120, last_ingest=1_767_225_600.0, last_error=None
)


def check_golden(name: str, value: Any) -> None:
    path = GOLDEN / f"{name}.json"
    text = json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"golden {name} is missing: run the test once with UPDATE_GOLDEN=1"
    assert json.loads(path.read_text(encoding="utf-8")) == value, f"golden {name} differs"


def assert_within_limits(rendered: blocks.Rendered) -> None:
    assert rendered.text.strip()
    assert len(rendered.text) <= 3000
    assert len(rendered.blocks) <= 50
    for block in rendered.blocks:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= 150


def no_live_markup(payload: Any) -> None:
    text = json.dumps(payload, ensure_ascii=False)
    for bad in (
        "<!channel>",
        "<!here",
        "<!everyone>",
        "<@U999>",
        "<http://evil",
        "https://attacker",
    ):
        assert bad not in text


def test_answer_message_golden(sample_answer: Answer) -> None:
    rendered = blocks.answer_message(sample_answer, "ans-1")
    check_golden("answer", asdict(rendered))
    assert_within_limits(rendered)
    no_live_markup(asdict(rendered))
    assert rendered.blocks[-1]["block_id"] == "feedback_answer"


def test_diagnosis_card_golden(sample_diagnosis: Diagnosis) -> None:
    rendered = cards.diagnosis_card(
        sample_diagnosis, FRAMEWORK, "card-1", ratings={"leadership": 2, "culture": 4}
    )
    check_golden("diagnosis_card", asdict(rendered))
    assert_within_limits(rendered)
    no_live_markup(asdict(rendered))
    action_ids = [
        e["action_id"] for b in rendered.blocks if b["type"] == "actions" for e in b["elements"]
    ]
    assert action_ids == [
        "diagnosis_share",
        "diagnosis_more",
        "diagnosis_why",
        "feedback_up",
        "feedback_down",
    ]
    assert "████████░░ 0.82" in json.dumps(
        rendered.blocks, ensure_ascii=False
    )  # headspace 0.82 -> 8 cells


def test_shared_card_has_no_share_button(sample_diagnosis: Diagnosis) -> None:
    rendered = cards.diagnosis_card(sample_diagnosis, FRAMEWORK, "card-1", shared=True)
    ids = [e["action_id"] for b in rendered.blocks if b["type"] == "actions" for e in b["elements"]]
    assert "diagnosis_share" not in ids and "feedback_up" in ids


def test_out_of_scope_diagnosis_is_a_plain_notice() -> None:
    rendered = cards.diagnosis_card(
        Diagnosis(scope="patient_data", message="Please remove identifiers."), FRAMEWORK, "x"
    )
    assert rendered.blocks == [blocks.section("Please remove identifiers.")]


def test_more_and_why_golden(sample_diagnosis: Diagnosis) -> None:
    more = cards.more_actions_message(sample_diagnosis, FRAMEWORK)
    why = cards.why_barrier_message(sample_diagnosis, FRAMEWORK)
    check_golden("more_actions", asdict(more))
    check_golden("why_barrier", asdict(why))
    assert_within_limits(more)
    assert "we are firefighting every shift" in json.dumps(why.blocks)


def test_home_golden() -> None:
    records = [DiagnosisRecord(id="d1", at=1_767_225_600.0, barriers=["headspace", "motivation"])]
    user_view = home.home_view(FRAMEWORK, records, 30)
    admin_view = home.home_view(FRAMEWORK, records, 30, STATUS)
    check_golden("home_user", user_view)
    check_golden("home_admin", admin_view)
    assert "home_reingest" not in json.dumps(user_view)
    assert "home_reingest" in json.dumps(admin_view)


def test_modals_golden() -> None:
    form = modals.diagnose_modal(FRAMEWORK, 4000, {"c": "C1", "r": "https://hooks.slack.com/x"})
    check_golden("diagnose_modal", form)
    assert len(form["blocks"]) == 11  # situation, role, setting, hint, seven ratings
    check_golden(
        "feedback_modal", modals.feedback_reason_modal(blocks.feedback_value("answer", "a1"))
    )


def test_admin_messages_golden() -> None:
    docs = [
        DocumentInfo(
            document="notes.md",
            title="Notes <x>",
            chunks=3,
            pages="",
            version="v1",
            doc_hash="h",
            ingested_at=1.0,
        )
    ]
    report = IngestReport(
        mode="add",
        outcome="switched",
        version="changebot_v4",
        documents=[
            DocumentResult(document="a.md", status="added", chunks=4),
            DocumentResult(
                document="b.pdf", status="failed", reason="encrypted — supply an unencrypted copy"
            ),
        ],
    )
    check_golden("sources", asdict(admin_blocks.sources_message(docs)))
    check_golden("status", asdict(admin_blocks.status_message(STATUS)))
    check_golden("ingest_report", asdict(admin_blocks.report_message(report, "Ingest")))
    check_golden(
        "ingest_progress",
        asdict(
            admin_blocks.progress_message(
                Progress(documents_done=1, documents_total=2, chunks_done=4), "Ingest"
            )
        ),
    )
    check_golden("help", asdict(admin_blocks.help_message()))


def test_huge_answer_is_split_and_capped() -> None:
    answer = Answer(answer=("Lorem ipsum dolor sit amet. " * 4000) + "<!channel>")
    rendered = blocks.answer_message(answer, "big")
    assert_within_limits(rendered)
    sections = [b for b in rendered.blocks if b["type"] == "section"]
    assert 1 < len(sections) <= blocks.MAX_ANSWER_SECTIONS
    assert len(json.dumps(rendered.blocks)) < 40_000


def test_more_than_fifty_blocks_are_cut_with_a_note() -> None:
    many = [blocks.section(str(n)) for n in range(120)]
    fitted = blocks.fit_blocks(many)
    assert len(fitted) == 50 and fitted[-1]["type"] == "context"


def test_error_message_never_shows_raw_exception_text() -> None:
    from bot.common.errors import IngestLocked

    assert "Another ingest" in blocks.error_message(IngestLocked()).text
    leaked = blocks.error_message(RuntimeError("xoxb-secret at /srv/app.py line 3"))
    assert "xoxb" not in leaked.text and leaked.text == blocks.GENERIC_FAILURE


@pytest.mark.parametrize("score,cells", [(0.0, 0), (0.04, 0), (0.05, 0), (0.5, 5), (1.0, 10)])
def test_score_bar(score: float, cells: int) -> None:
    assert cards.score_bar(score).count("█") == cells
