"""Generators of real-world PDF faults found in a public corpus, all built in tmp_path.

Each reproduces, in a few hundred bytes, a file kind that a trial on a public corpus
(py-pdf/sample-files, pdfminer.six samples, pdf.js test PDFs, pypdf resources) reported wrongly:
readable PDFs called damaged or "needs OCR", or text that came out as noise. Small hand-written
PDFs are laid out by ``_assemble`` with a correct cross-reference table, so each fault is exactly
the one named.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from tests.ingestion.badfiles import _deflated_zeros, assemble_pdf
from tests.ingestion.samples import make_report_pdf
from tests.pdfgen import titled_pdf

HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
CHART_TICKS = "4 2 4 2 2 4 2 4 6 8"  # a chart axis (it passes the NHS number checksum)
ARABIC_LOGICAL = "انواع الخطوط"  # "types of fonts", in logical (reading) order


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def _text_ops(lines: list[str]) -> bytes:
    """Helvetica (font /F1) text, one line after another from the top of the page."""
    ops = [b"BT /F1 12 Tf 72 720 Td 16 TL"]
    for line in lines:
        ops.append(b"(" + line.encode("cp1252") + b") Tj T*")
    return b"\n".join(ops + [b"ET"])


def _one_page(contents: bytes, resources: bytes, extra: list[bytes] | None = None) -> list[bytes]:
    """Catalog, pages, a page using object 4 as its content stream, then ``extra`` objects."""
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources " + resources + b" >>",
        _stream(contents),
        *(extra or []),
    ]


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# -- completeness: trailing bytes, missing %%EOF, cut-off updates -------------------------------
def with_trailing_bytes(path: Path) -> Path:
    """A whole report followed by zero padding and a web server's error page (both after %%EOF)."""
    source = make_report_pdf(path.with_suffix(".src.pdf"), pages=2, contents=False, table=False)
    junk = bytes(3000) + b"<html><body><h1>502 Bad Gateway</h1></body></html>\n" * 20
    data = source.read_bytes() + junk
    source.unlink()
    return _write(path, data)


def without_eof_marker(path: Path) -> Path:
    """Junk before the header and no startxref value or %%EOF, but every object complete."""
    source = make_report_pdf(path.with_suffix(".src.pdf"), pages=2, contents=False, table=False)
    data = re.sub(rb"startxref\s+\d+\s+%%EOF\s*$", b"startxref\n", source.read_bytes())
    source.unlink()
    return _write(path, b"Some junk before the header\n\n" + data)


def cut_incremental_update(path: Path) -> Path:
    """A complete PDF, then an incremental update cut off mid-object (a stalled download)."""
    source = make_report_pdf(path.with_suffix(".src.pdf"), pages=2, contents=False, table=False)
    data = source.read_bytes() + b"\n40 0 obj\n<< /Type /Annot /Subtype /Text /Contents (Upd"
    source.unlink()
    return _write(path, data)


# -- structure that one parser rejects and the other reads --------------------------------------
def wiped_pages_and_metadata(path: Path) -> Path:
    """The page-tree root and /Info objects overwritten with NULs, offsets intact.

    The shape of py-pdf/sample-files' "unreadable metadata" datasheet: pypdf cannot resolve
    /Pages ("Invalid object in /Pages"); pdfminer finds the pages by scanning the objects.
    """
    source = make_report_pdf(path.with_suffix(".src.pdf"), pages=2, contents=False, table=False)
    data = bytearray(source.read_bytes())
    source.unlink()
    entries = data.index(b"\n", data.rindex(b"\nxref\n") + len(b"\nxref\n")) + 1
    for key in (rb"/Pages", rb"/Info"):
        number = int(re.search(key + rb" (\d+) 0 R", data).group(1))  # type: ignore[union-attr]
        start = re.search(rb"(?<![0-9])%d 0 obj" % number, data).start()  # type: ignore[union-attr]
        end = data.index(b"endobj", start) + len(b"endobj")
        data[start:end] = bytes(end - start)
        entry = entries + 20 * number  # "0000000015 00000 n \n": 20 bytes an entry
        data[entry + 11 : entry + 18] = b"00000 f"
    return _write(path, bytes(data))


