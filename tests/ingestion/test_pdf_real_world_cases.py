"""Real-world PDF faults from a public corpus trial, reproduced small and parsed in the sandbox.

Readable files must be indexed with their text; unreadable ones get one plain reason. Every case
goes through the parsing child (``ParserSandbox``), the path ``ingest`` uses.
"""

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.common.errors import UnreadableDocument
from bot.settings import Settings
from ingestion.pdf import DAMAGED, ONLY_FURNITURE, UNMAPPED
from ingestion.pdf_layout import normalise
from ingestion.pipeline import ingest
from ingestion.sandbox import ParserSandbox
from knowledge.index import KnowledgeIndex
from tests.ingestion import badfiles
from tests.ingestion import pdf_cases as cases
from tests.ingestion.conftest import CountingEmbedder

ENCRYPTED = "encrypted — supply an unencrypted copy"
Generator = Callable[[Path], Path]

READABLE: list[tuple[Generator, str]] = [
    (cases.with_trailing_bytes, "Marker P001"),
    (cases.without_eof_marker, "Marker P001"),
    (cases.wiped_pages_and_metadata, "Marker P002"),
    (cases.without_root, "Marker P002"),
    (cases.cyclic_page_tree, "the ward rota still reads"),
    (cases.jbig2_in_contents, "Fax cover sheet for the discharge team."),
    (cases.few_words, "Ward closed Friday"),
    (cases.text_in_form_xobject, "Discharge checklist for ward staff."),
    (cases.undecodable_font_name, "Text set in a font with a GBK name."),
    (cases.arabic_visual_order, cases.ARABIC_LOGICAL),
]
UNREADABLE: list[tuple[Generator, str]] = [
    (cases.cut_incremental_update, DAMAGED),
    (cases.unmapped_glyphs, UNMAPPED),
    (cases.furniture_only, ONLY_FURNITURE),
    (cases.cyclic_page_tree_bomb, "possible compression bomb"),
]


def _text(pdf_sandbox: ParserSandbox, pdf: Path) -> str:
    parsed = pdf_sandbox.parse(pdf, "pdf", pdf.name)
    assert parsed.pages and parsed.pages >= 1
    return "\n".join(block.text for block in parsed.blocks)


@pytest.mark.parametrize(("make", "expected"), READABLE, ids=[m.__name__ for m, _ in READABLE])
def test_readable_real_world_pdf_is_indexed_with_its_text(
    pdf_sandbox: ParserSandbox, tmp_path: Path, make: Generator, expected: str
) -> None:
    text = _text(pdf_sandbox, make(tmp_path / f"{make.__name__}.pdf"))
    assert expected in text
    assert "(cid:" not in text


@pytest.mark.parametrize(("make", "reason"), UNREADABLE, ids=[m.__name__ for m, _ in UNREADABLE])
def test_unreadable_real_world_pdf_gets_a_plain_reason(
    pdf_sandbox: ParserSandbox, tmp_path: Path, make: Generator, reason: str
) -> None:
    pdf = make(tmp_path / f"{make.__name__}.pdf")
    with pytest.raises(UnreadableDocument) as info:
        pdf_sandbox.parse(pdf, "pdf", pdf.name)
    assert reason in info.value.reason


def test_page_count_comes_from_the_pages_pdfminer_found_when_pypdf_cannot_walk_them(
    pdf_sandbox: ParserSandbox, tmp_path: Path
) -> None:
    pdf = cases.wiped_pages_and_metadata(tmp_path / "datasheet.pdf")
    parsed = pdf_sandbox.parse(pdf, "pdf", "datasheet.pdf")
    assert parsed.pages == 2
    assert {block.page for block in parsed.blocks if "Marker P00" in block.text} == {1, 2}


def test_figure_text_is_kept_but_its_letterless_tick_labels_are_not(
    pdf_sandbox: ParserSandbox, tmp_path: Path
) -> None:
    text = _text(pdf_sandbox, cases.text_in_form_xobject(tmp_path / "stamped.pdf"))
    assert "Discharge checklist for ward staff." in text
    assert cases.CHART_TICKS not in text


def test_ligatures_and_presentation_forms_fold_but_superscripts_stay() -> None:
    assert normalise("ﬁlled  ﬂow\u200b of 5 km²") == "filled flow of 5 km²"
    assert normalise("\ufe8d\ufedf") == "ال"


def test_corpus_folder_reports_each_file_plainly(
    docs: Path, index: KnowledgeIndex, settings: Settings, embedder: CountingEmbedder
) -> None:
    cases.with_trailing_bytes(docs / "padded.pdf")
    cases.wiped_pages_and_metadata(docs / "datasheet.pdf")
    cases.few_words(docs / "notice.pdf")
    cases.cut_incremental_update(docs / "stalled.pdf")
    badfiles.encrypted_pdf(docs / "locked.pdf", "AES-256")
    badfiles.encrypted_pdf(docs / "owner-only.pdf", "AES-256", user_password="")
    report = ingest([docs], index, settings)
    status = {d.document: (d.status, d.reason) for d in report.documents}
    for name in ("padded.pdf", "datasheet.pdf", "notice.pdf", "owner-only.pdf"):
        assert status[name][0] == "added", status[name]
    assert status["stalled.pdf"] == ("failed", DAMAGED)
    assert status["locked.pdf"] == ("failed", ENCRYPTED)
    assert embedder.texts == report.embedded == index.count()
