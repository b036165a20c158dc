from pathlib import Path

import pytest

from bot.common.audit import read_audit
from bot.settings import Settings
from ingestion.pipeline import ingest
from knowledge.index import KnowledgeIndex
from tests.ingestion.samples import paragraph

NHS_NUMBER = "943 476 5919"  # a modulus-11 valid test number


def _pdf_with_identifier(path: Path) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    for n in range(1, 4):
        pdf.add_page()
        pdf.set_font("Helvetica", "", 11)
        text = paragraph("headspace", n)
        if n == 2:
            text += f" The audit sheet listed NHS number {NHS_NUMBER} for one case."
        pdf.multi_cell(0, 6, text)
    pdf.output(str(path))
    return path


def test_chunks_with_patient_identifiers_are_withheld(
    docs: Path, index: KnowledgeIndex, settings: Settings
) -> None:
    _pdf_with_identifier(docs / "audit.pdf")
    report = ingest([docs], index, settings)
    row = report.documents[0]
    assert row.status == "added" and row.withheld_pages == ["2"]
    assert "page(s) 2" in row.reason and "patient-identifiable" in row.reason
    assert NHS_NUMBER not in report.model_dump_json()
    stored = " ".join(c.text for c in index.chunks())
    assert "5919" not in stored and "Marker P001" in stored and "Marker P003" in stored
    assert {c.page for c in index.chunks()} == {"1", "3"}
    assert "5919" not in str(read_audit(settings.data_dir))


def test_document_entirely_patient_data_fails(
    docs: Path, index: KnowledgeIndex, settings: Settings
) -> None:
    (docs / "list.md").write_text(f"# Clinic list\n\nMrs Smith, NHS number {NHS_NUMBER}.\n")
    report = ingest([docs], index, settings)
    assert report.documents[0].status == "failed"
    assert "patient-identifiable" in report.documents[0].reason
    assert NHS_NUMBER not in report.model_dump_json()
    assert index.live_name() is None and report.outcome == "empty"


def test_file_names_titles_and_headings_are_screened_too(
    docs: Path, index: KnowledgeIndex, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    caplog.set_level(logging.INFO)
    (docs / "Mrs Jane Smith DOB 04-05-1950.md").write_text(
        "# Falls review\n\nThe ward reviewed its falls pathway.\n", encoding="utf-8"
    )
    (docs / "heading.md").write_text(
        "# Ward review\n\nThe ward reviewed its discharge plan.\n\n"
        "## Patient NHS no 943 476 5919\n\nSeen twice.\n\n## Staffing\n\nThe rota was stable.\n",
        encoding="utf-8",
    )
    report = ingest([docs], index, settings)
    shown = report.model_dump_json() + caplog.text
    # the date whole: a bare "1950" may turn up inside a version name or a timing by chance
    assert "Smith" not in shown and "04-05-1950" not in shown and "9434765919" not in shown
    assert "file name contains patient-identifiable data" in shown
    stored = " ".join(f"{c.document} {c.title} {c.section} {c.text}" for c in index.chunks())
    assert "Smith" not in stored and "943 476 5919" not in stored
    assert "The rota was stable." in stored  # the rest of the document is indexed
