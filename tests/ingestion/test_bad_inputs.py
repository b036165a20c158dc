import resource
import time
from pathlib import Path

import pytest

from bot.common.errors import UnreadableDocument
from bot.settings import Settings
from ingestion.pipeline import ingest
from ingestion.sandbox import Limits, ParserSandbox
from ingestion.sniff import sniff
from knowledge.index import KnowledgeIndex
from tests.ingestion import badfiles
from tests.ingestion.conftest import CountingEmbedder
from tests.ingestion.samples import make_docx, make_report_pdf, write_note

ENCRYPTED = "encrypted — supply an unencrypted copy"


def _reasons(report) -> dict[str, str]:
    return {d.document: d.reason for d in report.documents if d.status == "failed"}


def test_bad_pdfs_fail_by_name_others_still_ingest(
    docs: Path, index: KnowledgeIndex, settings: Settings, embedder: CountingEmbedder
) -> None:
    make_report_pdf(docs / "good.pdf", pages=3, contents=False)
    write_note(docs, "good.md", "recognition")
    make_docx(docs / "good.docx")
    badfiles.encrypted_pdf(docs / "rc4.pdf", "RC4-128")
    badfiles.encrypted_pdf(docs / "aes.pdf", "AES-256")
    badfiles.truncated(make_report_pdf(docs / "whole.pdf.tmp", pages=3), docs / "cut.pdf")
    (docs / "whole.pdf.tmp").unlink()
    badfiles.random_bytes(docs / "noise.pdf")
    badfiles.blank_pdf(docs / "scan.pdf")
    (docs / "empty.md").write_bytes(b"")
    (docs / "blank.md").write_text("   \n\n  \n", encoding="utf-8")
    (docs / "empty.docx").write_bytes(b"")
    report = ingest([docs], index, settings)
    reasons = _reasons(report)
    assert reasons["rc4.pdf"] == ENCRYPTED and reasons["aes.pdf"] == ENCRYPTED
    assert "damaged or incomplete" in reasons["cut.pdf"]
    assert "unsupported type" in reasons["noise.pdf"]
    assert "needs OCR" in reasons["scan.pdf"]
    assert reasons["empty.md"] == reasons["empty.docx"] == reasons["blank.md"] == "empty file"
    assert {d.document for d in report.documents if d.status == "added"} == {
        "good.pdf",
        "good.md",
        "good.docx",
    }
    assert report.outcome == "switched" and not report.ok
    assert embedder.texts == report.embedded == index.count()


def test_owner_password_only_pdf_is_ingested(tmp_path: Path) -> None:
    """Policy (I2): an empty user password means anyone can open it, so we read it."""
    pdf = badfiles.encrypted_pdf(tmp_path / "owner.pdf", "AES-256", user_password="")
    with ParserSandbox(Limits()) as sandbox:
        parsed = sandbox.parse(pdf, "pdf", "owner.pdf")
    assert "Marker P001" in parsed.blocks[0].text


@pytest.mark.parametrize("nested", [False, True])
def test_flate_bomb_fails_cleanly_in_child(tmp_path: Path, nested: bool) -> None:
    bomb = badfiles.flate_bomb_pdf(tmp_path / "bomb.pdf", inflated=200 << 20, nested=nested)
    good = make_report_pdf(tmp_path / "good.pdf", pages=2, contents=False)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    with ParserSandbox(Limits(memory_mb=1024, cpu_s=30, wall_s=30)) as sandbox:
        with pytest.raises(UnreadableDocument, match="compression bomb"):
            sandbox.parse(bomb, "pdf", "bomb.pdf")
        assert sandbox.parse(good, "pdf", "good.pdf").pages == 2  # the child still serves
    assert time.monotonic() - started < 30
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100_000  # KiB


@pytest.mark.parametrize("inflated", [256 << 20, pytest.param(1 << 30, marks=pytest.mark.slow)])
def test_docx_zip_bomb_rejected_quickly(tmp_path: Path, inflated: int) -> None:
    bomb = badfiles.docx_zip_bomb(tmp_path / "bomb.docx", inflated=inflated)
    assert bomb.stat().st_size < 3 << 20
    started = time.monotonic()
    with ParserSandbox(Limits()) as sandbox, pytest.raises(UnreadableDocument, match="zip bomb"):
        sandbox.parse(bomb, sniff(bomb, "bomb.docx"), "bomb.docx")
    assert time.monotonic() - started < 5


def test_docx_xxe_refused_and_never_expanded(tmp_path: Path) -> None:
    evil = badfiles.docx_xxe(tmp_path / "evil.docx")
    with ParserSandbox(Limits()) as sandbox, pytest.raises(UnreadableDocument) as info:
        sandbox.parse(evil, "docx", "evil.docx")
    assert "entity" in info.value.reason
    hostname = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").exists() else ""
    assert not hostname or hostname not in info.value.reason


