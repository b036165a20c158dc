"""Gather the admin's view of the index (version, documents, chunks, last ingest, last error).

Why read the audit log: the pipeline audits every run with its outcome and error *type*, so the
last ingest and last failure survive restarts without a second store, and carry no content.
Unreadable audit lines (a crash mid-write, a hand edit) are skipped and their count is shown, and
an audit log that cannot be read at all is reported, so status always renders.
"""

from __future__ import annotations

import logging

from bot.common.audit import AuditRead, read_audit_report
from bot.common.errors import ChangebotError
from bot.slack.flows.ingest import IngestRunner
from bot.slack.render.admin import IndexStatus, stamp
from bot.workers.gateway import Core

logger = logging.getLogger(__name__)
FAILED = ("error", "aborted")


def index_status(core: Core, runner: IngestRunner | None = None) -> IndexStatus:
    """The live index's figures; a broken index reports itself instead of raising."""
    try:
        figures = core.figures()
        version, documents, chunks = figures.version, figures.documents, figures.chunks
    except (ChangebotError, OSError, ValueError) as exc:
        logger.warning("index status unavailable (%s)", type(exc).__name__)
        version, documents, chunks = None, 0, 0
    audit = _read_audit(core)
    runs = [r for r in audit.records if r.get("action") == "ingest"]
    last = runs[-1]["at"] if runs else None
    failures = [r for r in runs if r.get("outcome") in FAILED]
    notes = []
    if failures:
        f = failures[-1]
        notes.append(f"{stamp(f['at'])}: {f['outcome']} ({f.get('error') or 'see the audit log'})")
    if audit.skipped:
        notes.append(f"{audit.skipped} unreadable audit log line(s) skipped")
    if runner is not None and runner.running:
        notes.append("an ingest is running now")
    error = "; ".join(notes) or None
    return IndexStatus(
        version=version, documents=documents, chunks=chunks, last_ingest=last, last_error=error
    )


def _read_audit(core: Core) -> AuditRead:
    """The audit records; an unreadable file counts as one skipped line rather than an error."""
    try:
        return read_audit_report(core.settings.data_dir)
    except OSError as exc:
        logger.warning("audit log unreadable (%s)", type(exc).__name__)
        return AuditRead(skipped=1)
