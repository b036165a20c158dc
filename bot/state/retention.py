"""One retention pass over everything the shared store keeps for a while.

``changebot serve`` runs it at start and every six hours (any replica may: each step deletes old
rows only, so replicas running it at once, or writing meanwhile, lose nothing that is still in
its period). Counts are returned for the log; nothing else is reported.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from bot.state.audit import AUDIT_KEEP_DAYS, prune_audit
from bot.state.feedback import prune_feedback
from bot.state.history import DiagnosisHistory
from bot.state.insights import prune_insights
from bot.state.plans import prune_plans
from bot.state.rates import prune_hits

if TYPE_CHECKING:
    from bot.state.store import SharedStore


def prune_all(
    store: SharedStore,
    data_dir: Path,
    retention_days: int,
    audit_days: int = AUDIT_KEEP_DAYS,
    insights_days: int = 365,
) -> dict[str, int]:
    """Apply each retention period to its rows; returns how many went, per kind.

    ``retention_days`` applies to history, feedback and ended plans, ``insights_days``
    (``CHANGEBOT_INSIGHTS_RETENTION_DAYS``) to the anonymous diagnosis and outcome counts;
    claims, rate rows and audit expire by their own periods.

    ``data_dir`` is where files of an earlier release may still wait to be imported (history
    and feedback are imported before they are pruned).
    """
    history = DiagnosisHistory(data_dir, retention_days, clock=store.clock, store=store)
    return {
        "history": history.prune(),
        "feedback": prune_feedback(data_dir, retention_days, store=store),
        "rate_hits": prune_hits(store),
        "claims": store.prune_claims(),
        "audit": prune_audit(store, max(audit_days, retention_days)),
        "plans": prune_plans(store, retention_days),
        "insights": prune_insights(store, insights_days),
    }
