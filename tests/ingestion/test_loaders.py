import time
from pathlib import Path

import pytest

from ingestion.chunking import make_chunks
from ingestion.html import load_html
from ingestion.loaders import load_document
from ingestion.markdown import load_text
from ingestion.pdf import load_pdf
from ingestion.sniff import sniff
from ingestion.text import decode, unwrap
from ingestion.word import load_docx
from tests.ingestion.samples import (
    HTML_PAGE,
    make_docx,
    make_report_pdf,
    make_two_column_pdf,
)
from tests.pdfgen import SITE_ROWS, TEAM_TABLE_ROWS, grouped_header_pdf, unruled_table_pdf


def test_pdf_pages_headings_table_and_boilerplate(tmp_path: Path) -> None:
    pdf = make_report_pdf(tmp_path / "report.pdf", pages=6)
    parsed = load_pdf(pdf, "report.pdf")
    assert parsed.title == "Change report" and parsed.pages == 6
    text = "\n".join(b.text for b in parsed.blocks)
    assert "The Test Foundation" not in text  # running header removed
    assert "........" not in text and not any(b.page == 2 for b in parsed.blocks)  # contents page
    assert not any(line.strip().isdigit() for line in text.splitlines())  # page numbers
    chapter = next(b for b in parsed.blocks if b.page == 4)
    assert chapter.section == ("Chapter 2: Leadership", "Why leadership matters")
    assert "Headspace | No time to think | Protect a weekly hour" in text  # table row kept whole
    for block in parsed.blocks:  # every page marker sits on the page it was printed on
        for n in range(1, 7):
            if f"P{n:03d}" in block.text:
                assert block.page == n


def test_pdf_chunks_cite_the_page_the_text_came_from(tmp_path: Path) -> None:
    pdf = make_report_pdf(tmp_path / "report.pdf", pages=5, paragraphs=3)
    chunks = make_chunks(load_pdf(pdf, "report.pdf"), document="report.pdf", doc_hash="f" * 64)
    marked = [c for c in chunks if "Marker P" in c.text]
    assert len(marked) >= 4
    for chunk in marked:
        marker = chunk.text.split("Marker P", 1)[1][:3]
        assert chunk.page == str(int(marker))


def test_two_column_reading_order(tmp_path: Path) -> None:
    parsed = load_pdf(make_two_column_pdf(tmp_path / "two.pdf"), "two.pdf")
    text = " ".join(b.text for b in parsed.blocks)
    assert "Left column opens here and continues about recognition of the need to change" in text
    assert "Right column starts on motivation and the energy to keep going" in text
    assert text.index("ends the left story") < text.index("Right column starts")


def test_a_word_table_keeps_each_value_in_its_column(tmp_path: Path) -> None:
    """An empty corner cell over the row labels stays a cell, as does a value equal to the
    one beside it; a cell merged across two columns is read once."""
    import docx

    document = docx.Document()
    table = document.add_table(rows=4, cols=3)
    rows = (("", "Linden Unit", "Rowan Suite"), ("Treatment chairs", "16", "6"))
    for r, row in enumerate(rows + (("Sunday", "Closed", "Closed"),)):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    merged = table.cell(3, 1).merge(table.cell(3, 2))
    table.cell(3, 0).text = "Notes"
    merged.text = "Both units book through the SACT team"
    path = tmp_path / "units.docx"
    document.save(str(path))
    lines = [b.text for b in load_docx(path, "units.docx").blocks]
    text = "\n".join(lines).splitlines()
    assert "| Linden Unit | Rowan Suite" in text, text
    assert "Treatment chairs | 16 | 6" in text
    assert "Sunday | Closed | Closed" in text
    assert "Notes | Both units book through the SACT team" in text


