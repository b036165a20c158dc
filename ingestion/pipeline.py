"""``ingest``: staged build, validation gate, atomic pointer switch; the live index is never harmed.

Order of a run: take the single-writer lock, drop leftovers of crashed runs, build a new version
beside the live one, check it (row count, and sample chunks retrieving themselves), then switch
the registry pointer in one write and prune old versions. Any exception drops the staged version,
so readers keep the previous live version throughout.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

from bot.common.audit import write_audit
from bot.common.errors import ChangebotError, IngestionError
from bot.settings import Settings
from ingestion.build import VersionBuilder
from ingestion.discover import SourceFile, discover, is_stale
from ingestion.lock import ingest_lock
from ingestion.report import DocumentResult, IngestReport, ProgressCallback
from ingestion.sandbox import Limits, ParserSandbox
from ingestion.versions import current_actor, rollback, validate_version
from knowledge.index import Chunk, KnowledgeIndex

__all__ = ["ingest", "is_stale", "rollback", "validate_version"]
logger = logging.getLogger(__name__)


def ingest(
    paths: Iterable[Path | str],
    index: KnowledgeIndex,
    settings: Settings,
    mode: Literal["add", "replace"] = "add",
    strict: bool = False,
    progress: ProgressCallback | None = None,
    actor: str | None = None,
) -> IngestReport:
    """Ingest files and folders into a new index version and make it live if it validates.

    ``add`` keeps every live document not named here; ``replace`` keeps exactly the given set.
    Unchanged files (same name and hash) are copied with their vectors, not re-embedded. With
    ``strict`` any failed document aborts the run and the live version stays as it was.
    """
    started = time.monotonic()
    who = actor or current_actor()
    with ingest_lock(settings.data_dir):
        leftovers = index.prune(settings.keep_versions)
        if leftovers:
            logger.info("dropped %d leftover index versions", len(leftovers))
        sources = discover(Path(p) for p in paths)
        try:
            report = _run(sources, index, settings, mode, strict, progress)
        except BaseException as exc:
            write_audit(
                settings.data_dir,
                actor=who,
                action="ingest",
                outcome="error",
                mode=mode,
                documents=len(sources),
                error=type(exc).__name__,
            )
            if isinstance(exc, ChangebotError) or not isinstance(exc, Exception):
                raise
            logger.exception("ingest aborted by %s", type(exc).__name__)
            raise IngestionError() from exc
        report.seconds = round(time.monotonic() - started, 3)
        write_audit(
            settings.data_dir,
            actor=who,
            action="ingest",
            outcome=report.outcome,
            mode=mode,
            version=report.version,
            chunks=report.chunks,
            embedded=report.embedded,
            **{s: report.count(s) for s in ("added", "updated", "unchanged", "removed", "failed")},
        )
        return report


def _live_documents(index: KnowledgeIndex) -> dict[str, list[Chunk]]:
    by_doc: dict[str, list[Chunk]] = {}
    for chunk in index.chunks():
        by_doc.setdefault(chunk.document, []).append(chunk)
    return by_doc


def _run(
    sources: list[SourceFile],
    index: KnowledgeIndex,
    settings: Settings,
    mode: Literal["add", "replace"],
    strict: bool,
    progress: ProgressCallback | None,
) -> IngestReport:
    live = index.live_name()
    old = _live_documents(index)
    report = IngestReport(mode=mode, outcome="switched", previous=live)
    staged = index.create_version()
    limits = Limits(
        memory_mb=settings.ingest_memory_mb,
        cpu_s=settings.ingest_timeout_s,
        wall_s=settings.ingest_timeout_s,
    )
    try:
        with ParserSandbox(limits) as sandbox:
            builder = VersionBuilder(index, settings, staged, sandbox, progress)
            builder.docs_total = len(sources)
            for src in sources:
                result = builder.document(src, live, old.get(src.document, []))
                report.documents.append(result)
                if strict and result.status == "failed":
                    index.drop(staged)
                    return _finish(
                        report,
                        "aborted",
                        builder,
                        "Nothing changed: --strict "
                        "stops at the first document that cannot be ingested.",
                    )
        _carry_over(builder, report, old, {s.document for s in sources}, live, mode)
        return _conclude(index, settings, staged, builder, report)
    except BaseException:
        index.drop(staged)
        raise


def _carry_over(
    builder: VersionBuilder,
    report: IngestReport,
    old: dict[str, list[Chunk]],
    given: set[str],
    live: str | None,
    mode: str,
) -> None:
    """Live documents not named in this run: copied (``add``) or reported removed (``replace``)."""
    for document, chunks in sorted(old.items()):
        if document in given:
            continue
        if mode == "add" and live:
            builder.copy(live, chunks)
        else:
            report.documents.append(
                DocumentResult(document=document, status="removed", chunks=len(chunks))
            )


def _conclude(
    index: KnowledgeIndex,
    settings: Settings,
    staged: str,
    builder: VersionBuilder,
    report: IngestReport,
) -> IngestReport:
    changed = any(d.status in {"added", "updated", "removed"} for d in report.documents)
    if builder.written == 0 or not changed:
        index.drop(staged)
        outcome: Any = "empty" if builder.written == 0 else "unchanged"
        message = (
            "Nothing was indexed; the previous guidance keeps serving."
            if outcome == "empty"
            else "No document changed; the index was left as it is."
        )
        return _finish(report, outcome, builder, message)
    validate_version(index, staged, builder.written)
    index.switch(staged)
    index.prune(settings.keep_versions)
    report.version = staged
    return _finish(report, "switched", builder, f"Now serving {builder.written} chunks.")


def _finish(
    report: IngestReport, outcome: Any, builder: VersionBuilder, message: str
) -> IngestReport:
    report.outcome = outcome
    report.chunks = builder.written
    report.embedded = builder.embedded
    report.message = message
    return report
