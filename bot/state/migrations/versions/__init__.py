"""The revisions, oldest first by number (Alembic reads them by ``down_revision``)."""
