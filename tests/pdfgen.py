"""A small titled PDF (metadata title, one heading, body paragraphs), written with fpdf2."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fpdf import FPDF


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


TEAM_TABLE_HEADER = (
    ("Team",),
    ("Open", "caseload"),
    ("New referrals", "(Jul-Sep)"),
    ("Did not attend", "rate"),
    ("Vacancy", "rate"),
)
TEAM_TABLE_ROWS = (
    ("Northgate", "1,240", "312", "8.2%", "6.0%"),
    ("Riverside", "1,585", "406", "14.7%", "19.4%"),
    ("Castlefield", "980", "241", "6.1%", "0.0%"),
    ("Moorend", "1,102", "287", "11.9%", "11.8%"),
    ("All teams", "4,907", "1,246", "10.6%", "9.9%"),
)


def _titled_page(pdf: FPDF, title: str) -> FPDF:
    """A new first page with the report's title set large, as report tools start one."""
    pdf.set_title(title)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 10, title, new_x="LMARGIN", new_y="NEXT")
    return pdf


def unruled_table_pdf(path: Path, title: str) -> Path:
    """A report page whose table has no cell borders: names flush left, figures flush right,
    headers of two lines set flush left, as report tools lay them out; prose before and after.
    """
    from fpdf import FPDF

    widths = (40, 28, 32, 32, 28)
    pdf = _titled_page(FPDF(), title)
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(
        0, 6, "Demand on the school nursing service rose again this quarter.", new_x="LMARGIN"
    )
    pdf.ln(2)
    pdf.cell(0, 6, "Table 1. School nursing teams, quarter 2", new_x="LMARGIN", new_y="NEXT")
    top = pdf.get_y() + 2
    x = pdf.l_margin
    for width, lines in zip(widths, TEAM_TABLE_HEADER, strict=True):
        for n, line in enumerate(lines):
            pdf.set_xy(x + 1, top + 5 * n)
            pdf.cell(width - 2, 5, line, align="L")
        x += width
    y = top + 13
    for row in TEAM_TABLE_ROWS:
        x = pdf.l_margin
        for i, (width, cell) in enumerate(zip(widths, row, strict=True)):
            pdf.set_xy(x + 1, y)
            pdf.cell(width - 2, 6, cell, align="L" if i == 0 else "R")
            x += width
        y += 7
    pdf.set_xy(pdf.l_margin, y + 4)
    pdf.multi_cell(
        0,
        6,
        "Riverside remains the outlier, with two school nurses on long-term leave.",
        new_x="LMARGIN",
    )
    pdf.output(str(path))
    return path


SITE_GROUPS = ("Referrals", "Seen in 28 days", "Waiting >62 days")
SITE_SUBHEADS = ("Site", "Q1", "Q2", "Q1", "Q2", "30 Jun", "30 Sep")
SITE_ROWS = (
    ("Northfield", "4,812", "5,034", "79.6%", "79.1%", "112", "96"),
    ("Eastmere", "2,147", "2,265", "74.1%", "75.0%", "49", "58"),
)


def grouped_header_pdf(path: Path, title: str) -> Path:
    """A table without borders whose header has two levels: a group name centred over each
    pair of columns ("Referrals" over "Q1 | Q2"), then a name over every column."""
    from fpdf import FPDF

    widths = (40, 22, 22, 22, 22, 22, 22)
    pdf = _titled_page(FPDF(), title)
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(0, 6, "Table 2 compares the two sites this year.", new_x="LMARGIN")
    top = pdf.get_y() + 4
    x = pdf.l_margin + widths[0]
    for group in SITE_GROUPS:
        pdf.set_xy(x, top)
        pdf.cell(widths[1] * 2, 5, group, align="C")
        x += widths[1] * 2
    rows = (SITE_SUBHEADS, *SITE_ROWS)
    for n, row in enumerate(rows):
        x = pdf.l_margin
        for i, (width, cell) in enumerate(zip(widths, row, strict=True)):
            pdf.set_xy(x + 1, top + 6 + 6 * n)
            pdf.cell(width - 2, 5, cell, align="L" if i == 0 else "R")
            x += width
    pdf.set_xy(pdf.l_margin, top + 6 + 6 * len(rows) + 4)
    pdf.multi_cell(0, 6, "Eastmere's long waiters rose over the quarter.", new_x="LMARGIN")
    pdf.output(str(path))
    return path
