"""The shared store's Alembic environment, shipped inside the package (no alembic.ini needed).

``bot/state/migrate.py`` runs it when a store opens. To add a revision: copy the newest file in
``versions/``, give it the next number as ``revision`` and the previous one as ``down_revision``,
and change ``bot/state/schema.py`` to match (the tests compare the two on both backends).
"""