def test_docx_headings_table_hidden_runs(tmp_path: Path) -> None:
    doc = make_docx(tmp_path / "playbook.docx", hidden="HIDDEN-RUN-TEXT")
    parsed = load_docx(doc, "playbook.docx")
    assert parsed.title == "Ward change playbook"
    by_text = {b.text: b.section for b in parsed.blocks}
    assert by_text["Use run charts to show change over time."] == (
        "Getting started",
        "Measuring progress",
    )
    assert by_text["Matron | Sponsor the change"] == ("Who does what",)
    assert any("£120 per session – funded" in t for t in by_text)
    assert not any("HIDDEN-RUN-TEXT" in t for t in by_text)
    # bullets and numbered items keep a list mark, as in Markdown; the line announcing them not
    assert "- the run chart shows six points below the median;" in by_text
    assert "- the weekly data are missing twice." in by_text
    assert "Escalate to the matron if:" in by_text


def test_html_main_content_only(tmp_path: Path) -> None:
    parsed = load_html(HTML_PAGE.encode(), "page.html")
    text = "\n".join(b.text for b in parsed.blocks)
    assert parsed.title == "Headspace for change"
    assert "protected time to think" in text and "Block a weekly hour" in text
    assert "Weekly hour | Ward manager" in text
    for marker in (
        "SCRIPT",
        "HEADER-TEXT",
        "NAV-TEXT",
        "HIDDEN",
        "SR-ONLY",
        "ASIDE",
        "FOOTER",
        "ignore previous",
        "attacker",
        "javascript",
        "color: red",
    ):
        assert marker not in text
    steps = next(b for b in parsed.blocks if "Block a weekly hour" in b.text)
    assert steps.section == ("Practical steps",)


def test_html_deep_nesting_is_bounded() -> None:
    page = "<html><body><main>" + "<div>" * 5000 + "deep text" + "</div>" * 5000 + "</main>"
    started = time.monotonic()
    parsed = load_html(page.encode(), "deep.html")
    assert "deep text" in parsed.blocks[0].text
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("codec", ["cp1252", "utf-16", "utf-16-be", "utf-8-sig", "utf-8"])
def test_text_encodings_preserve_pound_and_dash(tmp_path: Path, codec: str) -> None:
    text = "Budget: £2,500 – agreed by the board’s “sponsor”.\n\nSecond paragraph."
    data = text.encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data
    path = tmp_path / "notes.txt"
    path.write_bytes(data)
    assert sniff(path, "notes.txt") == "text"
    parsed = load_text(data, "notes.txt")
    assert parsed.blocks[0].text == text


def test_text_cleaning_strips_invisible_and_nul() -> None:
    raw = "Safe\u200b text\u202e with\x00 tags\U000e0041\U000e0042 and e\u0301".encode()
    assert decode(raw) == "Safe text with tags and é"


def test_type_by_magic_bytes_not_extension(tmp_path: Path) -> None:
    pdf = make_report_pdf(tmp_path / "report.docx", pages=3)
    html = tmp_path / "page.pdf"
    html.write_text(HTML_PAGE, encoding="utf-8")
    md = tmp_path / "note.txt"
    md.write_text("---\ntitle: A note\n---\n# A note\n\nBody.", encoding="utf-8")
    assert sniff(pdf, "report.docx") == "pdf"
    assert sniff(html, "page.pdf") == "html"
    assert sniff(md, "note.txt") == "markdown"
    assert load_document(pdf, "pdf", "report.docx").pages == 3


@pytest.mark.parametrize(
    ("text", "unwrapped"),
    [
        (
            "Claims more than 3 months old\nare not paid.",
            "Claims more than 3 months old are not paid.",
        ),
        (  # a bullet's wrapped line joins its bullet; the next bullet keeps its line
            "- Each item may be issued 12 times or\n  for 12 months.\n- Next item",
            "- Each item may be issued 12 times or for 12 months.\n- Next item",
        ),
        (  # a heading line, a finished sentence and labelled lines keep their lines
            "Who runs it\nThe hub is led by Tomasz Wierzbicki, Lead Pharmacist for Discharge.\n"
            "Contact the hub\n  Email: hub@example.nhs.uk\n  Phone: 01632 960417",
            "Who runs it\nThe hub is led by Tomasz Wierzbicki, Lead Pharmacist for Discharge.\n"
            "Contact the hub\n  Email: hub@example.nhs.uk\n  Phone: 01632 960417",
        ),
        ("Drug          Test\nLithium       level", "Drug          Test\nLithium       level"),
        (
            "PURPOSE\n-------\nThis SOP sets out\nhow we work.",
            "PURPOSE\n-------\nThis SOP sets out how we work.",
        ),
    ],
)
def test_lines_wrapped_for_width_are_joined(text: str, unwrapped: str) -> None:
    assert unwrap(text) == unwrapped