def without_root(path: Path) -> Path:
    """A trailer without /Root: pdfminer gives up ("No /Root object!"), pypdf recovers it."""
    source = make_report_pdf(path.with_suffix(".src.pdf"), pages=2, contents=False, table=False)
    data = re.sub(rb"/Root \d+ 0 R", b"", source.read_bytes())
    source.unlink()
    return _write(path, data)


def cyclic_page_tree(path: Path, contents: bytes | None = None) -> Path:
    """A /Pages node that lists itself among its kids (pdf.js "Pages-tree-refs")."""
    text = _text_ops(["Cyclic page tree: the ward rota still reads.", "Second line of text."])
    objects = _one_page(contents or text, b"<< /Font << /F1 5 0 R >> >>", [HELVETICA])
    objects[1] = b"<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>"
    if contents is not None:
        objects[3] = _stream(contents, b"/Filter /FlateDecode ")
    return _write(path, assemble_pdf(objects))


def cyclic_page_tree_bomb(path: Path, inflated: int = 100 << 20) -> Path:
    """A Flate bomb in a file pypdf cannot walk: the raw stream scan must still stop it."""
    return cyclic_page_tree(path, contents=_deflated_zeros(inflated, nested=False))


def jbig2_in_contents(path: Path) -> Path:
    """A plain page whose content array also names a JBIG2 stream (pdf.js "bomb_giant").

    pypdf cannot decode JBIG2 without jbig2dec and raised DependencyError, which was taken to
    mean "encrypted"; the file is not encrypted and its text is readable.
    """
    text = _text_ops(["Fax cover sheet for the discharge team."])
    objects = _one_page(text, b"<< /Font << /F1 5 0 R >> >>", [HELVETICA])
    objects[2] = objects[2].replace(b"/Contents 4 0 R", b"/Contents [4 0 R 6 0 R]")
    objects.append(_stream(b"\x00\x00\x00\x01" * 8, b"/Filter /JBIG2Decode "))
    return _write(path, assemble_pdf(objects))