def test_corrupt_and_legacy_word_files(tmp_path: Path) -> None:
    good = make_docx(tmp_path / "good.docx")
    cut = badfiles.truncated(good, tmp_path / "cut.docx")
    ole = tmp_path / "locked.docx"
    ole.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2048))
    with ParserSandbox(Limits()) as sandbox:  # the zip directory is read in the child only
        with pytest.raises(UnreadableDocument, match="damaged or incomplete Word document"):
            sandbox.parse(cut, sniff(cut, "cut.docx"), "cut.docx")
    with pytest.raises(UnreadableDocument, match="password-protected or old-format"):
        sniff(ole, "locked.docx")


@pytest.mark.parametrize(
    ("maker", "limit"),
    [
        (badfiles.docx_many_entries, "20,000 entries"),
        (badfiles.docx_declared_size, "4 GB declared"),
    ],
)
def test_docx_directory_limits_refuse_before_inflating(tmp_path: Path, maker, limit: str) -> None:
    """I8: the entry-count and declared-size limits, read from the zip directory in the child."""
    bomb = maker(tmp_path / "bomb.docx")
    assert bomb.stat().st_size < 3 << 20, limit
    started = time.monotonic()
    with ParserSandbox(Limits()) as sandbox, pytest.raises(UnreadableDocument, match="zip bomb"):
        sandbox.parse(bomb, sniff(bomb, "bomb.docx"), "bomb.docx")
    assert time.monotonic() - started < 5, limit


