"""Second public-corpus trial (py-pdf/sample-files): the faults it found, reproduced small.

Every PDF is generated here (``tests.ingestion.pdf_cases``); nothing from the corpus is stored.
Cases: a chart frame read as a one-cell table row (its axis labels joined into a number that
passes the NHS checksum, so the page was withheld), glyphs painted twice ("DDaattaa
SShheeeett"), pages turned by /Rotate after their text was laid out upright (one letter a
line), the same short text on every page of a PDF with no scans (refused as page furniture),
and a placeholder /Info title ("untitled") used to cite the document.
"""

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.common.errors import UnreadableDocument
from bot.common.privacy import screen
from bot.settings import Settings
from ingestion.build import withhold_patient_data
from ingestion.chunking import make_chunks
from ingestion.document import ParsedDocument
from ingestion.pdf import ENCRYPTED, ONLY_FURNITURE
from ingestion.pipeline import ingest
from ingestion.sandbox import ParserSandbox
from knowledge.index import KnowledgeIndex
from tests.ingestion import badfiles
from tests.ingestion import pdf_cases as cases
from tests.ingestion.conftest import CountingEmbedder

Generator = Callable[[Path], Path]
READABLE: list[tuple[Generator, str]] = [
    (cases.chart_in_frame, "Every open ball is a square in this metric."),
    (cases.overprinted_glyphs, "Supply voltage 500 VDC, coming soon."),
    (cases.turned_pages, cases.TURNED_TEXT % 2),
    (cases.landscape_by_rotate, cases.TURNED_TEXT % 1),
    (cases.same_text_on_every_page, cases.NOTICE),
    (cases.placeholder_title, "Visitors are welcome from two until eight in the evening."),
]


def _parse(pdf_sandbox: ParserSandbox, make: Generator, folder: Path) -> ParsedDocument:
    pdf = make(folder / f"{make.__name__}.pdf")
    return pdf_sandbox.parse(pdf, "pdf", pdf.name)


def _text(parsed: ParsedDocument) -> str:
    return "\n".join(block.text for block in parsed.blocks)


@pytest.mark.parametrize(("make", "expected"), READABLE, ids=[m.__name__ for m, _ in READABLE])
def test_readable_pdf_from_the_second_trial_is_read_with_its_text(
    pdf_sandbox: ParserSandbox, tmp_path: Path, make: Generator, expected: str
) -> None:
    assert expected in _text(_parse(pdf_sandbox, make, tmp_path))


def test_chart_labels_in_a_frame_stay_apart_and_nothing_is_withheld(
    pdf_sandbox: ParserSandbox, tmp_path: Path
) -> None:
    assert screen(cases.CHART_TICKS).sensitive  # why it matters: joined, they pass the checksum
    parsed = _parse(pdf_sandbox, cases.chart_in_frame, tmp_path)
    assert cases.CHART_TICKS not in _text(parsed)
    chunks, withheld = withhold_patient_data(
        make_chunks(parsed, document="chart.pdf", doc_hash="0" * 64)
    )
    assert withheld == []
    assert "The unit circle for the maximum metric:" in chunks[0].text


def test_glyphs_painted_twice_are_read_once_and_doubled_letters_stay(
    pdf_sandbox: ParserSandbox, tmp_path: Path
) -> None:
    parsed = _parse(pdf_sandbox, cases.overprinted_glyphs, tmp_path)
    assert parsed.title == "Data Sheet"
    text = _text(parsed)
    assert "DDaattaa" not in text
    assert "Supply voltage 500 VDC, coming soon." in text


def test_each_turned_page_reads_as_written_on_its_own_page(
    pdf_sandbox: ParserSandbox, tmp_path: Path
) -> None:
    parsed = _parse(pdf_sandbox, cases.turned_pages, tmp_path)
    assert parsed.pages == 3
    pages = {block.page: block.text for block in parsed.blocks}
    assert pages == {n: cases.TURNED_TEXT % n for n in (1, 2, 3)}


def test_the_same_text_on_every_page_is_the_document_unless_the_pages_look_scanned(
    pdf_sandbox: ParserSandbox, tmp_path: Path
) -> None:
    parsed = _parse(pdf_sandbox, cases.same_text_on_every_page, tmp_path)
    assert [block.page for block in parsed.blocks] == [1, 2, 3, 4]
    stamped = cases.furniture_only(tmp_path / "stamped-scan.pdf")
    with pytest.raises(UnreadableDocument) as info:
        pdf_sandbox.parse(stamped, "pdf", stamped.name)
    assert info.value.reason == ONLY_FURNITURE


def test_a_placeholder_title_gives_way_to_the_first_heading(
    pdf_sandbox: ParserSandbox, tmp_path: Path
) -> None:
    assert (
        _parse(pdf_sandbox, cases.placeholder_title, tmp_path).title == "Visiting hours on ward 7"
    )


def test_second_trial_folder_is_indexed_and_reported_plainly(
    docs: Path, index: KnowledgeIndex, settings: Settings, embedder: CountingEmbedder
) -> None:
    for make, _ in READABLE:
        make(docs / f"{make.__name__}.pdf")
    badfiles.encrypted_pdf(docs / "password.pdf", "AES-256")
    badfiles.blank_pdf(docs / "image-only.pdf")
    report = ingest([docs], index, settings)
    status = {d.document: (d.status, d.reason) for d in report.documents}
    for make, _ in READABLE:
        assert status[f"{make.__name__}.pdf"] == ("added", ""), make.__name__
    assert status["password.pdf"] == ("failed", ENCRYPTED)
    assert status["image-only.pdf"][0] == "failed"
    assert "needs OCR" in status["image-only.pdf"][1]
    titles = {chunk.document: chunk.title for chunk in index.chunks()}
    assert titles["overprinted_glyphs.pdf"] == "Data Sheet"
    assert titles["placeholder_title.pdf"] == "Visiting hours on ward 7"
    assert embedder.texts == report.embedded == index.count()
