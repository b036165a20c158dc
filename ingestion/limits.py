"""What ingestion needs to know about its deployment, declared here so it never reads Settings.

``bot.settings.Settings`` satisfies this structurally; tests may pass any object with the same
read-only attributes. Keeping the protocol in the ingestion package keeps the arrow one way:
the composition root knows ingestion, never the reverse.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol


class IngestLimits(Protocol):
    """Where the index lives, how many versions to keep, and the per-document parse limits."""

    @property
    def data_dir(self) -> Path:
        """Folder for the lock, audit log and embedded index."""
        ...

    @property
    def keep_versions(self) -> int:
        """Index versions kept, counting the live one."""
        ...

    @property
    def ingest_max_file_mb(self) -> int:
        """Files above this size are refused before parsing."""
        ...

    @property
    def ingest_timeout_s(self) -> float:
        """Wall-clock and CPU limit for parsing one document."""
        ...

    @property
    def ingest_memory_mb(self) -> int:
        """Memory limit of the parsing child."""
        ...
