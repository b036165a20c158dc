"""``ingest``: staged build, validation gate, atomic pointer switch; the live index is never harmed.

Documents have an owner: ``bundled`` (changebot's own notes, refreshed by every start from the
guidance folder) or ``admin`` (what an admin ingested). ``replace`` replaces only the documents of
the run's own owner, so a restart's refresh of the bundled notes never removes a trust's documents,
and an admin's ``--replace`` never removes the bundled notes. ``remove`` takes named admin
documents out.

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
from ingestion.build import VersionBuilder
from ingestion.discover import SourceFile, discover, folder_fingerprint, is_stale
from ingestion.disk import write_failure
from ingestion.limits import IngestLimits
from ingestion.lock import ingest_lock
from ingestion.report import DocumentResult, IngestReport, ProgressCallback
from ingestion.sandbox import Limits, ParserSandbox
from ingestion.versions import current_actor, rollback, validate_version
from knowledge.index import Chunk, KnowledgeIndex

__all__ = ["ingest", "is_stale", "rebuild", "remove", "rollback", "validate_version"]
Owner = Literal["bundled", "admin"]
Mode = Literal["add", "replace", "remove"]
BUNDLED_NOTE = "bundled_sha"
logger = logging.getLogger(__name__)


def ingest(
    paths: Iterable[Path | str],
    index: KnowledgeIndex,
    settings: IngestLimits,
    mode: Literal["add", "replace"] = "add",
    strict: bool = False,
    progress: ProgressCallback | None = None,
    actor: str | None = None,
    owner: Owner = "admin",
) -> IngestReport:
    """Ingest files and folders into a new index version and make it live if it validates.

    ``add`` keeps every live document not named here; ``replace`` keeps exactly the given set
    among the documents of ``owner`` (other owners' documents are always kept). Unchanged files
    (same name and hash) are copied with their vectors, not re-embedded. With ``strict`` any
    failed document aborts the run and the live version stays as it was. A ``bundled`` run
    records the folder's fingerprint, so later starts know the notes are current.
    """
    paths_list = [Path(p) for p in paths]
    # only a refresh of the bundled notes records the folder's fingerprint (it hashes every file)
    notes = {BUNDLED_NOTE: folder_fingerprint(paths_list)} if owner == "bundled" else {}
    return _locked_run(
        paths_list, index, settings, _Plan(mode, owner, strict, notes), progress, actor
    )


def remove(
    documents: Iterable[str],
    index: KnowledgeIndex,
    settings: IngestLimits,
    actor: str | None = None,
) -> IngestReport:
    """Take named documents an admin ingested out of the index (a new version, as ever).

    Bundled notes cannot be removed here: they come back from the guidance folder on the next
    start; change ``CHANGEBOT_GUIDANCE_DIR`` instead.
    """
    plan = _Plan("remove", "admin", False, {}, frozenset(documents))
    return _locked_run([], index, settings, plan, None, actor)


def rebuild(
    index: KnowledgeIndex, settings: IngestLimits, actor: str | None = None
) -> IngestReport:
    """Re-embed every chunk of the live version with the configured embedder, as a new version.

    After ``CHANGEBOT_EMBEDDINGS`` changes, the stored vectors no longer match the query vectors;
    the chunks' text and metadata are still right, so nothing needs the original files. The old
    version stays for rollback (to the old embedder) until pruned.
    """
    started = time.monotonic()
    with ingest_lock(settings.data_dir):
        live = index.live_name()
        if live is None:
            raise IngestionError("Nothing is indexed yet, so there is nothing to rebuild.")
        chunks = index.chunks_of(live)
        staged = index.create_version(
            {k: v for k, v in index.version_notes(live).items() if k == BUNDLED_NOTE}
        )
        try:
            builder = VersionBuilder(index, settings, staged, None)  # nothing to parse
            builder.embed(chunks, "rebuild")
            validate_version(index, staged, builder.written)
            index.switch(staged)
        except BaseException as exc:
            index.drop(staged)
            plain = _plain(exc, settings)
            if plain is exc:
                raise
            raise plain from exc
        index.prune(settings.keep_versions)
    report = IngestReport(mode="add", outcome="switched", previous=live, version=staged)
    _finish(report, "switched", builder, f"Re-embedded {builder.written} chunks.")
    report.seconds = round(time.monotonic() - started, 3)
    _audit(
        settings,
        actor=actor or current_actor(),
        action="rebuild",
        outcome="switched",
        version=staged,
        chunks=builder.written,
    )
    return report


class _Plan:
    """What one run does: its mode and owner, and (for ``remove``) which documents go."""

    def __init__(
        self,
        mode: Mode,
        owner: Owner,
        strict: bool,
        notes: dict[str, str],
        removing: frozenset[str] = frozenset(),
    ) -> None:
        self.mode = mode
        self.owner = owner
        self.strict = strict
        self.notes = notes
        self.removing = removing


def _locked_run(
    paths: list[Path],
    index: KnowledgeIndex,
    settings: IngestLimits,
    plan: _Plan,
    progress: ProgressCallback | None,
    actor: str | None,
) -> IngestReport:
    mode = plan.mode
    started = time.monotonic()
    who = actor or current_actor()
    with ingest_lock(settings.data_dir):
        sources: list[SourceFile] = []
        try:
            leftovers = index.prune(settings.keep_versions)
            if leftovers:
                logger.info("dropped %d leftover index versions", len(leftovers))
            sources = discover(paths)
            report = _run(sources, index, settings, plan, progress)
        except BaseException as exc:
            _audit(
                settings,
                actor=who,
                action="ingest",
                outcome="error",
                mode=mode,
                documents=len(sources),
                error=type(exc).__name__,
            )
            plain = _plain(exc, settings)
            if plain is exc:
                raise
            raise plain from exc
        report.seconds = round(time.monotonic() - started, 3)
        _audit(
            settings,
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


def _plain(exc: BaseException, settings: IngestLimits) -> BaseException:
    """What to raise for a failed run: our own errors as they are, anything else in plain words.

    A write refused by the machine (a full disk, a file-size limit, an I/O error) is said as
    such, logged as one line without a traceback; anything else is logged in full.
    """
    if isinstance(exc, ChangebotError) or not isinstance(exc, Exception):
        return exc
    failed_write = write_failure(exc, settings.data_dir)
    if failed_write is not None:  # the machine's fault, not ours
        logger.error("ingest aborted: %s (%s: %s)", failed_write, type(exc).__name__, exc)
        return IngestionError(failed_write)
    logger.exception("ingest aborted by %s", type(exc).__name__)
    return IngestionError()


def _audit(settings: IngestLimits, **record: Any) -> None:
    """Write an audit record; a full disk is logged, never allowed to hide the run's outcome."""
    try:
        write_audit(settings.data_dir, **record)
    except OSError as exc:
        logger.error("could not write the audit record (%s): %s", type(exc).__name__, exc)


def _live_documents(index: KnowledgeIndex) -> dict[str, list[Chunk]]:
    by_doc: dict[str, list[Chunk]] = {}
    for chunk in index.chunks():
        by_doc.setdefault(chunk.document, []).append(chunk)
    return by_doc


def _run(
    sources: list[SourceFile],
    index: KnowledgeIndex,
    settings: IngestLimits,
    plan: _Plan,
    progress: ProgressCallback | None,
) -> IngestReport:
    live = index.live_name()
    old = _live_documents(index)
    _check_removable(plan, old)
    report = IngestReport(mode=plan.mode, outcome="switched", previous=live)
    kept_notes = {k: v for k, v in index.version_notes(live).items() if k == BUNDLED_NOTE}
    notes = {**kept_notes, **plan.notes}
    staged = index.create_version(notes)
    limits = Limits(
        memory_mb=settings.ingest_memory_mb,
        cpu_s=settings.ingest_timeout_s,
        wall_s=settings.ingest_timeout_s,
    )
    try:
        with ParserSandbox(limits) as sandbox:
            builder = VersionBuilder(index, settings, staged, sandbox, progress, plan.owner)
            builder.docs_total = len(sources)
            for src in sources:
                result = builder.document(src, live, old.get(src.document, []))
                report.documents.append(result)
                if plan.strict and result.status == "failed":
                    index.drop(staged)
                    return _finish(
                        report,
                        "aborted",
                        builder,
                        "Nothing changed: --strict "
                        "stops at the first document that cannot be ingested.",
                    )
        _carry_over(builder, report, old, {s.document for s in sources}, live, plan)
        return _conclude(index, settings, staged, builder, report, notes != kept_notes)
    except BaseException:
        index.drop(staged)
        raise


def _check_removable(plan: _Plan, old: dict[str, list[Chunk]]) -> None:
    """``remove`` names only documents that exist and that an admin ingested."""
    if plan.mode != "remove":
        return
    missing = sorted(d for d in plan.removing if d not in old)
    bundled = sorted(d for d in plan.removing if d in old and old[d][0].owner == "bundled")
    if missing:
        raise IngestionError(
            f"Not in the index: {', '.join(missing)}. `changebot sources` lists the documents."
        )
    if bundled:
        raise IngestionError(
            f"{', '.join(bundled)} is one of changebot's bundled notes; they follow the guidance "
            "folder (CHANGEBOT_GUIDANCE_DIR) and come back on the next start."
        )


def _leaves(plan: _Plan, document: str, chunks: list[Chunk]) -> bool:
    """Whether a live document not named in this run leaves the index."""
    if plan.mode == "remove":
        return document in plan.removing
    # ``replace`` replaces its own owner's documents only; older unlabelled ones are kept
    return plan.mode == "replace" and chunks[0].owner == plan.owner


def _carry_over(
    builder: VersionBuilder,
    report: IngestReport,
    old: dict[str, list[Chunk]],
    given: set[str],
    live: str | None,
    plan: _Plan,
) -> None:
    """Live documents not named in this run: copied, or reported removed."""
    for document, chunks in sorted(old.items()):
        if document in given:
            continue
        if live and not _leaves(plan, document, chunks):
            builder.copy(live, chunks)
        else:
            report.documents.append(
                DocumentResult(document=document, status="removed", chunks=len(chunks))
            )


def _conclude(
    index: KnowledgeIndex,
    settings: IngestLimits,
    staged: str,
    builder: VersionBuilder,
    report: IngestReport,
    notes_changed: bool = False,
) -> IngestReport:
    changed = notes_changed or any(
        d.status in {"added", "updated", "removed"} for d in report.documents
    )
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
