"""Generated PDFs for load tests: each one distinct (its own ward, topic mix and figures).

Every sentence names the document's ward, so no two documents share a passage: an ingest of
them is real parsing and embedding work, never deduplicated away.
"""

from __future__ import annotations

from pathlib import Path

from bench.samples import TOPICS


def _sentences(ward: int, page: int, topic: str) -> list[str]:
    return [
        f"On ward {ward} the {topic} work in month {page} involved {ward * 3 + page} staff.",
        f"Ward {ward} reviewed {topic} with its matron and agreed {page + 2} next steps.",
        f"The ward {ward} huddle on {topic} met {ward % 7 + page} times before the audit.",
        f"Sisters on ward {ward} said {topic} improved once {page + ward % 5} hours were "
        "protected each week.",
    ]


def write_many_pdfs(folder: Path, count: int, pages: int = 3) -> list[Path]:
    """``count`` small multi-page report PDFs named ``ward-NNN-report.pdf``."""
    from fpdf import FPDF

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for ward in range(count):
        pdf = FPDF()
        pdf.set_title(f"Ward {ward} improvement report")
        for page in range(1, pages + 1):
            topic = TOPICS[(ward + page) % len(TOPICS)]
            pdf.add_page()
            pdf.set_font("Helvetica", "B", 16)
            pdf.cell(0, 10, f"Ward {ward}: {topic.title()}", new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("Helvetica", "", 11)
            for sentence in _sentences(ward, page, topic):
                pdf.multi_cell(0, 6, sentence, new_x="LMARGIN", new_y="NEXT")
                pdf.ln(2)
        path = folder / f"ward-{ward:03d}-report.pdf"
        pdf.output(str(path))
        written.append(path)
    return written
