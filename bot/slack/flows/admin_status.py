"""Gather the admin's view of the index (version, documents, chunks, last ingest, last error).

Why read the audit log: the pipeline audits every run with its outcome and error *type*, so the
last ingest and last failure survive restarts without a second store, and carry no content.
"""

from __future__ import annotations

import logging

from bot.common.audit import read_audit
from bot.common.errors import ChangebotError
from bot.services import Services
from bot.slack.flows.ingest import IngestRunner
from bot.slack.render.admin import IndexStatus, stamp

logger = logging.getLogger(__name__)
FAILED = ("error", "aborted")


def index_status(services: Services, runner: IngestRunner | None = None) -> IndexStatus:
    """The live index's figures; a broken index reports itself instead of raising."""
    try:
        version = services.index.live_name()
        documents = len(services.index.documents())
        chunks = services.index.count()
    except (ChangebotError, OSError, ValueError) as exc:
        logger.warning("index status unavailable (%s)", type(exc).__name__)
        version, documents, chunks = None, 0, 0
    runs = [r for r in read_audit(services.settings.data_dir) if r.get("action") == "ingest"]
    last = runs[-1]["at"] if runs else None
    failures = [r for r in runs if r.get("outcome") in FAILED]
    error = None
    if failures:
        f = failures[-1]
        error = f"{stamp(f['at'])}: {f['outcome']} ({f.get('error') or 'see the audit log'})"
    if runner is not None and runner.running:
        error = (error + "; " if error else "") + "an ingest is running now"
    return IndexStatus(
        version=version, documents=documents, chunks=chunks, last_ingest=last, last_error=error
    )
