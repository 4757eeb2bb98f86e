"""Alembic environment: runs on the connection esgledger hands over (never reads alembic.ini)."""
from alembic import context

from esgledger.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