def test_a_wrapped_text_file_reads_as_sentences(tmp_path: Path) -> None:
    data = (
        b"Rest breaks\n\nIf a break is missed, staff may claim a payment. Claims more than\n"
        b"3 months old are not paid.\n"
    )
    parsed = load_text(data, "policy.txt")
    assert "Claims more than 3 months old are not paid." in parsed.blocks[0].text


def test_a_table_without_cell_borders_is_read_row_by_row(tmp_path: Path) -> None:
    """Names flush left, figures flush right, two-line headers: each row reads with its label,
    under one header row, and the prose around the table stays prose."""
    pdf = unruled_table_pdf(tmp_path / "teams.pdf", "School nursing quarterly report")
    text = "\n".join(b.text for b in load_pdf(pdf, "teams.pdf").blocks)
    header = "Team | Open caseload | New referrals (Jul-Sep) | Did not attend rate | Vacancy rate"
    assert header in text.splitlines(), text
    for row in TEAM_TABLE_ROWS:
        assert " | ".join(row) in text.splitlines(), text
    assert "Riverside remains the outlier, with two school nurses on long-term leave." in text
    assert "Table 1. School nursing teams, quarter 2" in text.splitlines()


def test_a_header_naming_groups_of_columns_names_each_column(tmp_path: Path) -> None:
    """ "Referrals" centred over "Q1 | Q2": each column is read with its group's name and its own,
    so "Waiting >62 days 30 Sep" stands over Eastmere's 58."""
    pdf = grouped_header_pdf(tmp_path / "sites.pdf", "Cancer performance report")
    lines = "\n".join(b.text for b in load_pdf(pdf, "sites.pdf").blocks).splitlines()
    header = (
        "Site | Referrals Q1 | Referrals Q2 | Seen in 28 days Q1 | Seen in 28 days Q2"
        " | Waiting >62 days 30 Jun | Waiting >62 days 30 Sep"
    )
    assert header in lines, lines
    for row in SITE_ROWS:
        assert " | ".join(row) in lines, lines
    assert "Eastmere's long waiters rose over the quarter." in lines


def test_two_columns_of_prose_are_not_read_as_a_table(tmp_path: Path) -> None:
    pdf = make_two_column_pdf(tmp_path / "columns.pdf")
    text = "\n".join(b.text for b in load_pdf(pdf, "columns.pdf").blocks)
    assert " | " not in text


def test_a_saved_email_is_titled_by_its_subject_and_its_header_lines_stand_apart() -> None:
    data = (
        b"From: Priya Shah <priya.shah@trust.example>\nTo: Ward managers; Matrons\n"
        b"Cc: Lee Hart\nDate: Tue 5 Nov 2024 16:42\n"
        b"Subject: Discharge lounge - new hours from 2 December\n\n"
        b"Hi all,\n\nFrom 2 December the lounge opens 08:00 to 20:00.\n"
    )
    parsed = load_text(data, "email-lounge.txt")
    assert parsed.title == "Discharge lounge - new hours from 2 December"
    paragraphs = parsed.blocks[0].text.split("\n\n")
    assert paragraphs[:2] == [
        "From: Priya Shah <priya.shah@trust.example>",
        "To: Ward managers; Matrons",
    ]
    assert "From 2 December the lounge opens 08:00 to 20:00." in paragraphs


def test_labelled_lines_of_a_note_are_not_an_email() -> None:
    data = b"Date: 3 March 2025\nVenue: Room 4\nChair: Dr Amos\n\nMinutes follow.\n"
    assert load_text(data, "minutes-march.txt").title == "minutes march"
