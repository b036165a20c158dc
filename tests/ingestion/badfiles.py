"""Generators of hostile or broken inputs (reliability plan rows I1-I13), all built in tmp_path."""

from __future__ import annotations

import io
import os
import zipfile
import zlib
from pathlib import Path

from tests.ingestion.samples import make_docx, make_report_pdf


def encrypted_pdf(path: Path, algorithm: str, user_password: str = "secret") -> Path:
    from pypdf import PdfReader, PdfWriter

    source = make_report_pdf(path.with_suffix(".plain.pdf"), pages=2, contents=False, table=False)
    writer = PdfWriter(clone_from=PdfReader(source))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm=algorithm)
    with path.open("wb") as handle:
        writer.write(handle)
    source.unlink()
    return path


def truncated(source: Path, path: Path) -> Path:
    data = source.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def random_bytes(path: Path, size: int = 4096) -> Path:
    path.write_bytes(os.urandom(size))
    return path


def blank_pdf(path: Path, pages: int = 2) -> Path:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def _deflated_zeros(total: int, nested: bool) -> bytes:
    zeros = bytes(1 << 20)
    inner = zlib.compressobj(9)
    parts = [inner.compress(zeros) for _ in range(total >> 20)] + [inner.flush()]
    data = b"".join(parts)
    return zlib.compress(data, 9) if nested else data


def assemble_pdf(objects: list[bytes]) -> bytes:
    """A PDF of ``objects`` (object 1 is the catalog) with a correct xref table and trailer."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def flate_bomb_pdf(path: Path, inflated: int = 200 << 20, nested: bool = False) -> Path:
    """A one-page PDF whose content stream inflates to ``inflated`` bytes of zeros."""
    stream = _deflated_zeros(inflated, nested)
    filters = b"[/FlateDecode /FlateDecode]" if nested else b"/FlateDecode"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter %s >>\nstream\n" % (len(stream), filters) + stream + b"\nendstream",
    ]
    path.write_bytes(assemble_pdf(objects))
    return path


def docx_zip_bomb(path: Path, inflated: int = 1 << 30) -> Path:
    """A valid-looking .docx whose document.xml inflates to ``inflated`` bytes (file ~1 MB)."""
    good = make_docx(path.with_suffix(".good.docx"))
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename == "word/document.xml":
                with dst.open("word/document.xml", "w", force_zip64=True) as member:
                    block = b" " * (1 << 20)
                    for _ in range(inflated >> 20):
                        member.write(block)
            else:
                dst.writestr(info, src.read(info))
    good.unlink()
    return path


def docx_xxe(path: Path) -> Path:
    """A .docx whose document.xml declares an external entity pointing at /etc/hostname."""
    good = make_docx(path.with_suffix(".good.docx"))
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                head, rest = data.split(b"?>", 1)
                dtd = b'<!DOCTYPE w [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>'
                data = head + b"?>" + dtd + rest.replace(b"Use run charts", b"&xxe; Use run charts")
            dst.writestr(info, data)
    good.unlink()
    return path


def sparse_file(path: Path, size: int = 2 * 1024**3) -> Path:
    with path.open("wb") as handle:
        handle.write(b"%PDF-1.7\n")
        handle.truncate(size)
    return path


def docx_many_entries(path: Path, entries: int = 20_000) -> Path:
    """A real .docx plus ``entries`` tiny extra parts (a bomb of directory entries)."""
    good = make_docx(path.with_suffix(".good.docx"))
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        for n in range(entries):
            dst.writestr(f"customXml/extra{n}.xml", b"<a/>")
    good.unlink()
    return path


def docx_declared_size(path: Path, declared: int = 0xFFFF_FFF0) -> Path:
    """A real .docx with one small extra part whose zip directory claims ``declared`` bytes."""
    good = make_docx(path.with_suffix(".good.docx"))
    member = b"word/media/image1.png"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr(member.decode(), b"\x89PNG" + bytes(2048))
    good.unlink()
    data = bytearray(path.read_bytes())
    central = data.rindex(b"PK\x01\x02", 0, data.rindex(member))  # its central directory entry
    data[central + 24 : central + 28] = declared.to_bytes(4, "little")  # uncompressed size field
    path.write_bytes(bytes(data))
    return path


def docx_without_paragraphs(path: Path) -> Path:
    """A valid Word file whose body holds nothing at all (python-docx's blank template)."""
    import docx

    document = docx.Document()
    body = document.element.body
    for child in list(body):
        if not child.tag.endswith("}sectPr"):
            body.remove(child)
    document.save(str(path))
    return path


def plain_zip(path: Path) -> Path:
    """A zip archive that is not a Word document (a spreadsheet export, say)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.csv", "ward,count\nA,3\n")
    return path


def huge_size_without_root_pdf(path: Path, size: int = 2_000_000_000) -> Path:
    """A PDF whose trailer claims ``size`` objects and names no /Root (no catalog to start from)."""
    objects = [
        b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 1 0 R /MediaBox [0 0 595 842] >>",
    ]
    data = assemble_pdf(objects)
    head, _, tail = data.rpartition(b"trailer\n")
    tail = tail.replace(b"/Size 3 /Root 1 0 R", b"/Size %d" % size)
    head = head.replace(b"xref\n0 3\n", b"xref\n0 %d\n" % size)
    path.write_bytes(head + b"trailer\n" + tail)
    return path


def inline_image_without_ei_pdf(path: Path, data_bytes: int = 4 << 20) -> Path:
    """A page whose content stream opens an inline image (BI … ID) and never closes it with EI.

    The image data is pseudo-random bytes with no ``EI`` in them, so a parser looking for the end
    of the image has to scan (or give up on) the whole stream.
    """
    import random

    rng = random.Random(5)
    noise = rng.randbytes(data_bytes).replace(b"EI", b"E!")
    stream = b"BT /F1 12 Tf 72 720 Td (Before the image) Tj ET\n"
    stream += b"BI /W 4000 /H 4000 /BPC 8 /CS /RGB ID "
    stream += noise
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    path.write_bytes(assemble_pdf(objects))
    return path


def deep_chain_pdf(path: Path, depth: int = 10_000) -> Path:
    """A PDF whose page tree is a chain of ``depth`` nested /Pages nodes above one page, and whose
    page's /Contents is reached through a chain of ``depth`` indirect references."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    first_pages, first_ref = 2, 2 + depth + 1
    for i in range(depth):  # objects 2 .. depth+1: /Pages nodes, each the only kid of the last
        number = first_pages + i
        parent = b"" if i == 0 else b" /Parent %d 0 R" % (number - 1)
        kid = number + 1 if i < depth - 1 else first_pages + depth  # the last points at the page
        objects.append(b"<< /Type /Pages /Kids [%d 0 R] /Count 1%s >>" % (kid, parent))
    page = first_pages + depth  # the page itself
    objects.append(
        b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R >>"
        % (page - 1, first_ref + 1)
    )
    for i in range(depth):  # a chain of references: each object is just "the next one"
        objects.append(b"%d 0 R" % (first_ref + 2 + i))
    stream = b"BT /F1 12 Tf 72 720 Td (End of the chain) Tj ET"
    objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    path.write_bytes(assemble_pdf(objects))
    return path
