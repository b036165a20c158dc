"""Generated documents (a Markdown note, a multi-page report PDF) for benchmarks and tests.

Nothing third-party is committed: every document is generated from these functions. The ingestion
tests import them from here too. The PDF needs ``fpdf2`` (in the dev extras).
"""

from __future__ import annotations

from pathlib import Path


def write_note(folder: Path, name: str, topic: str, paragraphs: int = 1) -> Path:
    """A short Markdown note about ``topic`` with a heading per paragraph."""
    body = [f"# Notes on {topic}", ""]
    for i in range(paragraphs):
        body += [
            f"## {topic.title()} part {i + 1}",
            "",
            f"This note explains {topic} for NHS change leaders, point {i + 1}. "
            f"It covers why {topic} matters and what a ward team can do next.",
            "",
        ]
    path = folder / name
    path.write_text("\n".join(body), encoding="utf-8")
    return path


TOPICS = [
    "recognition",
    "motivation",
    "headspace",
    "capability",
    "leadership",
    "culture",
    "data and analytics",
    "resources",
    "management practice",
    "enabling environment",
]


def paragraph(topic: str, n: int, sentences: int = 3) -> str:
    """A deterministic paragraph about ``topic`` that names its page marker ``n``."""
    base = [
        f"Marker P{n:03d}: this passage is about {topic} in NHS change programmes.",
        f"Teams that work on {topic} agree a shared view of the problem first.",
        f"Leaders review progress on {topic} every month with front-line staff.",
        f"Evidence from trusts suggests {topic} improves when time is protected.",
        f"A practical next step on {topic} is a short weekly huddle.",
    ]
    return " ".join(base[i % len(base)] for i in range(sentences))


def make_report_pdf(
    path: Path,
    pages: int = 4,
    title: str = "Change report",
    table: bool = True,
    contents: bool = True,
    paragraphs: int = 1,
) -> Path:
    """A multi-page report: title, contents page, H1/H2 headings, running header/footer, table."""
    from fpdf import FPDF

    class Report(FPDF):
        def header(self) -> None:
            if self.page_no() > 1:
                self.set_font("Helvetica", "", 8)
                self.cell(0, 8, f"{title} | The Test Foundation", align="C")
                self.ln(12)

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("Helvetica", "", 8)
            self.cell(0, 8, str(self.page_no()), align="C")

    pdf = Report()
    pdf.set_title(title)
    pdf.set_auto_page_break(auto=False)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 24)
    pdf.cell(0, 20, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(0, 6, paragraph("the purpose of this report", 1))
    first_body = 2
    if contents:
        pdf.add_page()
        pdf.set_font("Helvetica", "B", 16)
        pdf.cell(0, 10, "Contents", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 11)
        for i in range(3, pages + 1):
            pdf.cell(
                0,
                7,
                f"Chapter {i - 2}: {TOPICS[i % len(TOPICS)].title()} ........ {i}",
                new_x="LMARGIN",
                new_y="NEXT",
            )
        first_body = 3
    for n in range(first_body, pages + 1):
        topic = TOPICS[n % len(TOPICS)]
        pdf.add_page()
        pdf.set_font("Helvetica", "B", 16)
        pdf.cell(
            0, 10, f"Chapter {n - first_body + 1}: {topic.title()}", new_x="LMARGIN", new_y="NEXT"
        )
        pdf.set_font("Helvetica", "B", 13)
        pdf.cell(0, 9, f"Why {topic} matters", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 11)
        for k in range(paragraphs):
            pdf.multi_cell(0, 6, paragraph(topic, n, 3 + k % 3), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
        if table and n == pages:
            pdf.set_font("Helvetica", "", 10)
            with pdf.table() as grid:
                for cells in (
                    ("Barrier", "Sign", "Response"),
                    ("Headspace", "No time to think", "Protect a weekly hour"),
                    ("Capability", "Skills gap in QI", "Coaching from the QI team"),
                ):
                    row = grid.row()
                    for cell in cells:
                        row.cell(cell)
    pdf.output(str(path))
    return path
