"""``start_core(settings)``: the core a long-running Slack surface serves from.

With ``CHANGEBOT_WORKERS`` at 0 the core runs in this process (``LocalCore``, as before); else
``PooledCore`` starts that many worker processes, prepares the index in one of them and warms the
others, and this process (the front) never loads a model. ``bot.services`` is imported only on
the in-process path, so the front's memory stays that of Slack, the store and the framework text.
"""

from __future__ import annotations

import logging

from bot.settings import Settings
from bot.workers.gateway import Core, LocalCore

logger = logging.getLogger(__name__)


def start_core(settings: Settings) -> Core:
    """Build and start the core for a long-running surface (index prepared, models warm)."""
    workers = settings.worker_count
    if workers == 0:
        from bot.services import build_services
        from bot.startup import warm_in_background
        from bot.workers.tasks import prepare_index

        services = build_services(settings)
        prepare_index(services)
        warm_in_background(services)
        return LocalCore(services, owned=True)
    from bot.common.audit import share_audit
    from bot.state.audit import StoreAudit
    from bot.state.store import SharedStore
    from bot.workers.pool import PooledCore
    from knowledge.framework import default_framework

    settings.data_dir.mkdir(parents=True, exist_ok=True)  # the store's SQLite file lives there
    store = SharedStore(settings.state_url)
    share_audit(settings.data_dir, StoreAudit(store))  # admin status shows every replica's runs
    core = PooledCore(settings, default_framework(), store, workers)
    try:
        core.start()
    except BaseException:
        core.close(timeout=5)
        raise
    return core
