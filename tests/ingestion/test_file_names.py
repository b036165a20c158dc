"""I15: file-name tricks never reach a path, a terminal or a citation, and never overwrite.

Names come from admins' folders and Slack uploads: ``../`` segments, control characters (terminal
escapes, new lines), right-to-left overrides that disguise an extension, names longer than a
filesystem allows in one component, and the same name twice with different content.
"""

from __future__ import annotations

import re
from pathlib import Path

from bot.settings import Settings
from ingestion.discover import MAX_NAME, document_name
from ingestion.pipeline import ingest
from knowledge.index import KnowledgeIndex
from tests.ingestion.samples import write_note

RTL = "\u202e"
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def _files(root: Path, skip: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file() and skip not in p.parents}


def test_tricky_names_are_made_safe_and_stored_under_generated_ids(
    tmp_path: Path, docs: Path, index: KnowledgeIndex, settings: Settings
) -> None:
    write_note(docs, "red\x1b[31m\nalert.md", "recognition")
    write_note(docs, f"invoice{RTL}dm.exe.md", "motivation")
    deep = docs / ("a" * 120) / ("b" * 120)
    deep.mkdir(parents=True)
    write_note(deep, "c" * 100 + ".md", "headspace")
    write_note(deep, "c" * 99 + "d.md", "capability")  # differs only past the cut
    before = _files(tmp_path, settings.data_dir)
    report = ingest([docs, docs / "sub" / ".." / f"invoice{RTL}dm.exe.md"], index, settings)
    assert report.ok and report.count("added") == 4  # the second path is the same file: once
    names = {d.document for d in report.documents}
    assert "red_[31m_alert.md" in names and "invoice_dm.exe.md" in names
    long_names = sorted(n for n in names if n.startswith("a" * 120))
    assert len(long_names) == 2 and all(
        len(n) == MAX_NAME and n.endswith(".md") for n in long_names
    )
    assert long_names[0] != long_names[1]
    assert not [n for n in names if UNSAFE.search(n)]
    chunks = index.chunks()
    assert {c.document for c in chunks} == names
    assert all(re.fullmatch(r"[0-9a-f]{12}-\d{4}", c.chunk_id) for c in chunks)
    assert not [c for c in chunks if UNSAFE.search(c.title + c.section)]
    assert _files(tmp_path, settings.data_dir) == before  # nothing written outside the data dir
    data = settings.data_dir.resolve()
    assert all(data in p.resolve().parents for p in settings.data_dir.rglob("*"))


def test_same_name_twice_never_overwrites_and_new_content_is_a_new_version(
    tmp_path: Path, index: KnowledgeIndex, settings: Settings
) -> None:
    first, second = tmp_path / "ward-a", tmp_path / "ward-b"
    first.mkdir()
    second.mkdir()
    write_note(first, "policy.md", "recognition")
    write_note(second, "policy.md", "leadership")
    report = ingest([first / "policy.md", second / "policy.md"], index, settings)
    rows = [(d.document, d.status) for d in report.documents]
    assert rows == [("policy.md", "added"), ("policy.md", "failed")]
    assert (
        "same name" in report.failed[0].reason
        and "nothing was overwritten" in report.failed[0].reason
    )
    kept = index.chunks()
    assert kept and all("recognition" in c.text for c in kept)  # the first file, untouched
    old_ids = {c.chunk_id for c in kept}
    again = ingest([first / "policy.md"], index, settings)
    assert again.outcome == "unchanged"  # same name, same hash: nothing to do
    write_note(first, "policy.md", "capability")
    changed = ingest([first / "policy.md"], index, settings)
    assert [(d.document, d.status) for d in changed.documents] == [("policy.md", "updated")]
    new = index.chunks()
    assert all("capability" in c.text for c in new) and not old_ids & {c.chunk_id for c in new}


def test_document_name_is_stable_and_leaves_plain_names_alone() -> None:
    assert document_name("guides/Ward change – £5 plan.pdf") == "guides/Ward change – £5 plan.pdf"
    assert document_name("e\u0301tude.md") == "\u00e9tude.md"  # NFC, like the text
    assert document_name("x" * 300 + ".pdf") == document_name("x" * 300 + ".pdf")
    assert document_name("x" * 300 + ".pdf") != document_name("x" * 299 + "y.pdf")
    assert document_name(f"report{RTL}fdp.docx") == "report_fdp.docx"


def test_uploads_with_tricky_names_land_inside_their_folder_and_never_overwrite(
    tmp_path: Path,
) -> None:
    from bot.slack.flows.file_download import safe_name, unique_target

    folder = tmp_path / "upload-1"
    folder.mkdir()
    names = [
        "../../etc/passwd.pdf",
        "..\\..\\windows\\win.ini.md",
        "x" * 300 + ".pdf",
        f"invoice{RTL}fdp.docx",
        "bell\x07\x1b[2Jclear.md",
        "policy.pdf",
        "policy.pdf",
        "policy.pdf",
    ]
    targets = []
    for n, name in enumerate(names):
        target = unique_target(folder, safe_name(name))
        target.write_bytes(f"upload {n}".encode())
        targets.append(target)
    assert len(set(targets)) == len(names)
    assert all(t.resolve().parent == folder.resolve() for t in targets)
    assert all(len(t.name) <= 130 and not UNSAFE.search(t.name) for t in targets)
    assert [t.read_bytes() for t in targets] == [f"upload {n}".encode() for n in range(len(names))]
    assert [t.name for t in targets[-3:]] == ["policy.pdf", "policy (2).pdf", "policy (3).pdf"]
    assert {p.name for p in tmp_path.iterdir()} == {"upload-1"}
