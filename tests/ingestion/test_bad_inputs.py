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
    with pytest.raises(UnreadableDocument, match="damaged or incomplete"):
        sniff(cut, "cut.docx")
    with pytest.raises(UnreadableDocument, match="password-protected or old-format"):
        sniff(ole, "locked.docx")


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
