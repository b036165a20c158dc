"""A small titled PDF (metadata title, one heading, body paragraphs), written with fpdf2."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


def titled_pdf(path: Path, heading: str, lines: Sequence[str], meta_title: str = "") -> Path:
    """One page: ``heading`` in bold 18 pt over 11 pt paragraphs; /Title is ``meta_title``."""
    from fpdf import FPDF

    pdf = FPDF()
    if meta_title:
        pdf.set_title(meta_title)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 18)
    pdf.cell(0, 12, heading, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11)
    for line in lines:
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    pdf.output(str(path))
    return path