def test_bot_process_never_reads_a_docx_zip_directory(
    docs: Path,
    index: KnowledgeIndex,
    settings: Settings,
    embedder: CountingEmbedder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue #14: every zip directory is read in the sandboxed child, none in the bot's process."""
    import zipfile

    make_docx(docs / "good.docx")
    badfiles.docx_many_entries(docs / "entries.docx")
    badfiles.docx_declared_size(docs / "declared.docx")
    badfiles.truncated(make_docx(docs / "whole.tmp"), docs / "cut.docx")
    (docs / "whole.tmp").unlink()
    badfiles.plain_zip(docs / "export.docx")
    opened_here: list[str] = []
    real = zipfile.ZipFile._RealGetContents  # type: ignore[attr-defined]

    def tripwire(archive: zipfile.ZipFile) -> None:
        opened_here.append(str(archive.filename))
        real(archive)

    monkeypatch.setattr(zipfile.ZipFile, "_RealGetContents", tripwire)
    report = ingest([docs], index, settings)
    assert opened_here == []
    reasons = _reasons(report)
    assert "zip bomb" in reasons["entries.docx"] and "zip bomb" in reasons["declared.docx"]
    assert reasons["cut.docx"] == "damaged or incomplete Word document"
    assert reasons["export.docx"] == "unsupported type (a zip archive that is not a Word document)"
    assert [d.document for d in report.documents if d.status == "added"] == ["good.docx"]
    assert {d.document for d in index.documents()} == {"good.docx"}
    assert embedder.texts == report.embedded == index.count() > 0


def test_sparse_2gb_file_rejected_by_size_before_reading(
    docs: Path,
    index: KnowledgeIndex,
    settings: Settings,
    embedder: CountingEmbedder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import ingestion.build

    badfiles.sparse_file(docs / "huge.pdf")
    write_note(docs, "ok.md", "headspace")
    hashed: list[str] = []
    real_hash = ingestion.build.file_sha256

    def recording_hash(path: Path) -> str:
        hashed.append(path.name)
        return real_hash(path)

    monkeypatch.setattr(ingestion.build, "file_sha256", recording_hash)
    report = ingest([docs], index, settings)
    assert "huge.pdf" not in hashed and "ok.md" in hashed  # refused from stat, never read
    assert "over the size limit (2048 MB; the limit is 50 MB)" in _reasons(report)["huge.pdf"]
    assert report.count("added") == 1


def test_parse_wall_clock_timeout_kills_child(tmp_path: Path) -> None:
    pdf = make_report_pdf(tmp_path / "slow.pdf", pages=8)
    with ParserSandbox(Limits(wall_s=0.05)) as sandbox:
        with pytest.raises(UnreadableDocument, match="took longer than"):
            sandbox.parse(pdf, "pdf", "slow.pdf")
        sandbox.limits = Limits(wall_s=30)
        assert sandbox.parse(pdf, "pdf", "slow.pdf").pages == 8  # a fresh child takes over


def test_memory_limit_failure_is_a_plain_reason(tmp_path: Path) -> None:
    big = tmp_path / "big.md"
    big.write_text("# Big\n\n" + "Words about change and improvement. " * 1_000_000)
    small = make_report_pdf(tmp_path / "r.pdf", pages=2)
    with ParserSandbox(Limits(memory_mb=160)) as sandbox:
        with pytest.raises(UnreadableDocument) as info:
            sandbox.parse(big, "markdown", "big.md")
        assert info.value.reason.startswith("needs more memory than allowed")
        assert sandbox.parse(small, "pdf", "r.pdf").pages == 2


def test_strict_aborts_and_leaves_live_untouched(
    docs: Path, index: KnowledgeIndex, settings: Settings
) -> None:
    write_note(docs, "a.md", "recognition")
    first = ingest([docs], index, settings)
    write_note(docs, "b.md", "motivation")
    badfiles.random_bytes(docs / "c.pdf")
    report = ingest([docs], index, settings, strict=True)
    assert report.outcome == "aborted" and report.version is None
    assert index.live_name() == first.version
    assert {d.document for d in index.documents()} == {"a.md"}
    versions = [
        c.name for c in index._client.list_collections() if c.name.startswith("changebot-v")
    ]
    assert versions == [first.version]


def test_failed_update_keeps_previous_version_of_that_document(
    docs: Path, index: KnowledgeIndex, settings: Settings
) -> None:
    write_note(docs, "a.md", "recognition")
    write_note(docs, "b.md", "motivation")
    ingest([docs], index, settings)
    (docs / "a.md").write_bytes(b"\x7fELF" + bytes(64))
    write_note(docs, "b.md", "motivation and more")
    report = ingest([docs], index, settings, mode="replace")
    assert "previously indexed version is kept" in _reasons(report)["a.md"]
    assert {d.document for d in index.documents()} == {"a.md", "b.md"}


def test_empty_inputs_are_refused_by_name_and_never_embedded(
    docs: Path, index: KnowledgeIndex, settings: Settings, embedder: CountingEmbedder
) -> None:
    """I7: 0-byte PDF/HTML/DOCX/Markdown, a whitespace note and a paragraph-less DOCX."""
    write_note(docs, "good.md", "recognition")
    for name in ("empty.pdf", "empty.html", "empty.docx", "empty.md"):
        (docs / name).write_bytes(b"")
    (docs / "blank.html").write_bytes(b"  \r\n\t \n")
    (docs / "shell.html").write_text("<html><body><main>  </main></body></html>", encoding="utf-8")
    badfiles.docx_without_paragraphs(docs / "no-paragraphs.docx")
    report = ingest([docs], index, settings)
    reasons = _reasons(report)
    assert {
        n: reasons[n] for n in ("empty.pdf", "empty.html", "empty.docx", "empty.md")
    } == dict.fromkeys(("empty.pdf", "empty.html", "empty.docx", "empty.md"), "empty file")
    assert reasons["blank.html"] == "empty file"
    assert reasons["no-paragraphs.docx"] == "contains no text"
    assert reasons["shell.html"] == "contains no readable text in its main content"
    assert [d.document for d in report.documents if d.status == "added"] == ["good.md"]
    good = next(d for d in report.documents if d.document == "good.md")
    assert embedder.texts == report.embedded == good.chunks == index.count()
    assert all(c.text.strip() for c in index.chunks())
    assert {c.document for c in index.chunks()} == {"good.md"}


def test_damaged_and_latin1_text_decodes_without_crashing(
    docs: Path, index: KnowledgeIndex, settings: Settings
) -> None:
    """I12: invalid UTF-8 sequences become U+FFFD (never mojibake), latin-1 reads as written."""
    utf8 = "Budget: £2,500 – agreed by the board’s sponsor."
    (docs / "damaged.txt").write_bytes(
        utf8.encode() + b" Then \xc3\x28 and \xe2\x82 and \xff ends the damaged note."
    )
    latin1 = "Café budget £5 for the naïve ½-day course; Ørsted said «oui» to the plan."
    (docs / "latin1.md").write_bytes(f"# Café notes\n\n{latin1}\n".encode("latin-1"))
    (docs / "junk.txt").write_bytes(b"Ward notes \x81\x8d\x8f\x90\x9d end of the ward notes.")
    handover = "Night shift handover: £3 parking – paid by the trust. " * 6  # stray NULs inside
    (docs / "nuls.txt").write_bytes(handover.replace("paid", "pa\x00id", 2).encode("cp1252"))
    report = ingest([docs], index, settings)
    assert report.ok and report.count("added") == 4
    text = {c.document: c.text for c in index.chunks()}
    assert text["damaged.txt"].startswith(utf8)  # "£" and "–" kept, no "Â£" or "â€“"
    assert "Â" not in text["damaged.txt"] and "â€" not in text["damaged.txt"]
    assert text["damaged.txt"].count("\ufffd") == 3 and text["damaged.txt"].endswith("note.")
    assert latin1 in text["latin1.md"]
    assert (
        text["junk.txt"].startswith("Ward notes ") and "end of the ward notes." in text["junk.txt"]
    )
    assert text["nuls.txt"] == handover.strip()