def furniture_only(path: Path, pages: int = 3) -> Path:
    """Image-like pages whose only text is a running header and page numbers (a stamped scan)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", "", 9)
    for number in range(1, pages + 1):
        pdf.add_page()
        pdf.cell(0, 8, "OFFICIAL - SENSITIVE", align="C")
        pdf.rect(20, 30, 170, 220, style="F")  # where the scanned image would be
        pdf.set_y(-15)
        pdf.cell(0, 8, str(number), align="C")
    pdf.output(str(path))
    return path


# -- where the text is, and how it is encoded ---------------------------------------------------
def few_words(path: Path, text: str = "Ward closed Friday", bold: bool = True) -> Path:
    """One page with a few words only (a notice, a form's labels): text, not a scan."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "B" if bold else "", 16)
    pdf.cell(0, 10, text)
    pdf.output(str(path))
    return path


def text_in_form_xobject(path: Path) -> Path:
    """All of the page's text inside a form XObject, with a chart's tick labels below it.

    Imported and stamped pages are drawn this way; pdfminer reports their text inside a figure.
    """
    lines = ["Text drawn by a form XObject.", "Discharge checklist for ward staff.", "", "", ""]
    form = _text_ops([*lines, CHART_TICKS])
    form_object = _stream(
        form,
        b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> ",
    )
    resources = b"<< /XObject << /X1 6 0 R >> >>"
    return _write(path, assemble_pdf(_one_page(b"q /X1 Do Q", resources, [HELVETICA, form_object])))


def undecodable_font_name(path: Path) -> Path:
    """A font named in GBK bytes (宋体, as in pdf.js "XiaoBiaoSong"); pdfminer gives bytes."""
    text = _text_ops(["Text set in a font with a GBK name."])
    widths = b" ".join([b"500"] * 95)
    font = (
        b"<< /Type /Font /Subtype /TrueType /BaseFont /#CB#CE#CC#E5 /Encoding /WinAnsiEncoding "
        b"/FirstChar 32 /LastChar 126 /Widths [" + widths + b"] /FontDescriptor 6 0 R >>"
    )
    descriptor = (
        b"<< /Type /FontDescriptor /FontName <CBCECCE5> /Flags 32 /FontBBox [0 -200 1000 900] "
        b"/ItalicAngle 0 /Ascent 900 /Descent -200 /CapHeight 700 /StemV 80 >>"
    )
    objects = _one_page(text, b"<< /Font << /F1 5 0 R >> >>", [font, descriptor])
    return _write(path, assemble_pdf(objects))


def _type0_font(to_unicode: bool) -> list[bytes]:
    """A non-embedded Identity-H font (objects 5-6), with a ToUnicode map (object 7) if asked."""
    cmap = _to_unicode_cmap([ord(c) for c in _visual_glyphs()])
    return [
        b"<< /Type /Font /Subtype /Type0 /BaseFont /NoMapSans /Encoding /Identity-H "
        b"/DescendantFonts [6 0 R] " + (b"/ToUnicode 7 0 R " if to_unicode else b"") + b">>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /NoMapSans /DW 600 "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>",
        _stream(cmap),
    ]


def _to_unicode_cmap(code_points: list[int]) -> bytes:
    entries = b"\n".join(b"<%04X> <%04X>" % (cid, cp) for cid, cp in enumerate(code_points, 1))
    return (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        b"/CMapName /Test def 1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        b"%d beginbfchar\n%s\nendbfchar endcmap CMapName currentdict /CMap defineresource pop "
        b"end end" % (len(code_points), entries)
    )


def _visual_glyphs() -> str:
    """The Arabic words as shaped glyphs (presentation forms) in left-to-right visual order."""
    shaped = {
        "ا": "\ufe8d",
        "ن": "\ufee7",
        "و": "\ufeee",
        "ع": "\ufeca",
        "ل": "\ufedf",
        "خ": "\ufea8",
        "ط": "\ufec4",
    }
    forms = "".join(shaped.get(c, c) for c in ARABIC_LOGICAL)
    assert all(unicodedata.category(c)[0] in "LZ" for c in forms)
    return forms[::-1]


def _cid_show(glyph_count: int, first: int = 1) -> bytes:
    hex_codes = b"".join(b"%04X" % cid for cid in range(first, first + glyph_count))
    return b"BT /F1 14 Tf 72 720 Td <" + hex_codes + b"> Tj ET"


def arabic_visual_order(path: Path) -> Path:
    """Arabic written as presentation-form glyphs left to right, as some producers do."""
    contents = _cid_show(len(_visual_glyphs()))
    font = _type0_font(to_unicode=True)
    return _write(path, assemble_pdf(_one_page(contents, b"<< /Font << /F1 5 0 R >> >>", font)))


def unmapped_glyphs(path: Path) -> Path:
    """Text in a font with no ToUnicode map: pdfminer can only say "(cid:N)" for each glyph.

    The glyph ids fall in the Latin letter range, where pypdf's identity guess reads "DEFG...":
    letters, but not the document's text (pdf.js "ThuluthFeatures" came out as 251 chunks of
    such noise).
    """
    contents = _cid_show(12, first=0x44)
    font = _type0_font(to_unicode=False)[:2]
    return _write(path, assemble_pdf(_one_page(contents, b"<< /Font << /F1 5 0 R >> >>", font)))


# -- second trial (py-pdf/sample-files): frames, overprinting, turned pages, placeholders -------
def chart_in_frame(path: Path) -> Path:
    """A sentence, then a plot in a drawn frame with its axis labels scattered inside it.

    The shape of a pdfTeX/TikZ figure in GeoTopo: each label is its own pdfminer line, and the
    frame looked like a one-cell table row, so the labels became one line "4 2 4 2 2 4 2 4 6 8"
    (CHART_TICKS, which passes the NHS number checksum) and the page was withheld.
    """
    labels = [(205, 752, "4"), (205, 714, "2"), (205, 639, "2"), (205, 601, "4")]
    labels += [(x, 667, text) for x, text in ((136, "4"), (177, "2"), (255, "2"), (296, "4"))]
    labels += [(337, 667, "6"), (378, 667, "8")]
    ops = [b"BT /F1 11 Tf 90 790 Td (The unit circle for the maximum metric:) Tj ET"]
    ops.append(b"110 592 295 182 re S")
    ops += [b"BT /F1 11 Tf %d %d Td (%s) Tj ET" % (x, y, t.encode()) for x, y, t in labels]
    ops.append(b"BT /F1 11 Tf 90 560 Td (Every open ball is a square in this metric.) Tj ET")
    return _write(path, assemble_pdf(_one_page(b"\n".join(ops), _F1, [HELVETICA])))


def overprinted_glyphs(path: Path, title: str = "Data Sheet") -> Path:
    """A title whose every glyph is painted twice on the spot (filled, then stroked).

    The shape of py-pdf/sample-files' "unreadable metadata" datasheet, whose title came out as
    "DDaattaa SShheeeett". The font is monospaced (600 units) so each glyph is stepped back
    exactly; the body has real doubled letters ("Supply", "soon") that must stay.
    """
    twice = b" ".join(b"(%s) 600 (%s)" % (c.encode(), c.encode()) for c in title)
    ops = [
        b"BT /F1 20 Tf 72 760 Td 0 Tr [" + twice + b"] TJ ET",
        b"BT /F1 11 Tf 72 720 Td 16 TL (Supply voltage 500 VDC, coming soon.) Tj T* "
        b"(Rotary potentiometer for panel mounting.) Tj ET",
    ]
    widths = b" ".join([b"600"] * 95)
    font = (
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding "
        b"/FirstChar 32 /LastChar 126 /Widths [" + widths + b"] >>"
    )
    return _write(path, assemble_pdf(_one_page(b"\n".join(ops), _F1, [font])))


def turned_pages(path: Path, turns: tuple[int, ...] = (90, 180, 270)) -> Path:
    """Upright text on pages a tool turned afterwards (/Rotate), one sentence a page.

    pypdf's ``page.rotate`` makes such pages (py-pdf/sample-files "habibi-rotated"); laid out
    with the turn, pdfminer read "habibi" as "h a b b i i".
    """
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    kids = []
    for n, turn in enumerate(turns):
        page, contents = 4 + 2 * n, 5 + 2 * n
        kids.append(b"%d 0 R" % page)
        text = _text_ops([TURNED_TEXT % (n + 1)])
        objects += [
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Rotate %d /Contents %d 0 R "
            b"/Resources << /Font << /F1 3 0 R >> >> >>" % (turn, contents),
            _stream(text),
        ]
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(turns))
    objects.insert(2, HELVETICA)
    return _write(path, assemble_pdf(objects))


