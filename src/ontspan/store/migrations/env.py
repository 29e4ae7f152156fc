"""Alembic environment: runs on the connection ontspan hands it (see store/db.py)."""

from __future__ import annotations

from alembic import context

from ontspan.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