def landscape_by_rotate(path: Path) -> Path:
    """A landscape page the usual way round: text drawn sideways, stood up by /Rotate 90."""
    text = b"BT /F1 12 Tf 0 1 -1 0 300 72 Tm (" + (TURNED_TEXT % 1).encode() + b") Tj ET"
    objects = _one_page(text, _F1, [HELVETICA])
    objects[2] = objects[2].replace(b"/Contents", b"/Rotate 90 /Contents")
    return _write(path, assemble_pdf(objects))


def same_text_on_every_page(path: Path, pages: int = 4) -> Path:
    """One short notice printed identically on every page, with nothing else (no scan)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", "", 14)
    for _ in range(pages):
        pdf.add_page()
        pdf.cell(0, 10, NOTICE)
    pdf.output(str(path))
    return path


def placeholder_title(path: Path) -> Path:
    """A PDF whose /Info title is ReportLab's default "untitled", with a real first heading."""
    lines = ["Visitors are welcome from two until eight in the evening."]
    return titled_pdf(path, "Visiting hours on ward 7", lines, meta_title="untitled")


_F1 = b"<< /Font << /F1 5 0 R >> >>"
TURNED_TEXT = "Turned page %d: the discharge lounge opens at eight."
NOTICE = "Ward 7 is closed to visitors until further notice."


__all__ = [
    "ARABIC_LOGICAL",
    "CHART_TICKS",
    "NOTICE",
    "TURNED_TEXT",
    "arabic_visual_order",
    "chart_in_frame",
    "cut_incremental_update",
    "cyclic_page_tree",
    "cyclic_page_tree_bomb",
    "few_words",
    "furniture_only",
    "jbig2_in_contents",
    "landscape_by_rotate",
    "overprinted_glyphs",
    "placeholder_title",
    "same_text_on_every_page",
    "text_in_form_xobject",
    "turned_pages",
    "undecodable_font_name",
    "unmapped_glyphs",
    "wiped_pages_and_metadata",
    "with_trailing_bytes",
    "without_eof_marker",
    "without_root",
]
